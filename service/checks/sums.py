"""SUM: a stated total against its parts."""

from __future__ import annotations

from collections import Counter
from itertools import product

from ..budget import paced
from ..claims import counts
from ..model import Evidence, Finding
from .arith import add, fmt, interval, judge, overlaps, ratio_percent
from .base import Family, Rule, make_finding
from .context import Context
from .rounding import ROUNDED_SUM

PARTS = Rule(
    code="SUM001",
    name="parts-do-not-add-up",
    title="分项之和与合计不符",
    severity="error",
    summary="The parts listed after a total (其中…) do not add up to it.",
    doc="""What it does
    Finds a total followed by its parts (`合计/总计/共…，其中：A a、B b…`, `主要用于以下方面：`,
    or parts on the following lines after `其中：`) and adds the parts up. A total stated as
    a bound (`不低于6000人次`) counts as exact when the same figure is restated exactly
    nearby (`共计6000人次`).

Why it matters
    A breakdown that does not add up means one of its figures was mistyped or an item
    was left out; either way the disclosure contradicts itself.

Example (flagged)
    将开展电商培训6000人次（其中：电商普及培训1700人次、电商创业培训1000人次、
    传统企业互联网升级培训300人次、站点培训320人次，在线培训2700人次）。

Passes instead
    2019年本年支出合计1504.31万元，其中：基本支出257万元；项目支出1247.31万元。

Only an excess is provable on its own: 其中 also introduces a subset (共有企业28家，
其中规上企业4家), so parts that fall short of the total are an error only when each part
has its share stated and the shares close at 100%, or when the parts are exactly the
template's parts of the total (基本支出 = 人员经费 + 日常公用经费), or when the text
gives their number (向55家企业分配资金450万元, then 55 numbered items).

Rounding: every figure stands for the interval of its last digit, so parts written to
two decimals may miss the total by up to half a cent each. A list that runs on past
its parts (截至目前…, a figure without a label) is counted as unchecked when it does not
add up, since the text does not say where the parts end.
""",
    flagged=(
        "将开展电商培训⟦6000人次⟧（其中：电商普及培训1700人次、电商创业培训1000人次、"
        "传统企业互联网升级培训300人次、站点培训320人次，在线培训2700人次）。",
        "2019年一般公共预算财政拨款基本支出⟦257万元⟧，其中：\n人员经费200.55万元，主要包括：基本工资。\n"
        "日常公用经费46.45万元，主要包括：办公费。",
        # one part a line: the first two adding up does not make the third any less a part
        "2020年度，收入总计为⟦300.00万元⟧，其中：\n1.财政拨款收入250.00万元。\n2.事业收入50.00万元。\n"
        "3.上年结转和结余8.00万元。",
        # the lead counts the parts: the list is the whole
        "2023年项目支出⟦200.00万元⟧，主要用于三个方面：一是培训费50.00万元；二是会议费30.00万元；三是设备购置100.00万元。",
        # the part left out is one the text says is nothing (无新购车辆: 购置费 0)
        "2023年“三公”经费支出合计⟦20.00万元⟧，其中：公务接待费2.00万元，公务用车运行维护费15.00万元，"
        "因公出国（境）费0万元。本年度无新购车辆。",
    ),
    passing=(
        "2019年本年支出合计1504.31万元，其中：基本支出257万元；项目支出1247.31万元。",
        # fewer parts than the lead counts: the list is not the whole
        "2023年项目支出200.00万元，主要用于三个方面：一是培训费50.00万元；二是会议费30.00万元。",
        # a part left out that the text does not say is nothing may be what is missing
        "2023年“三公”经费支出合计20.00万元，其中：公务接待费2.00万元，公务用车运行维护费15.00万元，"
        "因公出国（境）费0万元。",
        "实施计划投资3850万元，其中中央财政给予2000万元资金支持（占52％），撬动民间资金投入1850万元"
        "（占48％），截至目前投入资金1540余万元，建设进度40％。",
        # a flattened page runs the next section into the list: the list ends at 二、 / 共计
        "学校2021年按生均800元安排经费，共计120万元，其中上级资金90万元，本级30万元，项目目标是保障运转"
        "二、资金使用情况学校全年支出共计45.5万元，余款结转下年。",
        # one item a line: the list under 1. ends at 2., its sibling, not one of its parts
        "1. 基本支出预算 620000.50 元，同比减少 12000 元。其中：\n工资福利支出预算 500000.25 元。\n"
        "商品和服务支出预算 120000.25 元。\n2. 项目支出 45000 元，同比减少 3000 元。",
        # the first parts add up and the list runs on past them
        "本部门实有人数76人，其中在职人员48人，退休人员28人，离休人员3人。",
        # levels of one hierarchy are not parts of the total
        "本项目共设置绩效指标30个，其中：一级指标4个、二级指标10个、三级指标21个。",
        # budgets said beside the actuals (完成预算X万元的Y%) are neither the total nor parts
        "2019年度“三公”经费支出决算为20.00万元，完成预算30万元的66.7%。其中：因公出国（境）费支出决算为"
        "8.00万元，完成预算10万元的80.0%；公务接待费支出决算为12.00万元，完成预算20万元的60.0%。",
        # the items after 包括 detail the part before them, not the total
        "本部门实有人数60人，其中在职人员40人，包括行政人员25人，事业人员15人；退休人员12人，聘用人员8人。",
    ),
)

