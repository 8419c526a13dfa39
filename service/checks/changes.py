"""CHG: 增加/减少X and 增长/下降Y% against this year's and last year's figures."""

from __future__ import annotations

import math

from ..budget import paced
from ..claims import table_changes
from ..model import Evidence, Finding, Span
from .arith import Interval, add, divide_percent, fmt, interval, judge, overlaps, ratio_percent, sub
from .base import Family, Rule, figure_fix, make_finding
from .context import Context
from .equivalence import clusters, grouped
from .rounding import percent_finding

WRONG_BASE = Rule(
    code="CHG001",
    name="rate-on-wrong-base",
    title="变动率基数用错",
    severity="error",
    summary="A growth rate was computed on this year's figure instead of last year's.",
    doc="""What it does
    For `增加X万元，增长Y%` with this year's figure stated, last year's figure is this year's
    minus the change; the rate must be change ÷ last year. When the stated rate instead
    equals change ÷ this year, the rate was computed on the wrong base; the finding gives
    the right rate. When the change equals this year's figure (a unit set up this year, a
    new item), last year was nothing and no growth rate exists: a stated 100% is the change
    ÷ this year, and is reported the same way.

Why it matters
    The error is systematic (it understates growth and overstates decline) and common
    in hand-made reports: 增加784.88万元，增长52.17% where 52.17% = 784.88 ÷ 1504.31 but
    the growth over last year's 719.43 is 109.10%.

Example (flagged)
    2019年公务接待费支出0.36万元。公务接待费支出决算比2018年增加0.08万元，增长22.22%。

Passes instead
    公务接待费支出决算比2018年增加0.08万元，增长28.57%。
""",
    flagged=(
        "2019年公务接待费支出0.36万元，完成预算100%。公务接待费支出决算比2018年增加0.08万元，增长⟦22.22%⟧。",
        # last year was nothing: 100% is the change over this year, and no growth rate exists
        "某中心2024年度收入支出总计120.50万元。与2023年度相比，收入支出总计增加⟦120.50万元，增长100.00%⟧。"
        "主要原因：单位于2024年成立。",
        "2019年一般公共预算财政拨款支出1504.31万元，与2018年相比，一般公共预算财政拨款增加784.88万元，增长⟦52.17%⟧。",
    ),
    passing=(
        "2019年公务接待费支出0.36万元，完成预算100%。公务接待费支出决算比2018年增加0.08万元，增长28.57%。",
        "某中心2024年度收入支出总计241.00万元。与2023年度相比，收入支出总计增加120.50万元，增长100.00%。",
        # 1万元 up by 0.5万元: last year may be 0.5 (100%), not provably nothing
        "2019年公务接待费1万元，比上年增加0.5万元，增长100%。",
    ),
)

