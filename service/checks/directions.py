"""DIR: direction statements (决算数小于预算数, 与上年持平, 下降（增长）) against the figures."""

from __future__ import annotations

import bisect
from collections.abc import Iterator

import regex

from ..budget import paced
from ..claims.directions import (
    DirectionClaim,
    between_stop,
    budget_kinds,
    clause_prefix,
    figure_after,
    find,
    label,
    segment_bounds,
)
from ..model import Evidence, Finding, Quantity
from ..tag.document import Document
from ..tag.entities import Span
from .arith import Interval, fmt, interval, overlaps, sub
from .base import Family, Rule, figure_fix, make_finding
from .context import Context

CONTRADICTS = Rule(
    code="DIR001",
    name="direction-contradicts-figures",
    title="大小增减表述与数字不符",
    severity="error",
    summary="决算数大于/小于/等于预算数, or 较上年增加/减少 in words, against the figures stated before it.",
    doc="""What it does
    Reads `决算数小于预算数`, `决算数与（全年）预算数持平`, `支出决算大于上年决算数` and
    `决算数较上年减少的主要原因` and checks them against the figures stated before, in the
    same sentence or the sentences before it in the same item: the figure labelled 预算
    (年初预算, 全年预算, 调整预算: the one the statement names, when it names one) and the one
    labelled 决算 / 实际支出; or the change against last year (增加/减少X万元). Equality holds
    when the two figures are equal within the rounding of both. A statement whose figures
    are not found with a clear label, or that could be read against two budgets that
    disagree, is left unchecked.

Why it matters
    The sentence explains why spending fell short of the budget when it exceeded it (or
    the reverse): one of the figures, or the word, is wrong, and the explanation that
    follows is about something that did not happen.

Example (flagged)
    “三公”经费支出预算为3.00万元，支出决算为3.42万元。决算数小于预算数的主要原因是…

Passes instead
    “三公”经费支出预算为3万元，支出决算为1.71万元。决算数小于预算数的主要原因是…
""",
    flagged=(
        "2023年度“三公”经费支出预算为3.00万元，支出决算为3.42万元，完成预算的114%。⟦决算数小于预算数⟧的主要原因是公务接待增加。",
        "公务接待费全年预算为5.00万元，支出决算为4.80万元。⟦决算数与全年预算数持平⟧。",
        "公务用车运行维护费支出决算为2.5万元，比上年增加0.6万元，增长31.58%。⟦决算数较上年减少⟧的主要原因是车辆老化。",
    ),
    passing=(
        "2023年度“三公”经费支出预算为3万元，支出决算为1.71万元，完成预算的57%。决算数小于预算数的主要原因是公务接待减少。",
        "公务接待费全年预算为5.00万元，支出决算为5.00万元。决算数与全年预算数持平。",
        "一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元。决算数小于预算数的主要原因是项目未完成。",
        "公务用车运行维护费支出决算为2.5万元，比上年减少0.6万元，下降19.35%。决算数较上年减少的主要原因是车辆老化。",
    ),
)

UNCHANGED = Rule(
    code="DIR002",
    name="unchanged-but-changed",
    title="称持平却有变动",
    severity="error",
    summary="与上年持平 / 无增减 where a change that is not zero is stated.",
    doc="""What it does
    Flags `与上年持平`, `较上年无增减`, `无变化` and a bare `持平` written in the same clause as a
    change that is not zero (增加0.5万元, 下降3%), with no other item named between them; and
    `决算数与上年持平的主要原因` after a sentence whose changes are all not zero. `基本持平`
    allows a small change and is not checked; a change of 0 is no change.

Why it matters
    The text says the figure did not move and gives the amount by which it moved: one of
    the two was copied from another item or from last year's report.

Example (flagged)
    公务接待费支出1.20万元，比上年增加0.30万元，与上年持平。

Passes instead
    公务接待费支出1.20万元，比上年增加0万元，与上年持平。
""",
    flagged=(
        "公务接待费支出1.20万元，比上年增加0.30万元，⟦与上年持平⟧。",
        "因公出国（境）费支出决算为2万元，较上年减少0.5万元。⟦决算数与上年持平⟧的主要原因是未安排出访。",
    ),
    passing=(
        "公务接待费支出1.20万元，比上年增加0万元，与上年持平。",
        "“三公”经费支出减少0.15万元，其中：因公出国（境）费支出与上一年度持平；公务接待费支出减少0.15万元。",
        "公务接待费支出1.20万元，比上年增加0.01万元，与上年基本持平。",
        # the words compare with the budget, the figure with last year
        "公务接待费支出决算比预算无增减变化，比去年增加0.5万元，增长50%。",
    ),
)

