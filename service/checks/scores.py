"""SCO: the score tables of performance reports (绩效自评表) against their own totals."""

from __future__ import annotations

from functools import cache

from ..claims.scores import Figure, ScoreRow, ScoreTable, ScoreTableFinder
from ..model import Evidence, Finding
from .arith import EPS, Interval, add, fmt, overlaps
from .base import Family, Rule, make_finding
from .context import Context

SCORES = Rule(
    code="SCO001",
    name="scores-do-not-add-up",
    title="各项得分之和与总分不符",
    severity="error",
    summary="The item scores (得分) of a score table do not add up to its stated total score.",
    doc="""What it does
    Reads a score table (一级指标 / 二级指标 / 三级指标, 分值, 得分) flattened into text —
    cells between tabs, `|`, runs of spaces, or one cell a line — and adds up the scores
    of its items. The total is the score in the table's 合计 / 总分 row, a group's own row
    (产出指标 | | 40 | 38 above its items), or, for a table that ends where the text shows
    and whose 分值 add up to 100, the one 自评得分 / 综合得分 stated beside it.

Why it matters
    The total score decides the grade (优 / 良 / 中 / 差) and often the next year's
    budget. A total that its items cannot reach was copied from another year or another
    project, or an item's score was changed without the total.

Example (flagged)
    (cells between tabs, shown here between |)
    一级指标 | 二级指标 | 三级指标 | 分值 | 得分
    产出指标 | 数量指标 | 培训人数 | 30 | 28
             | 质量指标 | 合格率 | 30 | 30
    效益指标 | 社会效益 | 就业带动 | 30 | 27
    满意度指标 | 服务对象满意度 | 学员满意度 | 10 | 9
    合计 | | | 100 | 97

Passes instead
    The same table with 合计 100 94.

Rounding: a score written with d decimals stands for ± half a unit of its last digit,
and no score is more than its 分值, so a full-marks item (10 of 10) stands for 9.5–10.
Only a total that no such reading of the items reaches is an error. A table is read
only where its structure is unambiguous: a header naming one 分值 and one 得分 column,
and rows that fit it in exactly one way; anything else is counted as unchecked.
""",
    flagged=(
        "项目支出绩效自评表\n一级指标\t二级指标\t三级指标\t分值\t得分\n"
        "产出指标\t数量指标\t培训人数\t30\t28\n\t质量指标\t合格率\t30\t30\n"
        "效益指标\t社会效益\t就业带动\t30\t27\n满意度指标\t服务对象满意度\t学员满意度\t10\t9\n"
        "合计\t\t\t100\t⟦97⟧\n自评结论：优。",
        "项目名称：农机购置补贴 自评得分⟦95⟧分\n"
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n"
        "产出指标 | 数量指标 | 补贴台数 | 40 | 36 |\n"
        "质量指标 | 验收合格率 | 20 | 18 | |\n"
        "效益指标 | 社会效益 | 农户增收 | 30 | 27 |\n"
        "满意度指标 | 满意度 | 农户满意度 | 10 | 9 |\n"
        "说明：以上为自评结果。",
    ),
    passing=(
        "一级指标\t二级指标\t三级指标\t分值\t得分\n"
        "产出指标\t数量指标\t培训人数\t30\t28\n\t质量指标\t合格率\t30\t30\n"
        "效益指标\t社会效益\t就业带动\t30\t27\n满意度指标\t服务对象满意度\t学员满意度\t10\t9\n"
        "合计\t\t\t100\t94\n自评结论：优。",
        # scores written to one decimal: 9.5 + 9.5 + 9.5 = 28.5 against 28.5
        "一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t完成率\t10\t9.5\n"
        "\t质量指标\t合格率\t10\t9.5\n\t时效指标\t及时率\t10\t9.5\n合计\t\t\t30\t28.5\n以上。",
    ),
)

EXCEEDS = Rule(
    code="SCO002",
    name="score-exceeds-weight",
    title="得分超过分值",
    severity="error",
    summary="An item's score (得分) is more than its weight (分值).",
    doc="""What it does
    Reads a score table as SCO001 does and compares each item's 得分 with its 分值, and
    each group's score row with its weight.

Why it matters
    No indicator can score more than its weight: a score above it is a typing error
    or a score moved to the wrong row, and the total is wrong with it.

Example (flagged)
    一级指标 | 二级指标 | 三级指标 | 分值 | 得分
    产出指标 | 数量指标 | 培训人数 | 20 | 25

Passes instead
    一级指标 | 二级指标 | 三级指标 | 分值 | 得分
    产出指标 | 数量指标 | 培训人数 | 20 | 20

Rounding: the 分值 is the table's design and exact (a weight written with decimals
stands for ± half a unit of its last digit); a score stands for ± half a unit of its
last digit, so 10 against 9.5 is not flagged.
""",
    flagged=(
        "一级指标\t二级指标\t三级指标\t分值\t得分\n"
        "产出指标\t数量指标\t培训人数\t20\t⟦25⟧\n\t质量指标\t合格率\t20\t18\n以上。",
    ),
    passing=(
        "一级指标\t二级指标\t三级指标\t分值\t得分\n"
        "产出指标\t数量指标\t培训人数\t20\t20\n\t质量指标\t合格率\t20\t18\n以上。",
        "一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t完成率\t9.5\t10\n以上。",
    ),
)