RATE = Rule(
    code="CHG002",
    name="growth-rate-mismatch",
    title="变动率与所列数字不符",
    severity="error",
    summary="A growth or decline rate does not match the change and last year's figure.",
    doc="""What it does
    Recomputes 增长/下降Y% as change ÷ last year's figure, where last year's figure is
    written (`比2018（70.14）年`) or follows from this year's figure and the change (written
    either way round: `增加X万元，增长Y%` or `同比增长Y%，增收X万元`); or, for
    two years' figures written in one sentence (`2016年…78272万元，2018年…42513万元，
    下降了45.69％`), as (later − earlier) ÷ earlier.

Why it matters
    A rate that matches neither base is a plain arithmetic error in the disclosure.

Example (flagged)
    2019年一般公共预算财政拨款支出1000万元，比2018年增加200万元，增长30%。  (200 ÷ 800 = 25%)

Passes instead
    2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元，下降33.77%。
""",
    flagged=(
        "2019年一般公共预算财政拨款支出1000万元，比2018年增加200万元，增长⟦30%⟧。",
        # the change's clause names nothing: it speaks of the figure ending the clause before it
        "2021年收入总预算420.00万元，同比增加20.00万元，同比增长⟦4.5%⟧。",
        # past a clause of its share, even one the template left blank
        "商品和服务支出预算75800元，占基本支出预算%，同比增加52044.27元，增长⟦50.63%⟧。",
        # the change's sentence names nothing: it speaks of the figure of the sentence before it
        "2020年一般公共预算财政拨款支出1,200.00万元。比上年增加100.00万元，增长⟦9.5%⟧。",
        # the rate before its amount: 200 ÷ (1,200 − 200) = 20%
        "2022年地方一般公共预算收入完成1,200万元，同比增长⟦15%⟧，增收200万元。",
        # a flattened table: two years' rows and the row of their changes
        "年度 | 合计 | 公务接待费 | 车辆购置 |\n2019年 | 500 | 300 | 200 |\n2020年 | 450 | 290 | 160 |\n"
        "2020年比2019年增减% | -10.00 | -3.33 | ⟦-25.00⟧ |",
        # last year's figure written in the change itself
        "2023年公务接待费4.80万元，较上年的5.16万元下降⟦8.50%⟧。",
    ),
    passing=(
        "2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元，下降33.77%。",
        "2023年公务接待费4.80万元，较上年的5.16万元下降6.98%。",
        "2021年收入总预算420.00万元，同比增加20.00万元，同比增长5.0%。",
        "2021年收入总预算420.00万元，其中项目经费同比增加20.00万元，增长12.5%。",
        "2022年地方一般公共预算收入完成1,200万元，同比增长20%，增收200万元。",
        "年度 | 合计 | 公务接待费 | 车辆购置 |\n2019年 | 500 | 300 | 200 |\n2020年 | 450 | 290 | 160 |\n"
        "2020年比2019年增减% | -10.00 | -3.33 | -20.00 |",
    ),
)

AMOUNT = Rule(
    code="CHG003",
    name="change-amount-mismatch",
    title="变动额与两年数字不符",
    severity="error",
    summary="增加/减少X does not equal this year's figure minus last year's.",
    doc="""What it does
    Where both years' figures are written (`46.45万元，比2018（70.14）年减少23.69万元`),
    checks that the stated change is their difference.

Why it matters
    One of the three figures is wrong, and every rate computed from them is too.

Example (flagged)
    2019年机关运行经费支出46.45万元，比2018（70.14）年减少20.69万元。  (70.14 − 46.45 = 23.69)

Passes instead
    2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元。
""",
    flagged=(
        "2019年机关运行经费支出46.45万元，比2018（70.14）年减少⟦20.69万元⟧。",
        "2023年公务接待费4.80万元，较上年 5.16 减少 ⟦0.12 万元⟧。",
    ),
    passing=(
        "2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元。",
        "2023年公务接待费4.80万元，较上年 5.16 减少 0.36 万元。",
    ),
)

DIRECTION = Rule(
    code="CHG004",
    name="direction-contradiction",
    title="增减方向自相矛盾",
    severity="error",
    summary="增加 with 下降, or 减少 where the figures went up.",
    doc="""What it does
    Flags a change whose direction words disagree with each other (`增加0.08万元，下降28.57%`)
    or with the two years' figures as written (`46.45万元，比2018（40.14）年减少…`).

Why it matters
    A reader cannot tell whether spending rose or fell; one of the words is wrong.

Example (flagged)
    2019年公务接待费支出0.36万元，比2018年增加0.08万元，下降28.57%。

Passes instead
    2019年公务接待费支出0.36万元，比2018年增加0.08万元，增长28.57%。
""",
    flagged=("2019年公务接待费支出0.36万元，比2018年增加0.08万元，下降⟦28.57%⟧。",),
    passing=("2019年公务接待费支出0.36万元，比2018年增加0.08万元，增长28.57%。",),
)

