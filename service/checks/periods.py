"""PER: years that contradict the report's own period; one event given two dates."""

from __future__ import annotations

from collections import Counter, defaultdict

import regex

from ..budget import paced
from ..model import Evidence, Finding, Fix
from ..tag.entities import Span
from .base import Family, Rule, make_finding
from .context import Context

HEADING_YEAR = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?(?:整体)?(?:决算|预算|绩效)")
# a list item that goes on as a sentence, or compares: the year after it is not the heading's
COMPARED = regex.compile(r"[，,；;。]|[与與比较較对對]\s*$")
AS_OF = regex.compile(r"截[至止]\s*(?P<year>(?:19|20)\d{2})\s*年\s*12\s*月\s*(?:31\s*日|底|末)")
ASSETS = regex.compile(r"资产|车辆|房屋|公务用车|共有|占有")
DATED = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
YEAR = regex.compile(r"(?<!\d)(?:19|20)\d{2}\s*年")
EVENTS = regex.compile(r"中标|签订|签约|开工|竣工|验收|成立|批复|印发|挂牌|揭牌|通过评审")
# the text says the event happened again: 再次签订, 续签, 合同期满后, 每年
STAGE = regex.compile(r"[一二三四五六七八九十\d]期|随即|随后|之后|然后|此后|后续")
REPEATED = regex.compile(r"再次|再度|又一次|续签|续订|期满|每年|逐年|年度续")

PERIOD = Rule(
    code="PER001",
    name="period-mismatch",
    title="年份与报告年度不符",
    severity="error",
    summary="A heading, or a 决算's year-end asset count, is dated in another year than the report.",
    doc="""What it does
    Compares with the report's own year (from its title): headings that name a year's
    决算, 预算 or 绩效 (`二、2023年度部门决算情况说明` in a 2024 决算), and, in a 决算, the
    year-end date of an asset count (`截至2023年12月31日，本单位共有车辆…`). A 预算 counts
    assets at the end of the previous year and is not checked for the second.

Why it matters
    Last year's heading or date left in the text tells the reader the figures are last
    year's, or that the section was never updated.

Example (flagged)
    2024年度部门决算 … 二、2023年度部门决算情况说明

Passes instead
    2024年度部门决算 … 二、2024年度部门决算情况说明
""",
    flagged=(
        "某县财政局2024年度部门决算\n第二部分 ⟦2023年度部门决算⟧情况说明\n",
        "某县财政局2024年度部门决算\n（三）国有资产占有使用情况\n⟦截至2023年12月31日⟧，本单位共有车辆2辆。",
    ),
    passing=(
        "某县财政局2024年度部门决算\n第二部分 2024年度部门决算情况说明\n",
        "某县财政局2024年度部门决算\n（一）因公出国（境）费支出0万元，与2023年度决算支出持平。\n",
        "某县财政局2025年部门预算\n（三）国有资产占有使用情况\n截至2024年12月31日，本单位共有车辆2辆。",
    ),
)

EVENT_DATE = Rule(
    code="PER002",
    name="event-date-conflict",
    title="同一事项日期相差一年",
    severity="warning",
    summary="The same event, with the same participants, is given two dates a whole year apart.",
    doc="""What it does
    Finds two dates with the same month and day but different years whose sentences
    name the same action (中标, 签订, 开工 …) and the same company. A sentence that says the
    event happened again (再次签订, 续签, 合同期满后, 每年) is not a conflict.

Why it matters
    `2017年7月6日…成功中标` against `2018年7月6日…确定了…中标企业` means one of the two years
    is wrong (or two tenders happened on the same day a year apart, which the text should
    say). It is a warning: the text alone cannot prove which.

Example (flagged)
    2017年7月6日，成都市东博慧讯科技有限公司成功中标。…2018年7月6日，确定了成都市东博慧讯科技有限公司为中标企业。

Passes instead
    the same date both times
""",
    flagged=(
        "2017年7月6日，成都市东博慧讯科技有限公司成功中标。\n"
        "⟦2018年7月6日⟧，确定了成都市东博慧讯科技有限公司为中标企业。",
    ),
    passing=(
        "2018年7月6日，成都市东博慧讯科技有限公司成功中标。\n"
        "2018年7月6日，确定了成都市东博慧讯科技有限公司为中标企业。",
        "2019年3月1日，本局与峨溪县云上电子商务有限公司签订了为期一年的运营服务合同；"
        "合同期满后，2020年3月1日，本局与峨溪县云上电子商务有限公司再次签订运营服务合同。",
        "一期工程于2019年9月8日由湖南禹通水利水电工程有限公司开工建设，"
        "2020年9月8日湖南禹通水利水电工程有限公司建成投产，二期工程随即开工。",
    ),
)