ALTERNATIVE = Rule(
    code="DIR003",
    name="template-alternative-left-in",
    title="模板的两种表述并存",
    severity="error",
    summary="Both directions of a template left in the text: 下降（增长）, 增加/减少.",
    doc="""What it does
    Flags a template's pair of directions written together, `下降（增长）`, `增加（减少）`,
    `增长/下降`, `大于（小于）`, where the writer was to keep one of them, with the figure that
    follows it (`下降（增长）27.78%`). A pair standing alone, as a column header
    (`增加（减少）额`), is not flagged; one before a change of zero (`增加（减少）0万元`), where
    either word reads true, is an info note.

Why it matters
    The reader cannot tell which way the figure moved; the published text is an unfilled
    template.

Example (flagged)
    2024年度“三公”经费支出决算数比2023年度减少0.15万元，下降（增长）27.78%。

Passes instead
    2024年度“三公”经费支出决算数比2023年度减少0.15万元，下降27.78%。
""",
    flagged=(
        "2024年度“三公”经费支出决算数比2023年度减少0.15万元，⟦下降（增长）27.78%⟧。",
        "本年支出合计较上年⟦增加/减少⟧的主要原因是人员调整。",
    ),
    passing=(
        "2024年度“三公”经费支出决算数比2023年度减少0.15万元，下降27.78%。",
        "项目\t上年数\t本年数\t增加（减少）额",
    ),
)

AGAINST_RATE = Rule(
    code="DIR004",
    name="direction-contradicts-completion",
    title="大小表述与完成率不符",
    severity="error",
    summary="决算数大于/小于/等于预算数 against the completion rate stated just before it (完成预算X%).",
    doc="""What it does
    Where a sentence states a completion rate of the budget (`完成年初预算95%`) and then,
    with nothing between, how the actual compares with the budget (`决算数大于预算数`), the
    two must agree: a rate below 100% means less than the budget, above 100% more, 100%
    the same. A rate whose every rounding is on the other side of 100% is an error. A rate
    written 100% beside 大于 or 小于 holds only if the difference is under half a percent of
    the budget, which rounding allows: that is an info note. When the difference is stated
    as well (`决算数大于预算数55.93万元`), CMP001 recomputes the rate from it instead; a
    sentence naming two budgets (年初 and 全年) is left unchecked.

Why it matters
    完成预算100% is often the template's figure, left in while the sentence goes on to
    explain why spending exceeded (or fell short of) the budget: one of the two is wrong.

Example (flagged)
    教育支出1595.95万元，完成年初预算97%，决算数大于预算数，主要原因是人员工资调标。

Passes instead
    教育支出1595.95万元，完成年初预算103%，决算数大于预算数，主要原因是人员工资调标。
""",
    flagged=(
        "教育支出1595.95万元，完成年初预算⟦97%，决算数大于预算数⟧，主要原因是人员工资调标。",
        "卫生健康支出80.50万元，完成年初预算的⟦101.20%，决算数小于预算数⟧的主要原因是项目结余。",
        # 100% with 大于: only a difference under 0.5% reconciles them (an info note)
        "教育支出1595.95万元，完成年初预算⟦100%，决算数大于预算数⟧，主要原因是人员工资调标。",
    ),
    passing=(
        "教育支出1595.95万元，完成年初预算103%，决算数大于预算数，主要原因是人员工资调标。",
        "卫生健康支出80.50万元，完成年初预算的96.20%，决算数小于预算数的主要原因是项目结余。",
        "社会保障和就业支出30.00万元，完成年初预算100%，决算数与预算数持平。",
        # the rate is of the 年初预算, the statement of the 全年预算
        "教育支出1595.95万元，完成年初预算97%，决算数大于全年预算数，主要原因是追加经费。",
        # the difference is stated: CMP001 recomputes the rate
        "一般公共预算财政拨款支出1741.75万元，完成年初预算100%，决算数大于预算数55.93万元。",
    ),
)

