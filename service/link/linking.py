"""Which figure each claim speaks of, and why.

A claim is linked only with a reason that can be shown to a reviewer: the total of
the 其中 list it sits in, the subject its sentence names (…决算中，), the same metric
stated earlier, the figure in the same sentence. A claim that cannot be linked this
way stays unlinked and is counted as unchecked, never guessed.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..budget import paced
from ..claims import (
    Breakdown,
    ChangeClaim,
    CompletionClaim,
    ShareClaim,
)
from ..claims.completions import CompletionFinder
from ..claims.directions import DirectionClaim, budget_kinds, figure_after, label
from ..model import Quantity, Statement
from ..patterns import load
from ..tag.document import Document

# the words and patterns: patterns/claims.toml [linking]
_WORDS = load().claims["linking"]
SUBJECT = _WORDS["subject_pattern"]


@dataclass(frozen=True)
class LinkedShare:
    claim: ShareClaim
    whole: Quantity | None
    reason: str
    group: int | None = None  # index of the breakdown whose parts these shares are


@dataclass(frozen=True)
class LinkedChange:
    claim: ChangeClaim
    current: Quantity | None
    reason: str
    earlier: Quantity | None = None  # 2016年…78272万元，2018年…42513万元，下降了45.69%


@dataclass(frozen=True)
class LinkedCompletion:
    claim: CompletionClaim
    actual: Quantity | None
    target: Quantity | None
    reason: str
    # 已支付820.50万元，未支付79.50万元，支付率90%: the part remaining; the base is actual + remaining
    # (``target`` is then a budget stated before them, if any, which must agree with that sum)
    remaining: Quantity | None = None
    # 支出1741.75万元，完成年初预算100%，决算数大于预算数55.93万元: the difference from the budget
    # stated after the rate, and its sign (+1: the actual is above the budget, which is then
    # actual − difference; -1: below it); ``target`` is None
    difference: Quantity | None = None
    over: int = 0


class Statements:
    """Statements grouped by metric, in text order."""

    def __init__(self, statements: list[Statement]) -> None:
        self.all = statements
        self.by_quantity = {id(s.quantity): s for s in statements}
        self.by_metric: dict[str, list[Statement]] = {}
        for s in statements:
            self.by_metric.setdefault(s.mention.metric, []).append(s)
        # statements in text order of their figures, for look-ups by position (linear documents)
        self._ordered = sorted(statements, key=lambda s: s.quantity.start)
        self._starts = [s.quantity.start for s in self._ordered]

    def between(self, start: int, end: int) -> list[Statement]:
        """The statements whose figure starts in [start, end), in text order."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return self._ordered[i:j]

    def latest(self, metric: str, before: int, period: str = "") -> Statement | None:
        found = None
        for s in self.by_metric.get(metric, ()):
            if s.quantity.start >= before:
                break
            if s.period == period and s.measure == "actual" and s.quantity.kind == "money":
                found = s
        return found


def link_shares(
    doc: Document, shares: list[ShareClaim], breakdowns: list[Breakdown], st: Statements
) -> list[LinkedShare]:
    part_of: dict[int, int] = {}
    for bi, b in enumerate(breakdowns):
        for p in b.parts:
            part_of.setdefault(id(p.quantity), bi)
    out = []
    for c in paced(shares):
        if c.share.bound is not None:
            out.append(LinkedShare(c, None, "approximate share"))
            continue
        bi = part_of.get(id(c.part))
        if bi is not None and (not c.whole_name or _names_total(doc, c.whole_name, breakdowns[bi].total)):
            # 收入预算总额为7783.26万元…其中：…7000万元，占收入预算总额的90.3%: the whole it names is the total
            out.append(LinkedShare(c, breakdowns[bi].total, "breakdown-total", bi))
            continue
        sentence = doc.sentence_of(c.start)
        if c.whole_name:
            mentions = doc.mentions_in((c.part_name or c.part).end, c.share.start)
            s = st.latest(mentions[0].metric, c.start) if mentions else None
            if s is not None:
                out.append(LinkedShare(c, s.quantity, "named-whole"))
            else:
                out.append(LinkedShare(c, None, "whole named but not stated"))
            continue
        # 2019年“三公”经费财政拨款支出决算中，A a，占x%；B b，占y%
        m = SUBJECT.match(doc.norm, sentence.start, (c.part_name or c.part).start)
        if m:
            mentions = doc.mentions_in(sentence.start, m.end())
            if mentions:
                period = doc.period_at(mentions[0].start, sentence.start)
                s = st.latest(mentions[0].metric, sentence.start, period)
                if s is not None:
                    out.append(LinkedShare(c, s.quantity, "sentence-subject"))
                    continue
        out.append(LinkedShare(c, None, "no whole in reach"))
    return out


