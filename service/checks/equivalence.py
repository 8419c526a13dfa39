"""EQV: one metric stated twice with two values; the template identities of a 决算."""

from __future__ import annotations

import bisect

from ..budget import paced
from ..model import Evidence, Finding, Span, Statement
from ..patterns import Identity
from .arith import EPS, add, fmt, interval, overlaps
from .base import Family, Rule, make_finding
from .context import Context

SAME = Rule(
    code="EQV001",
    name="same-metric-different-values",
    title="同一指标数值前后不一",
    severity="error",
    summary="One metric, for one period and scope, is stated with two different values.",
    doc="""What it does
    Groups every `<metric> <amount>` statement by canonical metric (patterns/metrics.tsv
    maps 收入总计 ≡ 收入支出总计 ≡ 收、支总计, 三公经费 ≡ “三公”经费 …), period (本年, 上年, a
    named year), measure (决算 or 预算) and scope (service/tag/scope.py: a fund named by the
    heading over the figure or the lead of its sentence, so the 政府性基金 section's own
    收入总计 is not the department's), and flags values that no rounding reconciles.
    The finding sits on the odd value out; when that value equals another metric's
    figure, the message says so (888.73 is 本年收入合计, not 收入总计).

Why it matters
    The same quantity stated twice with two values means at least one statement is
    wrong, and a reader cannot tell which.

Example (flagged)
    2019年度收入总计888.73万元。2019年本年收入合计888.73万元。2019年度收入支出总计2054.73万元。

Passes instead
    2019年度收入总计2054.73万元。2019年度收入支出总计2054.73万元。
""",
    flagged=(
        "2019年度收入总计⟦888.73万元⟧。2019年本年收入合计888.73万元。2019年度收入支出总计2054.73万元。",
        # a figure after a lone comma (its first digit lost in typing) is still the metric's
        "全镇收入总计2,140.25万元，支出总计2,140.25万元，当年收支平衡。全镇财力2,140.25万元，支出总计,⟦140.25万元⟧。",
    ),
    passing=(
        "2019年度收入总计2054.73万元。2019年度收入支出总计2054.73万元。",
        "2019年基本支出257万元。2018年基本支出300万元。",
        # two levels of government: two quantities
        "全国一般公共预算支出72815亿元，地方一般公共预算支出64098亿元。",
        # the same economic class under 基本支出 and under 项目支出: two quantities
        "基本支出881300.39元，其中：工资福利支出716052.51元，商品和服务支出165247.88元。\n"
        "项目支出50000元，其中：商品和服务支出20000元，资本性支出30000元。",
        # a 功能科目 line's own 其中 (its total no metric of the lexicon): its 基本支出 is not the department's
        "2024年一般公共预算支出500000元，其中：基本支出400000元，项目支出100000元。\n(一)按支出功能分类科目划分。\n"
        "行政运行300000元，其中：基本支出300000元，项目支出0元。主要用于机关日常运转。\n"
        "一般行政管理事务100000元，其中：基本支出0元，项目支出100000元。主要用于专项业务。",
        # a sub-item that another metric owns is not the department's figure of that name
        "2023年项目支出包括培训费12.8万元，会议费3.2万元。2023年培训费决算15.00万元。",
        # the parts of a budget total are budgets, not a second value of the actuals
        "2020年“三公”经费预算为20万元，其中：公务接待费5万元、公务用车运行维护费15万元。"
        "2020年“三公”经费支出18万元，其中：公务接待费支出4万元，公务用车运行维护费支出14万元。",
        "（一）一般公共预算收支情况\n2022年本级收入90万元，收入总计120万元。\n"
        "（二）政府性基金预算收支情况\n2022年基金收入0万元，收入总计0万元。",
        "2022年学前教育支出80万元。2022年教育支出600万元。",
    ),
)