DIFFERENCE = Rule(
    code="DIR005",
    name="budget-difference-mismatch",
    title="决算与预算差额不符",
    severity="error",
    summary="决算数大于/小于预算数D万元 where D is not the difference of the budget and the actual stated before.",
    doc="""What it does
    Where a direction statement gives the amount (`决算数大于预算数15.00万元`) and the budget
    and the actual are stated before it with their labels (as DIR001 reads them), the amount
    must be actual − budget (budget − actual for 小于), within the rounding of the three
    figures. A statement whose direction is already wrong is DIR001's; one that could be read
    against two budgets is not checked.

Why it matters
    The amount was left from another year or another item, or one of the two figures was
    changed and the difference was not.

Example (flagged)
    “三公”经费支出预算为100.00万元，支出决算为120.00万元，决算数大于预算数15.00万元。

Passes instead
    “三公”经费支出预算为100.00万元，支出决算为120.00万元，决算数大于预算数20.00万元。
""",
    flagged=(
        "“三公”经费支出预算为100.00万元，支出决算为120.00万元，决算数大于预算数⟦15.00万元⟧，主要原因是公务接待增加。",
        "公务用车运行维护费全年预算为8.00万元，支出决算为6.50万元。决算数小于全年预算数⟦2.50万元⟧。",
    ),
    passing=(
        "“三公”经费支出预算为100.00万元，支出决算为120.00万元，决算数大于预算数20.00万元，主要原因是公务接待增加。",
        "公务用车运行维护费全年预算为8.00万元，支出决算为6.50万元。决算数小于全年预算数1.50万元。",
        # within rounding: 120.4 − 100 = 20.4, written 20
        "“三公”经费支出预算为100万元，支出决算为120.4万元，决算数大于预算数20万元。",
    ),
)

RULES = (CONTRADICTS, UNCHANGED, ALTERNATIVE, AGAINST_RATE, DIFFERENCE)

BACK = 4  # sentences read back from a statement for its figures
WORD = {">": "大于", "<": "小于", "=": "等于"}
MOVE = {"up": "增加", "down": "减少", "same": "持平"}


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    claims = ctx.found["directions"] if "directions" in ctx.found else find(ctx.doc)
    if not claims:
        return out
    sentences = _Sentences(ctx.doc)
    floors = {"budget": 0, "prior": 0}  # where the figures of the last statement of a kind end
    for claim in claims:
        if claim.kind == "alternative":
            ctx.checked["direction"] += 1
            figure = claim.figure
            # 增加（减少）0万元: with no change either word reads true; a note, not an error
            zero = figure is not None and figure.value == 0
            out.append(
                make_finding(
                    ALTERNATIVE, ctx.doc, claim,
                    f"模板中的两个方向都保留了：“{_squeeze(ctx.doc.text[claim.start:claim.end])}”，"
                    + ("变动为零，可删去方向词" if zero else "应只保留实际的一个"),
                    evidence=[Evidence.of(figure, "change")] if figure is not None else [],
                    suggestion="删去不符的方向", severity="info" if zero else None,
                )
            )  # fmt: skip
            continue
        if claim.kind == "budget":
            finding = _budget(ctx, claim, floors["budget"], sentences)
            floors["budget"] = claim.end
        elif claim.kind == "prior":
            finding = _prior(ctx, claim, floors["prior"], sentences)
            floors["prior"] = claim.end
        else:
            finding = _unchanged(ctx, claim)
        if finding is not None:
            out.append(finding)
    return out


# -- where the figures are -------------------------------------------------------------------
# a sentence ends at 。！？ (not at a line break: PDF text breaks lines inside sentences)
TERMINATOR = regex.compile(r"[。！？!?]+")
OPENS_PARTS = regex.compile(r"\s*其\s*中")
# a line that opens a numbered item or a heading: 1、 2. （一） 三、
OPENS_ITEM = regex.compile(
    r"[ \t]*(?:\d{1,3}[ \t]*[、.．](?!\d)|[（(][ \t]*[一二三四五六七八九十\d]{1,3}[ \t]*[)）]"
    r"|[一二三四五六七八九十]{1,3}、)"
)


