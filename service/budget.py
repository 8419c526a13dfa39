"""A check's time budget, kept inside the stages' loops and not only between them.

The caller runs a check ``within(deadline)`` (a ``time.perf_counter()`` value); every loop whose
length grows with the text walks its items through ``paced``, which reads the clock every few
items and raises ``OutOfTime`` once the deadline has passed. The pipeline catches it at the
stage it interrupted, drops that stage's partial work and reports what was checked
(``coverage.incomplete``, ``coverage.stopped_in``). The deadline is a context variable, so each
thread (each request) has its own and a check run outside ``within`` has none.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from time import perf_counter
from typing import TypeVar

T = TypeVar("T")

_DEADLINE: ContextVar[float] = ContextVar("tally_deadline", default=math.inf)
EVERY = 32  # items between two looks at the clock: a few microseconds of work apart


class OutOfTime(Exception):
    """The deadline passed inside a stage."""


@contextmanager
def within(deadline: float | None) -> Iterator[None]:
    token = _DEADLINE.set(math.inf if deadline is None else deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def expired() -> bool:
    return perf_counter() >= _DEADLINE.get()


def deadline_now() -> float:
    """The deadline in force (``math.inf`` outside ``within``), for a hot loop that reads the clock itself."""
    return _DEADLINE.get()


def tick() -> None:
    """Raise ``OutOfTime`` when the deadline has passed."""
    if perf_counter() >= _DEADLINE.get():
        raise OutOfTime


def paced(items: Iterable[T]) -> Iterable[T]:
    """``items``, with a look at the clock every ``EVERY`` of them (``items`` itself when there is
    no deadline: a check without a budget pays nothing)."""
    deadline = _DEADLINE.get()
    return items if deadline == math.inf else _paced(items, deadline)


def _paced(items: Iterable[T], deadline: float) -> Iterator[T]:
    for i, item in enumerate(items):
        if not i % EVERY and perf_counter() >= deadline:
            raise OutOfTime
        yield item