CURRENT_YEAR = Rule(
    code="PER003",
    name="current-year-mislabelled",
    title="本年数标错年份",
    severity="error",
    summary="A 本年 figure is attributed to another year than the report's.",
    doc="""What it does
    Flags a figure whose metric says 本年 (本年收入合计, 本年支出合计 …) but which the text
    dates in another year: `2018年本年收入合计1200万元` in a 2019 决算. The report's year is
    its title's; without a title, the commonest year, not counting the years named as the
    base of a comparison (`较2018年度决算数增加…` in every item).

Why it matters
    本年 is the report's year by definition; the year beside it was left over from last
    year's report, or the figure is last year's.

Example (flagged)
    2019年度部门决算 … 2018年本年收入合计1,200.00万元

Passes instead
    2019年度部门决算 … 2019年本年收入合计1,200.00万元
""",
    flagged=("某县财政局2019年度部门决算\n⟦2018年⟧本年收入合计1,200.00万元。",),
    passing=(
        "某县财政局2019年度部门决算\n2019年本年收入合计1,200.00万元。",
        # the year after 较 is the base of each comparison, not the report's year
        "（一）本站2019年度总收入260.00万元，其中本年收入210.00万元，较2018年度决算数增加9.00万元。\n"
        "1.财政拨款收入180.00万元，较2018年度决算数增加7.00万元。\n"
        "2.其他收入30.00万元，较2018年度决算数增加2.00万元。",
        "某县林业站2019年度部门决算\n（一）本站2019年度总支出260.00万元，其中本年支出200.00万元，"
        "较2018年度决算数增加3.00万元。\n1.基本支出150.00万元，较2018年度决算数增加2.00万元。\n"
        "2.项目支出50.00万元，较2018年度决算数增加1.00万元。",
    ),
)

REASON_YEAR = Rule(
    code="PER004",
    name="reason-year-conflict",
    title="变动原因年份不符",
    severity="error",
    summary="The reason given for a year-on-year change names another year than the change.",
    doc="""What it does
    Reads the sentences that explain a change over the previous year. When the
    sentence makes a year the subject of the change (`2015年…支出决算同比下降的原因是…`) in
    a 2016 决算 whose text gives no figure for 2014, the year is flagged: the report's
    change is 2016's over 2015, not 2015's over 2014. When the reason names only years
    later than the change it explains (`…比去年减少15万元，原因是2018年没有…` under
    `2017年…支出合计13.78万元`), a cause after its effect is impossible: the year that
    disagrees with the report's own year (from its title) is flagged.

Why it matters
    The paragraph was carried over from another year's report, or the figures were
    relabelled and the explanation was not: the reader cannot tell which year is meant.

Example (flagged)
    某县2016年“三公”经费决算 … 2016年“三公”经费决算数120万元，比上年下降10% … 2015年“三公”经费决算同比下降的原因是…

Passes instead
    … 2016年“三公”经费决算同比下降的原因是… (or a reason naming the year before: 原因是2015年有一次性支出)
""",
    flagged=(
        "青川县2016年“三公”经费决算情况说明\n2016年“三公”经费决算数120万元，比上年决算数下降10%。\n"
        "⟦2015年⟧“三公”经费支出决算同比下降的原因主要是严格控制公务接待。",
        "某市各民主党派2018年“三公”经费预算情况说明\n⟦2017年⟧各民主党派“三公”经费支出合计13.78万元，比上年减少15万元。\n"
        "1、因公出国（境）费0万元，比去年减少15万元，原因是2018年没有因公出境活动。",
    ),
    passing=(
        "青川县2016年“三公”经费决算情况说明\n2016年“三公”经费决算数120万元，比上年决算数下降10%。\n"
        "2016年“三公”经费支出决算同比下降的原因主要是严格控制公务接待。",
        "某市各民主党派2018年“三公”经费预算情况说明\n2018年各民主党派“三公”经费预算合计13.78万元，比上年减少15万元。\n"
        "1、因公出国（境）费0万元，比去年减少15万元，原因是2017年有一次性出访、2018年没有因公出境活动。",
    ),
)

