"""UNIT: figures with no unit where one is expected; 元 written for 万元; 万 written without 元."""

from __future__ import annotations

from collections import Counter

from ..budget import paced
from ..model import Evidence, Finding, Span
from ..patterns import load
from .arith import fmt
from .base import Family, Rule, make_finding
from .context import Context
from .equivalence import clusters, grouped, is_unit_slip

MISSING = Rule(
    code="UNIT001",
    name="missing-unit",
    title="漏写单位",
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
    title="元与万元混用",
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
    title="金额漏写“元”",
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

PRODUCT_SLIP = Rule(
    code="UNIT004",
    name="wan-missing-by-product",
    title="金额漏写“万”",
    severity="error",
    summary="An amount in 元 that is, in 万元, the count times the amount per head the text states.",
    doc="""What it does
    Reads an amount per head (慰问标准300/人, 每人补助500元) beside a count of those heads in its
    sentence (慰问对象120人): their product is what was paid, in 元 (120 × 300 = 36000元). A
    figure in 元 in a sentence about the funds that equals that product only in 万元 (3.6元 =
    36000元 ÷ 10000) has lost its 万.

Why it matters
    3.6元 cannot pay 120 people 300元 each: the amount is off ten thousand times, and every total
    or rate that quotes it is too.

Example (flagged)
    慰问对象120人，慰问标准300/人。…市级资金配套3.6元，全部到位。

Passes instead
    慰问对象120人，慰问标准300/人。…市级资金配套3.6万元，全部到位。
""",
    flagged=(
        "产出指标全部完成，慰问对象120人，慰问标准300/人。\n春节慰问经费项目市级资金配套⟦3.6元⟧，全部到位并使用完毕。",
    ),
    passing=(
        "产出指标全部完成，慰问对象120人，慰问标准300/人。\n春节慰问经费项目市级资金配套3.6万元，全部到位并使用完毕。",
        "产出指标全部完成，慰问对象120人，慰问标准300/人。\n春节慰问经费项目资金36000元，全部到位并使用完毕。",
    ),
)

RULES = (MISSING, SLIP, NO_YUAN, PRODUCT_SLIP)

_UNITS = load().claims["units"]
PER_HEAD = _UNITS["per_head_pattern"]
FUNDS = _UNITS["funds_pattern"]


def _products(ctx: Context) -> list[tuple[float, object, object, float]]:
    """(product in 元, the count, the per-head span, the per-head amount) for each amount per head
    stated beside a count of the same heads in its sentence."""
    doc = ctx.doc
    out = []
    for m in paced(PER_HEAD.finditer(doc.norm)):
        rate = float(m.group("rate") or m.group("rate2"))
        per = m.group("per") or m.group("per2")
        sentence = doc.sentence_of(m.start())
        counts = [
            q for q in doc.quantities_in(sentence.start, sentence.end)
            if q.kind == "count" and q.unit == per and q.exact and q.value > 1
            and not (m.start() <= q.start < m.end())
        ]  # fmt: skip
        if len(counts) == 1:
            span = Span(m.start(), m.end(), doc.text[m.start() : m.end()])
            out.append((counts[0].value * rate, counts[0], span, rate))
    return out


def _product_slips(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    # the figures that could be a product in 元 first: most reports state none, and then the
    # amounts per head need not be looked for
    amounts = [q for q in doc.quantities if q.kind == "money" and q.unit == "元" and q.exact and q.value > 0]
    products = _products(ctx) if amounts else []
    if not products:
        return []
    out = []
    for q in amounts:
        sentence = doc.sentence_of(q.start)
        if not FUNDS.search(doc.norm, sentence.start, q.start):
            continue
        half = 0.5 * 10 ** (-q.decimals)
        for product, count, span, rate in products:
            if (q.value - half) * 1e4 <= product <= (q.value + half) * 1e4 and abs(q.value - product) > half:
                out.append(
                    make_finding(
                        PRODUCT_SLIP, doc, q,
                        f"{count.text} × {fmt(rate, 2)}元 = {fmt(product, 0)}元，即 {fmt(product / 1e4, 4)}万元；"
                        f"此处写作 {q.text}，漏写“万”",
                        stated=q.value, expected=product,
                        evidence=[
                            Evidence.of(q, "stated"),
                            Evidence.of(count, "count"),
                            Evidence.at(span, "rate", rate, "元"),
                        ],
                        suggestion=f"改为 {q.text[:-1]}万元",
                        fix=f"{q.text[:-1]}万元",
                    )
                )  # fmt: skip
                break
    return out


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
                fix=f"{q.text}{unit}",
            )
        )
    for q in paced(doc.quantities):
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
                    fix=f"{q.text}元",
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
    out.extend(_product_slips(ctx))
    return out


FAMILY = Family(prefix="UNIT", rules=RULES, check=check)
