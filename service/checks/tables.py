"""TBL: the standard tables of a 决算 / 预算 against their own arithmetic (service/claims/fiscal_tables.py).

Every figure stands for the interval of its last digit (DOMAIN.md), so a row of n parts
written to two decimals may miss its total by up to n × 0.005 before anything is wrong.
"""

from __future__ import annotations

import regex

from ..claims.fiscal_tables import Row, Table, kinds
from ..model import Evidence, Figure, Finding, Span
from .arith import fmt, overlaps
from .base import Family, Rule, make_finding
from .context import Context

TOTAL_ROW = Rule(
    code="TBL001",
    name="table-total-row-mismatch",
    title="表中合计行与各类之和不符",
    severity="error",
    summary="A table's 合计 row is not the sum of its 类 rows.",
    doc="""What it does
    In a standard table of 功能分类 subjects (收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表
    and their 预算 counterparts), adds up the 类 rows (three-digit codes) of each column whose
    cells are known and compares the sum with the 合计 row.

Why it matters
    The 合计 row is what the narrative and the other tables quote: a 类 left out or mistyped
    makes the table disagree with itself.

Example (flagged)
    合计 310.00 under 208 120.00 and 212 180.00 (120.00 + 180.00 = 300.00).

Passes instead
    合计 300.00 under the same rows.
""",
    flagged=(
        "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t⟦310.00⟧\t200.00\t100.00\n208\t社会保障和就业支出\t120.00\t120.00\t\n"
        "212\t城乡社区支出\t180.00\t80.00\t100.00\n注：本表反映一般公共预算财政拨款支出情况。",
    ),
    passing=(
        "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t300.00\t200.00\t100.00\n208\t社会保障和就业支出\t120.00\t120.00\t\n"
        "212\t城乡社区支出\t180.00\t80.00\t100.00\n注：本表反映一般公共预算财政拨款支出情况。",
    ),
)

HIERARCHY = Rule(
    code="TBL002",
    name="table-subject-hierarchy-mismatch",
    title="表中科目上下级不符",
    severity="error",
    summary="A 类 row is not the sum of its 款 rows, or a 款 not the sum of its 项 (by code prefix).",
    doc="""What it does
    Groups a table's rows by their code: a 款 (five digits) belongs to the 类 of its first three,
    a 项 (seven) to the 款 of its first five; an 经济分类 款 (30101) to its class (301). Where a
    row has rows under it, their sum in each known column must be the row's figure.

Why it matters
    The levels of the classification are one figure told at three depths: a 类 that its 款 do
    not add up to means a row was mistyped or left out.

Example (flagged)
    208 社会保障和就业支出 125.00 over 20805 120.00 (and nothing else under 208).

Passes instead
    208 社会保障和就业支出 120.00 over 20805 120.00.
""",
    flagged=(
        "支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\n"
        "208\t社会保障和就业支出\t⟦125.00⟧\t125.00\t\t\t\t\n20805\t行政事业单位养老支出\t120.00\t120.00\t\t\t\t\n"
        "2080505\t机关事业单位基本养老保险缴费支出\t120.00\t120.00\t\t\t\t\n注：本表反映部门本年度各项支出情况。",
    ),
    passing=(
        "支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\n"
        "208\t社会保障和就业支出\t120.00\t120.00\t\t\t\t\n20805\t行政事业单位养老支出\t120.00\t120.00\t\t\t\t\n"
        "2080505\t机关事业单位基本养老保险缴费支出\t120.00\t120.00\t\t\t\t\n注：本表反映部门本年度各项支出情况。",
    ),
)

