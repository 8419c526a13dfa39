"""Totals and their parts: ``<total>，其中：A a；B b…``, a 其中： whose parts open the lines after
it, and ``向55家企业分配资金450万元`` followed by exactly 55 numbered items."""

from __future__ import annotations

from dataclasses import replace

import regex

from ..budget import paced
from ..model import Quantity
from ..patterns import Patterns, words_regex
from ..tag.document import Document
from .base import AMOUNT_KINDS, Breakdown, Found, Part, SignReader, count_value


class BreakdownFinder:
    kind = "breakdowns"

    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        self.signs = SignReader(patterns)
        own = patterns.claims["breakdowns"]  # patterns/claims.toml
        self.close_bracket = own["close_bracket_pattern"]
        self.share_word = own["share_word_pattern"]
        self.list_number = own["list_number_pattern"]
        self.total_word = own["total_word_pattern"]
        self.change_word = own["change_word_pattern"]
        self.count_lead = own["count_lead_pattern"]
        self.numbered = own["numbered_pattern"]
        self.enumerator = own["enumerator_pattern"]
        self.sep_rank = own["separator_rank"]
        self.item_sep = own["item_sep_pattern"]
        self.breakdown_open = regex.compile(words_regex(w["breakdown"]["open"]))
        self.nest = regex.compile(words_regex(w["breakdown"]["nest"]))
        self.reason = regex.compile(words_regex(w["breakdown"]["reason"]))
        self.level = regex.compile(w["breakdown"]["level_pattern"])
        self.completion_target = regex.compile(words_regex(w["breakdown"]["not_total_after"]))
        # a clause with one of these words is past the parts: the list ended before it
        self.topic_shift = regex.compile(
            words_regex(w["breakdown"]["past_parts"]) + "|" + w["breakdown"]["past_parts_pattern"]
        )

    def find(self, doc: Document, found: Found) -> list[Breakdown]:
        out = []
        for m in paced(self.breakdown_open.finditer(doc.norm)):
            b = self._breakdown_at(doc, m.start(), m.end())
            if b is not None:
                out.append(self._counted_by_lead(doc, b))
        out.extend(self._counted_lists(doc))
        return out

    def _counted_by_lead(self, doc: Document, b: Breakdown) -> Breakdown:
        """``项目支出200万元，主要用于三个方面：一是…；二是…；三是…``: the lead counts the parts, and
        a closed list of exactly that many is the whole of the total."""
        if not b.closed or b.counted or not b.parts:
            return b
        lead = doc.norm[b.total.end : b.parts[0].quantity.start]
        counts = [count_value(m.group("n")) for m in self.count_lead.finditer(lead)]
        if len(counts) == 1 and counts[0] == len(b.parts):
            return replace(b, counted=True)
        return b

    def _counted_lists(self, doc: Document) -> list[Breakdown]:
        """``向55家企业分配资金450万元`` followed by numbered items (1、… 2、…) across one or
        more lists: when exactly 55 items are listed, their amounts are the parts of 450."""
        out = []
        for i, q in enumerate(paced(doc.quantities)):
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
                self.numbered.match(doc.norm, ln.start, ln.end)
                and self.numbered.match(doc.norm, ln.start, ln.end).group(1) == "1"
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
            m = self.numbered.match(doc.norm, ln.start, ln.end)
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
            if self.signs.sign(doc, total):
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
                if q.kind in AMOUNT_KINDS
                and not self.signs.sign(doc, q)
                # 决算为17.06万元，完成预算27万元的63.2%。其中：… the budget a rate is of is not the total
                and not self.completion_target.search(doc.norm[doc.clause_start(q.start, prev.start) : q.start])
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
        if len(parts) > 1 and all(self.level.match(p.label) for p in parts):
            return None  # 一级指标4个、二级指标10个、三级指标21个: levels of one hierarchy, not parts of a sum
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
            close = self.close_bracket.search(doc.norm, mend, sentence.end)
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
            sep = self.item_sep.search(doc.norm, pos, end)
            cend = sep.start() if sep else end
            clause = doc.norm[pos:cend]
            figures = [q for q in doc.quantities_in(pos, cend) if q.kind != "percent"]
            same = [q for q in figures if self._compatible(total, q)]
            if same and self.completion_target.match(clause.lstrip()):
                same = []  # 完成预算10万元的78.0%: a part's budget, said beside its actual, is no part
            if nest is not None and sep_rank > nest[1]:
                nest = None
            if nest is None and parts and self.nest.match(clause.lstrip(" ：:")):
                nest, nested = (parts[-1].quantity, sep_rank), (0.0, 0.0)
            if nest is not None:
                for q in same:
                    nested = (nested[0] + q.interval[0], nested[1] + q.interval[1])
                if same and nested[0] <= nest[0].interval[1] and nest[0].interval[0] <= nested[1]:
                    nest = None  # the detail adds up to its part: the list goes on after it
                strongest = max(strongest, self.sep_rank.get(doc.norm[cend], 4) if cend < end else 4)
                sep_rank = self.sep_rank.get(doc.norm[cend], 4) if cend < end else 4
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
            elif clause.strip() and not self.share_word.search(clause) and figures:
                closed = False
            strongest = max(strongest, self.sep_rank.get(doc.norm[cend], 4) if cend < end else 4)
            sep_rank = self.sep_rank.get(doc.norm[cend], 4) if cend < end else 4
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
        own = self._numbering(doc, doc.lines[doc.line_number(total.start) - 1])
        for line in doc.lines[line_index:]:
            body = doc.norm[line.start : line.end]
            if not body.strip():
                if parts:
                    break
                continue
            if line.is_heading and not self.list_number.match(body):
                break
            if own is not None and self._numbering(doc, line) == own:
                break  # 1. 基本支出…其中：⏎…⏎2. 项目支出…: the total's sibling, not a part of it
            head = doc.quantities_in(line.start, min(line.end, line.start + 40))
            head = [q for q in head if self._compatible(total, q)]
            if not head:
                break
            q = head[0]
            label = doc.norm[line.start : q.start].strip()
            named = doc.mentions_in(line.start, q.start) or (
                self.numbered.match(doc.norm, line.start, line.end) and label
            )
            if not named or self._is_change(doc, line.start, q.end):
                break
            parts.append(Part(q, label))
            end = line.end
        return parts, end, bool(parts)

    def _numbering(self, doc: Document, line) -> str | None:
        """How ``line`` is numbered (``N.``, ``（N）``, ``N、`` …: its enumerator with the number
        left out), or None when it opens with no enumerator."""
        m = self.enumerator.match(doc.norm, line.start, line.end)
        if m is None:
            return None
        return regex.sub(r"\s|\d|[一二三四五六七八九十]", "", m.group()).replace("．", ".")

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
                and self.total_word.search(doc.before(q.start, 4))
            ):
                return q
        return None

    def _is_change(self, doc: Document, start: int, end: int) -> bool:
        return bool(self.change_word.search(doc.norm, start, end))