IDENTITY = Rule(
    code="EQV002",
    name="identity-violated",
    title="数字不满足勾稽关系",
    severity="error",
    summary="Figures stated separately break a template identity (三公 = 出国 + 车辆 + 接待 …).",
    doc="""What it does
    Checks the identities every 决算 obeys (patterns/identities.toml: 收入总计 = 本年收入合计
    + 用事业基金弥补收支差额 + 年初结转和结余; “三公”经费 = 因公出国（境）费 + 公务用车购置及运行
    维护费 + 公务接待费; 基本支出 = 人员经费 + 公用经费 …) on figures stated anywhere in the
    document, within one scope. Parts are non-negative, so parts that exceed the total are
    an error even when some part is not stated; a shortfall is an error only when every
    part is. A `>=` identity (授予中小企业合同金额 ≤ 政府采购支出总额) checks only the excess;
    a `[[same]]` group (收入总计 ≡ 支出总计, 财政拨款收入总计 ≡ 财政拨款支出总计) must agree,
    and an identity of one of its names holds for the others: this year's spending
    (本年支出合计, also written `单位支出为…` under the 支出决算 heading) never exceeds 收入总计.
    A total whose own breakdown the sums check added up (收入总计，其中：…) is read against
    parts stated elsewhere only, and they must exceed both the total as stated and what its
    listed items add up to; the finding is then on the parts, a warning when they too add up
    to their own breakdown (基本支出 + 项目支出): the text contradicts itself, but does not say
    on which side the wrong figure is.

Why it matters
    The identities are guaranteed by the template's tables: when the prose breaks one,
    the prose contradicts the tables.

Example (flagged)
    “三公”经费财政拨款支出决算为7.34万元。因公出国（境）费支出0万元。公务用车购置及运行维护费
    支出6.98万元。公务接待费支出0.46万元。  (0 + 6.98 + 0.46 = 7.44)

Passes instead
    the same with 公务接待费支出0.36万元.
""",
    flagged=(
        "2019年“三公”经费财政拨款支出决算为⟦7.34万元⟧。因公出国（境）费支出0万元。"
        "公务用车购置及运行维护费支出6.98万元。公务接待费支出0.46万元。",
        "2022年度财政拨款收入总计812.30万元，2022年度财政拨款支出总计⟦845.10万元⟧。",
        "2022年度一般公共预算收入总计⟦700.00万元⟧，本年支出690.00万元，年末结转和结余25.00万元。",
        "2022年度政府采购支出总额⟦52.00万元⟧。授予中小企业合同金额58.00万元。",
        "2022年度财政拨款收入支出总计⟦150.00万元⟧。年初财政拨款结转和结余40.00万元，本年财政拨款收入100.00万元。",
        # names and figures distributed by 分别为: 收、支总计 are two figures of one quantity
        "2020年收、支总计分别为 ⟦356.10⟧、360.40 万元。",
        # this year's spending exceeds 收入总计, which its own items corroborate
        "2021年度，收入总计为300.00万元，其中：财政拨款收入250.00万元，事业收入50.00万元。\n"
        "（二）支出决算情况\n2021年度，本⟦单位支出为320.00万元⟧。",
        # 收入总计 does not add up to its items, and the spending exceeds both (a warning: the
        # spending adds up to its own parts, so the text does not say which side is wrong)
        "（一）收入决算情况\n2021年度，收入总计为290.00万元，其中：\n1.财政拨款收入250.00万元。\n"
        "2.事业收入40.00万元。\n3.上年结转和结余8.00万元。\n（二）支出决算情况\n"
        "2021年度，某卫生院⟦单位支出为305.00万元⟧。其中：\n基本支出200.00万元。\n项目支出105.00万元。",
        # the total adds up to its own breakdown: the part where the others overflow it is flagged
        "2024年度政府采购金额为30.00万元，其中：货物采购金额30.00万元、工程采购金额0万元、服务采购金额0万元。"
        "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额30.00万元；"
        "⟦在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额30.00万元⟧。",
    ),
    passing=(
        "2019年“三公”经费财政拨款支出决算为7.34万元。因公出国（境）费支出0万元。"
        "公务用车购置及运行维护费支出6.98万元。公务接待费支出0.36万元。",
        "2022年度财政拨款收入总计845.10万元，2022年度财政拨款支出总计845.10万元。",
        "2022年度一般公共预算收入总计715.00万元，本年支出690.00万元，年末结转和结余25.00万元。",
        "2022年度政府采购支出总额86.00万元。授予中小企业合同金额70.00万元，其中授予小微企业合同金额52.00万元。",
        "2022年度财政拨款收入支出总计150.00万元。年初财政拨款结转和结余50.00万元，本年财政拨款收入100.00万元。",
        "2021年度，收入总计为300.00万元，其中：财政拨款收入250.00万元，事业收入50.00万元。\n"
        "（二）支出决算情况\n2021年度，本单位支出为295.00万元。",
        # 收入总计 is short of its own items (SUM001), and by them the spending fits
        "（一）收入决算情况\n2021年度，收入总计为290.00万元，其中：\n1.财政拨款收入250.00万元。\n"
        "2.事业收入40.00万元。\n3.上年结转和结余8.00万元。\n（二）支出决算情况\n"
        "2021年度，某卫生院单位支出为296.00万元。其中：\n基本支出200.00万元。\n项目支出96.00万元。",
    ),
)