class _Sentences:
    """The document's sentences as this check reads them: from one 。 to the next, across line
    breaks, and never across the start of a heading or a numbered item (1、…)."""

    def __init__(self, doc: Document) -> None:
        cuts = {0, len(doc.norm)}
        cuts.update(m.end() for m in TERMINATOR.finditer(doc.norm))
        self.items = {
            line.start for line in doc.lines if line.is_heading or OPENS_ITEM.match(doc.norm, line.start, line.end)
        }
        cuts.update(self.items)
        self.cuts = sorted(cuts)

    def back(self, pos: int, floor: int) -> Iterator[tuple[int, int, bool]]:
        """(start, end, opens an item) of the sentence holding ``pos`` (up to it), then the ones
        before it, nearest first, not past ``floor`` and at most BACK of them."""
        k = bisect.bisect_right(self.cuts, pos) - 1
        end = pos
        for _ in range(BACK + 1):
            if k < 0:
                return
            start = max(self.cuts[k], floor)
            if start < end:
                yield start, end, self.cuts[k] in self.items
            if self.cuts[k] in self.items or start <= floor:
                return
            end = self.cuts[k]
            k -= 1


def _budget(ctx: Context, claim: DirectionClaim, floor: int, sentences: _Sentences) -> Finding | None:
    doc = ctx.doc
    subject = _subject(doc, claim)
    spans: list[tuple[int, int]] = []
    roles: list[dict] = []
    for a, b, _ in sentences.back(claim.start, floor):
        names = {m.metric for m in doc.mentions_in(a, b)}
        if subject is not None and names and subject not in names:
            continue  # another item's figures (the claim names its own)
        if (subject is None or subject not in names) and OPENS_PARTS.match(doc.norm, a, a + 200):
            continue  # 其中：… the parts of the sentence before
        spans.append((a, b))
        roles.append(_roles(doc, a, b))
    at_actual = next((i for i, r in enumerate(roles) if r["actual"]), None)
    at_budget = next((i for i, r in enumerate(roles) if r["budget"]), None)
    if at_actual is None or at_budget is None:
        return _against_rate(ctx, claim)
    farther = max(at_actual, at_budget)
    if at_actual != at_budget and roles[farther]["actual" if farther == at_budget else "budget"]:
        ctx.skip("direction", "budget and actual in different sentences, each with another figure")
        return None
    actual = roles[at_actual]["actual"][0]
    first_budget: dict[str | None, Quantity] = {}
    for q, kind in roles[at_budget]["budget"]:
        first_budget.setdefault(kind, q)
    if claim.budget_kind is not None:
        if claim.budget_kind in first_budget:
            budgets = [first_budget[claim.budget_kind]]
        elif set(first_budget) == {None}:
            budgets = [first_budget[None]]
        else:
            ctx.skip("direction", "the budget the statement names is not stated")
            return None
    else:
        budgets = list(first_budget.values())
    if any(q.kind != "money" or not q.exact for q in (actual, *budgets)):
        ctx.skip("direction", "budget or actual without a unit, or approximate")
        return None
    verdicts = [_contradicts(claim.relation, interval(actual), interval(b)) for b in budgets]
    if any(verdicts) and not all(verdicts):
        ctx.skip("direction", "two budgets stated and the statement does not say which")
        return None
    ctx.checked["direction"] += 1
    if not all(verdicts):
        return _difference(ctx, claim, actual, budgets)
    budget = budgets[0]
    real = _relation(actual.base, budget.base)
    return make_finding(
        CONTRADICTS, doc, claim,
        f"决算 {actual.text} {WORD[real]}预算 {budget.text}，所述为“{_squeeze(claim.text)}”",
        evidence=[Evidence.of(budget, "budget"), Evidence.of(actual, "actual")],
        suggestion=f"核对方向：决算数{WORD[real]}预算数",
    )  # fmt: skip