COLUMNS = Rule(
    code="TBL003",
    name="table-row-columns-mismatch",
    title="表中各列之和与合计列不符",
    severity="error",
    summary="A row's total column is not the sum of its other columns (合计 = 基本支出 + 项目支出 …).",
    doc="""What it does
    In a table whose first figure column is the total of the others (本年支出合计 = 基本支出 +
    项目支出 + …, 本年收入合计 = 财政拨款收入 + …, 合计 = 基本支出 + 项目支出), compares each
    row's first figure with the sum of the row's other figures (which needs no column to be
    known: an empty cell adds nothing). In the 三公 table, 合计 = 出国 + 车辆 + 接待 and 车辆小计
    = 购置 + 运行, for the budget and the actual.

Why it matters
    A row whose columns do not add up has a mistyped cell, and every figure quoted from it is
    in doubt.

Example (flagged)
    212 城乡社区支出 180.00 | 80.00 | 110.00.

Passes instead
    212 城乡社区支出 180.00 | 80.00 | 100.00.
""",
    flagged=(
        "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "212\t城乡社区支出\t⟦180.00⟧\t80.00\t110.00\n注：本表反映一般公共预算财政拨款支出情况。",
        "财政拨款“三公”经费支出决算表\n单位：万元\n" + "预算数 决算数 " * 6 + "\n"
        "5.00 ⟦4.00⟧ 0.00 0.00 3.00 2.50 0.00 0.00 3.00 2.50 2.00 1.00\n注：本表反映“三公”经费支出预决算情况。",
    ),
    passing=(
        "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "212\t城乡社区支出\t180.00\t80.00\t100.00\n注：本表反映一般公共预算财政拨款支出情况。",
        "财政拨款“三公”经费支出决算表\n单位：万元\n" + "预算数 决算数 " * 6 + "\n"
        "5.00 4.00 0.00 0.00 3.00 2.50 0.00 0.00 3.00 2.50 2.00 1.50\n注：本表反映“三公”经费支出预决算情况。",
    ),
)

STAFF_COSTS = Rule(
    code="TBL004",
    name="basic-spending-totals-mismatch",
    title="基本支出表经费合计不符",
    severity="error",
    summary="In the 基本支出 table, 人员经费合计 is not 301 + 303, or 公用经费合计 falls short of 302 + 310.",
    doc="""What it does
    The template's 基本支出 table ends with 人员经费合计 (工资福利支出 301 + 对个人和家庭的补助 303)
    and 公用经费合计 (商品和服务支出 302 + 资本性支出 310, and 307, 309, 399 where a unit has
    them). Compares each with the classes the table lists.

Why it matters
    The two totals are what the narrative quotes as 人员经费 and 公用经费: when they are not the
    classes' sums, one of the four class rows or the totals is wrong.

Example (flagged)
    301 150.00, 303 10.00, 人员经费合计 170.00.

Passes instead
    301 150.00, 303 10.00, 人员经费合计 160.00.
""",
    flagged=(
        "一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
        "301 工资福利支出 150.00 302 商品和服务支出 40.00\n303 对个人和家庭的补助 10.00 310 资本性支出 5.00\n"
        "人员经费合计 ⟦170.00⟧ 公用经费合计 45.00\n注：本表反映基本支出明细情况。",
    ),
    passing=(
        "一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
        "301 工资福利支出 150.00 302 商品和服务支出 40.00\n303 对个人和家庭的补助 10.00 310 资本性支出 5.00\n"
        "人员经费合计 160.00 公用经费合计 45.00\n注：本表反映基本支出明细情况。",
    ),
)

MISSING = Rule(
    code="TBL005",
    name="standard-table-missing",
    title="缺少标准表",
    severity="info",
    summary="A 部门决算 that prints its standard tables leaves one of the nine out, without saying it is empty.",
    doc="""What it does
    When a report prints at least three of the nine standard tables of a 部门决算, names each
    of the nine it does not print. A table the report says has no data (本表无数据, 空表, 无此
    项收支) counts as printed.

Why it matters
    The template requires all nine, an empty one kept with its note: a table left out is
    either lost in publishing or hides a fund's figures.

Example (flagged)
    A 决算 with its 收入决算表, 支出决算表 and 一般公共预算财政拨款支出决算表 and no 三公 table.

Passes instead
    The same report with the 三公 table, or with 政府性基金… printed as 本表无数据.
""",
    flagged=(
        "某局2023年度部门决算\n⟦收入决算表⟧\n单位：万元\n\t合计\t100.00\t100.00\n注：本表反映收入情况。\n"
        "支出决算表\n单位：万元\n\t合计\t100.00\t100.00\n注：本表反映支出情况。\n"
        "一般公共预算财政拨款支出决算表\n单位：万元\n\t合计\t100.00\t100.00\t\n注：本表反映支出情况。",
    ),
    passing=(
        "某局2023年度部门决算\n收入决算表\n单位：万元\n\t合计\t100.00\t100.00\n注：本表反映收入情况。\n"
        "支出决算表\n单位：万元\n\t合计\t100.00\t100.00\n注：本表反映支出情况。",
    ),
)