PART_CHANGES = Rule(
    code="CHG005",
    name="part-changes-do-not-add-up",
    title="分项变动额之和与合计不符",
    severity="error",
    summary="A total's change does not equal the sum of its parts' changes (from last year or from the budget).",
    doc="""What it does
    Where a total and every one of its template parts (patterns/identities.toml: 三公 = 出国 +
    车辆 + 接待 …) each have a change from the same reference, stated (`比预算数减少107万元`,
    `比上年增加14.79万元`) or following from two stated figures (`预算为89.90万元，支出决算为
    57.53万元`), the parts' changes must add up to the total's: a total is the sum of its parts
    in both years, so its change is the sum of theirs. The finding sits on the total's stated
    change, or on its budget (last year's figure) when the change follows from the figures.

Why it matters
    A total's change that its parts do not explain means the total's budget (or last year's
    figure) was mistyped, or a part's change was; the three figures cannot all be right.

Example (flagged)
    “三公”经费支出总额为300万元，比预算数减少120万元。因公出国（境）费50万元，比预算数减少10万元。
    公务接待费100万元，比预算数减少50万元。公务用车购置及运行维护费150万元，比预算数减少40万元。
    (10 + 50 + 40 = 100)

Passes instead
    the same with 比预算数减少100万元 for the total.
""",
    flagged=(
        "2020年“三公”经费支出总额为300万元，比预算数减少⟦120万元⟧。2020年因公出国（境）费50万元，比预算数减少10万元。"
        "2020年公务接待费100万元，比预算数减少50万元。2020年公务用车购置及运行维护费150万元，比预算数减少40万元。",
        "2020年“三公”经费支出预算为⟦90.00万元⟧，支出决算为60.00万元。\n因公出国（境）费支出0万元，决算比预算数增加（减少）"
        "0万元。\n公务用车购置及运行维护费支出50.00万元，决算数比预算数减少20.00万元。\n公务接待费支出10.00万元，"
        "决算数比预算数减少5.00万元。",
    ),
    passing=(
        "2020年“三公”经费支出总额为300万元，比预算数减少100万元。2020年因公出国（境）费50万元，比预算数减少10万元。"
        "2020年公务接待费100万元，比预算数减少50万元。2020年公务用车购置及运行维护费150万元，比预算数减少40万元。",
        # a part without a change from the same reference leaves the sum unproven
        "2020年“三公”经费支出总额为300万元，比预算数减少120万元。2020年公务接待费100万元，比预算数减少50万元。"
        "2020年公务用车购置及运行维护费150万元，比预算数减少40万元。",
    ),
)

RULES = (WRONG_BASE, RATE, AMOUNT, DIRECTION, PART_CHANGES)