def _difference(ctx: Context, claim: DirectionClaim, actual: Quantity, budgets: list[Quantity]) -> Finding | None:
    """决算数大于预算数15.00万元 after 预算为100.00万元，决算为120.00万元: the difference is 20.00."""
    gap = figure_after(ctx.doc, claim.end)
    if gap is None or gap.kind != "money" or not gap.exact or claim.relation not in "<>" or len(budgets) != 1:
        return None
    budget = budgets[0]
    high, low = (actual, budget) if claim.relation == ">" else (budget, actual)
    if overlaps(sub(interval(high), interval(low)), interval(gap)):
        return None
    shown = fmt((high.base - low.base) / gap.scale, max(high.decimals, low.decimals, gap.decimals))
    return make_finding(
        DIFFERENCE, ctx.doc, gap,
        f"差额应为 {shown}{gap.unit or ''}（{high.text} − {low.text}），所述为 {gap.text}",
        stated=gap.value, expected=float(shown),
        evidence=[Evidence.of(gap, "difference"), Evidence.of(budget, "budget"), Evidence.of(actual, "actual")],
        suggestion=f"改为 {shown}{gap.unit or ''}", fix=figure_fix(gap, shown),
    )  # fmt: skip


def _against_rate(ctx: Context, claim: DirectionClaim) -> Finding | None:
    """教育支出1595.95万元，完成年初预算97%，决算数大于预算数: the rate says less than the budget."""
    doc = ctx.doc
    sentence = doc.sentence_of(claim.start)
    rates = [
        link
        for link in ctx.completions
        if sentence.start <= link.claim.rate.start and link.claim.rate.end <= claim.start
    ]
    rate = rates[-1].claim.rate if rates else None
    if (
        rate is None
        or rate.kind != "percent"
        or rates[-1].claim.word not in ("", "执行率")
        or "预算" not in doc.norm[doc.clause_start(rate.start, sentence.start) : rate.start]
        or doc.quantities_in(rate.end, claim.start)
        or doc.mentions_in(rate.end, claim.start)
    ):
        ctx.skip("direction", "budget or actual not stated with a clear label")
        return None
    if rates[-1].difference is not None or figure_after(doc, claim.end) is not None:
        ctx.skip("direction", "the difference stated is checked with the completion rate (CMP001)")
        return None
    if not rate.exact:
        ctx.skip("direction", "budget or actual without a unit, or approximate")
        return None
    if len(budget_kinds(doc.norm[sentence.start : claim.end])) > 1:
        ctx.skip("direction", "the rate and the statement may be of two budgets")
        return None
    ctx.checked["direction"] += 1
    lo, hi = interval(rate)
    if claim.relation == ">":
        error, note = hi <= 100, rate.value <= 100
    elif claim.relation == "<":
        error, note = lo >= 100, rate.value >= 100
    else:
        error, note = not (lo <= 100 <= hi), rate.value != 100
    if not (error or note):
        return None
    real = "<" if hi <= 100 else ">" if lo >= 100 else "="
    said = _squeeze(claim.text)
    if error:
        message = f"完成率 {rate.text} 表明决算数{WORD[real]}预算数，所述却为“{said}”"
    else:
        half = fmt(0.5 * 10 ** (-rate.decimals), rate.decimals + 1)
        message = f"完成率 {rate.text} 与“{said}”只有在差额不足预算的 {half}% 时才同时成立"
    span = Span(rate.start, claim.end, doc.text[rate.start : claim.end])
    return make_finding(
        AGAINST_RATE, doc, span, message,
        stated=rate.value, evidence=[Evidence.of(rate, "rate")],
        suggestion="核对完成率与决算数、预算数的大小关系", severity=None if error else "info",
    )  # fmt: skip


def _roles(doc: Document, a: int, b: int) -> dict[str, list]:
    out: dict[str, list] = {"actual": [], "budget": []}
    for q in doc.quantities_in(a, b):
        lab = label(doc, q)
        if lab is None:
            continue
        if lab.role == "actual":
            out["actual"].append(q)
        else:
            out["budget"].append((q, lab.kind))
    return out


def _subject(doc: Document, claim: DirectionClaim) -> str | None:
    """The item a statement names (公务接待费支出决算数小于预算数), if it names one."""
    lo = max(0, claim.start - 30)
    cut = [m.end() for m in TERMINATOR.finditer(doc.norm, lo, claim.start)]
    named = [m for m in doc.mentions_in(cut[-1] if cut else lo, claim.end) if m.start < claim.start]
    return named[-1].metric if named else None


def _contradicts(relation: str, actual: Interval, budget: Interval) -> bool:
    """True when no values the two figures stand for satisfy the relation."""
    if relation == ">":
        return actual[1] <= budget[0]
    if relation == "<":
        return actual[0] >= budget[1]
    return not overlaps(actual, budget)


