"""SHR: 占X% against part ÷ whole; shares of one whole against 100%."""

from __future__ import annotations

from collections import defaultdict

from ..budget import paced
from ..model import Evidence, Finding
from ..patterns import load
from .arith import fmt, interval, overlaps, ratio_percent
from .base import Family, Rule, make_finding
from .context import Context
from .rounding import percent_finding

SHARE = Rule(
    code="SHR001",
    name="share-mismatch",
    title="占比与所列数字不符",
    severity="error",
    summary="占X% does not equal the part divided by the whole it is a share of.",
    doc="""What it does
    Recomputes `占X%` as part ÷ whole. The part is the figure just before 占; the whole is
    the total of the 其中 list the part belongs to, the metric the sentence is about
    (`“三公”经费财政拨款支出决算中，…`, linked to its figure stated earlier), or the metric
    named in `占<whole>的X%`. A share with no whole in reach is counted as unchecked.

Why it matters
    A wrong share is a wrong figure in the disclosure, and it usually means the part or
    the whole was edited without recomputing the other.

Example (flagged)
    一般公共预算财政拨款支出1504.31万元，主要用于以下方面：…卫生健康支出12.78万元，占0.87%；…
    (12.78 ÷ 1504.31 = 0.85%)

Passes instead
    基本支出257万元，占17%  (257 ÷ 1504.31 = 17.08%, which 17% stands for)

Rounding: the stated share stands for [X − ½ unit, X + ½ unit); the part and the whole
stand for their own intervals. Only a share outside every ratio those allow is an
error; one explained by truncation is RND001 (info).
""",
    flagged=(
        # the whole named without 的
        "2023年本年支出合计500.00万元。基本支出300.00万元，占本年支出合计⟦65.0%⟧。",
        # the part named, its figure stated before, the whole a breakdown's total
        "2023年度部门支出合计500.00万元，其中基本支出300.00万元，项目支出200.00万元。项目支出占部门支出的⟦45.0%⟧。",
        "2019年一般公共预算财政拨款支出1504.31万元，主要用于以下方面：一般公共服务（类）支出210.74万元，"
        "占14%；社会保障和就业（类）支出19.87万元，占1.32%；卫生健康支出12.78万元，占⟦0.87%⟧；"
        "住房保障支出17.61万元，占1.17%；资源勘探信息支出327.23万元，占21.75%；"
        "商业服务业等支出916.08万元，占60.90%。",
        "2019年“三公”经费财政拨款支出决算为7.34万元。\n2019年“三公”经费财政拨款支出决算中，"
        "因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算6.98万元，占⟦90%⟧；"
        "公务接待费支出决算0.36万元，占5%。",
        # the whole is the actual of a metric stated after its budget in one sentence
        "2020年“三公”经费支出预算为5万元，支出决算为2.00万元。2020年“三公”经费支出决算中，"
        "公务接待费支出决算0.50万元，占⟦75%⟧；公务用车运行维护费支出决算1.50万元，占⟦25%⟧。",
        # 其中 opens a sentence after a reason: the total is the sentence's subject, not the reason's figure;
        # the whole the share names is that total
        "收入预算总额为500.00万元，比上年增加50.00万元，增长11.11%，原因是：1、人员增加；2、增加其他资金预算300万元。"
        "其中：财政拨款收入200.00万元，占收入预算总额的40%；其他收入300.00万元，占收入预算总额的⟦62%⟧。",
    ),
    passing=("2019年本年支出合计1504.31万元，其中：基本支出257万元，占17%；项目支出1247.31万元，占83%。",),
)