def _names_total(doc: Document, name: str, total: Quantity) -> bool:
    """The words before ``total`` in its clause contain ``name`` (the whole a share names)."""
    return name in doc.norm[doc.clause_start(total.start) : total.start]


YEAR_IN_CLAUSE = _WORDS["year_in_clause_pattern"]


def _two_years(doc: Document, c: ChangeClaim) -> tuple[Quantity, Quantity] | None:
    """A rate after two figures of one kind, each in a clause naming its own year."""
    sentence = doc.sentence_of(c.start)
    before = [q for q in doc.quantities_in(sentence.start, c.start) if q.kind in ("money", "count")]
    if len(before) < 2:
        return None
    a, b = before[-2], before[-1]
    if a.kind != b.kind or (a.kind == "count" and a.unit != b.unit) or not (a.exact and b.exact):
        return None
    years = []
    for q in (a, b):
        found = YEAR_IN_CLAUSE.findall(doc.norm, doc.clause_start(q.start, sentence.start), q.start)
        if len(found) != 1:
            return None
        years.append(int(found[0]))
    if years[0] == years[1]:
        return None
    return (a, b) if years[0] < years[1] else (b, a)


# a clause that is nothing but the change (同比增加8.25万元 / 比上年减少 / 较2017年增长)
BARE_CHANGE_CLAUSE = _WORDS["bare_change_clause_pattern"]
# between a figure and its change: clauses that only give the figure's share or completion rate
# (占调整预算105.47%), at most this many, and a note in brackets right after the figure (（自然口径）)
RATE_OF_FIGURE_CLAUSE = _WORDS["rate_of_figure_clause_pattern"]
RATE_CLAUSES_MAX = _WORDS["rate_of_figure_clauses_max"]
FIGURE_NOTE = _WORDS["figure_note_pattern"]


def _figures_between(doc: Document, q: Quantity, c: ChangeClaim) -> bool:
    """Another amount of the delta's kind stands between ``q`` and the change (…购置支出56万元；
    公务接待支出124万元，比上年…下降24万元): ``q`` is not what changed. The prior the change
    itself writes (较上年5.16万元减少…) is not another amount; one in brackets, 比2018（70.14）年,
    is part of a blocked year form and never a tagged figure.)"""
    prior = c.prior
    return any(
        x.kind == c.delta.kind
        and not doc.bracketed(x.start, c.delta.start)
        and not (prior is not None and x.start <= prior.start < x.end)
        for x in doc.quantities_in(q.end, c.delta.start)
    )


def _figure_before_change(doc: Document, c: ChangeClaim) -> Quantity | None:
    """``收入总预算317.6万元，同比增加8.25万元``: a change whose clause names nothing speaks of the
    figure that ends the clause before it, whatever that figure's name (同比增长14.6%，增收4,376万元:
    the clause of the change's first figure, the rate). Clauses that only give that figure's share
    or completion rate may stand between (完成28,583万元（自然口径），占调整预算105.47%，同比增长…),
    and a bracketed note may follow the figure."""
    first = c.first
    start = doc.clause_start(first.start)
    if start == 0 or doc.norm[start - 1] not in "，,":
        return None
    if BARE_CHANGE_CLAUSE.fullmatch(doc.norm, start, first.start) is None:
        return None
    for _ in range(RATE_CLAUSES_MAX):
        prev = doc.clause_start(start - 1)
        if (
            prev == 0
            or doc.norm[prev - 1] not in "，,"
            or RATE_OF_FIGURE_CLAUSE.fullmatch(doc.norm, prev, start - 1) is None
        ):
            break
        start = prev
    before = doc.quantities_in(doc.clause_start(start - 1), start - 1)
    if not before or FIGURE_NOTE.fullmatch(doc.norm, before[-1].end, start - 1) is None:
        return None
    q = before[-1]
    return q if c.delta is not None and q.kind == c.delta.kind and q.unit == c.delta.unit and q.exact else None


