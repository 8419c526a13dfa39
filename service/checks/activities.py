"""ACT: what a unit says it did (购置公务用车7辆, 无新购车辆) against what it says it spent on it."""

from __future__ import annotations

from ..claims import Activity
from ..model import Evidence, Finding, Statement
from .base import Family, Rule, make_finding
from .context import Context

WITHOUT_EXPENSE = Rule(
    code="ACT001",
    name="activity-without-expense",
    title="有事项而支出为零",
    severity="error",
    summary="An activity said to have happened (购置公务用车7辆) whose expense is stated as 0.",
    doc="""What it does
    Reads the activities that the 三公 paragraphs count (购置公务用车N辆, 因公出国（境）团组N个,
    公务接待N批次; patterns/claims.toml ``[activities]``) and the expense of the same period,
    measure and scope (公务用车购置费, 因公出国（境）费, 公务接待费). A count above zero
    against an expense stated as 0 is flagged on the count.

Why it matters
    Vehicles bought with the appropriation cost money: either the count is another figure
    put in its place (the vehicles held at year end, 保有量) or the expense was left out of
    the total.

Example (flagged)
    公务用车购置费0万元，公务用车运行维护费12.60万元。本年度使用财政拨款购置公务用车3辆。

Passes instead
    公务用车购置费0万元，公务用车运行维护费12.60万元。本年度未购置公务用车，年末保有3辆。
""",
    flagged=(
        "2023年公务用车购置费0万元，公务用车运行维护费12.60万元。本年度使用财政拨款⟦购置公务用车3辆⟧，"
        "年末公务用车保有量3辆。",
        "2023年公务接待费0万元。全年共接待⟦国内公务接待12批次⟧，86人次。",
    ),
    passing=(
        "2023年公务用车购置费0万元，公务用车运行维护费12.60万元。本年度未购置公务用车，年末公务用车保有量3辆。",
        "2023年公务用车购置费25.00万元，本年度使用财政拨款购置公务用车1辆。",
        # last year's purchase is no contradiction of this year's nothing
        "2023年公务用车购置费0万元。2022年购置公务用车2辆。",
    ),
)

WITHOUT_ACTIVITY = Rule(
    code="ACT002",
    name="expense-without-activity",
    title="无事项而有支出",
    severity="error",
    summary="An expense above 0 for an activity said not to have happened (无新购车辆, 无因公出国).",
    doc="""What it does
    Reads the words that say an activity did not happen (无新购车辆, 未购置公务用车, 无因公出国
    （境）团组, 未发生公务接待), or a count of 0, and flags the expense of the same period,
    measure and scope when it is stated above 0.

Why it matters
    The text says nothing was bought and also what the purchase cost: one of the two is a
    residue of another year's text or of another item.

Example (flagged)
    公务用车购置费18.50万元，公务用车运行维护费6.20万元。本年度无新购车辆。

Passes instead
    公务用车购置费0万元，公务用车运行维护费6.20万元。本年度无新购车辆。
""",
    flagged=(
        "2023年公务用车购置费⟦18.50万元⟧，公务用车运行维护费6.20万元。本年度无新购车辆，年末保有2辆。",
        "2023年因公出国（境）费⟦3.20万元⟧，公务接待费1.10万元。本年度无因公出国（境）团组。",
    ),
    passing=(
        "2023年公务用车购置费0万元，公务用车运行维护费6.20万元。本年度无新购车辆，年末保有2辆。",
        "2023年因公出国（境）费0万元，公务接待费1.10万元。本年度无因公出国（境）团组。",
        "2023年公务用车购置费18.50万元。2022年无新购车辆。",
    ),
)

RULES = (WITHOUT_EXPENSE, WITHOUT_ACTIVITY)


def _expenses(ctx: Context, a: Activity) -> list[Statement]:
    """The exact money statements of the activity's expense, in its period, measure and scope."""
    return [
        s
        for s in ctx.statements.by_metric.get(a.metric, ())
        if s.quantity.kind == "money"
        and s.quantity.exact
        and (s.period, s.measure, s.scope) == (a.period, a.measure, a.scope)
    ]


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    flagged: set[int] = set()
    for a in ctx.found.get("activities", ()):
        expenses = _expenses(ctx, a)
        if not expenses:
            continue
        ctx.checked["activity"] += 1
        if a.count > 0:
            zero = next((s for s in expenses if s.quantity.base == 0), None)
            if zero is None or any(s.quantity.base > 0 for s in expenses):
                continue  # an expense stated both ways is EQV001's
            out.append(
                make_finding(
                    WITHOUT_EXPENSE,
                    ctx.doc,
                    a,
                    f"文中称“{a.text}”，而同期{zero.mention.text}为 {zero.quantity.text}：有此事项却无支出",
                    stated=float(a.count),
                    expected=0.0,
                    evidence=[Evidence.at(a, "activity", float(a.count)), Evidence.of(zero.quantity, "expense")],
                    suggestion=f"核对{a.metric}与所述数量（如将年末保有数误作购置数），二者必有一处有误",
                )
            )
            continue
        stated = [s for s in expenses if s.quantity.base > 0]
        if not stated:
            continue
        # the figure nearest the words is the one they contradict (the same one restated
        # elsewhere is EQV001's to compare)
        s = min(stated, key=lambda s: abs(s.quantity.start - a.start))
        if id(s.quantity) in flagged:
            continue
        flagged.add(id(s.quantity))
        said = f"文中称“{a.text}”" if a.said_none else f"文中所述数量为 0（“{a.text}”）"
        out.append(
            make_finding(
                WITHOUT_ACTIVITY,
                ctx.doc,
                s.quantity,
                f"{said}，而同期{s.mention.text}为 {s.quantity.text}",
                stated=s.quantity.value,
                expected=0.0,
                evidence=[Evidence.of(s.quantity, "expense"), Evidence.at(a, "activity", 0.0)],
                suggestion=f"核对{a.metric}与所述情况，二者必有一处有误",
            )
        )
    return out


FAMILY = Family(prefix="ACT", rules=RULES, check=check)