WORD = {1: "增加", -1: "减少"}


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for link in paced(ctx.changes):
        c = link.claim
        delta, rate, current = c.delta, c.rate, link.current
        if link.earlier is not None and rate is not None and current is not None:
            out.extend(_two_years(ctx, rate, c.rate_sign, link.earlier, current))
            continue
        if delta is None or c.delta_sign == 0:
            ctx.skip("change", "rate without an amount of change", c)
            continue
        if rate is not None and c.rate_sign and c.rate_sign != c.delta_sign:
            ctx.checked["change"] += 1
            out.append(
                make_finding(
                    DIRECTION,
                    doc,
                    rate,
                    f"变动方向矛盾：金额为“{WORD[c.delta_sign]}{delta.text}”，比率却为"
                    f"“{'增长' if c.rate_sign > 0 else '下降'}{rate.text}”",
                    stated=rate.value,
                    evidence=[Evidence.of(delta, "change"), Evidence.of(rate, "rate")],
                    suggestion="核对变动方向",
                )
            )
            continue
        if not delta.exact or (rate is not None and not rate.exact):
            ctx.skip("change", "approximate figures", c)
            continue
        d_iv = interval(delta)
        counted = False
        prior_iv: Interval | None = None
        evidence = [Evidence.of(delta, "change")]
        if c.prior is not None:
            prior_iv = interval(c.prior)
            evidence.append(Evidence.of(c.prior, "prior"))
        if current is not None:
            evidence.insert(0, Evidence.of(current, "current"))
            cur_iv = interval(current)
            if prior_iv is not None:
                counted = True  # both years are written: the claim is checked from here on
                ctx.checked["change"] += 1
                diff = current.base - c.prior.base
                if diff and (diff > 0) != (c.delta_sign > 0) and abs(diff) > delta.half_unit * 2:
                    out.append(
                        make_finding(
                            DIRECTION,
                            doc,
                            delta,
                            f"本年 {current.text} 与上年 {c.prior.text} 相比实为"
                            f"{WORD[1 if diff > 0 else -1]}，所述为“{WORD[c.delta_sign]}”",
                            stated=delta.value,
                            expected=round(abs(diff) / delta.scale, delta.decimals),
                            evidence=evidence,
                            suggestion="核对变动方向",
                        )
                    )
                    continue
                moved = sub(cur_iv, prior_iv) if c.delta_sign > 0 else sub(prior_iv, cur_iv)
                moved_in_unit = (moved[0] / delta.scale, moved[1] / delta.scale)
                if judge(delta, moved_in_unit) == "off":
                    expected = abs(diff) / delta.scale
                    out.append(
                        make_finding(
                            AMOUNT,
                            doc,
                            delta,
                            f"变动额应为 {fmt(expected, delta.decimals)}（{current.text} 与上年 "
                            f"{c.prior.text} 之差），所述为 {delta.text}",
                            stated=delta.value,
                            expected=round(expected, delta.decimals),
                            evidence=evidence,
                            suggestion=f"改为 {fmt(expected, delta.decimals)}",
                            fix=figure_fix(delta, fmt(expected, delta.decimals)),
                        )
                    )
                    continue
            else:
                prior_iv = sub(cur_iv, d_iv) if c.delta_sign > 0 else add(cur_iv, d_iv)
        if rate is None or prior_iv is None:
            if not counted:
                ctx.skip("change", "no figure for either year", c)
            continue
        computed = ratio_percent(d_iv, prior_iv)
        if computed is None:
            finding = _new_item(doc, rate, delta, current, prior_iv, evidence)
            if finding is not None:
                out.append(finding)
                if not counted:
                    ctx.checked["change"] += 1
            elif not counted:
                ctx.skip("change", "last year's figure is zero or negative", c)
            continue
        if not counted:
            ctx.checked["change"] += 1
        prior_value = (prior_iv[0] + prior_iv[1]) / 2
        exact = delta.base / prior_value * 100
        evidence.append(Evidence.of(rate, "rate"))
        unit_d = max(delta.decimals, 2)
        arithmetic = (
            f"{fmt(delta.value, delta.decimals)} ÷ 上年 {fmt(prior_value / delta.scale, unit_d)} = {fmt(exact, 4)}%"
        )
        on_current = ratio_percent(d_iv, interval(current)) if current is not None else None
        if judge(rate, computed) == "off" and on_current is not None and judge(rate, on_current) != "off":
            d = max(rate.decimals, 2)
            out.append(
                make_finding(
                    WRONG_BASE,
                    doc,
                    rate,
                    f"变动率应以上年数为基数：{arithmetic}；所述 {rate.text} 等于 "
                    f"{fmt(delta.value, delta.decimals)} ÷ 本年 {current.text}，基数用错",
                    stated=rate.value,
                    expected=round(exact, d),
                    evidence=evidence,
                    suggestion=f"改为 {fmt(exact, d)}%",
                    fix=figure_fix(rate, fmt(exact, d)),
                )
            )
            continue
        finding = percent_finding(RATE, doc, rate, computed, exact, arithmetic, evidence, "变动率")
        if finding is not None:
            out.append(finding)
    out.extend(_part_changes(ctx))
    out.extend(_table_rates(ctx))
    return out