RULES = (SAME, IDENTITY)


def clusters(statements: list[Statement]) -> list[list[Statement]]:
    """Statements whose values rounding can reconcile, in order of first appearance: each joins the
    first group whose first statement's value it overlaps.

    The groups' first intervals are kept sorted by their low end, so a statement looks only at the
    groups whose low end lies within the widest interval below its own high end (a bisection and a
    few neighbours, not every group: one metric stated thousands of times stays linear)."""
    groups: list[list[Statement]] = []
    lows: list[float] = []  # the first statement's interval of each group, sorted by its low end …
    firsts: list[tuple[float, int]] = []  # … with its high end and the group's index
    widest = 0.0
    for s in statements:
        iv = interval(s.quantity)
        # a first interval (lo, hi) can overlap iv only if iv[0] - widest - tol <= lo <= iv[1] + tol
        tol = 2 * EPS * max(1.0, abs(iv[0]) + widest, abs(iv[1]) + widest)
        hit = None
        j = bisect.bisect_right(lows, iv[1] + tol)
        i = bisect.bisect_left(lows, iv[0] - widest - tol, 0, j)
        for k in range(i, j):
            hi, index = firsts[k]
            if (hit is None or index < hit) and overlaps(iv, (lows[k], hi)):
                hit = index
        if hit is not None:
            groups[hit].append(s)
            continue
        k = bisect.bisect_right(lows, iv[0])
        lows.insert(k, iv[0])
        firsts.insert(k, (iv[1], len(groups)))
        widest = max(widest, iv[1] - iv[0])
        groups.append([s])
    return groups


Key = tuple[str, str, str, str]  # metric, period, measure, scope


def grouped(ctx: Context) -> dict[Key, list[Statement]]:
    """Exact money statements by (metric, period, measure, scope), computed once per document."""
    if ctx._grouped is None:
        out: dict[Key, list[Statement]] = {}
        for s in paced(ctx.statements.all):
            if s.quantity.kind == "money" and s.quantity.exact:
                out.setdefault((s.mention.metric, s.period, s.measure, s.scope), []).append(s)
        ctx._grouped = out
    return ctx._grouped


def equal_names(ctx: Context, metric: str) -> set[str]:
    """The other names of one quantity (patterns/identities.toml [[same]]): 支出总计 for 收入总计."""
    return _same_groups(ctx.identities).get(metric, set()) - {metric}


# by the identities' tuple itself, not its hash: hashing it hashes every identity, and a check asks
# for the groups once per metric (the tuple is kept, so its id stays its own)
_SAME_GROUPS: dict[int, tuple[tuple[Identity, ...], dict[str, set[str]]]] = {}


def _same_groups(identities: tuple[Identity, ...]) -> dict[str, set[str]]:
    hit = _SAME_GROUPS.get(id(identities))
    if hit is None or hit[0] is not identities:
        # a [[same]] group is written as pairs with its first name: every member is equal to every other
        groups: dict[str, set[str]] = {}
        for i in identities:
            if i.same:
                groups.setdefault(i.total, {i.total}).add(i.parts[0])
        hit = (identities, {name: members for members in groups.values() for name in members})
        _SAME_GROUPS[id(identities)] = hit
    return hit[1]


_TOTAL_NAMES: dict[int, tuple[tuple[Identity, ...], list[list[str]]]] = {}


def _names_of_totals(identities: tuple[Identity, ...]) -> list[list[str]]:
    """For each identity, the names its total may be stated under: an identity of 支出总计 holds
    for 收入总计, the same quantity under another name (read once per tuple, as ``_same_groups``)."""
    hit = _TOTAL_NAMES.get(id(identities))
    if hit is None or hit[0] is not identities:
        groups = _same_groups(identities)
        names = [
            [i.total, *sorted(groups.get(i.total, set()) - {i.total} - set(i.parts))] for i in identities
        ]  # fmt: skip
        hit = (identities, names)
        _TOTAL_NAMES[id(identities)] = hit
    return hit[1]