NO_UNIT = Rule(
    code="TBL006",
    name="table-unit-missing",
    title="表未注明金额单位",
    severity="info",
    summary="A standard table printed without its 单位 line: its figures are not checked.",
    doc="""What it does
    Notes a standard table whose title is followed by rows of figures but no `单位：万元` line.

Why it matters
    Without the unit a reader cannot tell 元 from 万元, and Tally does not compare its figures
    with the narrative.

Example (flagged)
    支出决算表 followed directly by its header and rows.

Passes instead
    支出决算表, then 单位：万元, then the header and rows.
""",
    flagged=(
        "⟦支出决算表⟧\n科目编码\t科目名称\t本年支出合计\n208\t社会保障和就业支出\t120.00\n212\t城乡社区支出\t80.00",
    ),
    passing=("支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\n208\t社会保障和就业支出\t120.00",),
)

RULES = (TOTAL_ROW, HIERARCHY, COLUMNS, STAFF_COSTS, MISSING, NO_UNIT)

# the nine tables of a 部门决算 (patterns/tables.toml keys)
JUESUAN = ("summary", "income", "spending", "appropriation-summary", "general-spending", "general-basic", "sangong",
           "fund", "capital")  # fmt: skip
EMPTY_NOTE = regex.compile(r"本表无数据|空表|无此项|没有[^。]{0,40}故本表")

STAFF = ("301", "303")
RUNNING = ("302", "310")  # and 307, 309, 399 when listed: a shortfall of these two alone is not provable
SANGONG_SUMS = ((0, (1, 2, 5)), (2, (3, 4)))  # 合计 = 出国 + 车辆 + 接待; 车辆小计 = 购置 + 运行


def _sum_iv(figures, scale: float) -> tuple[float, float]:
    ivs = [f.interval(scale) for f in figures]
    return sum(a for a, _ in ivs), sum(b for _, b in ivs)


def _finding(rule: Rule, ctx: Context, t: Table, total: Figure, parts: list[Figure], what: str) -> Finding:
    d = max(f.decimals for f in [total, *parts])
    total_sum = sum(f.value for f in parts)
    shown = " + ".join(fmt(f.value, d) for f in parts)
    return make_finding(
        rule,
        ctx.doc,
        Span(total.start, total.end, total.text),
        f"{t.title}：{what} {fmt(total.value, d)} {t.unit}，而其所含各项之和为 {fmt(total_sum, d)}（{shown}）",
        stated=total.value,
        expected=round(total_sum, d),
        evidence=[
            Evidence.at(total, "total", total.value, t.unit),
            *(Evidence.at(f, "part", f.value, t.unit) for f in parts),
        ],
        suggestion="核对表中该行及其所含各行的数字",
    )


def _disagrees(total: Figure, parts: list[Figure], scale: float) -> bool:
    return bool(parts) and not overlaps(total.interval(scale), _sum_iv(parts, scale))


def _exceeds(total: Figure, parts: list[Figure], scale: float) -> bool:
    return bool(parts) and _sum_iv(parts, scale)[0] > total.interval(scale)[1]


def _contradicts(t: Table, total: Figure, parts: list[Figure]) -> bool:
    """The rows under ``total`` contradict it: any difference in a table read from its cells; in
    PDF text, where a row may have been lost (a name and its figures on lines of their own),
    only rows that add up to more than it."""
    return _disagrees(total, parts, t.scale) if t.complete else _exceeds(total, parts, t.scale)


def _known_columns(rows: list[Row]) -> list[int]:
    """The columns every one of ``rows`` knows (column 0 always: a row's first figure)."""
    width = min(len(r.cells) for r in rows)
    return [c for c in range(width) if c == 0 or all(r.aligned for r in rows)]


def _subjects(ctx: Context, t: Table) -> list[Finding]:
    out: list[Finding] = []
    rows = list(t.rows)
    scale = t.scale
    coded = [r for r in rows if r.code]
    total = t.total_row
    classes = [r for r in coded if r.level == 1]
    if total is not None and classes:
        for c in _known_columns([total, *classes]):
            parts = [r.cells[c] for r in classes if r.cells[c] is not None]
            if total.cells[c] is not None and _contradicts(t, total.cells[c], parts):
                out.append(_finding(TOTAL_ROW, ctx, t, total.cells[c], parts, f"合计行（{t.kind.columns[c]}）为"))
        ctx.checked["table"] += 1
    out.extend(_hierarchy(ctx, t, coded))
    if t.kind.first_is_total:
        for r in rows:
            if len(r.figures) > 1 and _disagrees(r.figures[0], list(r.figures[1:]), scale):
                out.append(_finding(COLUMNS, ctx, t, r.figures[0], list(r.figures[1:]), f"{r.code} {r.label}".strip()))
            ctx.checked["table"] += 1
    return out


