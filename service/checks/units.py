"""UNIT: figures with no unit where one is expected; 元 written for 万元; 万 written without 元."""

from __future__ import annotations

from collections import Counter

from ..model import Evidence, Finding
from .base import Family, Rule, make_finding
from .context import Context
from .equivalence import clusters, grouped, is_unit_slip

MISSING = Rule(
    code="UNIT001",
    name="missing-unit",
    severity="warning",
    summary="An amount or rate is written without its unit where one is expected.",
    doc="""What it does
    Flags a bare figure after a metric's name (`一般公共预算支出决算数为1504.31，`) or in
    rate position (`完成目标任务的137.67`), where the template puts 万元 or %.

Why it matters
    Without its unit a figure is ambiguous (元 or 万元, 137.67 or 137.67%); reviewers
    must be able to read each figure on its own.

Example (flagged)
    2019年一般公共预算支出决算数为1504.31，完成预算100%。

Passes instead
    2019年一般公共预算支出决算数为1504.31万元，完成预算100%。
""",
    flagged=(
        "2019年一般公共预算支出决算数为⟦1504.31⟧，完成预算100%。",
        "省内到位资金59200万元，完成目标任务的⟦137.67⟧。",
        "财政拨款收入支出总计1100.00万元，比上年增加100.00万元，增长⟦10.00⟧。",
    ),
    passing=(
        "2019年一般公共预算支出决算数为1504.31万元，完成预算100%。",
        "本单位属于全额拨款事业单位，机关运行经费为0。",
    ),
)

SLIP = Rule(
    code="UNIT002",
    name="unit-slip",
    severity="error",
    summary="The same figure is written once in 元 and once in 万元 (off by exactly 10⁴).",
    doc="""What it does
    Where one metric for one period is stated twice and the two values differ by a
    factor of 10,000 in units (888.73元 against 888.73万元), flags the statement whose
    unit is not the one the document uses for amounts.

Why it matters
    A slip of unit changes the amount ten-thousand-fold; it is reported apart from
    EQV001 because the fix is the unit, not the digits.

Example (flagged)
    2019年度收入总计888.73万元。2019年度收入支出总计888.73元。

Passes instead
    2019年度收入总计888.73万元。2019年度收入支出总计8887300元。
""",
    flagged=("2019年度收入总计888.73万元。2019年度收入支出总计⟦888.73元⟧。",),
    passing=("2019年度收入总计888.73万元。2019年度收入支出总计8887300元。",),
)

NO_YUAN = Rule(
    code="UNIT003",
    name="amount-without-yuan",
    severity="info",
    summary="An amount is written with 万 or 亿 but no 元 (增收4,376万): read as 万元, noted.",
    doc="""What it does
    Notes an amount written `N万` or `N亿` with nothing after it but the end of its clause,
    right after a word that names money (`安排资金19204.096万。`, `同比增收4,376万`). Tally
    reads it as 万元 (亿元) and checks it like any amount; the note only says that 元 is
    missing. `万人`, `万亩` and any 万 not after a word of money are not amounts of money and
    are read as before.

Why it matters
    The reading is unambiguous, so this is no contradiction; but a disclosure's template
    writes every amount with its unit, and reviewers may want the 元 restored.

Example (flagged)
    2022年一般公共预算收入完成3,000万元，同比增收200万。

Passes instead
    2022年一般公共预算收入完成3,000万元，同比增收200万元。
""",
    flagged=("2022年一般公共预算收入完成3,000万元，同比增收⟦200万⟧。",),
    passing=(
        "2022年一般公共预算收入完成3,000万元，同比增收200万元。",
        # not after a word of money: no amount at all
        "项目惠及群众1.2万，覆盖人口12万。",
    ),
)

RULES = (MISSING, SLIP, NO_YUAN)


def without_yuan(norm: str, q) -> bool:
    """A money figure written with its scale and no 元 (19204.096万): its tail names no 元.
    (A figure that took its unit from a list, 分别为356.10、360.40万元, has no tail of its own.)"""
    tail = norm[q.num_end : q.end]
    return q.kind == "money" and any(c in tail for c in "万亿") and not any(c in tail for c in "元圆")


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    # a bare amount after a metric's name, and a bare rate after 完成…的
    missing = {
        s.quantity.start: (s.quantity, f"“{s.mention.text}”的金额 {s.quantity.text} 未写计量单位（万元或元）", "万元")
        for s in ctx.statements.all
        # 机关运行经费为0: nothing is nothing in any unit
        if s.quantity.kind == "bare" and s.quantity.value != 0
    }
    rates = [link.claim.rate for link in ctx.completions] + [link.claim.rate for link in ctx.changes]
    for q in rates:
        if q is not None and q.kind == "bare":
            missing.setdefault(q.start, (q, f"比率 {q.text} 未写百分号", "%"))
    for q, message, unit in missing.values():
        out.append(
            make_finding(
                MISSING,
                doc,
                q,
                message,
                stated=q.value,
                evidence=[Evidence.of(q, "stated")],
                suggestion=f"补写单位：{q.text}{unit}",
            )
        )
    for q in doc.quantities:
        if without_yuan(doc.norm, q):
            out.append(
                make_finding(
                    NO_YUAN,
                    doc,
                    q,
                    f"金额 {q.text} 未写“元”，按{q.unit}读",
                    stated=q.value,
                    evidence=[Evidence.of(q, "stated")],
                    suggestion=f"补写单位：{q.text}元",
                )
            )
    units = Counter(q.unit for q in doc.quantities if q.kind == "money")
    usual = units.most_common(1)[0][0] if units else "万元"
    for (metric, _p, _m, _s), statements in grouped(ctx).items():
        groups = clusters(statements)
        if len(groups) < 2:
            continue
        for g in groups[1:]:
            if not is_unit_slip(g[0], groups[0][0]):
                continue
            a, b = groups[0][0], g[0]
            odd, ref = (b, a) if a.quantity.unit == usual else (a, b)
            out.append(
                make_finding(
                    SLIP,
                    doc,
                    odd.quantity,
                    f"{metric}一处为 {ref.quantity.text}，此处为 {odd.quantity.text}，数字相同而单位相差一万倍",
                    stated=odd.quantity.value,
                    evidence=[
                        Evidence.of(odd.quantity, "stated"),
                        Evidence.of(ref.quantity, "other-statement"),
                    ],
                    suggestion=f"核对单位，应为 {ref.quantity.unit}",
                )
            )
    return out


FAMILY = Family(prefix="UNIT", rules=RULES, check=check)