def _relation(a: float, b: float) -> str:
    return ">" if a > b else "<" if a < b else "="


# -- against last year -------------------------------------------------------------------------
def _sign(doc: Document, change) -> tuple[int, Quantity]:
    c = change.claim
    q = c.delta if c.delta is not None else c.rate
    if q.value == 0:
        return 0, q
    return (c.delta_sign if c.delta is not None else c.rate_sign), q


def _changes_in(ctx: Context, a: int, b: int, against: str = "prior") -> list[tuple[int, Quantity]]:
    """The changes from ``against`` (last year, or the budget) stated in a…b (a change against
    another year is left out)."""
    out = []
    for change in paced(ctx.changes):
        c = change.claim
        if not (a <= c.start and c.end <= b) or c.against != against:
            continue
        sign, q = _sign(ctx.doc, change)
        if q.kind not in ("money", "percent") or not q.exact:
            continue
        if ctx.doc.period_at(q.start, ctx.doc.sentence_of(q.start).start) not in ("", "prior"):
            continue
        out.append((sign, q))
    return out


def _prior(ctx: Context, claim: DirectionClaim, floor: int, sentences: _Sentences) -> Finding | None:
    doc = ctx.doc
    for a, b, _ in sentences.back(claim.start, floor):
        changes = _changes_in(ctx, a, b)
        if changes:
            break
    else:
        ctx.skip("direction", "no change against last year stated before")
        return None
    signs = {s for s, _ in changes}
    ctx.checked["direction"] += 1
    want = {"up": 1, "down": -1}.get(claim.relation)
    evidence = [Evidence.of(q, "change") for _, q in changes]
    if want is not None and signs == {-want}:
        return make_finding(
            CONTRADICTS, doc, claim,
            f"所述“{_squeeze(claim.text)}”，而前文的变动为{MOVE['up' if want < 0 else 'down']}"
            f"（{'、'.join(_squeeze(doc.text[q.start:q.end]) for _, q in changes)}）",
            evidence=evidence, suggestion="核对变动方向",
        )  # fmt: skip
    if want is None and 0 not in signs:
        return make_finding(
            UNCHANGED, doc, claim,
            f"所述“{_squeeze(claim.text)}”，而前文的变动不为零"
            f"（{'、'.join(_squeeze(doc.text[q.start:q.end]) for _, q in changes)}）",
            evidence=evidence, suggestion="核对是否持平",
        )  # fmt: skip
    return None


def _unchanged(ctx: Context, claim: DirectionClaim) -> Finding | None:
    doc = ctx.doc
    lo, hi = segment_bounds(doc, claim.start, claim.end)
    clause = _clause_start(doc, claim.start, lo)
    if clause_prefix(doc, claim.start) and not (
        doc.quantities_in(clause, claim.start) or doc.mentions_in(clause, claim.start)
    ):
        ctx.skip("direction", "持平 of an item not named as a figure")
        return None
    nearest = None
    # 比预算无增减变化，比去年增加0.5万元: the words compare with the budget, the figure with last year
    against = "budget" if "预算" in doc.norm[clause : claim.end] else "prior"
    for sign, q in _changes_in(ctx, lo, hi, against):
        gap = (q.end, claim.start) if q.end <= claim.start else (claim.end, q.start)
        if gap[0] > gap[1] or doc.mentions_in(*gap) or between_stop(doc, *gap):
            continue
        distance = gap[1] - gap[0]
        if nearest is None or distance < nearest[0]:
            nearest = (distance, sign, q)
    if nearest is None:
        ctx.skip("direction", "no change stated in the clause")
        return None
    ctx.checked["direction"] += 1
    _, sign, q = nearest
    if sign == 0:
        return None
    return make_finding(
        UNCHANGED, doc, claim,
        f"所述“{_squeeze(claim.text)}”，而同一句中的变动为 {_squeeze(doc.text[q.start:q.end])}",
        stated=q.value, expected=0.0, evidence=[Evidence.of(q, "change")], suggestion="核对是否持平",
    )  # fmt: skip


def _clause_start(doc: Document, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and doc.norm[i] not in "，,；;。：:":
        i -= 1
    return i + 1


def _squeeze(text: str) -> str:
    return "".join(text.split())


FAMILY = Family(prefix="DIR", rules=RULES, check=check)
