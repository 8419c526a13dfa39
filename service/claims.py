"""What sentences assert: a metric's value, a total and its parts, a share, a change,
a completion rate. Each finder reads the analysed document and returns plain claims;
which figure a claim is checked against is decided in ``linking``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

import regex

from .document import Document
from .model import Mention, Quantity, Statement
from .patterns import Patterns, words_regex
from .scope import scope_of

AMOUNT_KINDS = ("money", "count", "bare")
# between a metric's name and its figure: 支出决算为 / 财政拨款支出 / ：
FILLER_MAX = 14
FILLER_BAD = regex.compile(r"[，,。；;、\d]|增|减|比|较|占|下降|提高|降低|上升|同比|环比|其中|年")
CLOSE_BRACKET = regex.compile(r"[)）]")
SHARE_WORD = regex.compile(r"占|%|％")
LIST_NUMBER = regex.compile(r"\s*\d+[.、．]")
TOTAL_WORD = regex.compile(r"(?:共计|合计|总计|共)\s*$")
CHANGE_WORD = regex.compile(r"(?<!占)比|较|同比|增加|减少|增长|下降")
SHARE_OF = regex.compile(r"占(?:比|比重)?(?:为)?\s*(?:(?P<whole>[^，,。；;\d%]{1,20})的)?\s*$")
STOP = regex.compile(r"[。；;]")
# between the names of a distributive statement, and between its figures
DISTRIBUTIVE_JOIN = regex.compile(r"\s*(?:、|和|与|及|,|，)\s*")
DISTRIBUTIVE_GAP = regex.compile(r"\s*(?:、|和|与|及|,|，|：|:)?\s*")
BARE_RATE_END = frozenset("，,。；;）)")
NUMBERED = regex.compile(r"\s*(\d{1,3})\s*[、.．](?!\d)")
SEP_RANK = {"、": 1, "，": 2, ",": 2, "；": 3, ";": 3}
ITEM_SEP = regex.compile(r"[，；;。、\n]|,(?!\d{3})")


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
    """``<part>，占X%``: the part's share of a whole found by linking."""

    share: Quantity
    part: Quantity
    whole_name: str  # 占<whole>的X%: the whole named between 占 and the figure
    start: int
    end: int


@dataclass(frozen=True)
class ChangeClaim:
    """``比上年增加X万元，增长Y%`` (or only one of the two), with the prior figure if written."""

    delta: Quantity | None
    rate: Quantity | None
    delta_sign: int  # +1 增加, -1 减少, 0 none
    rate_sign: int
    prior: Quantity | None  # 比2018（70.14）年: the prior value written in the text
    mention: Mention | None  # the metric named in the change's own clause
    start: int
    end: int
    against: str = "prior"  # what it is a change from: last year ("prior") or the budget ("budget")


@dataclass(frozen=True)
class CompletionClaim:
    """``完成预算X%`` / ``完成目标任务的X%`` / ``执行率X%``."""

    rate: Quantity
    start: int
    end: int
    base: str = ""  # the budget the rate names (完成年初预算的X%: 年初预算), when it names one