COUNT = Rule(
    code="SUM002",
    name="count-does-not-match-items",
    title="所述个数与所列项数不符",
    severity="error",
    summary="A stated number of things does not match the things listed (设5个科室：A、B、C、D).",
    doc="""What it does
    Reads a stated number of things with the things listed beside it, either after a colon
    (`设5个科室：办公室、财务科、规划科、执法科`) or before the number (`设内科、外科、妇科5个
    临床科室`), and counts the items joined by 、. A list that ends in 等 is not all of them and is
    not read, nor is one whose items are long or hold figures.

Why it matters
    A count that its own list contradicts means an item was dropped, or the number was left
    from an earlier year's report.

Example (flagged)
    本局内设5个科室：办公室、财务科、规划科、执法科。

Passes instead
    本局内设4个科室：办公室、财务科、规划科、执法科。
""",
    flagged=(
        "本局内设⟦5⟧个科室：办公室、财务科、规划科、执法科。",
        "卫生院设内科、外科、妇科、儿科⟦5⟧个临床科室。",
        "本局设办公室、财务科和规划科⟦四⟧个科室。",
    ),
    passing=(
        "本局内设4个科室：办公室、财务科、规划科、执法科。",
        "卫生院设内科、外科、妇科、儿科、中医科5个临床科室。",
        "本局设办公室、财务科等5个科室。",
        "本单位内设三个科室：办公室、财务股、业务股。",
        # 价格、收费管理股 may be one name: more items than the count are not proof
        "本局内设4个职能股室：办公室、规划股、项目股、价格、收费管理股。",
    ),
)

RULES = (PARTS, COUNT)


def _counts(ctx: Context) -> list[Finding]:
    """SUM002: a stated number of things against the items listed with it."""
    out = []
    for c in ctx.found["counts"] if "counts" in ctx.found else counts.find(ctx.doc):
        ctx.checked["count"] += 1
        if c.count == len(c.items):
            continue
        if c.count < len(c.items) and _split_name(c.items):
            ctx.skip("count", "an item may be a name with 、 in it")
            continue
        listed = "、".join(i.text for i in c.items)
        out.append(
            make_finding(
                COUNT,
                ctx.doc,
                c.number,
                f"所述{c.noun}为 {c.number.text} 个，列出的为 {len(c.items)} 个（{listed}）",
                stated=float(c.count),
                expected=float(len(c.items)),
                evidence=[Evidence.at(c.number, "count", float(c.count)), *(Evidence.at(i, "item") for i in c.items)],
                suggestion=f"核对{c.noun}的数量或所列名称",
            )
        )
    return out


def _split_name(items) -> bool:
    """价格、收费管理股 among 办公室、发展规划股…: an item that does not end like the others may be
    the first half of a name written with 、, so more items than the count prove nothing."""
    endings = Counter(i.text[-1] for i in items)
    common, n = endings.most_common(1)[0]
    return n > 1 and any(i.text[-1] != common for i in items)


def _unit_of(q) -> str:
    return q.unit or ""


def _zero_statements(ctx: Context) -> dict[tuple, list]:
    """The exact statements of 0, by (period, measure, scope), once per check."""
    if "sums.zeros" not in ctx.memo:
        zeros: dict[tuple, list] = {}
        for s in paced(ctx.statements.all):
            if s.quantity.base == 0 and s.quantity.exact:
                zeros.setdefault((s.period, s.measure, s.scope), []).append(s)
        ctx.memo["sums.zeros"] = zeros
    return ctx.memo["sums.zeros"]