DEADLINE = Rule(
    code="PER005",
    name="deadline-before-period",
    title="期限早于实施期",
    severity="error",
    summary="A deadline falls before the project period it belongs to has begun.",
    doc="""What it does
    Reads the project's period (`实施期2022年3月-2022年11月`, 实施周期, 项目期限) and every
    deadline (`2021年11月30日前完成资金支付`, `2021年底前完成`) in the same report; a deadline
    earlier than the first month of the period is flagged.

Why it matters
    Work cannot be due before the project starts: the year was left over from an earlier
    year's table, and the target (时效指标) it states was never this project's.

Example (flagged)
    专项实施期2022年3月-2022年11月 … 时效指标 2021年11月30日前完成资金支付

Passes instead
    专项实施期2022年3月-2022年11月 … 时效指标 2022年11月30日前完成资金支付
""",
    flagged=(
        "马铃薯种薯繁育项目绩效自评表（2022年度）\n专项实施期：2022年3月-2022年11月\n"
        "时效指标：⟦2021年11月30日前⟧完成资金支付。",
    ),
    passing=(
        "马铃薯种薯繁育项目绩效自评表（2022年度）\n专项实施期：2022年3月-2022年11月\n"
        "时效指标：2022年11月30日前完成资金支付；2021年12月底前已完成项目申报。",
    ),
)

RULES = (PERIOD, EVENT_DATE, CURRENT_YEAR, REASON_YEAR, DEADLINE)

# a year, also right after a flattened table's row number (指标12021年: 指标1, 2021年)
YEAR_AT = regex.compile(r"(?:(?<=指标\d)|(?<!\d))(?P<year>(?:19|20)\d{2})\s*年")
# a change over the previous year, in simplified or traditional script
CHANGE = regex.compile(
    r"(?:同比|[比较較]上年|[比较較]去年|[与與]上年(?:相比|比)?|[与與]去年(?:相比)?)[^，,。；;]{0,12}?"
    r"(?:增加|减少|減少|下降|增长|增長|上升|降低)"
)
# the year of the change is the subject: 2015年…支出决算同比下降的原因
SUBJECT_REASON = regex.compile(r"(?:同比|[比较較]上年)?(?:增加|减少|減少|下降|增长|增長|上升|降低)的?(?:主要)?原因")
REASON_WORD = regex.compile(r"原因")
REASON = regex.compile(r"原因(?:主要)?(?:是|为|為|在于|在於)")
BASE = regex.compile(r"[比较較与與同对對][^，,。；;\d]{0,2}$")
PERIOD_LABELS = ("实施期", "实施周期", "项目周期", "项目期限", "执行期", "实施时间")
PERIOD_LABEL_WORDS = tuple(regex.compile(regex.escape(w)) for w in PERIOD_LABELS)  # compiled once, not per check
PROJECT_PERIOD = regex.compile(
    r"(?:实施期|实施周期|实施期限|项目周期|项目期限|执行期|实施时间)(?:限)?\s*[:：]?\s*"
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月(?:\s*\d{1,2}\s*日)?\s*[-—–~～至到]\s*"
    r"(?P<y2>(?:19|20)\d{2})\s*年\s*(?P<m2>\d{1,2})\s*月"
)
DUE = regex.compile(
    r"(?:(?<=指标\d)|(?<!\d))(?P<year>(?:19|20)\d{2})\s*年\s*(?:(?P<month>\d{1,2})\s*月"
    r"(?:\s*\d{1,2}\s*日)?|底)\s*(?:之|以)?前\s*(?=完成|完工|支付|拨付|到位|实施|建成)"
)