def link_changes(doc: Document, changes: list[ChangeClaim], st: Statements) -> list[LinkedChange]:
    out = []
    for c in paced(changes):
        if c.delta is None and c.rate is not None:
            pair = _two_years(doc, c)
            if pair is not None:
                out.append(LinkedChange(c, pair[1], "two-years-in-sentence", earlier=pair[0]))
                continue
        if c.delta is None and c.rate is not None and c.prior is not None:
            # 公务接待费4.80万元，较上年5.16万元下降6.98%: both years are in the sentence
            sentence = doc.sentence_of(c.start)
            stated = [
                s
                for s in st.between(sentence.start, c.prior.start)
                if s.period == "" and s.quantity.kind == c.prior.kind and s.quantity is not c.prior
            ]
            if stated and not doc.quantities_in(stated[-1].quantity.end, c.prior.start):
                out.append(LinkedChange(c, stated[-1].quantity, "prior-in-change", earlier=c.prior))
                continue
        if c.delta is None:
            out.append(LinkedChange(c, None, "rate without an amount of change"))
            continue
        sentence = doc.sentence_of(c.start)
        before = [
            s
            for s in st.between(sentence.start, c.delta.start)
            if s.period == "" and s.quantity.kind == c.delta.kind and not doc.bracketed(s.quantity.start, c.delta.start)
        ]
        # this year's figure in the same sentence, unless the change names another metric
        # after it (…支出1504.31万元，其中公用经费增加…)
        if (
            before
            and (
                c.mention is None
                or c.mention.metric == before[-1].mention.metric
                or c.mention.start < before[-1].quantity.start
            )
            and not _figures_between(doc, before[-1].quantity, c)
        ):
            out.append(LinkedChange(c, before[-1].quantity, "same-sentence"))
            continue
        previous = _figure_before_change(doc, c)
        if previous is not None:
            out.append(LinkedChange(c, previous, "figure-before-change"))
            continue
        carried = _previous_sentence_subject(doc, c, st)
        if carried is not None:
            out.append(LinkedChange(c, carried, "previous-sentence-subject"))
            continue
        if c.mention is not None:
            # the metric's figure stated just before: in the same or the previous paragraph, or
            # under the same heading ((二)公务用车购置及运行费支出57.36万元。… its sub-items … 公务用车
            # 购置及运行费支出决算数比预算数减少17.54万元)
            s = st.latest(c.mention.metric, sentence.start)
            if s is not None:
                at = doc.sentence_of(s.quantity.start)
                if at.paragraph >= sentence.paragraph - 1 or (sentence.section and at.section == sentence.section):
                    out.append(LinkedChange(c, s.quantity, "same-metric-earlier"))
                    continue
        out.append(LinkedChange(c, None, "no current figure in reach"))
    return out


def _previous_sentence_subject(doc: Document, c: ChangeClaim, st: Statements) -> Quantity | None:
    """``一般公共预算财政拨款支出1,200.00万元。比上年增加100.00万元，增长9.1%。``: a sentence that
    opens with the change and names nothing speaks of the last figure stated in the sentence
    before it, in the same paragraph."""
    if c.delta is None or c.mention is not None:
        return None
    si = doc.sentence_index(c.first.start)
    sentence = doc.sentences[si]
    if si == 0 or BARE_CHANGE_CLAUSE.fullmatch(doc.norm, sentence.start, c.first.start) is None:
        return None
    prev = doc.sentences[si - 1]
    if prev.paragraph != sentence.paragraph:
        return None
    stated = [
        s
        for s in st.between(prev.start, prev.end)
        if s.period == "" and s.quantity.kind == c.delta.kind and s.quantity.exact
    ]
    return stated[-1].quantity if stated else None