def _shares_by_part(ctx: Context) -> dict[int, object]:
    """Each share claim's figure by id() of its part, once per check."""
    if "sums.shares" not in ctx.memo:
        ctx.memo["sums.shares"] = {id(link.claim.part): link.claim.share for link in ctx.shares}
    return ctx.memo["sums.shares"]


def _complete(ctx: Context, b, parts) -> tuple[bool, list]:
    """The parts are the whole: the text counts them (55家企业 and 55 items listed), they are
    exactly the template's parts of the total's metric (基本支出 = 人员经费 + 公用经费) but for
    parts the text says are nothing (无新购车辆: 公务用车购置费) or states as 0 elsewhere (returned
    beside, as metric, where and how it is said), or every part
    has its share and the shares close at 100%."""
    if b.counted:
        return True, []
    by_quantity = ctx.statements.by_quantity
    named = [by_quantity.get(id(q)) for q in parts]
    head = by_quantity.get(id(b.total))
    if head is not None and all(named):
        metrics = {s.mention.metric for s in named}
        # a part stated as 0 elsewhere, or said to be nothing (无新购车辆), in the total's period
        key = (head.period, head.measure, head.scope)
        zeros = {
            a.metric: (a.metric, a, f"文中称“{a.text}”")
            for a in ctx.found.get("activities", ())
            if a.count == 0 and (a.period, a.measure, a.scope) == key
        }
        for s in _zero_statements(ctx).get(key, ()):
            zeros.setdefault(s.mention.metric, (s.mention.metric, s.quantity, "另处所述"))
        for whole in template_parts(ctx.identities, head.mention.metric):
            missing = whole - metrics
            if metrics <= whole and all(m in zeros for m in missing):
                return True, [zeros[m] for m in sorted(missing)]
    shares = _shares_by_part(ctx)
    stated = [shares.get(id(q)) for q in parts]
    if any(s is None or not s.exact for s in stated):
        return False, []
    # a share that is not its part ÷ the total (SHR001 reports it) proves nothing about the parts
    t_iv = interval(b.total)
    for q, share in zip(parts, stated, strict=True):
        computed = ratio_percent(interval(q), t_iv)
        if computed is None or judge(share, computed) == "off":
            return False, []
    lo = sum(s.value - 0.5 * 10**-s.decimals for s in stated)
    hi = sum(s.value + 0.5 * 10**-s.decimals for s in stated)
    return lo <= 100 <= hi, []


def template_parts(identities, metric: str) -> list[frozenset[str]]:
    """The sets of parts the template makes ``metric`` of: each strict identity's parts, and
    the same with a part replaced by its own parts (三公 = 出国 + 购置 + 运行 + 接待)."""
    strict = [i for i in identities if i.strict and not i.same]
    out = []
    for ident in (i for i in strict if i.total == metric):
        options = [[(p,), *(sub.parts for sub in strict if sub.total == p)] for p in ident.parts]
        for choice in product(*options):
            out.append(frozenset(p for group in choice for p in group))
    return out


def _rounded_sum(ctx: Context, b, total, parts, scale: float) -> Finding | None:
    """RND002: the written figures miss the total, but rounding every part could explain it."""
    decimals = max(q.decimals for q in [total, *parts])
    point = sum(q.base for q in parts) / scale
    if round(point - total.value, decimals) == 0:
        return None
    unit = _unit_of(total) or _unit_of(parts[0])
    shown = "+".join(fmt(q.base / scale, decimals) for q in parts)
    return make_finding(
        ROUNDED_SUM,
        ctx.doc,
        b.total,
        f"分项按所写数字合计 {fmt(point, decimals)} {unit}，与合计 {fmt(total.value, decimals)} {unit}"
        f"相差 {fmt(abs(point - total.value), decimals)}，仅当各分项均为四舍五入值时才可能相符（{shown}）",
        stated=total.value,
        expected=round(point, decimals),
        evidence=[Evidence.of(total, "total"), *(Evidence.of(q, "part") for q in parts)],
        suggestion="核对各分项是否为精确金额",
    )


