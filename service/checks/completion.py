"""CMP: 完成预算X% / 完成目标任务的X% / 执行率 against the two figures stated with it: a budget and
its actual, or the part done and the part remaining (已支付X万元，未支付Y万元，支付率Z%)."""

from __future__ import annotations

from ..budget import paced
from ..model import Evidence, Finding
from .arith import add, fmt, interval, judge, overlaps, ratio_percent, sub
from .base import Family, Rule, make_finding
from .context import Context
from .rounding import percent_finding

COMPLETION = Rule(
    code="CMP001",
    name="completion-rate-mismatch",
    title="完成率与所列数字不符",
    severity="error",
    summary="完成预算X% does not equal the actual figure divided by the budget or target.",
    doc="""What it does
    Where a sentence states a budget or target and then the actual figure
    (`资金600万元，已支付500万元，完成预算100%`; `目标任务为76000万元，…到位资金77200万元，
    完成目标任务的101.57%`), recomputes the rate as actual ÷ target. The target's clause
    must name it as a budget, plan or target and the actual's clause as paid, executed,
    reached or completed; otherwise the claim is counted as unchecked.
    Where a rate with its own word (支付率, 执行率, 拨付率, 到位率) follows the part done and
    the part remaining (`项目资金支付820.50万元，未支付79.50万元，支付率90%`; `已执行450万元，
    结余50万元，执行率90%`; `到位180万元，未到位20万元，到位率90%`), the base is their sum:
    820.50 ÷ (820.50 + 79.50 = 900.00) = 91.17%. A budget stated before them must agree with
    that sum, else the claim is left unchecked.
    Where the one figure before the rate is the actual and the difference from the budget
    follows it (`支出1741.75万元，完成年初预算100%，决算数大于预算数55.93万元`, or `比年初预算
    增加55.93万元`), the budget is the actual less the difference (plus it for 小于 / 减少):
    1741.75 ÷ (1741.75 − 55.93 = 1685.82) = 103.32%. A sentence that names two budgets
    (年初 and 全年) is left unchecked.

Why it matters
    完成预算100% is often copied from the template whatever the figures say.

Example (flagged)
    财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付500万元，完成预算100%。

Passes instead
    财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付600万元，完成预算100%。
""",
    flagged=(
        "财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付500万元，完成预算⟦100%⟧。",
        # the target written inside the phrase
        "2023年“三公”经费支出决算为20.00万元，完成预算27万元的⟦63.2%⟧。",
        # the part done and the part remaining: the base is their sum (820.50 ÷ 900.00 = 91.17%)
        "2021年，项目资金支付820.50万元，未支付79.50万元，支付率⟦90%⟧。",
        "省级资金到位180万元，未到位20万元，到位率⟦95%⟧。",
        # the difference from the budget stated after the rate: 1741.75 ÷ (1741.75 − 55.93) = 103.32%
        "本单位一般公共预算财政拨款支出总计1741.75万元，完成年初预算⟦100%⟧，决算数大于预算数55.93万元。",
        "农林水支出212.40万元，完成年初预算⟦100%⟧，比年初预算减少12.60万元。",
    ),
    passing=(
        "2023年“三公”经费支出决算为20.00万元，完成预算27万元的74.1%。",
        "2021年，项目资金支付820.50万元，未支付79.50万元，支付率91.17%。",
        "项目已执行450万元，结余50万元，执行率90%。",
        "省级资金到位180万元，未到位20万元，到位率90%。",
        # a budget stated before them that their sum contradicts: which one the rate is of is unknown
        "安排资金1000万元，已支付820.50万元，未支付79.50万元，支付率90%。",
        "财政结转2018年省级内贸流通服务业示范县项目资金600万元，已支付600万元，完成预算100%。",
        "2019年“三公”经费财政拨款支出决算为7.34万元，完成预算100%。",
        "本单位一般公共预算财政拨款支出总计1741.75万元，完成年初预算103.32%，决算数大于预算数55.93万元。",
        "农林水支出212.40万元，完成年初预算94.4%，比年初预算减少12.60万元。",
        # the one figure is the budget; and a difference from another budget than the rate's
        "年初预算1741.75万元，完成年初预算100%，决算数大于预算数55.93万元。",
        "教育支出1741.75万元，完成年初预算100%，决算数大于全年预算数55.93万元。",
        # the rate after a 其中 part is the part's: the total's budget is not its target
        "“三公”经费支出年初预算为2.85万元，支出决算为0.39万元，完成预算的13.68%，其中：因公出国（境）费决算为"
        "0.00万元，完成预算的0.00%；公务接待费支出决算为0.39万元，完成预算的13.68%。",
    ),
)

ZERO_BASE = Rule(
    code="CMP002",
    name="completion-of-zero-budget",
    title="预算为零却有完成率",
    severity="error",
    summary="A completion rate is stated against a budget the text gives as 0.",
    doc="""What it does
    Where a rate names its budget (`完成年初预算的95.89%`) and that budget is stated as 0 in
    the same sentence (`年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元`), the rate is
    undefined: nothing can be a percentage of 0. The finding says which other budget the
    stated rate is of, when one is.

Why it matters
    The rate is of another budget (here the adjusted one) under the wrong name; a reader
    takes it for the completion of the budget the text names.

Example (flagged)
    一般公共预算财政拨款支出年初预算为0万元，全年预算为200.00万元，支出决算为190.00万元，完成年初预算的95.00%。

Passes instead
    一般公共预算财政拨款支出年初预算为0万元，全年预算为200.00万元，支出决算为190.00万元，完成全年预算的95.00%。
""",
    flagged=(
        "一般公共预算财政拨款支出年初预算为0万元，全年预算为200.00万元，支出决算为190.00万元，完成年初预算的⟦95.00%⟧。",
    ),
    passing=(
        "一般公共预算财政拨款支出年初预算为0万元，全年预算为200.00万元，支出决算为190.00万元，完成全年预算的95.00%。",
    ),
)