def _table_rates(ctx: Context) -> list[Finding]:
    """CHG002 in a table: 2015年 | 73 |, 2016年 | 37 |, 增减% | -47.95 | (37 − 73) ÷ 73 = −49.32%."""
    out = []
    found = ctx.found.get("table_changes")
    for col in found if found is not None else table_changes.find(ctx.doc):
        a, b, r = col.earlier, col.later, col.rate
        ha, hb = a.half, b.half
        # (b − a) ÷ a = b ÷ a − 1 rises with b and falls with a: its range over the two figures' intervals
        a_lo, a_hi, b_lo, b_hi = a.value - ha, a.value + ha, b.value - hb, b.value + hb
        computed = None if a_lo <= 0 or b_lo < 0 else ((b_lo / a_hi - 1) * 100, (b_hi / a_lo - 1) * 100)
        if computed is None:
            ctx.skip("change", "last year's figure is zero or negative")
            continue
        ctx.checked["change"] += 1
        exact = (b.value - a.value) / a.value * 100
        evidence = [
            Evidence(a.start, a.end, a.text, a.value, None, "prior"),
            Evidence(b.start, b.end, b.text, b.value, None, "current"),
            Evidence(r.start, r.end, r.text, r.value, "%", "rate"),
        ]
        arithmetic = f"({b.text} − {a.text}) ÷ {a.text} = {fmt(exact, 4)}%"
        if computed[0] * r.value < 0 and computed[1] * r.value < 0:
            out.append(
                make_finding(
                    DIRECTION, ctx.doc, r, f"从 {a.text} 到 {b.text} 实为{_word(exact)}，所述为 {r.text}%",
                    stated=r.value, evidence=evidence, suggestion="核对变动方向",
                )
            )  # fmt: skip
            continue
        finding = percent_finding(RATE, ctx.doc, r, computed, exact, arithmetic, evidence, "变动率")
        if finding is not None:
            out.append(finding)
    return out


REFERENCE = {"budget": "预算数", "prior": "上年数"}


def _metric_changes(ctx: Context) -> dict[tuple[str, str, str], tuple[Interval, object, str]]:
    """Each metric's signed change from last year or from the budget: stated, or following from
    its two figures. (metric, reference, scope) → (interval in base units, the figure to anchor on, how)."""
    found: dict[tuple[str, str, str], tuple[Interval, object, str]] = {}
    by_quantity = ctx.statements.by_quantity
    for link in paced(ctx.changes):
        c, current = link.claim, link.current
        if c.delta is None or not c.delta_sign or not c.delta.exact or current is None:
            continue
        s = by_quantity.get(id(current))
        if s is None or s.period != "" or s.measure != "actual":
            continue
        lo, hi = interval(c.delta)
        found.setdefault(
            (s.mention.metric, c.against, s.scope),
            ((lo, hi) if c.delta_sign > 0 else (-hi, -lo), c.delta, "stated"),
        )
    groups = grouped(ctx)
    for (metric, period, measure, scope), statements in groups.items():
        if (period, measure) not in (("", "budget"), ("prior", "actual")):
            continue
        actual = groups.get((metric, "", "actual", scope))
        if not actual or len(clusters(actual)) != 1 or len(clusters(statements)) != 1:
            continue
        reference = "budget" if measure == "budget" else "prior"
        base = statements[-1].quantity
        found.setdefault(
            (metric, reference, scope), (sub(interval(actual[-1].quantity), interval(base)), base, "figures")
        )
    return found