def check(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    year = doc.report_year
    if year is None:  # coverage.names.report_year is null: nothing to compare with
        return []
    out = []
    for line in paced(doc.lines):
        if not line.is_heading:
            continue
        for m in HEADING_YEAR.finditer(doc.norm, line.start, line.end):
            if COMPARED.search(doc.norm, line.start, m.start()):
                continue  # （一）…支出0万元，与2015年度决算支出持平: last year as the base, not the title
            if int(m.group("year")) != year and line.start > 0 and not _is_title(doc, line):
                out.append(_period(ctx, m, f"标题所述年度为{m.group('year')}年，而本报告为{year}年度"))
    if ctx.entities.kind == "决算":
        for m in paced(AS_OF.finditer(doc.norm)):
            sentence = doc.sentence_of(m.start())
            if int(m.group("year")) != year and ASSETS.search(doc.norm, m.end(), sentence.end):
                out.append(_period(ctx, m, f"{year}年度决算的资产数应截至{year}年末，此处为{m.group('year')}年末"))
    out.extend(_current_year(ctx, year))
    out.extend(_event_dates(ctx))
    out.extend(_reason_years(ctx, year))
    out.extend(_deadlines(ctx))
    return out


def _year_in_effect(doc, pos: int, floor: int) -> regex.Match | None:
    """The year a statement at ``pos`` speaks of: the last year written before it that is not
    the base of a comparison (较2015年, 与2016年决算相比), looking back no further than ``floor``."""
    found = [
        m
        for m in YEAR_AT.finditer(doc.norm, floor, pos)
        if not BASE.search(doc.norm, max(floor, m.start() - 3), m.start())
    ]
    return found[-1] if found else None


def _reason_years(ctx: Context, year: int) -> list[Finding]:
    doc, out = ctx.doc, []
    written: set[int] | None = None
    # only the sentences that give a reason: 原因 is rare, the sentences are many
    at = sorted({doc.sentence_index(m.start()) for m in REASON_WORD.finditer(doc.norm)})
    for sentence in (doc.sentences[i] for i in at):
        s, e = sentence.start, sentence.end
        subject = SUBJECT_REASON.search(doc.norm, s, e)
        if subject is not None:
            if written is None:
                written = {int(m.group("year")) for m in YEAR_AT.finditer(doc.norm)}
            first = YEAR_AT.search(doc.norm, s, subject.start())
            said = int(first.group("year")) if first else None
            if (
                first is not None
                and said == year - 1
                and said - 1 not in written
                and (ctx.entities.kind == "决算" or "决算" in doc.norm[s:e])
                and not BASE.search(doc.norm, max(s, first.start() - 3), first.start())
                and len(YEAR_AT.findall(doc.norm, s, subject.start())) == 1
            ):
                out.append(
                    _year_finding(
                        ctx, first, f"本报告说明的是{year}年比{said}年的变化，此处却说明{said}年同比变化的原因", year
                    )
                )
                continue
        reason = REASON.search(doc.norm, s, e)
        if reason is None:
            continue
        changes = list(CHANGE.finditer(doc.norm, s, reason.start()))
        if not changes:
            continue
        named = [m for m in YEAR_AT.finditer(doc.norm, reason.end(), e)]
        effect = _year_in_effect(doc, changes[-1].start(), max(0, s - 400))
        if not named or effect is None:
            continue
        when = int(effect.group("year"))
        if all(int(m.group("year")) > when for m in named):
            cause = named[0]
            wrong = effect if int(cause.group("year")) == year else cause
            other = cause if wrong is effect else effect
            out.append(
                _year_finding(
                    ctx,
                    wrong,
                    f"{effect.group()}的变化，原因却写在其后的{cause.group()}：同一组数字的年份前后矛盾",
                    year,
                    other,
                )
            )
    return out


def _year_finding(ctx: Context, m: regex.Match, message: str, year: int, other: regex.Match | None = None) -> Finding:
    doc = ctx.doc
    span = Span(m.start(), m.end(), doc.text[m.start() : m.end()])
    evidence = [Evidence.at(span, "date", float(m.group("year")), "年")]
    if other is not None:
        evidence.append(Evidence.at(_span(doc, other), "other-date", float(other.group("year")), "年"))
    return make_finding(
        REASON_YEAR,
        doc,
        span,
        message,
        stated=float(m.group("year")),
        expected=float(year),
        evidence=evidence,
        suggestion=f"核对年份（本报告为{year}年度）",
    )


def _deadlines(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    # the period's label is rare: look for it with str.find before the pattern runs
    at = sorted(m.start() for w in PERIOD_LABEL_WORDS for m in w.finditer(doc.norm))
    period = next((p for i in at if (p := PROJECT_PERIOD.match(doc.norm, i, i + 200))), None)
    if period is None:
        return []
    begins = (int(period.group("y1")), int(period.group("m1")))
    out = []
    for m in paced(DUE.finditer(doc.norm)):
        due = (int(m.group("year")), int(m.group("month") or 12))
        if due >= begins:
            continue
        span = Span(m.start(), m.end(), doc.text[m.start() : m.end()])
        out.append(
            make_finding(
                DEADLINE,
                doc,
                span,
                f"完成时限{m.group().strip()}早于项目实施期的开始（{period.group('y1')}年{period.group('m1')}月）",
                stated=float(m.group("year")),
                expected=float(period.group("y1")),
                evidence=[Evidence.at(span, "date"), Evidence.at(_span(doc, period), "period")],
                suggestion=f"核对年份（实施期为{period.group('y1')}年{period.group('m1')}月起）",
            )
        )
    return out


def _is_title(doc, line) -> bool:
    first = next((ln for ln in doc.lines if doc.norm[ln.start : ln.end].strip()), None)
    return first is line


def _span(doc, m: regex.Match) -> Span:
    return Span(m.start(), m.end(), doc.text[m.start() : m.end()])


def _period(ctx: Context, m: regex.Match, message: str) -> Finding:
    span = _span(ctx.doc, m)
    return make_finding(
        PERIOD,
        ctx.doc,
        span,
        message,
        stated=float(m.group("year")),
        expected=float(ctx.doc.report_year),
        evidence=[Evidence.at(span, "date", float(m.group("year")), "年")],
        suggestion=f"改为{ctx.doc.report_year}年",
        fix=Fix(m.start("year"), m.end("year"), str(ctx.doc.report_year)),
    )


def _current_year(ctx: Context, year: int) -> list[Finding]:
    doc, out = ctx.doc, []
    for s in paced(ctx.statements.all):
        if "本年" not in s.mention.text or s.period == "":
            continue
        sentence = doc.sentence_of(s.mention.start)
        found = list(YEAR.finditer(doc.norm[sentence.start : s.mention.start]))
        if not found:
            continue
        m = found[-1]
        a, b = sentence.start + m.start(), sentence.start + m.end()
        span = Span(a, b, doc.text[a:b])
        out.append(
            make_finding(
                CURRENT_YEAR,
                doc,
                span,
                f"“{s.mention.text}”是{year}年的数，此处却写作{doc.text[span.start : span.end]}",
                stated=float(m.group()[:4]),
                expected=float(year),
                evidence=[
                    Evidence.at(span, "date", float(m.group()[:4]), "年"),
                    Evidence.of(s.quantity, "stated"),
                ],
                suggestion=f"改为{year}年",
                fix=Fix(a, a + 4, str(year)),
            )
        )
    return out


def _event_dates(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    companies = [o for o in ctx.entities.organisations if o.kind == "company"]
    seen: dict[tuple[str, str, str], list[tuple[regex.Match, set[str]]]] = defaultdict(list)
    out = []
    dates = list(DATED.finditer(doc.norm))
    # only a month and day written more than once can be one event dated twice
    days = Counter((m.group("month"), m.group("day")) for m in dates)
    for m in dates:
        if days[m.group("month"), m.group("day")] < 2:
            continue
        sentence = doc.sentence_of(m.start())
        # the event of this date: the first event word after it in its sentence, before the
        # next date and before another stage begins (…2020年9月8日建成投产，二期工程随即开工)
        following = DATED.search(doc.norm, m.end(), sentence.end)
        event = EVENTS.search(doc.norm, m.end(), following.start() if following else sentence.end)
        if event is None or STAGE.search(doc.norm, m.end(), event.start()):
            continue
        if REPEATED.search(doc.norm, sentence.start, event.end()):
            continue
        names = {o.text[:6] for o in companies if sentence.start <= o.start < sentence.end}
        key = (m.group("month"), m.group("day"), event.group())
        for other, other_names in seen[key]:
            if other.group("year") != m.group("year") and names & other_names:
                span = _span(doc, m)
                out.append(
                    make_finding(
                        EVENT_DATE,
                        doc,
                        span,
                        f"同一事项（{event.group()}）前文为{other.group()}，此处为{m.group()}，年份不一致",
                        evidence=[Evidence.at(span, "date"), Evidence.at(_span(doc, other), "other-date")],
                        suggestion="核对事项发生的年份",
                    )
                )
                break
        seen[key].append((m, names))
    return out


FAMILY = Family(prefix="PER", rules=RULES, check=check)