def _hierarchy(ctx: Context, t: Table, coded: list[Row]) -> list[Finding]:
    """Each row against the rows one level under it (a code one step longer with its prefix)."""
    out = []
    by_code = {}
    for r in coded:
        if r.code in by_code:
            return out  # a code listed twice: the rows of two tables ran together
        by_code[r.code] = r
    for r in coded:
        step = 2 if len(r.code) in (3, 5) else 0
        if not step:
            continue
        children = [c for c in coded if len(c.code) == len(r.code) + step and c.code.startswith(r.code)]
        if not children:
            continue
        ctx.checked["table"] += 1
        for c in _known_columns([r, *children]):
            parts = [ch.cells[c] for ch in children if ch.cells[c] is not None]
            if r.cells[c] is not None and _contradicts(t, r.cells[c], parts):
                name = f"{r.code} {r.label}（{t.kind.columns[c]}）" if t.kind.columns else f"{r.code} {r.label}"
                out.append(_finding(HIERARCHY, ctx, t, r.cells[c], parts, name + "为"))
                break
    return out


def _economic(ctx: Context, t: Table) -> list[Finding]:
    out = _hierarchy(ctx, t, [r for r in t.rows if r.code])
    classes = {r.code: r.cells[0] for r in t.rows if len(r.code) == 3}
    totals = {r.label: r.cells[0] for r in t.rows if not r.code}
    staff = totals.get("人员经费合计")
    if staff is not None and all(c in classes for c in STAFF):
        ctx.checked["table"] += 1
        parts = [classes[c] for c in STAFF]
        if _disagrees(staff, parts, t.scale):
            out.append(
                _finding(STAFF_COSTS, ctx, t, staff, parts, "人员经费合计（工资福利支出 + 对个人和家庭的补助）为")
            )
    running = totals.get("公用经费合计")
    if running is not None and all(c in classes for c in RUNNING):
        ctx.checked["table"] += 1
        parts = [classes[c] for c in RUNNING]
        extra = [classes[c] for c in classes if c not in (*STAFF, *RUNNING)]
        if _sum_iv([running], t.scale)[1] < _sum_iv(parts, t.scale)[0] or (
            not extra and _disagrees(running, parts, t.scale)
        ):
            out.append(_finding(STAFF_COSTS, ctx, t, running, parts, "公用经费合计（商品和服务支出 + 资本性支出）为"))
    return out


def _sangong(ctx: Context, t: Table) -> list[Finding]:
    out = []
    for r in t.rows:
        for measure in (0, 1):
            for total, parts in SANGONG_SUMS:
                whole = r.cells[2 * total + measure]
                figures = [r.cells[2 * p + measure] for p in parts]
                ctx.checked["table"] += 1
                if _disagrees(whole, figures, t.scale):
                    what = f"{t.kind.columns[total]}（{'预算数' if measure == 0 else '决算数'}）为"
                    out.append(_finding(COLUMNS, ctx, t, whole, figures, what))
    return out


def _structure(ctx: Context, tables: list[Table]) -> list[Finding]:
    out = []
    for t in tables:
        if not t.unit:
            span = Span(t.start, t.start + len(t.title), ctx.doc.text[t.start : t.start + len(t.title)])
            out.append(make_finding(NO_UNIT, ctx.doc, span, f"“{t.title}”没有“单位：万元”一行，表中数字未予核对",
                                    suggestion="在表题下注明金额单位"))  # fmt: skip
    juesuan = [t for t in tables if "决算" in t.title]
    if len(juesuan) < 3:
        return out
    have = {t.kind.key for t in juesuan}
    missing = [k for k in JUESUAN if k not in have]
    if not missing or EMPTY_NOTE.search(ctx.doc.norm):
        return out
    names = {k.key: k.titles[0] for k in kinds()[0]}
    first = juesuan[0]
    span = Span(first.start, first.start + len(first.title), ctx.doc.text[first.start : first.start + len(first.title)])
    listed = "、".join(names[k] for k in missing)
    out.append(make_finding(MISSING, ctx.doc, span, f"部门决算应有九张标准表，未见：{listed}",
                            suggestion="补齐各表；无数据的表保留表样并注明“本表无数据”"))  # fmt: skip
    return out


def check(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    tables = list(ctx.found.get("tables", ()))
    out.extend(_structure(ctx, tables))
    for t in tables:
        if not t.unit:
            continue
        if t.kind.layout == "subjects":
            out.extend(_subjects(ctx, t))
        elif t.kind.layout == "economic":
            out.extend(_economic(ctx, t))
        elif t.kind.layout == "sangong":
            out.extend(_sangong(ctx, t))
    return out


FAMILY = Family(prefix="TBL", rules=RULES, check=check)