class ValueIndex:
    """Statements by the values their figures stand for: those that overlap an interval, found by
    bisection on the low ends (within the widest interval) rather than by a scan of them all."""

    def __init__(self, statements: list[Statement]) -> None:
        items = sorted(((interval(s.quantity), s) for s in statements), key=lambda x: x[0][0])
        self.lows = [iv[0] for iv, _ in items]
        self.items = items
        self.widest = max((iv[1] - iv[0] for iv, _ in items), default=0.0)

    def overlapping(self, iv) -> list[Statement]:
        tol = 2 * EPS * max(1.0, abs(iv[0]) + self.widest, abs(iv[1]) + self.widest)
        j = bisect.bisect_right(self.lows, iv[1] + tol)
        i = bisect.bisect_left(self.lows, iv[0] - self.widest - tol, 0, j)
        return [s for other, s in self.items[i:j] if overlaps(other, iv)]


def _money_by_value(ctx: Context) -> ValueIndex:
    """The exact money statements of the document, by value (built once per check)."""
    if "equivalence.money" not in ctx.memo:
        money = [s for s in ctx.statements.all if s.quantity.exact and s.quantity.kind == "money"]
        ctx.memo["equivalence.money"] = ValueIndex(money)
    return ctx.memo["equivalence.money"]


def is_unit_slip(a: Statement, b: Statement) -> bool:
    qa, qb = a.quantity, b.quantity
    if qa.unit == qb.unit:
        return False
    big, small = (qa, qb) if qa.base > qb.base else (qb, qa)
    return small.base > 0 and overlaps((interval(big)[0] / 1e4, interval(big)[1] / 1e4), interval(small))


def odd_one_out(groups: list[list[Statement]], ctx: Context) -> tuple[list[Statement], str]:
    """Which cluster is the wrong one.

    A value that a metric the template makes equal to this one also has (收入总计 and
    支出总计) confirms its cluster; a value that another related metric has (本年收入合计
    for 收入总计) suggests the wrong name; otherwise the smaller cluster, else the later.
    """
    metric = groups[0][0].mention.metric
    equal = equal_names(ctx, metric)
    # the narrative is written from the tables: a table's cell against the text's figure
    # makes the text's the one to correct
    tabled = [g for g in groups if any(s.source == "table" for s in g)]
    if len(groups) == 2 and len(tabled) == 1:
        return next(g for g in groups if g is not tabled[0]), ""

    index = _money_by_value(ctx)

    def others(q, metrics=None):
        return sorted(
            (s.quantity.start, s.mention.metric)
            for s in index.overlapping(interval(q))
            if s.mention.metric != metric and (metrics is None or s.mention.metric in metrics)
        )

    confirmed = [g for g in groups if others(g[0].quantity, equal)]
    if len(groups) == 2 and len(confirmed) == 1:
        odd = next(g for g in groups if g is not confirmed[0])
        lookalike = [m for _, m in others(odd[0].quantity) if m not in equal]
        return odd, lookalike[0] if lookalike else ""
    smallest = min(len(g) for g in groups)
    candidates = [g for g in groups if len(g) == smallest]
    if len(candidates) == 1 and len(groups) > 1:
        return candidates[0], ""
    related = {p for i in ctx.identities if i.total == metric for p in i.parts} - equal
    for g in candidates:
        lookalikes = [m for _, m in others(g[0].quantity) if m not in equal]
        lookalikes.sort(key=lambda m: m not in related)
        if lookalikes:
            return g, lookalikes[0]
    return candidates[-1], ""


def check(ctx: Context) -> list[Finding]:
    out = []
    doc = ctx.doc
    for (metric, _period, _measure, _scope), statements in grouped(ctx).items():
        if len(statements) < 2:
            continue
        ctx.checked["statement"] += 1
        groups = clusters(statements)
        if len(groups) < 2:
            continue
        odd, lookalike = odd_one_out(groups, ctx)
        main = next(g for g in groups if g is not odd)
        if is_unit_slip(odd[0], main[0]):
            continue  # UNIT002 reports it
        ref = main[0].quantity
        for s in odd:
            note = f"；{s.quantity.text}与{lookalike}相同，疑将{lookalike}误作{metric}" if lookalike else ""
            out.append(
                make_finding(
                    SAME,
                    doc,
                    s.quantity,
                    f"“{s.mention.text}”为 {s.quantity.text}，而同期“{main[0].mention.text}”为 "
                    f"{ref.text}，同一指标（{metric}）数值不一致{note}",
                    stated=s.quantity.value,
                    expected=round(ref.base / s.quantity.scale, ref.decimals),
                    evidence=[
                        Evidence.of(s.quantity, "stated"),
                        Evidence.of(ref, "other-statement"),
                    ],
                    suggestion=f"核对{metric}，统一为同一数值",
                )
            )
    out.extend(_identities(ctx))
    return out