class ClaimFinder:
    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        self.direction = regex.compile(
            f"(?:(?P<up>{words_regex(w['change']['up'])})|(?P<down>{words_regex(w['change']['down'])}))了?\\s*$"
        )
        self.breakdown_open = regex.compile(words_regex(w["breakdown"]["open"]))
        self.against_budget = regex.compile(words_regex(w["change"]["against_budget"]) + r"[^，,。；;]{0,12}$")
        self.alternative = regex.compile(
            r"[（(]\s*(?:" + words_regex(w["change"]["up"] + w["change"]["down"]) + r")\s*[)）]\s*$"
        )
        self.rate_word = regex.compile(f"(?:{words_regex(w['change']['rate'])})\\s*$")
        self.nest = regex.compile(words_regex(w["breakdown"]["nest"]))
        self.reason = regex.compile(words_regex(w["breakdown"]["reason"]))
        # a clause with one of these words is past the parts: the list ended before it
        self.topic_shift = regex.compile(
            words_regex(w["breakdown"]["past_parts"]) + "|" + w["breakdown"]["past_parts_pattern"]
        )
        self.completion = regex.compile(w["completion"]["rate_pattern"])
        self.target_words = regex.compile(words_regex(w["completion"]["target"]))
        self.completion_bases = regex.compile(words_regex(w["completion"]["bases"]))
        self.actual_words = regex.compile(words_regex(w["completion"]["actual"]))
        self.budget = regex.compile(words_regex(w["measure"]["budget"]))
        # a clause naming only a measure: 支出决算为 / 决算数为 / 预算为 / 执行数
        self.distributive_lead = regex.compile(words_regex(w["distributive"]["lead"]))
        self.distributive_names = dict(w["distributive"]["names"])
        self.measure_clause = regex.compile(
            r"\s*(?:" + words_regex(w["measure"]["clause"]) + r")\s*(?:为|是|达到?|:|：)?\s*"
        )
        self.prior = regex.compile(
            r"(?:比|较|与)\s*(?:(?P<year>(?:19|20)\d{2})\s*"
            r"(?:[（(]\s*(?P<value>\d+(?:\.\d+)?)\s*[)）])?\s*年度?|上年度?|去年|上一年)"
        )

    # -- statements ------------------------------------------------------------------
    def statements(self, doc: Document) -> list[Statement]:
        """Every ``<metric name> … <amount>`` pair with nothing but filler between, and every
        amount whose clause only names a measure of the metric stated just before it
        (``“三公”经费支出预算为3万元，支出决算为1.71万元``: 1.71 is the 三公's actual)."""
        out: list[Statement] = []
        mentions = doc.mentions
        starts = [m.end for m in mentions]
        last: Statement | None = None
        distributed = self._distributed(doc)
        for q in doc.quantities:
            if q.kind not in ("money", "bare"):
                continue
            if id(q) in distributed:
                last = distributed[id(q)]
                out.append(last)
                continue
            i = bisect.bisect_right(starts, q.start) - 1
            if i < 0:
                continue
            m = mentions[i]
            filler = doc.norm[m.end : q.start]
            # 支出总计,867.48万元: one comma alone between a name and its figure still states it
            if filler.strip() not in ("，", ",") and (len(filler) > FILLER_MAX or FILLER_BAD.search(filler)):
                s = self._continued(doc, last, q)
                if s is not None:
                    out.append(s)
                continue
            sentence = doc.sentence_of(m.start)
            period = doc.period_at(m.start, sentence.start)
            last = Statement(m, q, period, self._measure(filler), scope_of(doc, m))
            out.append(last)
        return out

    def _distributed(self, doc: Document) -> dict[int, Statement]:
        """``基本支出、项目支出分别为120.00万元、80.00万元`` / ``收、支总计各是356.1,360.4万元``: the
        names before 分别为 and the figures after it pair off in order, when their counts agree."""
        out: dict[int, Statement] = {}
        for lead in self.distributive_lead.finditer(doc.norm):
            names = self._names_before(doc, lead.start())
            figures = self._figures_after(doc, lead.end(), len(names))
            if len(names) < 2 or len(figures) != len(names):
                continue
            sentence = doc.sentence_of(lead.start())
            filler = doc.norm[names[-1].end : lead.start()]
            for name, q in zip(names, figures, strict=True):
                period = doc.period_at(name.start, sentence.start)
                out[id(q)] = Statement(name, q, period, self._measure(filler), scope_of(doc, name))
        return out

    def _names_before(self, doc: Document, pos: int) -> list[Mention]:
        """The metric names joined by 、/和/及 that end right before ``pos`` (a few filler
        characters allowed: 决算数, 支出), first to last; one name written for several
        (收、支总计) stands for each of them."""
        found: list[Mention] = []
        mentions = [m for m in doc.mentions_in(max(0, pos - 80), pos)]
        end = pos
        for m in reversed(mentions):
            gap = doc.norm[m.end : end]
            limit = 6 if not found else 2
            joined = DISTRIBUTIVE_JOIN.fullmatch(gap) if found else not FILLER_BAD.search(gap)
            if len(gap) > limit or not joined:
                break
            found.insert(0, m)
            end = m.start
        if len(found) == 1 and found[0].text in self.distributive_names:
            m = found[0]
            return [Mention(m.start, m.end, m.text, metric) for metric in self.distributive_names[m.text]]
        return found

    def _figures_after(self, doc: Document, pos: int, n: int) -> list[Quantity]:
        figures: list[Quantity] = []
        for q in doc.quantities_in(pos, min(len(doc.norm), pos + 30 * max(n, 1))):
            gap = doc.norm[figures[-1].end if figures else pos : q.start]
            if q.kind not in ("money", "bare") or not DISTRIBUTIVE_GAP.fullmatch(gap):
                break
            figures.append(q)
            if len(figures) == n:
                break
        return figures

    def _measure(self, filler: str) -> str:
        return "budget" if self.budget.search(filler) and "决算" not in filler else "actual"

    def _continued(self, doc: Document, last: Statement | None, q: Quantity) -> Statement | None:
        """``…预算为3万元，支出决算为1.71万元``: a clause that names only a measure (预算 / 决算 /
        执行数) continues the statement before it in the same sentence, with its own measure."""
        if last is None or doc.sentence_index(last.quantity.start) != doc.sentence_index(q.start):
            return None
        start = doc.clause_start(q.start, last.quantity.end)
        if start <= last.quantity.end or doc.quantities_in(last.quantity.end, start) != []:
            return None
        if self.measure_clause.fullmatch(doc.norm, start, q.start) is None:
            return None
        return Statement(last.mention, q, last.period, self._measure(doc.norm[start : q.start]), last.scope)

    def inherit_measures(self, statements: list[Statement], breakdowns: list[Breakdown]) -> list[Statement]:
        """The parts of a budget total are budget figures: ``“三公”经费预算为168.53万元，其中：
        因公出国（境）费39万元…`` states the 出国 budget, not its actual."""
        budget_parts = set()
        by_quantity = {id(s.quantity): s for s in statements}
        for b in breakdowns:
            head = by_quantity.get(id(b.total))
            if head is not None and head.measure == "budget":
                budget_parts.update(id(p.quantity) for p in b.parts)
        if not budget_parts:
            return statements
        return [replace(s, measure="budget") if id(s.quantity) in budget_parts else s for s in statements]

    # -- totals and parts ----------------------------------------------------------------
    def breakdowns(self, doc: Document) -> list[Breakdown]:
        out = []
        for m in self.breakdown_open.finditer(doc.norm):
            b = self._breakdown_at(doc, m.start(), m.end())
            if b is not None:
                out.append(b)
        out.extend(self._counted_lists(doc))
        return out

    def _counted_lists(self, doc: Document) -> list[Breakdown]:
        """``向55家企业分配资金450万元`` followed by numbered items (1、… 2、…) across one or
        more lists: when exactly 55 items are listed, their amounts are the parts of 450."""
        out = []
        for i, q in enumerate(doc.quantities):
            if q.kind != "count" or not q.exact or q.value < 2 or q.value != int(q.value) or q.scale != 1:
                continue
            nxt = doc.quantities[i + 1] if i + 1 < len(doc.quantities) else None
            if nxt is None or nxt.kind != "money" or not nxt.exact:
                continue
            if doc.clause_end(q.end) < nxt.start or nxt.start - q.end > 24:
                continue
            items = self._numbered_items(doc, doc.line_number(nxt.end))
            if len(items) != int(q.value):
                continue
            parts = []
            for line in items:
                money = [x for x in doc.quantities_in(line.start, line.end) if x.kind == "money"]
                if not money:
                    break
                label = doc.norm[line.start : money[0].start].strip()
                parts.append(Part(money[0], label))
            else:
                out.append(Breakdown(nxt, tuple(parts), nxt.start, items[-1].end, True, counted=True, on_lines=True))
        return out

    def _numbered_items(self, doc: Document, after_line: int, search: int = 6) -> list:
        """The numbered lines (1、… n、) of the lists that start within ``search`` lines."""
        lines = doc.lines
        start = None
        for ln in lines[after_line : after_line + search]:
            if (
                NUMBERED.match(doc.norm, ln.start, ln.end)
                and NUMBERED.match(doc.norm, ln.start, ln.end).group(1) == "1"
            ):
                start = ln.number - 1
                break
        if start is None:
            return []
        items = []
        expected = 1
        for ln in lines[start:]:
            body = doc.norm[ln.start : ln.end].strip()
            if not body:
                continue
            m = NUMBERED.match(doc.norm, ln.start, ln.end)
            if m and int(m.group(1)) == expected:
                items.append(ln)
                expected += 1
            elif m and m.group(1) == "1" and items:
                items.append(ln)  # a second list (another district) starts over at 1
                expected = 2
            elif body.endswith(("：", ":")) and len(body) <= 40 and not doc.quantities_in(ln.start, ln.end):
                continue  # a caption between lists: 赫山区项目资金实际使用情况：
            else:
                break
        return items

    def _breakdown_at(self, doc: Document, mstart: int, mend: int) -> Breakdown | None:
        sentence = doc.sentence_of(mstart)
        before = [q for q in doc.quantities_in(sentence.start, mstart) if q.kind in AMOUNT_KINDS]
        if before and mstart - before[-1].end <= 16 and "。" not in doc.norm[before[-1].end : mstart]:
            total = before[-1]
            if self._sign(doc, total):
                return None  # 增加165.30万元，其中…: the parts of a change, not of a total
        elif doc.norm[sentence.start : mstart].strip(" \t\r") == "":
            # 其中 opens a sentence: the total is the last amount of the one before it that
            # is not a change (本年收入合计2180.00万元，较上年增加165.30万元…。其中：…)
            si = doc.sentence_index(mstart)
            if si == 0:
                return None
            prev = doc.sentences[si - 1]
            # amounts after 原因是 / 主要是 explain the figure; they are not the total
            reason = self.reason.search(doc.norm, prev.start, prev.end)
            prior = [
                q
                for q in doc.quantities_in(prev.start, reason.start() if reason else prev.end)
                if q.kind in AMOUNT_KINDS and not self._sign(doc, q)
            ]
            if not prior:
                return None
            total = prior[-1]
        else:
            return None
        if not doc.norm[mend : sentence.end].strip(" ：:\t\r\n。"):
            # 其中： ends its sentence: the parts open the lines that follow
            parts, end, closed = self._parts_on_lines(doc, sentence, total)
            ends: tuple[int, ...] = ()
            on_lines = True
        else:
            parts, end, closed, ends = self._parts_in_sentence(doc, mstart, mend, sentence, total)
            on_lines = False
        if not parts:
            return None
        pinned = None
        if total.bound in ("min", "max", "about"):
            pinned = self._pin(doc, total)
        return Breakdown(total, tuple(parts), total.start, end, closed, pinned, ends=ends, on_lines=on_lines)

    def _compatible(self, total: Quantity, q: Quantity) -> bool:
        """A part of a money total (or of a bare one, as in 决算数为1504.31) is money; a part of
        a count is the same count (人次 with 人次)."""
        if total.kind in ("money", "bare"):
            return q.kind == "money"
        return q.kind == total.kind and q.unit == total.unit

    def _parts_in_sentence(self, doc, mstart, mend, sentence, total):
        # a list opened inside brackets ends at the closing bracket
        opener = doc.norm[max(sentence.start, mstart - 2) : mstart]
        end = sentence.end
        if "（" in opener or "(" in opener:
            close = CLOSE_BRACKET.search(doc.norm, mend, sentence.end)
            if close:
                end = close.start()
        parts: list[Part] = []
        closed = True
        gaps: list[int] = []  # the strongest separator between each part and the one before
        strongest = 0
        # 在职人员48人，包括行政人员22人，事业人员26人；退休人员15人: the items after 包括 detail
        # the part before them, until a stronger separator or until they add up to it
        nest: tuple[Quantity, int] | None = None  # (the part detailed, the separator before 包括)
        nested = (0.0, 0.0)
        sep_rank = 0
        pos = mend
        while pos < end:
            sep = ITEM_SEP.search(doc.norm, pos, end)
            cend = sep.start() if sep else end
            clause = doc.norm[pos:cend]
            figures = [q for q in doc.quantities_in(pos, cend) if q.kind != "percent"]
            same = [q for q in figures if self._compatible(total, q)]
            if nest is not None and sep_rank > nest[1]:
                nest = None
            if nest is None and parts and self.nest.match(clause.lstrip(" ：:")):
                nest, nested = (parts[-1].quantity, sep_rank), (0.0, 0.0)
            if nest is not None:
                for q in same:
                    nested = (nested[0] + q.interval[0], nested[1] + q.interval[1])
                if same and nested[0] <= nest[0].interval[1] and nest[0].interval[0] <= nested[1]:
                    nest = None  # the detail adds up to its part: the list goes on after it
                strongest = max(strongest, SEP_RANK.get(doc.norm[cend], 4) if cend < end else 4)
                sep_rank = SEP_RANK.get(doc.norm[cend], 4) if cend < end else 4
                pos = cend + 1
                continue
            if self.topic_shift.search(clause) or self._is_change(doc, pos, cend):
                closed = False
                break
            if len(same) == 1:
                q = same[0]
                label = doc.norm[pos : q.start].strip(" ：:、，,")
                if not label:
                    closed = False
                parts.append(Part(q, label))
                gaps.append(strongest)
                strongest = 0
            elif len(same) > 1:
                closed = False
                parts.extend(Part(q, "") for q in same)
            elif clause.strip() and not SHARE_WORD.search(clause) and figures:
                closed = False
            strongest = max(strongest, SEP_RANK.get(doc.norm[cend], 4) if cend < end else 4)
            sep_rank = SEP_RANK.get(doc.norm[cend], 4) if cend < end else 4
            pos = cend + 1
        if nest is not None:
            closed = False  # the detail never added up to its part: where the list ends is unclear
        if any(not p.quantity.exact for p in parts):
            closed = False
        # 行政人员18人、事业人员2,128人；离退休人员854人: a run of parts joined by a weaker
        # separator than the one after it may be the whole list
        ends = tuple(k for k in range(2, len(parts)) if len(gaps) == len(parts) and max(gaps[1:k]) < gaps[k])
        return parts, end, closed, ends

    def _parts_on_lines(self, doc, sentence, total):
        """其中： at the end of a line: each following line opens with a part."""
        parts: list[Part] = []
        line_index = doc.line_number(sentence.start)  # 1-based; lines[] is 0-based
        end = sentence.end
        for line in doc.lines[line_index:]:
            body = doc.norm[line.start : line.end]
            if not body.strip():
                if parts:
                    break
                continue
            if line.is_heading and not LIST_NUMBER.match(body):
                break
            head = doc.quantities_in(line.start, min(line.end, line.start + 40))
            head = [q for q in head if self._compatible(total, q)]
            if not head:
                break
            q = head[0]
            label = doc.norm[line.start : q.start].strip()
            named = doc.mentions_in(line.start, q.start) or (NUMBERED.match(doc.norm, line.start) and label)
            if not named or self._is_change(doc, line.start, q.end):
                break
            parts.append(Part(q, label))
            end = line.end
        return parts, end, bool(parts)

    def _pin(self, doc: Document, total: Quantity) -> Quantity | None:
        """A bound total (不低于6000人次) restated exactly nearby (共计6000人次) is exact."""
        sentence = doc.sentence_of(total.start)
        lo = doc.lines[doc.line_number(sentence.start) - 1].start
        hi = doc.lines[min(len(doc.lines) - 1, doc.line_number(sentence.start))].end
        for q in doc.quantities_in(lo, hi):
            if (
                q is not total
                and q.exact
                and q.kind == total.kind
                and q.unit == total.unit
                and q.base == total.base
                and TOTAL_WORD.search(doc.before(q.start, 4))
            ):
                return q
        return None

    def _is_change(self, doc: Document, start: int, end: int) -> bool:
        return bool(CHANGE_WORD.search(doc.norm, start, end))

    # -- shares ----------------------------------------------------------------------------
    def shares(self, doc: Document) -> list[ShareClaim]:
        out = []
        for q in doc.quantities:
            if q.kind != "percent" or q.bound == "range":
                continue
            sentence = doc.sentence_of(q.start)
            window = doc.norm[max(sentence.start, q.start - 24) : q.start]
            m = SHARE_OF.search(window)
            if not m:
                continue
            at = q.start - len(window) + m.start()
            figures = [f for f in doc.quantities_in(sentence.start, at) if f.kind in ("money", "count")]
            if not figures:
                continue
            part = figures[-1]
            if at - part.end > 14 or doc.quantities_in(part.end, at):
                continue
            out.append(ShareClaim(q, part, (m.group("whole") or "").strip(), part.start, q.end))
        return out

    # -- changes ----------------------------------------------------------------------------
    def changes(self, doc: Document) -> list[ChangeClaim]:
        out = []
        used: set[int] = set()
        qs = doc.quantities
        for i, q in enumerate(qs):
            if i in used or (q.kind == "bare" and not self._bare_rate(doc, q)):
                continue
            sign = self._sign(doc, q)
            if sign == 0:
                continue
            delta = rate = None
            delta_sign = rate_sign = 0
            if q.kind in ("percent", "bare"):
                rate, rate_sign = q, sign
            else:
                delta, delta_sign = q, sign
                # a rate right after the amount: 增加784.88万元，增长52.17%
                if i + 1 < len(qs):
                    nxt = qs[i + 1]
                    gap = doc.norm[q.end : nxt.start]
                    if (nxt.kind == "percent" or self._bare_rate(doc, nxt)) and len(gap) <= 8 and not STOP.search(gap):
                        s2 = self._sign(doc, nxt)
                        if s2:
                            rate, rate_sign = nxt, s2
                            used.add(i + 1)
            sentence = doc.sentence_of(q.start)
            prior = self._prior_value(doc, sentence.start, q.start, delta)
            # a name inside brackets before the change (…2712万元（其中：公务用车运行维护费2712万元），
            # 比预算数减少107万元) is a sub-item's, not the changed figure's
            mentions = [m for m in doc.mentions_in(sentence.start, q.start) if not doc.bracketed(m.start, q.start)]
            mention = mentions[-1] if mentions else None
            first = delta or rate
            last = rate or delta
            against = "budget" if self.against_budget.search(doc.norm, sentence.start, first.start) else "prior"
            out.append(ChangeClaim(delta, rate, delta_sign, rate_sign, prior, mention, first.start, last.end, against))
        return out

    def _bare_rate(self, doc: Document, q: Quantity) -> bool:
        """增长 13.95。: a bare figure right after a rate word, ending its clause, is a rate without
        its % (a figure cut off where a page excerpt ends, …下降7, is not read)."""
        return (
            q.kind == "bare"
            and doc.norm[q.end : q.end + 1] in BARE_RATE_END
            and self.rate_word.search(doc.before(q.start, 6)) is not None
        )

    def _sign(self, doc: Document, q: Quantity) -> int:
        before = doc.before(q.start, 10)
        # 增加（减少）0万元: a template's alternative left in; the direction is the first word's
        before = self.alternative.sub("", before)
        m = self.direction.search(before[-4:])
        if m is None:
            return 0
        return 1 if m.lastgroup == "up" else -1

    def _prior_value(self, doc, floor, pos, delta) -> Quantity | None:
        """比2018（70.14）年: the prior figure in brackets, as a quantity with the delta's unit."""
        found = list(self.prior.finditer(doc.norm, floor, pos))
        m = found[-1] if found else None
        if m is None or m.group("value") is None or delta is None:
            return None
        a, b = m.span("value")
        text = doc.norm[a:b]
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        return Quantity(
            a,
            b,
            doc.text[a:b],
            float(text),
            delta.unit,
            delta.kind,
            decimals,
            delta.scale,
            None,
            a,
            b,
        )

    # -- completion ---------------------------------------------------------------------------
    def completions(self, doc: Document) -> list[CompletionClaim]:
        out = []
        for q in doc.quantities:
            if q.kind not in ("percent", "bare"):
                continue
            m = self.completion.search(doc.before(q.start, 16))
            if m:
                base = self.completion_bases.search(m.group())
                out.append(CompletionClaim(q, q.start, q.end, base.group() if base else ""))
        return out