def _part_changes(ctx: Context) -> list[Finding]:
    """CHG005: the total's change against the sum of its parts' changes, one reference at a time."""
    changes = _metric_changes(ctx)
    if not changes:
        return []
    out = []
    for ident in ctx.identities:
        if len(ident.parts) < 2 or not ident.strict:
            continue
        for reference, scope in sorted({(r, sc) for (_m, r, sc) in changes}):
            total = changes.get((ident.total, reference, scope))
            parts = [changes.get((p, reference, scope)) for p in ident.parts]
            if total is None or any(p is None for p in parts):
                continue
            ctx.checked["change-sum"] += 1
            summed = add(*(p[0] for p in parts))
            if overlaps(summed, total[0]):
                continue
            iv, anchor, how = total
            scale = anchor.scale
            point = sum((p[0][0] + p[0][1]) / 2 for p in parts) / scale
            stated = (iv[0] + iv[1]) / 2 / scale
            d = max(anchor.decimals, *(p[1].decimals for p in parts))
            shown = " + ".join(
                f"{ident.parts[i]} {fmt((p[0][0] + p[0][1]) / 2 / scale, d)}" for i, p in enumerate(parts)
            )
            word = REFERENCE[reference]
            if how == "stated":
                message = f"{ident.total}比{word}变动 {fmt(stated, d)}，而各分项变动之和为 {fmt(point, d)}（{shown}）"
                expected = round(abs(point), d)
            else:
                message = (
                    f"{ident.total}{word} {anchor.text} 与本年数之差为 {fmt(stated, d)}，而各分项比{word}的变动之和为 "
                    f"{fmt(point, d)}（{shown}）；按分项，{word}应为 {fmt(anchor.value + stated - point, d)}"
                )
                expected = round(anchor.value + stated - point, d)
            out.append(
                make_finding(
                    PART_CHANGES,
                    ctx.doc,
                    anchor,
                    message,
                    stated=anchor.value,
                    expected=expected,
                    evidence=[Evidence.of(anchor, "total"), *(Evidence.of(p[1], "part") for p in parts)],
                    suggestion=f"核对{ident.total}的{word}及各分项的变动额",
                )
            )
    return out


def _new_item(doc, rate, delta, current, prior_iv: Interval, evidence) -> Finding | None:
    """增加307.82万元，增长100.00% where this year is 307.82: last year was nothing (a new unit or
    item), so no growth rate exists; the 100% stated is the change ÷ this year's figure."""
    # the change as written equals this year's figure as written (307.82 and 307.82): last year was
    # nothing; a prior that is only possibly zero (1万元 up by 0.5万元) proves no such thing
    if current is None or prior_iv[1] < 0 or not rate.exact or not math.isclose(current.base, delta.base):
        return None
    on_current = ratio_percent(interval(delta), interval(current))
    if on_current is None or judge(rate, on_current) == "off":
        return None
    # the whole 增加X，增长100% is what is wrong (the suggestion drops the rate): the finding spans both
    span = Span(min(delta.start, rate.start), max(delta.end, rate.end), "")
    return make_finding(
        WRONG_BASE,
        doc,
        span,
        f"上年数为 0（本年 {current.text} − 变动 {delta.text}），增长率无从计算；所述 {rate.text} 是变动额 ÷ 本年数，"
        "基数用错",
        stated=rate.value,
        evidence=[*evidence, Evidence.of(rate, "rate")],
        suggestion="删去增长率，写明上年无此项（如新设单位或新增项目）",
    )


def _two_years(ctx: Context, rate, sign: int, earlier, later) -> list[Finding]:
    """增长/下降Y% between two years' figures written in one sentence."""
    computed = divide_percent(sub(interval(later), interval(earlier)), interval(earlier))
    if computed is None or not rate.exact:
        ctx.skip("change", "approximate figures")
        return []
    ctx.checked["change"] += 1
    moved = later.base - earlier.base
    evidence = [Evidence.of(earlier, "prior"), Evidence.of(later, "current"), Evidence.of(rate, "rate")]
    if moved and (moved > 0) != (sign > 0):
        return [
            make_finding(
                DIRECTION,
                ctx.doc,
                rate,
                f"从 {earlier.text} 到 {later.text} 实为{_word(moved)}，所述为“{_word(sign)}”",
                stated=rate.value,
                evidence=evidence,
                suggestion="核对变动方向",
            )
        ]
    # the rate is written as a magnitude after 增长 / 下降
    magnitude = computed if sign > 0 else (-computed[1], -computed[0])
    exact = abs(moved) / earlier.base * 100
    arithmetic = f"({later.text} − {earlier.text}) ÷ {earlier.text} = {fmt(moved / earlier.base * 100, 4)}%"
    finding = percent_finding(RATE, ctx.doc, rate, magnitude, exact, arithmetic, evidence, "变动率")
    return [] if finding is None else [finding]


def _word(direction: float) -> str:
    return "增长" if direction > 0 else "下降"


FAMILY = Family(prefix="CHG", rules=RULES, check=check, emits=("CHG", "RND"))
