"""The analysed document: text, sentences, figures and metric names, with look-ups.

Everything later steps need to ask of the text ("the figures in this sentence", "the
words just before this figure") is answered here, so claims and linking stay small.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

import regex

from ..model import Mention, Quantity
from ..patterns import load_toml
from ..read.text import Line, Offsets, Sentence

YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
TITLE_YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?")
# 上年结转 / 上年结余 name a carry-over (a quantity of this year), not last year
PERIOD = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年|上年(?!度?结转|度?结余)|上一年|去年|本年|当年")
BRACKET_OPEN = regex.compile(r"[（(]")
BRACKET_CLOSE = regex.compile(r"[)）]")
COMPARED = regex.compile(r"(?:比|较|与|同)\s*$")
CLAUSE_SEP = "，,；;。！？!?：:\n"
SEPARATOR = regex.compile("[" + regex.escape(CLAUSE_SEP) + "]")
SEPARATOR_BEFORE = regex.compile("(?r)[" + regex.escape(CLAUSE_SEP) + "]")  # searched backwards
_PAGE = load_toml("page.toml")
FURNITURE = regex.compile(_PAGE["furniture"]["pattern"])
FURNITURE_MAX = _PAGE["furniture"]["max_length"]
CONTENTS = regex.compile(_PAGE["contents"]["opening"])
CONTENTS_ENTRY_MAX = _PAGE["contents"]["entry_max_length"]
PROSE = regex.compile(r"[，。；,;]")
TITLE = regex.compile(_PAGE["title"]["pattern"])
DATE_AFTER = regex.compile(_PAGE["title"]["date_pattern"])
OPENING = 400  # characters of the report's own opening lines in which its title is looked for


def _rising(ends: list[int]) -> list[int] | None:
    """``ends`` when it never falls, else None."""
    return ends if all(a <= b for a, b in itertools.pairwise(ends)) else None


@dataclass
class Document:
    """The reading view of a text: every offset here is an offset into ``text``.

    ``text`` is what the caller sent, less what reading left out (bracketed pinyin, line breaks
    inside sentences); ``offsets`` maps back to ``source``, and is None when nothing was left
    out (``text`` is then ``source``)."""

    text: str  # the view, in the characters the caller sent
    norm: str  # same length, folded (full-width forms, Traditional characters)
    lines: list[Line]
    sentences: list[Sentence]
    quantities: list[Quantity]
    mentions: list[Mention]
    source: str = ""  # exactly what the caller sent
    offsets: Offsets | None = None
    script: str = "simplified"  # simplified | traditional | mixed
    _q_starts: list[int] = field(default_factory=list, repr=False)
    _m_starts: list[int] = field(default_factory=list, repr=False)
    _s_starts: list[int] = field(default_factory=list, repr=False)
    _l_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._q_starts = [q.start for q in self.quantities]
        self._m_starts = [m.start for m in self.mentions]
        self._s_starts = [s.start for s in self.sentences]
        self._l_starts = [ln.start for ln in self.lines]
        # when the ends rise with the starts (no figure inside another: the usual case), the
        # items of a stretch that end inside it are a run found by bisection as well
        self._q_ends = _rising([q.end for q in self.quantities])
        self._m_ends = _rising([m.end for m in self.mentions])

    # -- look-ups -------------------------------------------------------------------
    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        i = bisect.bisect_left(self._q_starts, start)
        j = bisect.bisect_left(self._q_starts, end)
        if self._q_ends is not None:
            return self.quantities[i : bisect.bisect_right(self._q_ends, end, i, j) if i < j else j]
        return [q for q in self.quantities[i:j] if q.end <= end]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._m_starts, start)
        j = bisect.bisect_left(self._m_starts, end)
        if self._m_ends is not None:
            return self.mentions[i : bisect.bisect_right(self._m_ends, end, i, j) if i < j else j]
        return [m for m in self.mentions[i:j] if m.end <= end]

    def sentence_index(self, pos: int) -> int:
        i = bisect.bisect_right(self._s_starts, pos) - 1
        return i if i > 0 else 0

    def sentence_of(self, pos: int) -> Sentence:
        return self.sentences[self.sentence_index(pos)]

    def _separates(self, i: int) -> bool:
        """A clause separator, except a comma inside a number (1,068.45) or a time (10:30)."""
        c = self.norm[i]
        if c not in CLAUSE_SEP:
            return False
        if c in ",:" and 0 < i < len(self.norm) - 1:
            return not (self.norm[i - 1].isdigit() and self.norm[i + 1].isdigit())
        return True

    def clause_start(self, pos: int, floor: int = 0) -> int:
        """Where the clause holding ``pos`` begins (after the last ， ； ： 。 before it)."""
        if pos <= floor:
            return pos
        end = pos
        # the separators before ``pos``, nearest first (searched backwards: a call, not a loop)
        while (m := SEPARATOR_BEFORE.search(self.norm, floor, end)) is not None:
            if self._separates(m.start()):
                return m.start() + 1
            end = m.start()
        return floor

    def clause_end(self, pos: int, ceiling: int | None = None) -> int:
        ceiling = len(self.norm) if ceiling is None else ceiling
        if pos >= ceiling:
            return pos
        while (m := SEPARATOR.search(self.norm, pos, ceiling)) is not None:
            if self._separates(m.start()):
                return m.start()
            pos = m.start() + 1
        return ceiling

    def before(self, pos: int, n: int, floor: int = 0) -> str:
        return self.norm[pos - n if pos - n > floor else floor : pos]

    def bracketed(self, pos: int, end: int) -> bool:
        """``pos`` is inside brackets that close before ``end``: （其中：…）."""
        close = BRACKET_CLOSE.search(self.norm, pos, end)
        if close is None:
            return False
        return BRACKET_OPEN.search(self.norm, pos, close.start()) is None

    def line_number(self, pos: int) -> int:
        """1-based line of ``pos`` (a look-up, not a count: a long document asks it thousands of times)."""
        if not self.lines:
            return self.norm.count("\n", 0, pos) + 1
        return bisect.bisect_right(self._l_starts, pos)

    @cached_property
    def filled_lines(self) -> list[Line]:
        """The lines that hold more than white space (computed once; callers only read it)."""
        norm = self.norm
        return [ln for ln in self.lines if ln.end > ln.start and not norm[ln.start : ln.end].isspace()]

    # -- the report's own opening --------------------------------------------------------
    @cached_property
    def opening(self) -> list[Line]:
        """The report's first non-empty lines (about ``OPENING`` characters of them), with page
        furniture (breadcrumbs, 发布时间, 浏览次数, 字号 …) and a table of contents left out."""
        out: list[Line] = []
        size = 0
        contents = False
        for ln in self.lines:
            s = self.norm[ln.start : ln.end].strip()
            if not s or (len(s) <= FURNITURE_MAX and FURNITURE.search(s)):
                continue
            if CONTENTS.match(s):
                contents = True
                continue
            if contents:
                if len(s) <= CONTENTS_ENTRY_MAX and not PROSE.search(s):
                    continue
                contents = False
            out.append(ln)
            size += len(s) + 1
            if size >= OPENING:
                break
        return out

    # -- the report's own period ------------------------------------------------------
    @cached_property
    def report_year(self) -> int | None:
        """The year the report is about: its title's (``_title_year``), else the commonest in the opening, its first
        headings or the whole text. A year named as the base of a comparison (较2020年度决算数,
        与2020年相比) does not count while any other year is named: a 决算 that compares every
        item with last year names last year more often than its own. The opening is read past
        page furniture and a table of contents (``opening``)."""
        title = self._title_year()
        if title is not None:
            return title
        head = "\n".join(self.norm[ln.start : ln.end] for ln in self.opening)[:OPENING]

        def sources():  # looked at in turn, the next only when needed
            yield TITLE_YEAR, head
            yield TITLE_YEAR, "\n".join(self.norm[ln.start : ln.end] for ln in self.lines if ln.is_heading)
            yield YEAR, self.norm

        fallback: list[regex.Match] = []
        for pattern, text in sources():
            found = list(pattern.finditer(text))
            own = [m for m in found if not _compared(text, m.start())]
            if own:
                return _commonest(own)
            fallback = fallback or found
        return _commonest(fallback) if fallback else None

    def _title_year(self) -> int | None:
        """The first year the report's title names: the opening's lines before its first sentence
        (a title may wrap: 关于某区2021年财政⏎预算执行情况…), when they name a report."""
        block = []
        for ln in self.opening:
            s = self.norm[ln.start : ln.end]
            if PROSE.search(s):
                break
            block.append(s.strip())
        title = "".join(block)
        if not TITLE.search(title):
            return None
        for m in TITLE_YEAR.finditer(title):
            if not DATE_AFTER.match(title, m.end()) and not _compared(title, m.start()):
                return int(m.group(1))
        return None

    def period_at(self, pos: int, floor: int) -> str:
        """The period a figure or name at ``pos`` speaks of: '' (the report's year), 'prior' or a year."""
        window = self.norm[floor:pos]
        last = None
        for m in PERIOD.finditer(window):
            # 比上年决算数增加…；公务用车…支出27.46万元: the year a comparison names is not the
            # period of what is stated in a later clause; in its own clause (较2014年度“三公”经费合计
            # 16.08万元增加…) it is the period of the figure compared with
            compared = COMPARED.search(window, max(0, m.start() - 3), m.start())
            if not compared or self.clause_start(pos, floor + m.end()) <= floor + m.end():
                last = m
        if last is None:
            return ""
        if last.group(1) is None:
            return "prior" if last.group(0) in ("上年", "上一年", "去年") else ""
        year = int(last.group(1))
        if self.report_year is None or year == self.report_year:
            return ""
        if year == self.report_year - 1:
            return "prior"
        return str(year)


def _compared(text: str, pos: int) -> bool:
    """The year at ``pos`` is the base of a comparison: 较2020年度, 比 2020 年, 与2020年相比."""
    return COMPARED.search(text, max(0, pos - 3), pos) is not None


def _commonest(years: list[regex.Match]) -> int:
    return Counter(int(m.group(1)) for m in years).most_common(1)[0][0]
