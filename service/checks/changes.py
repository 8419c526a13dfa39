"""CHG: 增加/减少X and 增长/下降Y% against this year's and last year's figures."""

from __future__ import annotations

from ..model import Evidence, Finding
from .arith import Interval, add, divide_percent, fmt, interval, judge, ratio_percent, sub
from .base import Family, Rule, make_finding
from .context import Context
from .rounding import percent_finding

WRONG_BASE = Rule(
    code="CHG001",
    name="rate-on-wrong-base",
    severity="error",
    summary="A growth rate was computed on this year's figure instead of last year's.",
    doc="""What it does
    For `增加X万元，增长Y%` with this year's figure stated, last year's figure is this year's
    minus the change; the rate must be change ÷ last year. When the stated rate instead
    equals change ÷ this year, the rate was computed on the wrong base; the finding gives
    the right rate.

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
        "2019年一般公共预算财政拨款支出1504.31万元，与2018年相比，一般公共预算财政拨款增加784.88万元，增长⟦52.17%⟧。",
    ),
    passing=("2019年公务接待费支出0.36万元，完成预算100%。公务接待费支出决算比2018年增加0.08万元，增长28.57%。",),
)

RATE = Rule(
    code="CHG002",
    name="growth-rate-mismatch",
    severity="error",
    summary="A growth or decline rate does not match the change and last year's figure.",
    doc="""What it does
    Recomputes 增长/下降Y% as change ÷ last year's figure, where last year's figure is
    written (`比2018（70.14）年`) or follows from this year's figure and the change; or, for
    two years' figures written in one sentence (`2016年…78272万元，2018年…42513万元，
    下降了45.69％`), as (later − earlier) ÷ earlier.

Why it matters
    A rate that matches neither base is a plain arithmetic error in the disclosure.

Example (flagged)
    2019年一般公共预算财政拨款支出1000万元，比2018年增加200万元，增长30%。  (200 ÷ 800 = 25%)

Passes instead
    2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元，下降33.77%。
""",
    flagged=("2019年一般公共预算财政拨款支出1000万元，比2018年增加200万元，增长⟦30%⟧。",),
    passing=("2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元，下降33.77%。",),
)

AMOUNT = Rule(
    code="CHG003",
    name="change-amount-mismatch",
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
    flagged=("2019年机关运行经费支出46.45万元，比2018（70.14）年减少⟦20.69万元⟧。",),
    passing=("2019年机关运行经费支出46.45万元，比2018（70.14）年减少23.69万元。",),
)

DIRECTION = Rule(
    code="CHG004",
    name="direction-contradiction",
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

RULES = (WRONG_BASE, RATE, AMOUNT, DIRECTION)

WORD = {1: "增加", -1: "减少"}


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for link in ctx.changes:
        c = link.claim
        delta, rate, current = c.delta, c.rate, link.current
        if link.earlier is not None and rate is not None and current is not None:
            out.extend(_two_years(ctx, rate, c.rate_sign, link.earlier, current))
            continue
        if delta is None or c.delta_sign == 0:
            ctx.skip("change", "rate without an amount of change")
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
            ctx.skip("change", "approximate figures")
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
                        )
                    )
                    continue
            else:
                prior_iv = sub(cur_iv, d_iv) if c.delta_sign > 0 else add(cur_iv, d_iv)
        if rate is None or prior_iv is None:
            if not counted:
                ctx.skip("change", "no figure for either year")
            continue
        computed = ratio_percent(d_iv, prior_iv)
        if computed is None:
            if not counted:
                ctx.skip("change", "last year's figure is zero or negative")
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
                )
            )
            continue
        finding = percent_finding(RATE, doc, rate, computed, exact, arithmetic, evidence, "变动率")
        if finding is not None:
            out.append(finding)
    return out


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
