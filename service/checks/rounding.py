"""RND: differences that only truncation explains (info, never an error)."""

from __future__ import annotations

from .arith import fmt, judge
from .base import Family, Rule, figure_fix, make_finding

TRUNCATED = Rule(
    code="RND001",
    name="truncated-not-rounded",
    title="百分比截断而非四舍五入",
    severity="info",
    summary="A recomputed percentage matches the stated one only if digits were cut, not rounded.",
    doc="""What it does
    Notes a share, growth rate or completion rate whose stated figure equals the
    recomputed value cut off (truncated) at the stated precision, where rounding would
    give the next digit up: 916.08 ÷ 1504.31 = 60.8977%, written 60.89% (rounds to 60.90%).

Why it matters
    Truncation is a habit, not a contradiction: the figure is not wrong, only imprecise.
    It is reported at info level so that a reviewer can decide; it is never an error.

Example (flagged)
    资源勘探信息支出588.23万元，占39.1%；商业服务业等支出916.08万元，占60.89%。

Passes instead
    商业服务业等支出916.08万元，占60.90%。
""",
    flagged=(
        "2019年一般公共预算财政拨款支出1504.31万元，主要用于以下方面：资源勘探信息支出588.23万元，"
        "占39.1%；商业服务业等支出916.08万元，占⟦60.89%⟧。",
    ),
    passing=(
        "2019年一般公共预算财政拨款支出1504.31万元，主要用于以下方面：资源勘探信息支出588.23万元，"
        "占39.1%；商业服务业等支出916.08万元，占60.90%。",
    ),
)


ROUNDED_SUM = Rule(
    code="RND002",
    name="sum-only-by-rounding",
    title="分项之和仅因舍入与合计不符",
    severity="info",
    summary="Parts differ from their total as written, and only rounding of every part can explain it.",
    doc="""What it does
    Notes a total whose parts, added as written, miss it (55 grants of whole 万元 adding
    to 451 against a stated 450), where the difference is still within what rounding each
    part to its last digit could produce, so it cannot be called an error.

Why it matters
    Amounts allocated in whole 万元 are usually exact, and then the list is wrong; but
    the text alone cannot prove it. A reviewer decides.

Example (flagged)
    共安排资金30万元，其中：甲单位10万元、乙单位10万元、丙单位11万元。

Passes instead
    共安排资金31万元，其中：甲单位10万元、乙单位10万元、丙单位11万元。
""",
    flagged=("共安排资金⟦30万元⟧，其中：甲单位10万元、乙单位10万元、丙单位11万元。",),
    passing=("共安排资金31万元，其中：甲单位10万元、乙单位10万元、丙单位11万元。",),
)

RULES = (TRUNCATED, ROUNDED_SUM)
# no check of its own: the sums, shares, changes and completion checks emit these
FAMILY = Family(prefix="RND", rules=RULES)


def percent_finding(rule: Rule, doc, stated, computed, exact: float, arithmetic: str, evidence, what: str):
    """The finding for a stated percentage against the interval recomputed from its figures:
    None when rounding explains it, RND001 when only truncation does, ``rule`` otherwise."""
    verdict = judge(stated, computed)
    if verdict == "ok":
        return None
    if verdict == "truncated":
        shown = fmt(exact, stated.decimals)
        return make_finding(
            TRUNCATED,
            doc,
            stated,
            f"{what} {stated.text} 为截断值，四舍五入应为 {shown}%（{arithmetic}）",
            stated=stated.value,
            expected=round(exact, stated.decimals),
            evidence=evidence,
            suggestion=f"改为 {shown}%",
            fix=figure_fix(stated, shown),
        )
    d = max(stated.decimals, 2)
    return make_finding(
        rule,
        doc,
        stated,
        f"{what}应为 {fmt(exact, d)}%（{arithmetic}），所述为 {stated.text}",
        stated=stated.value,
        expected=round(exact, d),
        evidence=evidence,
        # written at the report's own precision: 改为 25%, 改为 0.85%
        suggestion=f"改为 {fmt(exact, stated.decimals)}%",
        fix=figure_fix(stated, fmt(exact, stated.decimals)),
    )
