"""A stated number of things against the things listed: 设5个科室：内科、外科、妇科、儿科.

Two forms, their words in patterns/words.toml ``[counts]``: the count, then a colon and the
list (``设5个科室：A、B、C、D``), or the list, then the count (``设A、B、C、D、E5个临床科室``).
Items are joined by 、; a list that ends in 等 (A、B等5个) is not all of them and is not read,
nor is one whose items are long or hold figures (a sentence, not a list of names).
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..budget import paced
from ..model import Span
from ..patterns import load, words_regex
from ..tag.document import Document
from .base import count_value

_W = load().words["counts"]
BEFORE = regex.compile(_W["before_pattern"])
AFTER = regex.compile(_W["after_pattern"])
ANCHOR = regex.compile(_W["anchor_pattern"])
BEFORE_REACH = tuple(_W["before_reach"])
AFTER_REACH = tuple(_W["after_reach"])
ITEM_MAX = _W["item_max"]
ITEM_END = "，,。；;：:（(\n"
INTRODUCER = regex.compile(words_regex(_W["introducers"]))
LAST_JOIN = regex.compile(r"和|及|与")


@dataclass(frozen=True)
class CountClaim:
    count: int
    number: Span  # the number as written
    noun: str
    items: tuple[Span, ...]
    start: int
    end: int


def _items_after(norm: str, pos: int) -> list[Span] | None:
    """A、B、C after ``pos`` up to the end of the clause; None when it is no plain list."""
    end = pos
    while end < len(norm) and norm[end] not in ITEM_END:
        end += 1
    return _split(norm, pos, end)


def _items_before(norm: str, pos: int, floor: int) -> list[Span] | None:
    start = pos
    while start > floor and norm[start - 1] not in ITEM_END:
        start -= 1
    # the list starts after the verb that introduces it (设 / 包括 / 有); without one, what
    # stands before the number is a sentence's words (开展…长坪村、中图村三个村的…), not a list
    verb = INTRODUCER.search(norm, start, pos)
    if verb is None:
        return None
    return _split(norm, verb.end(), pos)


def _split(norm: str, start: int, end: int) -> list[Span] | None:
    body = norm[start:end]
    if "、" not in body or "等" in body[-2:] or any(c.isdigit() for c in body):
        return None
    parts = body.split("、")
    # A、B和C: the last item is joined by 和 / 及 / 与
    last = LAST_JOIN.split(parts[-1], maxsplit=1)
    parts[-1:] = last
    items, pos = [], start
    for part in parts:
        text = part.strip()
        if not text or len(text) > ITEM_MAX:
            return None
        at = norm.index(text, pos)
        items.append(Span(at, at + len(text), text))
        pos = at + len(text)
    return items


def anchors(norm: str) -> list[int]:
    """Where a unit stands right after a numeral (``ANCHOR``): every match of either pattern holds one."""
    return [m.start() for m in ANCHOR.finditer(norm)]


def windowed(rx: regex.Pattern, reach: tuple[int, int], norm: str, at: list[int] | None = None) -> list[regex.Match]:
    """``rx``'s matches in ``norm``, as its scan of the whole text finds them: it is run only in
    the windows around the units it can match at (``at``, the anchors; ``reach`` before and after
    each, merged where they touch, so that a match is found whole and the scan meets them in order
    as it would). A few times faster on a long report."""
    back, ahead = reach
    windows: list[list[int]] = []
    for u in anchors(norm) if at is None else at:
        lo, hi = max(0, u - back), min(len(norm), u + ahead)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return [m for lo, hi in windows for m in rx.finditer(norm, lo, hi)]


def before_matches(norm: str, at: list[int] | None = None) -> list[regex.Match]:
    return windowed(BEFORE, BEFORE_REACH, norm, at)


def after_matches(norm: str, at: list[int] | None = None) -> list[regex.Match]:
    return windowed(AFTER, AFTER_REACH, norm, at)


def find(doc: Document) -> list[CountClaim]:
    norm = doc.norm
    out: list[CountClaim] = []
    at = anchors(norm)  # once for both patterns
    for m in paced(before_matches(norm, at)):
        n = count_value(m.group("n"))
        items = _items_after(norm, m.end())
        if n is not None and items and len(items) >= 2:
            a, b = m.span("n")
            out.append(
                CountClaim(n, Span(a, b, doc.text[a:b]), m.group("noun"), tuple(items), m.start(), items[-1].end)
            )
    taken = [(c.start, c.end) for c in out]
    for m in after_matches(norm, at):
        if any(s <= m.start() < e for s, e in taken):
            continue
        n = count_value(m.group("n"))
        floor = doc.sentence_of(m.start()).start
        items = _items_before(norm, m.start(), floor)
        if n is not None and items and len(items) >= 2:
            a, b = m.span("n")
            out.append(CountClaim(n, Span(a, b, doc.text[a:b]), m.group("noun"), tuple(items), items[0].start, m.end()))
    out.sort(key=lambda c: c.start)
    return out


class CountFinder:
    """The ``counts`` kind behind the claims interface (service/claims/__init__.py)."""

    kind = "counts"

    def __init__(self, patterns) -> None:
        self.patterns = patterns

    def find(self, doc: Document, found) -> list:
        return find(doc)