WEIGHTS = Rule(
    code="SCO003",
    name="weights-do-not-add-up",
    title="各项分值之和与合计不符",
    severity="error",
    summary="The weights (分值) of a score table's items do not add up to a stated group or total weight.",
    doc="""What it does
    Reads a score table as SCO001 does and adds up its items' 分值: under each group whose
    weight is written in its label (项目决策（10分）) or in its own row, and in the 合计 row.
    A group is checked only where the table shows where it ends (the next group's label, a
    total row, or the text after the table), never in a table cut off inside it.

Why it matters
    The weights are the template of the evaluation: groups that do not add up mean an
    indicator was left out or its weight mistyped, and every score read against them is
    in doubt.

Example (flagged)
    一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |
    产出指标（40分） | 数量指标 | 培训人数 | 20 | 20 |
    质量指标 | 合格率 | 15 | 15 | |
    效益指标（60分） | 社会效益 | 就业带动 | 60 | 55 |

Passes instead
    The same table with 产出指标（35分）.

Rounding: integer weights are exact; a weight written with decimals stands for ± half
a unit of its last digit. An item row without a weight (an unused 指标2：) is left out
of the sum, and a group that falls short while holding such a row is not flagged.
""",
    flagged=(
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n"
        "产出指标（⟦40⟧分） | 数量指标 | 培训人数 | 20 | 20 |\n"
        "质量指标 | 合格率 | 15 | 15 | |\n"
        "效益指标（60分） | 社会效益 | 就业带动 | 60 | 55 |\n以上为自评情况。",
        "一级指标\t二级指标\t三级指标\t分值\t得分\n产出指标\t数量指标\t培训人数\t30\t28\n"
        "效益指标\t社会效益\t就业带动\t60\t55\n合计\t\t\t⟦100⟧\t83\n以上。",
    ),
    passing=(
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n"
        "产出指标（35分） | 数量指标 | 培训人数 | 20 | 20 |\n"
        "质量指标 | 合格率 | 15 | 15 | |\n"
        "效益指标（60分） | 社会效益 | 就业带动 | 60 | 55 |\n以上为自评情况。",
        # cut off inside 效益指标: its group is not known to be complete
        "一级指标 | 二级指标 | 三级指标 | 分值 | 得分 |\n"
        "产出指标（35分） | 数量指标 | 培训人数 | 20 | 20 |\n"
        "质量指标 | 合格率 | 15 | 15 | |\n"
        "效益指标（60分） | 社会效益 | 就业带动 | 30 | 28 |\n"
        "可持续影响 | 长效机制",
    ),
)

RULES = (SCORES, EXCEEDS, WEIGHTS)
FULL_MARKS = 100.0


@cache
def _finder() -> ScoreTableFinder:
    return ScoreTableFinder()


def _weight_iv(f: Figure) -> Interval:
    """A weight: exact when written as an integer, else ± half a unit of its last digit."""
    h = f.half if f.decimals else 0.0
    return f.value - h, f.value + h


def _score_iv(row: ScoreRow) -> Interval:
    """An item's score: ± half a unit of its last digit, never below 0 nor above its weight."""
    s = row.score
    lo, hi = max(0.0, s.value - s.half), s.value + s.half
    if row.weight is not None:
        cap = _weight_iv(row.weight)[1]
        if lo <= cap:
            hi = min(hi, cap)
    return lo, hi


def _ev(f: Figure, role: str) -> Evidence:
    return Evidence.at(f, role, f.value)


def _sum(ivs: list[Interval]) -> Interval:
    return add(*ivs) if ivs else (0.0, 0.0)


def _short(x: float) -> str:
    """A bound the way a score is written: 98, 89.5, 92.25."""
    return fmt(x, 2).rstrip("0").rstrip(".")


def _point(values: list[float]) -> float:
    return round(sum(values), 6)


