"""What a metric's figure is stated as: ``<metric name> … <amount>`` with nothing but filler
between, a clause naming only a measure (支出决算为) continuing the statement before it, and
the names and figures of ``A、B分别为a、b`` paired off in order."""

from __future__ import annotations

import bisect
from dataclasses import replace

import regex

from ..budget import paced
from ..model import Mention, Quantity, Statement
from ..patterns import Patterns, words_regex
from ..tag.document import Document
from ..tag.scope import scope_of
from .base import Breakdown, Found

# the unit's whole spending of the year, which a generic 支出 may state (``spending``)
SPENDING = "本年支出合计"


class StatementFinder:
    """Needs the breakdowns: the parts of a budget total are budget figures."""

    kind = "statements"

    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        own = patterns.claims["statements"]  # patterns/claims.toml
        # between a metric's name and its figure: 支出决算为 / 财政拨款支出 / ：
        self.filler_max = own["filler_max"]
        self.filler_bad = own["filler_bad_pattern"]
        # between the names of a distributive statement, and between its figures
        self.distributive_join = own["distributive_join_pattern"]
        self.distributive_gap = own["distributive_gap_pattern"]
        self.budget = regex.compile(words_regex(w["measure"]["budget"]))
        # a clause naming only a measure: 支出决算为 / 决算数为 / 预算为 / 执行数
        self.distributive_lead = regex.compile(words_regex(w["distributive"]["lead"]))
        self.distributive_names = dict(w["distributive"]["names"])
        self.owner = own["owner_pattern"]
        self.template_parts = _descendants(patterns.identities)
        # two parts of one template total are siblings: one is never the other's sub-item
        self.siblings = {(a, b) for i in patterns.identities if not i.same for a in i.parts for b in i.parts if a != b}
        self.measure_clause = regex.compile(
            r"\s*(?:" + words_regex(w["measure"]["clause"]) + r")\s*(?:为|是|达到?|:|：)?\s*"
        )
        # 本年支出合计 written as a generic 支出 (patterns/claims.toml [statements.spending])
        spending = own["spending"]
        self.spending_clause = spending["clause_pattern"]
        self.spending_section = spending["section_pattern"]
        self.spending_who = frozenset(spending["who"])
        self.spending_who_endings = tuple(spending["who_endings"])
        self.spending_narrow = regex.compile(words_regex(spending["narrow"]))
        total = next((i for i in patterns.identities if i.total == SPENDING and not i.same), None)
        self.spending_parts = frozenset(total.parts) if total else frozenset()

    def find(self, doc: Document, found: Found) -> list[Statement]:
        statements = self.statements(doc)
        spending = self.spending(doc, statements, found["breakdowns"])
        if spending:
            statements = sorted(statements + spending, key=lambda s: s.quantity.start)
        statements = self.inherit_measures(statements, found["breakdowns"])
        return self.scope_parts(doc, statements, found["breakdowns"])

    def scope_parts(self, doc: Document, statements: list[Statement], breakdowns: list[Breakdown]) -> list[Statement]:
        """A 其中 part that is not one of its total's template parts (or theirs) is the total's
        sub-item: ``基本支出…，其中：商品和服务支出a`` and ``项目支出…，其中：商品和服务支出b`` are two
        quantities, and neither is the department's 商品和服务支出. Such a part takes its total's
        metric as its scope; a template part (本年支出合计，其中：基本支出) stays the document's."""
        by_quantity = {id(s.quantity): s for s in statements}
        scoped: dict[int, str] = {}
        for b in breakdowns:
            head = by_quantity.get(id(b.total))
            if head is None:
                # 行政运行300000元，其中：基本支出300000元，项目支出0元: a total the lexicon does not
                # name is some sub-item's, and so are its parts (never the department's 基本支出)
                label = "".join(doc.norm[doc.clause_start(b.total.start) : b.total.start].split())
                if label:
                    for p in b.parts:
                        s = by_quantity.get(id(p.quantity))
                        if s is not None:
                            scoped[id(s.quantity)] = _within(s.scope, f"{label}之中")
                continue
            for p in b.parts:
                s = by_quantity.get(id(p.quantity))
                if s is None or s.mention.metric == head.mention.metric or s.scope != head.scope:
                    continue
                pair = (head.mention.metric, s.mention.metric)
                if pair not in self.template_parts and pair not in self.siblings:
                    scoped[id(s.quantity)] = _within(s.scope, head.mention.metric)
        if not scoped:
            return statements
        return [replace(s, scope=scoped[id(s.quantity)]) if id(s.quantity) in scoped else s for s in statements]

    def statements(self, doc: Document) -> list[Statement]:
        """Every ``<metric name> … <amount>`` pair with nothing but filler between, and every
        amount whose clause only names a measure of the metric stated just before it
        (``“三公”经费支出预算为3万元，支出决算为1.71万元``: 1.71 is the 三公's actual)."""
        out: list[Statement] = []
        mentions = doc.mentions
        starts = [m.end for m in mentions]
        last: Statement | None = None
        distributed = self._distributed(doc)
        for q in paced(doc.quantities):
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
            if filler.strip() not in ("，", ",") and (len(filler) > self.filler_max or self.filler_bad.search(filler)):
                s = self._continued(doc, last, q)
                if s is not None:
                    out.append(s)
                continue
            sentence = doc.sentence_of(m.start)
            period = doc.period_at(m.start, sentence.start)
            scope = self._owner(doc, mentions, i, sentence.start) or scope_of(doc, m)
            last = Statement(m, q, period, self._measure(filler), scope)
            out.append(last)
        return out

    def _owner(self, doc: Document, mentions: list[Mention], i: int, floor: int) -> str:
        """``项目支出包括培训费12.8万元``: the metric whose sub-items the sentence lists before the
        ``i``-th mention, as the scope of its statement ("" when none, or when the mention is
        one of the owner's template parts)."""
        m = mentions[i]
        for j in range(i - 1, -1, -1):
            owner = mentions[j]
            if owner.start < floor:
                break
            if owner.metric != m.metric and self.owner.match(doc.norm, owner.end, m.start):
                return "" if (owner.metric, m.metric) in self.template_parts else owner.metric
        return ""

    def spending(self, doc: Document, statements: list[Statement], breakdowns: list[Breakdown]) -> list[Statement]:
        """``2021年度，某卫生院单位支出为468.74万元。其中：基本支出…项目支出…``: a generic 支出
        (单位支出, 部门支出, 支出) that opens its sentence is the unit's 本年支出合计 under the
        template's 支出决算 heading, or when its parts are 基本支出 and 项目支出 and the heading
        over it names no narrower quantity (三公, 财政拨款, a project): there, or after another
        figure or name in its sentence, a generic 支出 is that quantity's, not the unit's whole."""
        stated = {id(s.quantity) for s in statements}
        metric_of = {id(s.quantity): s.mention.metric for s in statements}
        parts_of = {id(b.total): b.parts for b in breakdowns}
        out = []
        for q in paced(doc.quantities):
            if q.kind != "money" or id(q) in stated:
                continue
            start = doc.clause_start(q.start)
            m = self.spending_clause.fullmatch(doc.norm, start, q.start)
            if m is None or doc.mentions_in(start, q.start):
                continue
            who = m.group("who")
            if self.spending_narrow.search(who) or not (
                m.group("unit") or who in self.spending_who or who.endswith(self.spending_who_endings)
            ):
                continue
            sentence = doc.sentence_of(q.start)
            # the whole opens its sentence: no figure, metric or narrower word before it there
            # (项目支出218万元，主要用于某项目，全年支出为100万元 is that project's)
            if (
                any(x.kind == "money" for x in doc.quantities_in(sentence.start, q.start))
                or doc.mentions_in(sentence.start, q.start)
                or self.spending_narrow.search(doc.norm, sentence.start, q.start)
            ):
                continue
            headings = self._headings_over(doc, sentence)
            if not any(self._spending_section(h) for h in headings):
                parts = {metric_of.get(id(p.quantity)) for p in parts_of.get(id(q), ())}
                if not ({"基本支出", "项目支出"} <= parts <= self.spending_parts):
                    continue
                if any(self.spending_narrow.search(h) for h in headings):
                    continue
            name = Mention(m.start("name"), m.end("name"), doc.text[m.start("name") : m.end("name")], SPENDING)
            period = doc.period_at(name.start, sentence.start)
            out.append(Statement(name, q, period, "actual", scope_of(doc, name)))
        return out

    def _headings_over(self, doc: Document, sentence) -> list[str]:
        """The heading the sentence is under, and a heading run into its line before it
        (``(二)支出决算情况。2021年度，…`` on one line of a flattened page)."""
        out = [sentence.section] if sentence.section else []
        line = doc.lines[doc.line_number(sentence.start) - 1]
        if line.start < sentence.start:
            first = doc.sentence_of(line.start)
            out.append(doc.norm[first.start : first.end])
        return out

    def _spending_section(self, heading: str) -> bool:
        m = self.spending_section.fullmatch(heading)
        return m is not None and not self.spending_narrow.search(m.group("who"))

    def _distributed(self, doc: Document) -> dict[int, Statement]:
        """``基本支出、项目支出分别为120.00万元、80.00万元`` / ``收、支总计各是356.1,360.4万元``: the
        names before 分别为 and the figures after it pair off in order, when their counts agree."""
        out: dict[int, Statement] = {}
        for lead in paced(self.distributive_lead.finditer(doc.norm)):
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
            joined = self.distributive_join.fullmatch(gap) if found else not self.filler_bad.search(gap)
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
            if q.kind not in ("money", "bare") or not self.distributive_gap.fullmatch(gap):
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


def _descendants(identities) -> set[tuple[str, str]]:
    """(total, part) for every part the template makes of a total, at any depth, and for the
    other names of one quantity (收入总计 ≡ 支出总计): 收入总计 holds 本年收入合计, and so 财政拨款收入."""
    same: dict[str, set[str]] = {}
    children: dict[str, set[str]] = {}
    for i in identities:
        if i.same:
            group = {i.total, *i.parts}
            for name in group:
                same.setdefault(name, set()).update(group)
        else:
            children.setdefault(i.total, set()).update(i.parts)
    out: set[tuple[str, str]] = set()
    for total in set(children) | set(same):
        seen: set[str] = set()
        todo = [total, *same.get(total, ())]
        while todo:
            name = todo.pop()
            for n in (name, *same.get(name, ())):
                for child in children.get(n, ()):
                    if child not in seen:
                        seen.add(child)
                        todo.append(child)
        out.update((total, d) for d in seen)
        out.update((total, e) for e in same.get(total, ()) if e != total)
    return out


def _within(scope: str, owner: str) -> str:
    """A sub-item's scope: its owner, inside the fund scope it is read in (一般公共预算/行政运行之中)."""
    return f"{scope}/{owner}" if scope else owner
