"""A check's time budget, kept inside the stages' loops and not only between them.

The caller runs a check ``within(deadline)`` (a ``time.perf_counter()`` value); every loop whose
length grows with the text walks its items through ``paced``, which reads the clock every few
items and raises ``OutOfTime`` once the deadline has passed. The pipeline catches it at the
stage it interrupted, drops that stage's partial work and reports what was checked
(``coverage.incomplete``, ``coverage.stopped_in``). The deadline is a context variable, so each
thread (each request) has its own and a check run outside ``within`` has none.

A caller may also say when the work is no longer wanted: inside ``watching(gone)`` the same looks
at the clock call ``gone()`` too (at most every ``GONE_EVERY`` seconds, it may cost a system
call), and once it has said True the check stops as if its time were up. The HTTP shell passes
one that sees whether the client has closed its connection.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter
from typing import TypeVar

T = TypeVar("T")

_DEADLINE: ContextVar[float] = ContextVar("tally_deadline", default=math.inf)
EVERY = 32  # items between two looks at the clock: a few microseconds of work apart
GONE_EVERY = 0.05  # seconds between two calls of a watched ``gone()``


class OutOfTime(Exception):
    """The deadline passed inside a stage."""


class _Watch:
    """``gone()``, called no more than every ``GONE_EVERY`` seconds; True once it has said so."""

    __slots__ = ("gone", "next", "stopped")

    def __init__(self, gone: Callable[[], bool]) -> None:
        self.gone, self.next, self.stopped = gone, 0.0, False

    def __call__(self, now: float) -> bool:
        if not self.stopped and now >= self.next:
            self.next = now + GONE_EVERY
            self.stopped = bool(self.gone())
        return self.stopped


_WATCH: ContextVar[_Watch | None] = ContextVar("tally_watch", default=None)


@contextmanager
def watching(gone: Callable[[], bool] | None) -> Iterator[None]:
    """Stop the checks run inside once ``gone()`` says True (``OutOfTime``, as when time is up)."""
    token = _WATCH.set(None if gone is None else _Watch(gone))
    try:
        yield
    finally:
        _WATCH.reset(token)


def abandoned() -> bool:
    """Whether the watched caller has gone (looked at now, whatever the last look said)."""
    watch = _WATCH.get()
    return watch is not None and watch(math.inf)


def _over(now: float, deadline: float) -> bool:
    watch = _WATCH.get()
    return now >= deadline or (watch is not None and watch(now))


@contextmanager
def within(deadline: float | None) -> Iterator[None]:
    token = _DEADLINE.set(math.inf if deadline is None else deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def deadline_now() -> float:
    """The deadline in force (``math.inf`` outside ``within``), for a hot loop that reads the clock itself."""
    return _DEADLINE.get()


def tick() -> None:
    """Raise ``OutOfTime`` when the deadline has passed (or the watched caller has gone)."""
    if _over(perf_counter(), _DEADLINE.get()):
        raise OutOfTime


def paced(items: Iterable[T]) -> Iterable[T]:
    """``items``, with a look at the clock every ``EVERY`` of them (``items`` itself when there is
    no deadline and nobody watched: a check without a budget pays nothing)."""
    deadline = _DEADLINE.get()
    return items if deadline == math.inf and _WATCH.get() is None else _paced(items, deadline)


def _paced(items: Iterable[T], deadline: float) -> Iterator[T]:
    for i, item in enumerate(items):
        if not i % EVERY and _over(perf_counter(), deadline):
            raise OutOfTime
        yield item