def _prefix_matches(parts, t_iv, least: int = 1) -> bool:
    """Some run of the first parts (at least ``least`` of them) adds up to the total."""
    running = (0.0, 0.0)
    for k, q in enumerate(parts, start=1):
        running = add(running, interval(q))
        if k >= least and overlaps(running, t_iv):
            return True
    return False


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for b in paced(ctx.breakdowns):
        total = b.pinned or b.total
        bound = None if b.pinned is not None else b.total.bound
        parts = [p.quantity for p in b.parts]
        scale = parts[0].scale if total.kind == "bare" else total.scale
        t_iv = (
            interval(total)
            if total.kind != "bare"
            else (
                (total.value - 0.5 * 10**-total.decimals) * scale,
                (total.value + 0.5 * 10**-total.decimals) * scale,
            )
        )
        if bound == "about" or any(p.bound in ("about", "range") for p in parts):
            ctx.skip("breakdown", "approximate figures", b)
            continue
        s_iv = add(*(interval(q) for q in parts))
        if b.closed and overlaps(s_iv, t_iv) and bound is None:
            note = _rounded_sum(ctx, b, total, parts, scale)
            if note is not None:
                out.append(note)
        natural = any(overlaps(add(*(interval(q) for q in parts[:k])), t_iv) for k in b.ends)
        if overlaps(s_iv, t_iv) or natural or (not b.closed and _prefix_matches(parts, t_iv)):
            # a list that runs on past its parts (…，截至目前投入资金1540余万元) ends where
            # its running sum reaches the total; a closed list adds up in full, or up to
            # where a stronger separator ends a run of parts (…2,128人；离退休人员854人)
            ctx.checked["breakdown"] += 1
            ctx.summed_totals.add(id(b.total))
            continue
        if not b.on_lines and _prefix_matches(parts, t_iv, least=2):
            # the first parts add up exactly and the rest exceed: the text does not say whether
            # the list ran on past its parts (…，离休人员3人) or the total is wrong
            ctx.skip("breakdown", "the first parts add up and the list runs on", b)
            continue
        if bound == "min" and s_iv[1] >= t_iv[0]:
            ctx.checked["breakdown"] += 1
            continue
        if bound == "max" and s_iv[0] <= t_iv[1]:
            ctx.checked["breakdown"] += 1
            continue
        if not b.closed:
            ctx.skip("breakdown", "list does not end where its parts end", b)
            continue
        exceeds = s_iv[0] > t_iv[1]
        complete, nothing = (False, []) if exceeds else _complete(ctx, b, parts)
        if not exceeds and not complete:
            # 其中 also introduces a subset (共有企业28家，其中规上企业4家): a shortfall
            # is a contradiction only when the parts are shown to be the whole
            ctx.skip("breakdown", "parts may be a subset of the total", b)
            continue
        if exceeds and len(parts) < 2:
            ctx.skip("breakdown", "a single part", b)
            continue
        ctx.checked["breakdown"] += 1
        ctx.summed_totals.add(id(b.total))
        ctx.listed_parts[id(b.total)] = tuple(parts)
        decimals = max(q.decimals for q in [total, *parts])
        unit = _unit_of(total) or _unit_of(parts[0])
        total_sum = sum(q.base for q in parts) / scale
        shown = "+".join(fmt(q.base / scale, decimals) for q in parts)
        # a part the text says is nothing (无新购车辆) completes the list at 0
        said = "".join(f"；{metric}为 0（{how}）" for metric, _, how in nothing)
        if b.counted:
            said += f"；文中所称的分项数即所列 {len(parts)} 项"
        message = (
            f"分项合计 {fmt(total_sum, decimals)} {unit}，与所述合计 {fmt(total.value, decimals)} {unit}不符"
            f"（{shown}）{said}"
        )
        evidence = [Evidence.of(total, "total")]
        if b.pinned is not None:
            evidence.append(Evidence.of(b.total, "total-bound"))
        evidence.extend(Evidence.of(q, "part") for q in parts)
        evidence.extend(Evidence.at(span, "part", 0.0) for _, span, _ in nothing)
        out.append(
            make_finding(
                PARTS,
                doc,
                b.total,
                message,
                stated=total.value,
                expected=round(total_sum, decimals),
                evidence=evidence,
                suggestion="核对各分项金额或合计数，确认是否漏列或错录分项",
                severity="warning" if total.kind == "bare" else None,
            )
        )
    out.extend(_counts(ctx))
    return out


# RND002 when only rounding every part explains the difference
FAMILY = Family(prefix="SUM", rules=RULES, check=check, emits=("SUM", "RND"))
