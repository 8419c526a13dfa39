"""What a unit did, said in words: 无新购车辆 (the activity did not happen), 购置公务用车7辆 (it
happened seven times), each tied to the expense that pays for it (公务用车购置费).

The forms are data, keyed by the expense's metric: patterns/claims.toml ``[activities]``.
What a "none" says is a figure of its own (the expense is nothing), so it also stands for a
part that a breakdown leaves out (checks/sums.py) and for a part of a template identity.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..budget import paced
from ..model import Mention, Quantity, Statement
from ..patterns import Patterns, words_regex
from ..tag.document import Document
from ..tag.scope import scope_of
from .base import Found, count_value


@dataclass(frozen=True)
class Activity:
    metric: str  # the expense that pays for it (canonical)
    count: int  # how many times it happened; 0 for a "none" (无新购车辆)
    start: int
    end: int
    text: str
    said_none: bool  # said in words (无 / 未), not as a count of 0
    period: str  # as Statement.period
    measure: str  # as Statement.measure
    scope: str  # as Statement.scope

    @property
    def zero(self) -> Statement:
        """The expense this says is nothing, as a statement over the words that say it."""
        mention = Mention(self.start, self.end, self.text, self.metric)
        figure = Quantity(self.start, self.end, self.text, 0.0, "万元", "money", 0, scale=1e4)
        return Statement(mention, figure, self.period, self.measure, self.scope)


class ActivityFinder:
    kind = "activities"

    def __init__(self, patterns: Patterns) -> None:
        self.forms = patterns.claims["activities"]  # metric -> {none_pattern, count_pattern}
        # 预算 alone names a fund as often as a measure (使用公共预算财政拨款购置): only the
        # measure's own words (预算数, 年初预算, 预算安排 …) make an activity a budgeted one
        self.budget = regex.compile(words_regex([w for w in patterns.words["measure"]["budget"] if w != "预算"]))

    def find(self, doc: Document, found: Found) -> list[Activity]:
        out: list[Activity] = []
        norm = doc.norm
        for metric, form in self.forms.items():
            for m in paced(form["none_pattern"].finditer(norm)):
                out.append(self._activity(doc, metric, 0, m, said_none=True))
            for m in paced(form["count_pattern"].finditer(norm)):
                n = count_value(m.group("n"))
                if n is not None:
                    out.append(self._activity(doc, metric, n, m, said_none=False))
        out.sort(key=lambda a: a.start)
        return out

    def _activity(self, doc: Document, metric: str, count: int, m: regex.Match, said_none: bool) -> Activity:
        sentence = doc.sentence_of(m.start())
        clause = doc.norm[doc.clause_start(m.start(), sentence.start) : m.start()]
        measure = "budget" if self.budget.search(clause) and "决算" not in clause else "actual"
        period = doc.period_at(m.start(), sentence.start)
        text = doc.text[m.start() : m.end()]
        scope = scope_of(doc, Mention(m.start(), m.end(), text, metric))
        return Activity(metric, count, m.start(), m.end(), text, said_none, period, measure, scope)