RULES = (COMPLETION, ZERO_BASE)


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for link in paced(ctx.completions):
        rate = link.claim.rate
        if link.remaining is not None or link.difference is not None:
            finding = _done_and_remaining(ctx, link) if link.remaining is not None else _difference(ctx, link)
            if finding is not None:
                out.append(finding)
            continue
        if link.actual is None or link.target is None:
            ctx.skip("completion", link.reason, link.claim)
            continue
        actual, target = link.actual, link.target
        if not (actual.exact and target.exact and rate.exact):
            ctx.skip("completion", "approximate figures", link.claim)
            continue
        computed = ratio_percent(interval(actual), interval(target))
        if computed is None:
            if target.value == 0 and link.claim.base:
                ctx.checked["completion"] += 1
                out.append(_zero_base(ctx, link, rate, actual, target))
            else:
                ctx.skip("completion", "target is zero", link.claim)
            continue
        ctx.checked["completion"] += 1
        exact = actual.base / target.base * 100
        arithmetic = f"{actual.text} ÷ {target.text} = {fmt(exact, 4)}%"
        evidence = [Evidence.of(rate, "rate"), Evidence.of(actual, "actual"), Evidence.of(target, "target")]
        finding = percent_finding(COMPLETION, doc, rate, computed, exact, arithmetic, evidence, "完成率")
        if finding is not None:
            out.append(finding)
    return out


def _done_and_remaining(ctx: Context, link) -> Finding | None:
    """支付X万元，未支付Y万元，支付率Z%: Z against X ÷ (X + Y)."""
    rate, done, remaining, stated = link.claim.rate, link.actual, link.remaining, link.target
    if not (done.exact and remaining.exact and rate.exact) or (stated is not None and not stated.exact):
        ctx.skip("completion", "approximate figures", link.claim)
        return None
    whole = add(interval(done), interval(remaining))
    if stated is not None and not overlaps(whole, interval(stated)):
        ctx.skip("completion", "the budget stated and the parts done and remaining disagree", link.claim)
        return None
    computed = ratio_percent(interval(done), whole)
    if computed is None:
        ctx.skip("completion", "target is zero", link.claim)
        return None
    ctx.checked["completion"] += 1
    total = done.base + remaining.base
    exact = done.base / total * 100
    shown = fmt(total / done.scale, max(done.decimals, remaining.decimals))
    arithmetic = f"{done.text} ÷ ({done.text} + {remaining.text} = {shown}{done.unit or ''}) = {fmt(exact, 4)}%"
    evidence = [Evidence.of(rate, "rate"), Evidence.of(done, "actual"), Evidence.of(remaining, "remaining")]
    if stated is not None:
        evidence.append(Evidence.of(stated, "target"))
    return percent_finding(
        COMPLETION, ctx.doc, rate, computed, exact, arithmetic, evidence, link.claim.word or "完成率"
    )


def _difference(ctx: Context, link) -> Finding | None:
    """支出X万元，完成预算Z%，决算数大于预算数D万元: Z against X ÷ (X − D) (X ÷ (X + D) for 小于)."""
    rate, actual, gap, over = link.claim.rate, link.actual, link.difference, link.over
    if not (actual.exact and gap.exact and rate.exact):
        ctx.skip("completion", "approximate figures", link.claim)
        return None
    budget = sub(interval(actual), interval(gap)) if over > 0 else add(interval(actual), interval(gap))
    computed = ratio_percent(interval(actual), budget)
    if computed is None:
        ctx.skip("completion", "target is zero", link.claim)
        return None
    ctx.checked["completion"] += 1
    base = actual.base - over * gap.base
    exact = actual.base / base * 100
    shown = fmt(base / actual.scale, max(actual.decimals, gap.decimals))
    sign = "−" if over > 0 else "+"
    arithmetic = f"{actual.text} ÷ ({actual.text} {sign} {gap.text} = {shown}{actual.unit or ''}) = {fmt(exact, 4)}%"
    evidence = [Evidence.of(rate, "rate"), Evidence.of(actual, "actual"), Evidence.of(gap, "difference")]
    return percent_finding(COMPLETION, ctx.doc, rate, computed, exact, arithmetic, evidence, "完成率")


def _zero_base(ctx: Context, link, rate, actual, target) -> Finding:
    """完成年初预算的X% with 年初预算 stated as 0: say which other figure the rate is of, if any."""
    doc = ctx.doc
    sentence = doc.sentence_of(rate.start)
    of = next(
        (
            q
            for q in doc.quantities_in(sentence.start, rate.start)
            if q.kind == actual.kind and q is not actual and q.value > 0
            and (iv := ratio_percent(interval(actual), interval(q))) is not None and judge(rate, iv) == "ok"
        ),
        None,
    )  # fmt: skip
    also = f"；{rate.text} = {actual.text} ÷ {of.text}，是对该数的完成率" if of is not None else ""
    evidence = [Evidence.of(rate, "rate"), Evidence.of(actual, "actual"), Evidence.of(target, "target")]
    if of is not None:
        evidence.append(Evidence.of(of, "other-target"))
    return make_finding(
        ZERO_BASE,
        doc,
        rate,
        f"所称{link.claim.base}为 {target.text}，完成率无从计算{also}",
        stated=rate.value,
        evidence=evidence,
        suggestion="写明完成率所对应的预算数（如全年预算）" if of is None else "改称所对应的预算数",
    )


FAMILY = Family(prefix="CMP", rules=RULES, check=check, emits=("CMP", "RND"))
