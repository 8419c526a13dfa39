"""RND: differences that only truncation explains (info, never an error)."""

from __future__ import annotations

from .base import Rule

TRUNCATED = Rule(
    code="RND001",
    name="truncated-not-rounded",
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

RULES = (TRUNCATED,)
