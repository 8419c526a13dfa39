"""CMP: 完成预算X% / 完成目标任务的X% / 执行率 against the two figures stated with it."""

from __future__ import annotations

from ..model import Evidence, Finding
from .arith import fmt, interval, ratio_percent
from .base import Family, Rule
from .context import Context
from .rounding import percent_finding

COMPLETION = Rule(
    code="CMP001",
    name="completion-rate-mismatch",
    severity="error",
    summary="完成预算X% does not equal the actual figure divided by the budget or target.",
    doc="""What it does
    Where a sentence states a budget or target and then the actual figure
    (`资金600万元，已支付500万元，完成预算100%`; `目标任务为76000万元，…到位资金77200万元，
    完成目标任务的101.57%`), recomputes the rate as actual ÷ target. The target's clause
    must name it as a budget, plan or target and the actual's clause as paid, executed,
    reached or completed; otherwise the claim is counted as unchecked.

Why it matters
    完成预算100% is often copied from the template whatever the figures say.

Example (flagged)
    财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付500万元，完成预算100%。

Passes instead
    财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付600万元，完成预算100%。
""",
    flagged=("财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付500万元，完成预算⟦100%⟧。",),
    passing=(
        "财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付600万元，完成预算100%。",
        "2019年“三公”经费财政拨款支出决算为7.34万元，完成预算100%。",
    ),
)

RULES = (COMPLETION,)


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for link in ctx.completions:
        rate = link.claim.rate
        if link.actual is None or link.target is None:
            ctx.skip("completion", link.reason)
            continue
        actual, target = link.actual, link.target
        if not (actual.exact and target.exact and rate.exact):
            ctx.skip("completion", "approximate figures")
            continue
        computed = ratio_percent(interval(actual), interval(target))
        if computed is None:
            ctx.skip("completion", "target is zero")
            continue
        ctx.checked["completion"] += 1
        exact = actual.base / target.base * 100
        arithmetic = f"{actual.text} ÷ {target.text} = {fmt(exact, 4)}%"
        evidence = [Evidence.of(rate, "rate"), Evidence.of(actual, "actual"), Evidence.of(target, "target")]
        finding = percent_finding(COMPLETION, doc, rate, computed, exact, arithmetic, evidence, "完成率")
        if finding is not None:
            out.append(finding)
    return out


FAMILY = Family(prefix="CMP", rules=RULES, check=check, emits=("CMP", "RND"))