def _scoped(scope: str, metric: str) -> bool:
    """A metric whose name names a fund (政府性基金预算财政拨款收入) is stated unscoped but
    belongs to that fund's scope as well."""
    return bool(scope) and scope in metric


def _identities(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    groups = grouped(ctx)
    out = []
    keys = {(period, measure, scope) for (_m, period, measure, scope) in groups}
    seen: set[frozenset[int]] = set()
    for period, measure, scope in sorted(keys):
        values: dict[str, Statement] = {}
        keys_of: dict[str, Key] = {}
        for key, statements in groups.items():
            metric, p, m, sc = key
            if (p, m) != (period, measure) or not (sc == scope or (sc == "" and _scoped(scope, metric))):
                continue
            if len(clusters(statements)) == 1:
                values[metric] = statements[-1]
                keys_of[metric] = key
        for ident, names in zip(ctx.identities, _names_of_totals(ctx.identities), strict=True):
            name = next((n for n in names if n in values), None)
            known = [values[p] for p in ident.parts if p in values]
            if name is None or not known or (len(known) == 1 and len(ident.parts) > 1 and known[0].quantity.base == 0):
                continue
            total = values[name]
            if _one_table(ctx, [total, *known]) or _table_holds_parts(ctx, total, ident):
                continue  # a table's own rows and columns are TBL's to add up
            # a total whose breakdown SUM001 added up (收入总计，其中：…) is read against its own
            # parts there; here only parts from elsewhere (本年支出合计 against 收入总计 ≡ 支出总计)
            # can break the identity, and only by exceeding the total as stated and what its
            # listed parts add up to when SUM001 found them not adding up to it: the finding is
            # then on the parts, whichever of the total's two values is right
            summed = [s for s in groups[keys_of[name]] if id(s.quantity) in ctx.summed_totals]
            if summed and (ident.same or {id(s.quantity) for s in known} <= _listed_after(ctx, summed)):
                continue  # the same figures SUM001 added up (a [[same]] pair: as before, not read)
            listed = next((ctx.listed_parts[id(s.quantity)] for s in summed if id(s.quantity) in ctx.listed_parts), ())
            complete = len(known) == len(ident.parts)
            t_iv = interval(total.quantity)
            bounds = [t_iv, add(*(interval(q) for q in listed))] if listed else [t_iv]
            s_iv = add(*(interval(s.quantity) for s in known))
            ctx.checked["identity"] += 1
            if overlaps(s_iv, t_iv):
                continue
            exceeds = all(s_iv[0] > hi for _, hi in bounds)
            if not exceeds and (summed or not (complete and ident.strict)):
                continue
            pair = frozenset(id(s.quantity) for s in (total, *known))
            if ident.same and pair in seen:
                continue  # 财政拨款收入总计 vs 财政拨款支出总计, met again through the group's other pair
            seen.add(pair)
            # a part that adds up to its own breakdown (本年支出合计 = 基本支出 + 项目支出) is as
            # corroborated as the total: the text contradicts itself, but not at a figure it can name
            own = id(known[-1].quantity)
            corroborated = bool(summed) and own in ctx.summed_totals and own not in ctx.listed_parts
            out.append(_identity_finding(doc, ident, name, total, known, exceeds, bool(summed), listed, corroborated))
    return out


def _listed_after(ctx: Context, totals: list[Statement]) -> set[int]:
    """id() of the parts listed after any of these totals (their breakdowns)."""
    ids = {id(s.quantity) for s in totals}
    return {id(p.quantity) for b in ctx.breakdowns if id(b.total) in ids for p in b.parts}


def _one_table(ctx: Context, statements: list[Statement]) -> bool:
    """Every statement is a cell of one and the same table."""
    if any(s.source != "table" for s in statements):
        return False
    # a 总表's pairs have no TBL rule: their identities are this family's
    spans = [(t.start, t.end) for t in ctx.found.get("tables", ()) if t.kind.layout != "pairs"]
    homes = {next((i for i, (a, b) in enumerate(spans) if a <= s.quantity.start < b), None) for s in statements}
    return len(homes) == 1 and None not in homes


def _table_holds_parts(ctx: Context, total: Statement, ident) -> bool:
    """``total`` is a table's cell and that table states every one of the identity's parts: the
    table's own arithmetic (TBL) reads it, and the narrative's parts are read against the
    table's cells (EQV001)."""
    if total.source != "table":
        return False
    table = next((t for t in ctx.found.get("tables", ()) if t.start <= total.quantity.start < t.end), None)
    if table is None or table.kind.layout == "pairs":
        return False
    stated = {
        s.mention.metric
        for s in ctx.statements.all
        if s.source == "table" and s.measure == total.measure and table.start <= s.quantity.start < table.end
    }
    return set(ident.parts) <= stated


def _identity_finding(
    doc,
    ident,
    name: str,
    total: Statement,
    known: list[Statement],
    exceeds: bool,
    on_part: bool,
    listed,
    corroborated: bool = False,
) -> Finding:
    """On the total, or on the parts when the total is read against its own breakdown too
    (``on_part``; ``listed``: that breakdown's parts, when they do not add up to the total). A
    warning when the part it sits on adds up to its own breakdown (``corroborated``): which
    side holds the wrong figure, the text does not say."""
    tq = total.quantity
    d = max(q.decimals for q in [tq, *(s.quantity for s in known), *listed])
    parts_sum = sum(s.quantity.base for s in known) / tq.scale
    shown = " + ".join(f"{s.mention.text} {s.quantity.text}" for s in known)
    label = name if name == ident.total or ident.same else f"{name}（= {ident.total}）"
    if ident.same:
        message = f"{label} {tq.text} 与 {shown} 应为同一数值"
    elif ident.relation == ">=":
        message = f"{label} {tq.text} 小于其所含各项之和 {fmt(parts_sum, d)}（{shown}）"
        if on_part and not listed:
            message += f"；{label}已与其构成相符，所含各项中应有一项有误"
    elif on_part:
        # 单位支出（本年支出合计）468.738万元 超过收入总计 457.8161万元，而收入总计 = 支出总计 = …
        named = [f"{s.mention.text}（{s.mention.metric}）" if s.mention.text != s.mention.metric else s.mention.text
                 for s in known]  # fmt: skip
        whole = " + ".join(f"{n} {s.quantity.text}" for n, s in zip(named, known, strict=True))
        if len(known) > 1:
            whole += f" = {fmt(parts_sum, d)}"
        equal = f"{name} = " if name != ident.total else ""
        message = f"{whole} 超过{name} {tq.text}，而{equal}{ident.total} = {' + '.join(ident.parts)}，各项均不为负"
    else:
        verb = "小于" if exceeds else "不等于"
        message = f"{label} {tq.text} {verb}其构成之和 {fmt(parts_sum, d)}（{shown}）"
    if on_part and listed:
        listed_sum = sum(q.base for q in listed) / tq.scale
        items = " + ".join(fmt(q.base / tq.scale, d) for q in listed)
        unit = tq.unit or ""
        message += (
            f"；按{name}所列各项合计 {fmt(listed_sum, d)}{unit}（{items}）也小于 {fmt(parts_sum, d)}{unit}，"
            f"无论{name}取所述之数还是各项之和，都小于其所含"
        )
    if corroborated:
        message += f"；{known[-1].mention.metric}与其构成相符，错在哪一侧的数字，文中无从判断"
    # on a part, the finding spans its whole statement: the figure alone may recur (21.07 thrice)
    anchor = Span(known[-1].mention.start, known[-1].quantity.end, "") if on_part else tq
    return make_finding(
        IDENTITY,
        doc,
        anchor,
        message,
        stated=known[-1].quantity.value if on_part else tq.value,
        expected=None if on_part else round(parts_sum, d),
        evidence=[Evidence.of(tq, "total")]
        + [Evidence.of(s.quantity, "part") for s in known]
        + [Evidence.of(q, "listed-part") for q in listed],
        suggestion=f"核对{ident.total}及其构成",
        severity="warning" if corroborated else None,
    )


# EQV002 reads which totals the sums check added up (ctx.summed_totals)
FAMILY = Family(prefix="EQV", rules=RULES, check=check, after=("SUM",))