def link_completions(
    doc: Document,
    claims: list[CompletionClaim],
    breakdowns: list[Breakdown],
    words: CompletionFinder,
    directions: list[DirectionClaim] = (),
    changes: list[ChangeClaim] = (),
) -> list[LinkedCompletion]:
    """完成预算X%: the actual is the figure just before, the target the one before it
    (the parts of a 其中 list in between are skipped: they detail the target); or, for a rate
    with its own word (支付率), the part done and the part remaining just before it; or, with
    one figure before the rate, the difference from the budget stated right after it
    (决算数大于预算数55.93万元, 比年初预算增加55.93万元)."""
    target_words, actual_words = words.target_words, words.actual_words
    parts = {id(p.quantity) for b in breakdowns for p in b.parts}
    deltas = {id(c.delta) for c in changes if c.delta is not None}
    out = []
    for c in claims:
        sentence = doc.sentence_of(c.start)
        if c.target is not None:
            # 支出决算为20.00万元，完成预算27万元的74.1%: the actual is the figure before the phrase
            figures = [q for q in doc.quantities_in(sentence.start, c.start) if q.kind == c.target.kind]
            actual = figures[-1] if figures else None
            if actual is not None and (actual.kind == "money" or actual.unit == c.target.unit):
                out.append(LinkedCompletion(c, actual, c.target, "target-in-completion"))
            else:
                out.append(LinkedCompletion(c, None, None, "no actual before the completion"))
            continue
        figures = [q for q in doc.quantities_in(sentence.start, c.start) if q.kind in ("money", "count")]
        if figures and id(figures[-1]) in parts:
            # …其中：因公出国（境）费决算为0.00万元，完成预算的0.00%: the rate right after a 其中 part is
            # that part's, and the total's budget before the list is not the part's
            out.append(LinkedCompletion(c, None, None, "a 其中 part's own budget is not stated"))
            continue
        before = [q for q in figures if id(q) not in parts]
        # the figures before the rate less the amounts of change from last year (与上年相比减少53.7万元)
        own = [q for q in before if id(q) not in deltas]
        if len(own) == 1:
            difference = _difference_after(doc, c, own[0], sentence.end, directions, changes)
            if difference is not None:
                gap, over = difference
                out.append(LinkedCompletion(c, own[0], None, "actual-and-difference", difference=gap, over=over))
                continue
        if len(before) < 2:
            out.append(LinkedCompletion(c, None, None, "target not stated in the sentence"))
            continue

        def clause(q: Quantity, floor: int = sentence.start) -> str:
            return doc.norm[doc.clause_start(q.start, floor) : q.start]

        pair = _done_and_remaining(doc, c, before, words, clause)
        if pair is not None:
            done, remaining = pair
            # a budget stated before the two (安排资金900万元，已支付…，未支付…) must agree with their sum
            stated = before[-3] if len(before) >= 3 else None
            if stated is not None and not (
                stated.kind == done.kind
                and target_words.search(clause(stated))
                and not actual_words.search(clause(stated))
            ):
                stated = None
            out.append(LinkedCompletion(c, done, stated, "done-and-remaining", remaining=remaining))
            continue

        named = [q for q in before if c.base and c.base in clause(q)]
        if named:
            # 年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元，完成年初预算的95.89%
            target = named[-1]
            actual = next(
                (q for q in reversed(before) if q is not target and actual_words.search(clause(q))
                 and not target_words.search(clause(q))),
                None,
            )  # fmt: skip
            if actual is not None and actual.kind == target.kind:
                out.append(LinkedCompletion(c, actual, target, "named-base"))
                continue
        actual, target = before[-1], before[-2]
        a_clause = clause(actual)
        t_clause = clause(target)
        if (
            actual.kind == target.kind
            and (actual.kind == "money" or actual.unit == target.unit)
            and actual_words.search(a_clause)
            and target_words.search(t_clause)
            and not actual_words.search(t_clause)
        ):
            out.append(LinkedCompletion(c, actual, target, "target-then-actual"))
        else:
            out.append(LinkedCompletion(c, None, None, "no labelled target and actual"))
    return out


def _difference_after(
    doc: Document,
    c: CompletionClaim,
    actual: Quantity,
    end: int,
    directions: list[DirectionClaim],
    changes: list[ChangeClaim],
) -> tuple[Quantity, int] | None:
    """``支出1741.75万元，完成年初预算100%，决算数大于预算数55.93万元`` (or ``比年初预算增加55.93万元``):
    the first figure after the rate, in its sentence, is the actual's difference from the budget:
    (difference, +1 above / -1 below), or None when the sentence does not say so of one budget."""
    after = [q for q in doc.quantities_in(c.rate.end, end)]
    if not after or actual.kind != "money" or not actual.exact:
        return None
    gap = after[0]
    if gap.kind != "money" or not gap.exact or gap.value <= 0:
        return None
    lab = label(doc, actual)
    if lab is not None and lab.role == "budget":
        return None  # 年初预算1685.82万元，完成预算100%: the one figure is the budget, not the actual
    # the rate, the statement and the sentence around them name one budget (or none by its kind)
    kinds = budget_kinds(doc.norm[doc.sentence_of(c.start).start : gap.end])
    if len(kinds) > 1:
        return None
    over = 0
    for d in directions:
        if (
            d.kind == "budget"
            and c.rate.end <= d.start < gap.start
            and d.relation in (">", "<")
            and (figure_after(doc, d.end) is gap)
        ):
            over = 1 if d.relation == ">" else -1
    for ch in paced(changes):
        if ch.against == "budget" and ch.delta is gap and ch.delta_sign:
            over = ch.delta_sign
    return (gap, over) if over else None


def _done_and_remaining(doc: Document, c: CompletionClaim, before: list[Quantity], words: CompletionFinder, clause):
    """``项目资金支付820.50万元，未支付79.50万元，支付率90%``: the last two figures before a rate that
    has its own word are the part done (its clause names it: 支付) and the part remaining (its clause
    is nothing but the remaining word: 未支付), with no other figure between them and the rate."""
    pair = words.pair(c.word)
    if pair is None:
        return None
    done, remaining = before[-2], before[-1]
    if done.kind != remaining.kind or (done.kind == "count" and done.unit != remaining.unit):
        return None
    if doc.quantities_in(done.end, remaining.start) or doc.quantities_in(remaining.end, c.rate.start):
        return None
    d_clause = clause(done)
    if not words.remaining(pair, clause(remaining)) or not pair.done.search(d_clause):
        return None
    if any(w in d_clause for w in pair.remaining):  # 未支付 holds 支付: a remaining word wins
        return None
    return done, remaining