def check(ctx: Context) -> list[Finding]:
    if "分" not in ctx.doc.norm:
        return []
    found = ctx.found["scores"] if "scores" in ctx.found else _finder().find(ctx.doc.norm)
    for reason in found.unread:
        ctx.skip("score-table", reason.removeprefix("score table: "))
    out: list[Finding] = []
    for table in found.tables:
        ctx.checked["score-table"] += 1
        out += _exceeding(ctx, table)
        out += _weights(ctx, table)
        out += _scores(ctx, table)
    return out


def _exceeding(ctx: Context, table: ScoreTable) -> list[Finding]:
    out = []
    for row in table.rows:
        if row.weight is None or row.score is None:
            continue
        if row.score.value - row.score.half > _weight_iv(row.weight)[1] + EPS:
            out.append(
                make_finding(
                    EXCEEDS,
                    ctx.doc,
                    row.score,
                    f"得分 {row.score.text} 超过该项分值 {row.weight.text}",
                    stated=row.score.value,
                    expected=row.weight.value,
                    evidence=[_ev(row.score, "score"), _ev(row.weight, "weight")],
                    suggestion="核对该项得分或分值",
                )
            )
    return out


def _weighted(items) -> tuple[list[ScoreRow], bool]:
    """The items that have a weight, and whether some item row has none (指标2： left empty)."""
    weighted = [r for r in items if r.weight is not None]
    return weighted, len(weighted) < len(items)


def _weight_finding(ctx, stated: Figure, items: list[ScoreRow], blank: bool, what: str) -> Finding | None:
    ivs = [_weight_iv(r.weight) for r in items]
    total = _sum(ivs)
    target = _weight_iv(stated)
    if overlaps(total, target) or (blank and total[1] < target[0]):
        return None
    point = _point([r.weight.value for r in items])
    decimals = max([stated.decimals, *(r.weight.decimals for r in items)])
    shown = "+".join(r.weight.text for r in items)
    return make_finding(
        WEIGHTS,
        ctx.doc,
        stated,
        f"{what}分值 {stated.text}，而所列各项分值合计 {fmt(point, decimals)}（{shown}）",
        stated=stated.value,
        expected=point,
        evidence=[_ev(stated, "total"), *(_ev(r.weight, "part") for r in items)],
        suggestion="核对各项分值或合计分值",
    )


def _weights(ctx: Context, table: ScoreTable) -> list[Finding]:
    out = []
    for group in table.groups:
        items, blank = _weighted(group.items)
        if not items:
            continue
        f = _weight_finding(ctx, group.weight, items, blank, f"{group.label.key}的")
        if f is not None:
            out.append(f)
    total = table.total
    if total is not None and total.weight is not None:
        items, blank = _weighted(table.items)
        f = _weight_finding(ctx, total.weight, items, blank, "合计")
        if f is not None:
            out.append(f)
    return out


def _score_finding(ctx, stated: Figure, items: list[ScoreRow], what: str) -> Finding | None:
    if any(r.weight is not None and r.score is None for r in items):
        ctx.skip("score-table", "an item without its score")
        return None
    scored = [r for r in items if r.score is not None]
    if not scored:
        return None
    computed = _sum([_score_iv(r) for r in scored])
    if overlaps(computed, stated.interval()):
        return None
    point = _point([r.score.value for r in scored])
    decimals = max([stated.decimals, *(r.score.decimals for r in scored)])
    shown = "+".join(r.score.text for r in scored)
    return make_finding(
        SCORES,
        ctx.doc,
        stated,
        f"{what} {stated.text} 分，而各项得分合计 {fmt(point, decimals)} 分（{shown}）；"
        f"计入四舍五入、每项不超过其分值，合计只能在 {_short(computed[0])}–{_short(computed[1])} 分之间",
        stated=stated.value,
        expected=point,
        evidence=[_ev(stated, "total"), *(_ev(r.score, "part") for r in scored)],
        suggestion="核对各项得分或总分",
    )


def _scores(ctx: Context, table: ScoreTable) -> list[Finding]:
    out = []
    for group in table.groups:
        if group.score is not None and group.items:
            f = _score_finding(ctx, group.score, list(group.items), f"{group.label.key}得分")
            if f is not None:
                out.append(f)
    stated = table.total.score if table.total is not None else None
    what = "合计得分"
    if stated is None and table.stated_total is not None and table.closed:
        # a total stated beside the table is this table's only when the table holds every
        # item: its weights add up to full marks
        items, _ = _weighted(table.items)
        if items and overlaps(_sum([_weight_iv(r.weight) for r in items]), (FULL_MARKS, FULL_MARKS)):
            stated, what = table.stated_total, "自评总分"
    if stated is not None:
        f = _score_finding(ctx, stated, table.items, what)
        if f is not None:
            out.append(f)
    return out


FAMILY = Family(prefix="SCO", rules=RULES, check=check)
