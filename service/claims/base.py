"""What several kinds of claim share: the claims' shapes, the interface every finder follows,
and the reader of a figure's direction (增加 / 减少 before it).

A finder has a ``kind`` (the key its claims are found under) and ``find(doc, found)``:
``found`` holds what the kinds listed before it in ``service/claims/__init__.py`` found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import cn2an
import regex

from ..model import Mention, Quantity
from ..patterns import Patterns, words_regex
from ..tag.document import Document

AMOUNT_KINDS = ("money", "count", "bare")

Found = Mapping[str, Any]  # kind -> what its finder returned


class Finder(Protocol):
    kind: str

    def find(self, doc: Document, found: Found) -> Any: ...


@dataclass(frozen=True)
class Part:
    quantity: Quantity
    label: str  # the words before the figure in its clause


@dataclass(frozen=True)
class Breakdown:
    """``<total>，其中：A a；B b…`` or a total whose parts follow on the next lines."""

    total: Quantity
    parts: tuple[Part, ...]
    start: int
    end: int
    closed: bool  # the list is delimited and every item is a labelled figure of its own
    pinned: Quantity | None = None  # an exact restatement of a total written as a bound
    counted: bool = False  # the text gives the number of parts and exactly that many are listed
    ends: tuple[int, ...] = ()  # part counts at which the list may end (a stronger separator follows)
    on_lines: bool = False  # the parts open the lines after 其中： (each line one part, delimited)


@dataclass(frozen=True)
class ShareClaim:
    """``<part>，占X%`` (or ``<part's name>占X%``, the part's figure stated earlier): the part's
    share of a whole found by linking."""

    share: Quantity
    part: Quantity
    whole_name: str  # 占<whole>的X%: the whole named between 占 and the figure
    start: int
    end: int
    part_name: Mention | None = None  # 项目支出占部门支出的40%: the part named, its figure stated before


@dataclass(frozen=True)
class ChangeClaim:
    """``比上年增加X万元，增长Y%`` or ``同比增长Y%，增收X万元`` (or only one of the two), with the
    prior figure if written."""

    delta: Quantity | None
    rate: Quantity | None
    delta_sign: int  # +1 增加, -1 减少, 0 none
    rate_sign: int
    prior: Quantity | None  # 比2018（70.14）年: the prior value written in the text
    mention: Mention | None  # the metric named in the change's own clause
    start: int
    end: int
    against: str = "prior"  # what it is a change from: last year ("prior") or the budget ("budget")

    @property
    def first(self) -> Quantity:
        """The change's first figure as written: the amount, or the rate when it comes first."""
        written = [q for q in (self.delta, self.rate) if q is not None]
        return min(written, key=lambda q: q.start)


@dataclass(frozen=True)
class CompletionClaim:
    """``完成预算X%`` / ``完成目标任务的X%`` / ``执行率X%`` / ``支付率X%``."""

    rate: Quantity
    start: int
    end: int
    base: str = ""  # the budget the rate names (完成年初预算的X%: 年初预算), when it names one
    target: Quantity | None = None  # the target written in the phrase (完成预算27万元的63.2%)
    word: str = ""  # the rate's own word when it has one (支付率, 执行率, 到位率, 拨付率)


def count_value(text: str) -> int | None:
    """A count as written, in digits or Chinese numerals (3, 三, 两, 十二); None if it is neither."""
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


class SignReader:
    """The direction written just before a figure: +1 for 增加, -1 for 减少, 0 for none."""

    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        self.direction = regex.compile(
            f"(?:(?P<up>{words_regex(w['change']['up'])})|(?P<down>{words_regex(w['change']['down'])}))了?\\s*$"
        )
        self.alternative = regex.compile(
            r"[（(]\s*(?:" + words_regex(w["change"]["up"] + w["change"]["down"]) + r")\s*[)）]\s*$"
        )
        # the last characters of those words: a figure after none of them has no direction
        self.word_ends = frozenset(word[-1] for word in w["change"]["up"] + w["change"]["down"])

    def sign(self, doc: Document, q: Quantity) -> int:
        before = doc.before(q.start, 10)
        # 增加（减少）0万元: a template's alternative left in; the direction is the first word's
        # (it ends in a closing bracket and white space: without one there is nothing to take out)
        if before.rstrip()[-1:] in ("）", ")"):
            before = self.alternative.sub("", before)
        tail = before[-4:].rstrip()  # (str.rstrip takes all the white space \s does, and more)
        if tail.endswith("了"):
            tail = tail[:-1]
        if tail[-1:] not in self.word_ends:
            return 0  # the cheap test first: the pattern needs a direction word at the end
        m = self.direction.search(before[-4:])
        if m is None:
            return 0
        return 1 if m.lastgroup == "up" else -1