HUNDRED = Rule(
    code="SHR002",
    name="shares-do-not-sum-to-100",
    title="各项占比之和不为100%",
    severity="error",
    summary="Shares of one whole add up to more than 100%, or to less when the parts are complete.",
    doc="""What it does
    Adds up the shares stated for the parts of one whole (one 其中 list, or one sentence
    about one subject). More than 100% is always an error; less than 100% is an error
    only when the parts are known to be complete (they add up to the stated total).

Why it matters
    Shares that do not close are the quickest sign that a share was copied from last
    year's report or computed on another total.

Example (flagged)
    “三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费
    支出决算6.98万元，占95%；公务接待费支出决算0.36万元，占15%。  (0 + 95 + 15 = 110%)

Passes instead
    其中中央财政给予2000万元资金支持（占52％），撬动民间资金投入1850万元（占48％）
""",
    flagged=(
        "2019年“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；"
        "公务用车购置及运行维护费支出决算6.98万元，占95%；公务接待费支出决算0.36万元，占⟦15%⟧。",
    ),
    passing=(
        "实施计划投资3850万元，其中中央财政给予2000万元资金支持（占52％），撬动民间资金投入1850万元（占48％）。",
        # a whole named relative to each part is another whole for each
        "全市采购节能产品120万元，占同类产品采购规模的71.5%；采购环保产品90万元，占同类产品采购规模的81.5%。",
        # a budget named as the whole makes each rate a completion
        "税务部门完成13866万元，占调整预算100.93%；财政部门完成14717万元，占调整预算110.14%。",
    ),
)

RULES = (SHARE, HUNDRED)


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for link in paced(ctx.shares):
        c = link.claim
        if link.whole is None:
            ctx.skip("share", link.reason, c)
            continue
        whole, part, share = link.whole, c.part, c.share
        if not (whole.exact and part.exact) or whole.kind != part.kind:
            ctx.skip("share", "approximate or mismatched figures", c)
            continue
        computed = ratio_percent(interval(part), interval(whole))
        if computed is None:
            ctx.skip("share", "whole is zero", c)
            continue
        ctx.checked["share"] += 1
        exact = part.base / whole.base * 100
        evidence = [Evidence.of(share, "share"), Evidence.of(part, "part"), Evidence.of(whole, "whole")]
        arithmetic = f"{fmt(part.value, part.decimals)} ÷ {fmt(whole.value, whole.decimals)} = {fmt(exact, 4)}%"
        finding = percent_finding(SHARE, doc, share, computed, exact, arithmetic, evidence, "占比")
        if finding is not None:
            out.append(finding)
    out.extend(_hundred(ctx))
    return out


RELATIVE_WHOLE = load().claims["shares"]["relative_whole_pattern"]


def _hundred(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    groups: dict[tuple, list] = defaultdict(list)
    for link in paced(ctx.shares):
        if link.claim.share.bound is not None:
            continue
        # shares of one whole in one list, or in one sentence about one subject (a whole named
        # relative to each part, 占同类产品采购规模的…, is another whole for each)
        name = link.claim.whole_name
        if name and RELATIVE_WHOLE.search(name):
            continue
        if link.group is not None:
            key: tuple = ("list", link.group)
        elif link.whole is not None:
            key = ("sentence", doc.sentence_index(link.claim.start), id(link.whole))
        else:
            key = ("sentence", doc.sentence_index(link.claim.start), name)
        groups[key].append(link)
    out = []
    complete_totals = ctx.summed_totals
    for links in groups.values():
        if len(links) < 2:
            continue
        shares = [link.claim.share for link in links]
        lo = sum(s.value - 0.5 * 10**-s.decimals for s in shares)
        hi = sum(s.value + 0.5 * 10**-s.decimals for s in shares)
        ctx.checked["share-sum"] += 1
        whole = links[0].whole
        complete = whole is not None and id(whole) in complete_totals and _covers(ctx, links)
        if lo > 100 + 1e-9 or (complete and not overlaps((lo, hi), (100, 100))):
            total = sum(s.value for s in shares)
            if complete and hi < 100 and hi + sum(10**-s.decimals for s in shares) >= 100:
                continue  # short of 100 only by truncated shares: RND001 notes them one by one
            shown = " + ".join(s.text for s in shares)
            out.append(
                make_finding(
                    HUNDRED,
                    doc,
                    shares[-1],
                    f"同一总额的各项占比合计为 {fmt(total, max(s.decimals for s in shares))}%，应为 100%（{shown}）",
                    stated=round(total, 4),
                    expected=100.0,
                    evidence=[Evidence.of(s, "share") for s in shares],
                    suggestion="核对各项占比的计算基数",
                )
            )
    return out


def _covers(ctx: Context, links) -> bool:
    """Every part of the breakdown has its share stated."""
    group = links[0].group
    if group is None:
        return False
    parts = ctx.breakdowns[group].parts
    return len(parts) == len(links)


# SHR002 reads which totals the sums check added up (ctx.summed_totals)
FAMILY = Family(prefix="SHR", rules=RULES, check=check, emits=("SHR", "RND"), after=("SUM",))
