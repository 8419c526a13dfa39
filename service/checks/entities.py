"""ENT: another unit's name, a wrong self-reference, a placeholder, a name written two ways, or a budget
subject described in another subject's words."""

from __future__ import annotations

from collections import Counter
from functools import cache

import regex

from ..budget import paced
from ..model import Evidence, Figure, Finding
from ..patterns import load_toml
from ..tag.entities import Organisation, ReportingUnit, Span, finder, squeeze
from .arith import interval, overlaps
from .base import Family, Rule, make_finding
from .context import Context

LEVEL_NAMES = ("省级", "市级", "县级", "乡镇级")
# what may stand before a sentence's subject: a heading number, a date, white space
SUBJECT_LEAD = regex.compile(  # used with match(text, pos, endpos): anchored at both ends
    r"[\s\t]*(?:\[bookmark:[^\]]*\]\s*)*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]\s*)?"
    r"(?:(?:19|20)\d{2}\s*年(?:度|\d{1,2}\s*月(?:\d{1,2}\s*日)?)?\s*[，,]?\s*)?$"
)
# what a report says of its own unit: budget, accounts, performance, disclosure
OWN_WORK = regex.compile(r"预算|决算|预决|财务|会计|账|绩效|自评|公开|编制|内部控制|资产管理|收支|经费")
OWN_LEVEL = regex.compile(r"\s*[（(]\s*本级\s*[)）]")
OWNED = regex.compile(r"的?(?:项目|专项资金|资金)")
PERFORMANCE = regex.compile(r"满意度|服务对象|绩效目标|绩效指标|预期目标|实施效果")

FOREIGN_SUBJECT = Rule(
    code="ENT001",
    name="foreign-subject",
    title="他单位作为工作主体",
    severity="error",
    summary="Another, lower-level unit acts as the subject of the report's own work, or is called 本级.",
    doc="""What it does
    Finds a government unit that opens a sentence (after any heading number or date), is
    of a lower administrative level than the reporting unit, and does what a report says
    of its own unit: its budget, accounts, performance or disclosure (a township in a
    county bureau's report: `黄龙乡人民政府按照县财政局的要求及时组织财务人员进行预决算的
    编制`); or another unit marked as this report's own with `(本级)` (`包家镇人民政府(本级)`
    in 裴兴镇's report). A township doing its share of the unit's work (`白岩乡人民政府负责
    站点选址`) is not flagged.

Why it matters
    The sentence was copied from another unit's report: the work it describes is not
    this unit's, and the disclosure misstates who did what.

Example (flagged)
    松潘县经济商务和信息化局2019年度部门决算 … 黄龙乡人民政府按照县财政局的要求及时组织财务人员进行预决算的编制。

Passes instead
    县政府根据省商务厅的意见制定实施方案。 (a higher-level unit as subject is context, not a leftover)
""",
    flagged=(
        "松潘县经济商务和信息化局2019年度部门决算\n（一）部门预算管理。\n"
        "⟦黄龙乡人民政府⟧按照县财政局的要求及时组织财务人员进行预决算的编制。",
        "裴兴镇人民政府2020年度部门决算\n纳入本部门2020年度部门决算编制范围的行政部门1个：⟦包家镇人民政府⟧（本级）。",
    ),
    passing=(
        "松潘县经济商务和信息化局2019年度部门决算\n县政府根据省商务厅的意见制定实施方案。县财政局批复了本局的预算。",
    ),
)

SELF_REFERENCE = Rule(
    code="ENT002",
    name="wrong-self-reference",
    title="自称与报告单位不符",
    severity="error",
    summary="A self-reference word (本乡, 我局 …) names a different kind of unit than the reporting unit.",
    doc="""What it does
    Compares each self-reference word with the reporting unit's type: 本乡/我乡 imply a
    township (乡), 本镇 a town, 本局/我局 a bureau, 本委 a commission, 本中心 a centre.
    本部门, 本单位, 我县 and 本市 fit any unit and are never flagged.

Why it matters
    `本乡2019年绩效评价报告` in a county bureau's report is a sentence copied from a
    township's report: the reader is told about some other unit's work.

Example (flagged)
    松潘县经济商务和信息化局2019年度部门决算 … 本乡2019年绩效评价报告通过乡政府公示栏进行公开。

Passes instead
    本局2019年绩效评价报告通过政府网站进行公开。
""",
    flagged=("松潘县经济商务和信息化局2019年度部门决算\n⟦本乡⟧2019年绩效评价报告通过乡政府公示栏进行公开。",),
    passing=("松潘县经济商务和信息化局2019年度部门决算\n本局2019年绩效评价报告通过政府网站进行公开。",),
)

PLACEHOLDER = Rule(
    code="ENT003",
    name="placeholder-name",
    title="遗留占位名称",
    severity="error",
    summary="A redacted or template name (XX局, ×××单位, 某某局) is left in the report.",
    doc="""What it does
    Flags names made of placeholder characters: `上海市普陀区XX局`, `×××单位`, `某某局`.

Why it matters
    The template was never filled in; the disclosure does not say which unit it means.

Example (flagged)
    上海市普陀区XX局2020年度部门预算

Passes instead
    上海市普陀区财政局2020年度部门预算
""",
    flagged=("上海市普陀区⟦XX局⟧2020年度部门预算",),
    passing=("上海市普陀区财政局2020年度部门预算",),
)

NAME_VARIANT = Rule(
    code="ENT004",
    name="organisation-name-variant",
    title="同一单位名称写法不一",
    severity="error",
    summary="One company is written with two different legal names.",
    doc="""What it does
    Compares every company name that ends in a legal suffix (有限公司, 股份有限公司 …).
    Two names with the same suffix whose first four characters agree and one of which
    is the other with words left out (`四川好亦同有限公司`, `四川好亦同信息科技有限公司`) are
    one company written two ways; the later-appearing spelling is flagged. Companies
    that only share a city (益阳市林瑞食品有限公司, 益阳林里香食品有限公司) and branches
    (…股份有限公司益阳分公司) are not variants.

Why it matters
    A legal name identifies a contractor; two spellings leave a reader, or an auditor,
    unable to tell whether one company or two was paid.

Example (flagged)
    成都市东博慧讯科技有限公司与四川好亦同有限公司成功中标 … 确定了四川好亦同信息科技有限公司为中标企业

Passes instead
    the same name written the same way both times
""",
    flagged=("2017年，四川好亦同有限公司成功中标。2018年确定了⟦四川好亦同信息科技有限公司⟧为中标企业。",),
    passing=(
        "2017年，四川好亦同信息科技有限公司成功中标。2018年确定了四川好亦同信息科技有限公司为中标企业。",
        "1、益阳市林瑞食品有限公司：5万元。\n2、益阳林里香食品有限公司：15万元。",
    ),
)

FUND_VARIANT = Rule(
    code="ENT005",
    name="fund-name-variant",
    title="资金名称与标题不一致",
    severity="error",
    summary="The body names the report's own fund differently from its title.",
    doc="""What it does
    Reads the fund the title names (`2018年益阳市电子商务发展引导资金 绩效报告`) and the fund
    the body says it reports on (`我局对2018年度…资金使用情况…绩效汇报如下`). When the two
    differ by a substituted word (电子商务服务外包产业发展资金 for 电子商务发展引导资金) rather
    than an abbreviation or an inserted word (电子商务产业发展引导资金), the body's name is
    flagged.

Why it matters
    A performance report on one fund that describes another was copied from another
    report; its figures may not be this fund's.

Example (flagged)
    2018年益阳市电子商务发展引导资金绩效报告 … 我局对2018年度电子商务服务外包产业发展资金使用情况算绩效汇报如下

Passes instead
    … 我局对2018年度电子商务发展引导资金使用情况绩效汇报如下
""",
    flagged=(
        "2018年益阳市电子商务发展引导资金\n绩效报告\n我局对2018年度⟦电子商务服务外包产业发展资金⟧使用情况算绩效汇报如下：",
    ),
    passing=(
        "2018年益阳市电子商务发展引导资金\n绩效报告\n我局对2018年度电子商务产业发展引导资金使用情况绩效汇报如下：",
    ),
)

FOREIGN_OWNER = Rule(
    code="ENT006",
    name="foreign-owner",
    title="项目所属单位为他单位",
    severity="error",
    summary="Another unit is named as the owner of the projects in this unit's performance statements.",
    doc="""What it does
    Flags a government unit other than the reporting unit written as the owner of
    projects or funds (`规划局项目`, `XX局的专项资金`) in a performance statement (满意度,
    服务对象, 绩效目标 …).

Why it matters
    `服务对象对规划局项目实施的满意度` in an 经信局 report is a performance target copied
    from the planning bureau's report: the target measures someone else's projects.

Example (flagged)
    松潘县经济商务和信息化局 … 力争使服务对象对规划局项目实施的满意度达到较高水平

Passes instead
    力争使服务对象对本局项目实施的满意度达到较高水平
""",
    flagged=("预算单位：松潘县经济商务和信息化局\n力争使服务对象对⟦规划局⟧项目实施的满意度达到较高水平。",),
    passing=("预算单位：松潘县经济商务和信息化局\n力争使服务对象对本局项目实施的满意度达到较高水平。",),
)

OWN_NAME_VARIANT = Rule(
    code="ENT007",
    name="own-name-variant",
    title="本单位名称写法不一",
    severity="error",
    summary="The reporting unit's own name is written with another joining word or another type word.",
    doc="""What it does
    Reads the reporting unit's name (规划和自然资源局 in 上海市某区规划和自然资源局) and finds
    every place the text writes it, with or without its place (上海市某区, 某区), allowing
    the joining words 和/与/及 and the type words 局/委员会 to differ. The commonest spelling
    (the title's when two are as common) is the unit's; every other one is flagged. A
    shortened name (规划资源局, 发展改革委 for 发展和改革委员会), a 中共 prefix written or left
    out, and a name with another place (上海市规划和自然资源局: another unit) are not spellings
    of it.

Why it matters
    A unit has one legal name. `上海市某区规划与自然资源局` in a report of
    `上海市某区规划和自然资源局` names no existing unit; the paragraphs that carry it were
    usually typed or copied separately and deserve a second look.

Example (flagged)
    上海市某区规划和自然资源局2024年度部门决算 … 上海市某区规划与自然资源局2024年度公务用车保有量…

Passes instead
    上海市某区规划和自然资源局2024年度部门决算 … 区规划资源局2024年度公务用车保有量…
""",
    flagged=(
        "上海市某区规划和自然资源局2024年度部门决算\n一、部门职能\n上海市某区规划和自然资源局负责本区规划工作。\n"
        "七、⟦上海市某区规划与自然资源局⟧2024年度公务用车保有量为2辆。",
        "溪口县发展和改革委员会2021年部门预算\n溪口县发展和改革委员会负责全县经济发展规划。\n"
        "⟦溪口县发展和改革局⟧2021年收入预算500.00万元。",
    ),
    passing=(
        "上海市某区规划和自然资源局2024年度部门决算\n一、部门职能\n区规划资源局负责本区规划工作。\n"
        "七、上海市某区规划和自然资源局2024年度公务用车保有量为2辆；上海市规划与自然资源局另行公开。",
        "溪口县发展和改革委员会2021年部门预算\n县发改委负责全县经济发展规划；溪口县发展和改革委2021年收入预算500.00万元。",
    ),
)

FOREIGN_TITLE = Rule(
    code="ENT008",
    name="foreign-title-name",
    title="标题中为他地同名单位",
    severity="error",
    summary="A heading over the report's own accounts names another place's unit of the same field.",
    doc="""What it does
    Reads the headings that say whose accounts follow (`X 2024年度部门决算表`,
    `第二部分 X2024年部门预算`) and flags X when it is the reporting unit's field and type
    with another place: the municipal bureau (上海市规划和自然资源局) over the tables of a
    district's (上海市某区规划和自然资源局), or another county's bureau.

Why it matters
    The heading tells the reader whose figures the tables are; a higher level's name
    there is the template or last year's file of another unit, left unedited.

Example (flagged)
    上海市某区规划和自然资源局2024年度部门决算 … 上海市规划和自然资源局 2024 年度部门决算表

Passes instead
    上海市某区规划和自然资源局2024年度部门决算 … 根据上海市规划和自然资源局的要求编制2024年度部门决算表
""",
    flagged=(
        "上海市某区规划和自然资源局\n2024 年度部门决算\n"
        "第二部分 ⟦上海市规划和自然资源局⟧ 2024 年度部门决算表\n收入支出决算总表",
    ),
    passing=(
        "上海市某区规划和自然资源局\n2024 年度部门决算\n第二部分 上海市某区规划和自然资源局 2024 年度部门决算表\n"
        "根据上海市规划和自然资源局的要求编制2024年度部门决算。",
    ),
)

SCOPE_LEVEL = Rule(
    code="ENT009",
    name="scope-of-another-level",
    title="编报范围写成他级",
    severity="error",
    summary="The statement of what the report covers is written for another administrative level.",
    doc="""What it does
    Reads the report's level from its unit or from the place its title opens with (a
    county: 某县2016年“三公”经费决算情况统计表) and the level a scope statement names:
    `是指省级部门用财政拨款安排的…`, `使用省本级财政拨款安排…的预算部门均纳入统计范围`. When
    the two differ, the scope statement (the one that says what is 纳入…范围, else the
    first) is flagged once. Funds from another level (省级专项资金, 上级补助) are not scope
    statements and are never read.

Why it matters
    A county's table whose note says it counts the province's departments was copied
    from the province's disclosure: the reader cannot tell which spending the figures cover.

Example (flagged)
    某县2016年“三公”经费决算情况统计表 … 2016年使用省本级财政拨款安排“三公”经费的预算部门均纳入统计范围。

Passes instead
    某县2016年“三公”经费决算情况统计表 … 2016年使用县本级财政拨款安排“三公”经费的预算部门均纳入统计范围。
""",
    flagged=(
        "青川县2016年“三公”经费决算情况统计表\n单位：万元\n“三公”经费口径说明\n"
        "一、“三公”经费是指县级部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。\n"
        "二、2016年⟦使用省本级财政拨款⟧安排“三公”经费的预算部门均纳入统计范围。",
    ),
    passing=(
        "青川县2016年“三公”经费决算情况统计表\n单位：万元\n“三公”经费口径说明\n"
        "一、“三公”经费是指县级部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。\n"
        "二、2016年使用县本级财政拨款安排“三公”经费的预算部门均纳入统计范围，省级专项资金另行说明。",
    ),
)

COPIED_USE = Rule(
    code="ENT010",
    name="use-copied-from-another-subject",
    title="科目用途照抄他科目",
    severity="warning",
    summary="A budget subject is said to be used for what another subject's identical wording names.",
    doc="""What it does
    Reads the budget subjects a 决算 explains one by one (`住房保障支出（类）住房改革支出（款）
    住房公积金（项）。主要用于：…`). When one subject's 主要用于 text is word for word another
    subject's, and, once the words every subject uses are left out (支出, 单位, 行政, 事业 …,
    patterns/subjects.toml), it shares a word with the other subject's names (医疗 of
    事业单位医疗（项）) and none with its own, the text was copied from the other item and not
    rewritten. Two subjects described alike in words that name neither (two 行政运行（项） both
    `行政单位人员支出、公用支出`) are not flagged. A warning: what a subject is for is prose,
    and the words only show that it describes another one.

Why it matters
    The disclosure tells the reader that money was spent on something it was not, and the
    subject's real use is not stated.

Example (flagged)
    1、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。主要用于：事业单位医疗保险缴费支出。…
    2、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：事业单位医疗保险缴费支出。…

Passes instead
    2、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：事业单位住房公积金缴存支出。…
""",
    flagged=(
        "（三）一般公共预算财政拨款支出决算具体情况\n"
        "1、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。主要用于：事业单位医疗保险缴费支出。"
        "全年预算为5.20万元，支出决算为5.10万元。\n"
        "2、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：⟦事业单位医疗保险缴费支出⟧。"
        "全年预算为12.00万元，支出决算为11.80万元。",
        # copied from the item after it
        "1、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：⟦行政单位购房补贴支出⟧，"
        "全年预算为12.00万元。\n2、住房保障支出（类）住房改革支出（款）购房补贴（项）。主要用于：行政单位购房补贴支出，"
        "全年预算为6.00万元。",
    ),
    passing=(
        "1、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。主要用于：事业单位医疗保险缴费支出。"
        "全年预算为5.20万元。\n"
        "2、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：事业单位住房公积金缴存支出。"
        "全年预算为12.00万元。",
        # two 行政运行 described alike, in words that name neither subject
        "1、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。主要用于：行政单位人员支出、"
        "公用支出。全年预算为80.00万元。\n2、城乡社区支出（类）城乡社区管理事务（款）行政运行（项）。主要用于："
        "行政单位人员支出、公用支出。全年预算为40.00万元。",
        # one wording that names a kind of payment both subjects make, and the class of only one
        "1、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。主要用于："
        "缴纳社会保险费。全年预算为9.00万元。\n2、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。"
        "主要用于：缴纳社会保险费。全年预算为3.00万元。",
        # one wording that fits both subjects
        "1、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。主要用于：缴纳职工基本医疗保险。"
        "全年预算为3.00万元。\n2、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。主要用于："
        "缴纳职工基本医疗保险。全年预算为2.00万元。",
    ),
)

SUBJECT_NAME = Rule(
    code="ENT011",
    name="subject-named-otherwise",
    title="科目名称与表中不符",
    severity="error",
    summary="A budget subject (类/款/项) the narrative names otherwise than the tables do.",
    doc="""What it does
    Reads the narrative's chains of subjects (`社会保障和就业支出（类）行政事业单位养老支出（款）
    其他行政事业单位养老支出（项）`) against the subject rows of the report's own tables (收入决算表,
    支出决算表, 一般公共预算财政拨款支出决算表 …, by code: 类 3 digits, 款 5, 项 7). When the 类 and
    款 are rows of the tables and the 项 is none of the 款's rows, but exactly one of them has the
    figure the narrative gives for it, the narrative names that row otherwise. When the 款 is no
    款 of the 类 but the name of the 类 itself, and the 项 is a row of another 款, the narrative
    put it under the wrong 款.

Why it matters
    The subject names are the classification's, fixed by the 政府收支分类科目: a name that is not
    the table's makes the explanation unverifiable, and is usually last year's name or another
    department's text.

Example (flagged)
    The table lists 2080599 其他行政事业单位养老支出 0.88; the narrative explains
    机关事业单位退休人员活动费支出（项）, 支出决算为0.88万元.

Passes instead
    The narrative explains 其他行政事业单位养老支出（项）, 支出决算为0.88万元.
""",
    flagged=(
        "支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\n"
        "208\t社会保障和就业支出\t10.88\t10.88\t\t\t\t\n20805\t行政事业单位养老支出\t10.88\t10.88\t\t\t\t\n"
        "2080505\t机关事业单位基本养老保险缴费支出\t10.00\t10.00\t\t\t\t\n"
        "2080599\t其他行政事业单位养老支出\t0.88\t0.88\t\t\t\t\n注：本表反映部门本年度各项支出情况。\n"
        "1、社会保障和就业支出（类）行政事业单位养老支出（款）⟦机关事业单位退休人员活动费支出（项）⟧。"
        "主要用于：退休人员活动支出。年初预算为0.88万元，支出决算为0.88万元。",
        "支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\n"
        "221\t住房保障支出\t28.00\t28.00\t\t\t\t\n22102\t住房改革支出\t28.00\t28.00\t\t\t\t\n"
        "2210201\t住房公积金\t28.00\t28.00\t\t\t\t\n注：本表反映部门本年度各项支出情况。\n"
        "1、住房保障支出（类）⟦住房保障支出（款）⟧住房公积金（项）。主要用于：住房公积金支出。支出决算为28.00万元。",
    ),
    passing=(
        "支出决算表\n单位：万元\n科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出\t上缴上级支出\t经营支出\t对附属单位补助支出\n"
        "208\t社会保障和就业支出\t10.88\t10.88\t\t\t\t\n20805\t行政事业单位养老支出\t10.88\t10.88\t\t\t\t\n"
        "2080505\t机关事业单位基本养老保险缴费支出\t10.00\t10.00\t\t\t\t\n"
        "2080599\t其他行政事业单位养老支出\t0.88\t0.88\t\t\t\t\n注：本表反映部门本年度各项支出情况。\n"
        "1、社会保障和就业支出（类）行政事业单位养老支出（款）其他行政事业单位养老支出（项）。"
        "主要用于：退休人员活动支出。年初预算为0.88万元，支出决算为0.88万元。",
        # no table to read the names against
        "1、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位退休人员活动费支出（项）。支出决算为0.88万元。",
    ),
)

RULES = (
    FOREIGN_SUBJECT, SELF_REFERENCE, PLACEHOLDER, NAME_VARIANT, FUND_VARIANT, FOREIGN_OWNER,
    OWN_NAME_VARIANT, FOREIGN_TITLE, SCOPE_LEVEL, COPIED_USE, SUBJECT_NAME,
)  # fmt: skip

JOINING = load_toml("organisations.toml")["government"]["joining"]
_JOINING = regex.compile(f"[{JOINING}]")
# a unit's type written for another: 局 for 委员会; 委 is 委员会 shortened, not another type
TYPE_SWAP = {"局": "委员会", "委员会": "局", "委": "局"}
# a heading that says whose accounts follow: … 2024 年度部门决算表, … 2024年部门预算
WHOSE_ACCOUNTS = regex.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*年度?\s*(?:部门|单位)?\s*(?:决算|预算)(?:报?表|情况(?:说明)?|说明|报告|公开)?[ \t]*$",
    regex.M,
)
HEADING_LEAD = regex.compile(r"\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)?\s*")
LEVEL_OF = {"省": 0, "市": 1, "县": 2, "区": 2, "乡": 3, "镇": 3}
SCOPE = regex.compile(r"(?:是?指|使用)(?P<lvl>省|市|县|区|乡|镇)(?:本)?级(?:各)?(?:预算)?(?:部门|单位|财政拨款)")
SCOPE_SENTENCE = regex.compile(r"纳入[^。；;]{0,20}?范围|是?指|统计范围|口径")


def check(ctx: Context) -> list[Finding]:
    ents = ctx.entities
    out = [
        make_finding(
            PLACEHOLDER,
            ctx.doc,
            p,
            f"“{p.text}”是未填写的占位名称",
            evidence=[Evidence.at(p, "placeholder")],
            suggestion="填写单位的全称",
        )
        for p in ents.placeholders
    ]
    out.extend(_variants(ctx))
    out.extend(_funds(ctx))
    out.extend(_scope(ctx))
    out.extend(_copied_uses(ctx))
    out.extend(_subject_names(ctx))
    unit = ents.unit
    if unit is None:  # coverage.names says so: without it, no name can be told apart
        return out
    out.extend(_subjects(ctx, unit))
    out.extend(_self_references(ctx, unit))
    out.extend(_owners(ctx, unit))
    out.extend(_own_spellings(ctx, unit))
    out.extend(_foreign_titles(ctx, unit))
    return out


def _fold(core: str) -> str:
    """A name with its joining words made one (和) and 委员会 shortened to 委: what two
    spellings of one name have in common."""
    out = _JOINING.sub("和", squeeze(core))
    return out[: -len("委员会")] + "委" if out.endswith("委员会") else out


@cache
def _name_pattern(core: str) -> regex.Pattern | None:
    """The unit's name without its place, each joining word any of 和/与/及, its type word
    局 or 委员会, white space allowed between characters (a PDF breaks lines inside names)."""
    type_word = next((t for t in ("委员会", "局", "委") if core.endswith(t)), "")
    body = core[: len(core) - len(type_word)]
    if len(body) < 2 or not (type_word or any(c in JOINING for c in body)):
        return None
    parts = [f"[{JOINING}]" if c in JOINING else regex.escape(c) for c in body]
    tail = r"(?:委员会|委(?![托员屈会])|局)" if type_word else ""
    return regex.compile(r"\s*".join(parts) + (r"\s*" + tail if tail else ""))


def _own_spellings(ctx: Context, unit: ReportingUnit) -> list[Finding]:
    doc, core = ctx.doc, unit.core
    pattern = _name_pattern(core)
    if pattern is None:
        return []
    f = finder()
    seen: list[tuple[Span, str]] = []
    for m in paced(pattern.finditer(doc.norm)):
        before = doc.norm[max(0, m.start() - 16) : m.start()]
        place = f.place_rev.match(squeeze(before)[::-1])
        place_text = place.group()[::-1] if place else ""
        if place_text and not (unit.place.endswith(place_text) or place_text.endswith(unit.place)):
            continue  # 上海市规划和自然资源局: another unit of the same field
        # (the place read back may take in a word before it: 纳入上海市某区)
        place_text = unit.place if place_text.endswith(unit.place) else place_text
        if doc.norm[m.end() : m.end() + 1] in ("长", "员"):  # 局长, 委员: a person, not a unit
            continue
        start, left = m.start(), len(place_text)
        while left and start > 0:  # the span opens at the place, white space inside it or not
            start -= 1
            left -= not doc.norm[start].isspace()
        seen.append((Span(start, m.end(), doc.text[start : m.end()]), squeeze(m.group())))
    counts = Counter(form for _, form in seen)
    own = squeeze(core)
    usual = max(counts, key=lambda form: (counts[form], form == own)) if counts else own
    out = []
    for span, form in seen:
        if form == usual or (_fold(form) == _fold(usual) and (form.endswith("委") or usual.endswith("委"))):
            continue  # 发展和改革委 for 发展和改革委员会: shortened, not another name
        out.append(
            make_finding(
                OWN_NAME_VARIANT,
                doc,
                span,
                f"本单位名称写作“{squeeze(span.text)}”，而全文{counts[usual]}处写作“{usual}”",
                evidence=[Evidence.at(span, "name"), _unit_evidence(unit)],
                suggestion=f"统一为“{usual}”",
            )
        )
    return out


def _foreign_titles(ctx: Context, unit: ReportingUnit) -> list[Finding]:
    doc, f, out = ctx.doc, finder(), []
    for m in paced(WHOSE_ACCOUNTS.finditer(doc.norm)):
        line_start = doc.norm.rfind("\n", 0, m.start()) + 1
        lead = HEADING_LEAD.match(doc.norm, line_start, m.start())
        org = f._named_at(doc.norm, doc.text, lead.end(), m.start(), whole=True)
        if org is None or org.start == unit.organisation.start:
            continue
        place = squeeze(org.text[: len(org.text) - len(org.core)])
        if not place or unit.place.endswith(place) or _fold(org.core) != _fold(unit.core):
            continue
        higher = unit.place.startswith(place)
        out.append(
            make_finding(
                FOREIGN_TITLE,
                doc,
                org,
                f"标题中的“{squeeze(org.text)}”是{'上级' if higher else '另一地'}的同名单位，"
                f"而本报告的单位是{squeeze(unit.organisation.text)}",
                evidence=[Evidence.at(org, "title-name"), _unit_evidence(unit)],
                suggestion=f"改为{squeeze(unit.organisation.text)}",
                fix=squeeze(unit.organisation.text),
            )
        )
    return out


def _scope(ctx: Context) -> list[Finding]:
    level = ctx.entities.level
    if level is None:
        return []
    doc = ctx.doc
    found = []
    for m in paced(SCOPE.finditer(doc.norm)):
        if LEVEL_OF[m.group("lvl")] == level:
            continue
        sentence = doc.sentence_of(m.start())
        if not SCOPE_SENTENCE.search(doc.norm, sentence.start, sentence.end):
            continue
        covers = bool(regex.search(r"纳入[^。；;]{0,20}?范围", doc.norm[sentence.start : sentence.end]))
        found.append((not covers, m))
    if not found:
        return []
    _, m = min(found, key=lambda x: (x[0], x[1].start()))
    span = Span(m.start(), m.end(), doc.text[m.start() : m.end()])
    lvl = LEVEL_OF[m.group("lvl")]
    ours = ctx.entities.unit.organisation if ctx.entities.unit is not None else ctx.entities.title_place
    return [
        make_finding(
            SCOPE_LEVEL,
            doc,
            span,
            f"口径说明写的是{LEVEL_NAMES[lvl]}的统计范围，而本报告是{LEVEL_NAMES[level]}的{squeeze(ours.text)}",
            evidence=[Evidence.at(span, "scope"), Evidence.at(ours, "reporting-unit")],
            suggestion=f"改为{LEVEL_NAMES[level][:-1]}本级的口径",
        )
    ]


def _unit_evidence(unit: ReportingUnit) -> Evidence:
    return Evidence.at(unit.organisation, "reporting-unit")


def _subjects(ctx: Context, unit: ReportingUnit) -> list[Finding]:
    doc, out = ctx.doc, []
    for org in ctx.entities.organisations:
        if org.kind != "government" or unit.is_self(org):
            continue
        # an endpos keeps the regex module from scanning the rest of the text for the literal
        if OWN_LEVEL.match(doc.norm, org.end, org.end + 12):
            message = f"“{org.text}”被标为本级，而本报告的单位是{unit.organisation.text}"
        else:
            if org.level is None or unit.level is None or org.level <= unit.level:
                continue  # a higher or equal-level unit as subject is context (县政府研究同意…)
            sentence = doc.sentence_of(org.start)
            if not SUBJECT_LEAD.match(doc.norm, sentence.start, org.start):
                continue
            if not OWN_WORK.search(doc.norm, org.end, sentence.end):
                continue  # 白岩乡人民政府负责站点选址: a township's share of the work, not a leftover
            message = (
                f"{LEVEL_NAMES[org.level]}单位“{org.text}”作为主语叙述本报告的工作，"
                f"而本报告的单位是{LEVEL_NAMES[unit.level]}的{unit.organisation.text}，疑为从其他单位报告复制"
            )
        out.append(
            make_finding(
                FOREIGN_SUBJECT,
                doc,
                org,
                message,
                evidence=[Evidence.at(org, "subject"), _unit_evidence(unit)],
                suggestion=f"改为{unit.organisation.text}或删去",
            )
        )
    return out


def _self_references(ctx: Context, unit: ReportingUnit) -> list[Finding]:
    kinds = {"局", "委", "办", "乡", "镇", "街道", "中心", "院", "校", "站", "所"}
    if unit.type not in kinds:
        return []
    return [
        make_finding(
            SELF_REFERENCE,
            ctx.doc,
            ref,
            f"“{ref.text}”指{ref.type}级或{ref.type}类单位，而本报告的单位是{unit.organisation.text}（{unit.type}）",
            evidence=[Evidence.at(ref, "self-reference"), _unit_evidence(unit)],
            suggestion=f"改为“本{unit.type}”或“本部门”",
        )
        for ref in ctx.entities.self_references
        if ref.type != unit.type
    ]


def _owners(ctx: Context, unit: ReportingUnit) -> list[Finding]:
    doc, out = ctx.doc, []
    for org in ctx.entities.organisations:
        if org.kind != "government" or unit.is_self(org) or not OWNED.match(doc.norm, org.end, org.end + 200):
            continue
        sentence = doc.sentence_of(org.start)
        if not PERFORMANCE.search(doc.norm, sentence.start, sentence.end):
            continue
        out.append(
            make_finding(
                FOREIGN_OWNER,
                doc,
                org,
                f"绩效表述中的项目归属于“{org.text}”，而本报告的单位是{unit.organisation.text}",
                evidence=[Evidence.at(org, "owner"), _unit_evidence(unit)],
                suggestion=f"改为{unit.organisation.text}或“本部门”",
            )
        )
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _variants(ctx: Context) -> list[Finding]:
    first: dict[str, Organisation] = {}
    for org in ctx.entities.organisations:
        if org.kind == "company" and not org.text.endswith("分公司"):
            first.setdefault(org.text, org)
    # variants agree on their first four characters: only names in one bucket are compared
    buckets: dict[tuple[str, str], list[Organisation]] = {}
    for org in sorted(first.values(), key=lambda o: o.start):
        buckets.setdefault((org.text[:4], org.type), []).append(org)
    out = []
    for names in buckets.values():
        for i, later in enumerate(names):
            for earlier in names[:i]:
                a, b = earlier.text[: -len(earlier.type)], later.text[: -len(later.type)]
                short, long = sorted((a, b), key=len)
                if len(short) >= 4 and short != long and _subsequence(short, long):
                    out.append(
                        make_finding(
                            NAME_VARIANT,
                            ctx.doc,
                            later,
                            f"同一单位两种写法：前文为“{earlier.text}”，此处为“{later.text}”",
                            evidence=[Evidence.at(later, "name"), Evidence.at(earlier, "other-name")],
                            suggestion="统一为营业执照上的全称",
                        )
                    )
                    break
    return out


def _funds(ctx: Context) -> list[Finding]:
    title = ctx.entities.title_fund
    if title is None:
        return []
    out = []
    for fund in ctx.entities.subject_funds:
        if _same_fund(title, fund):
            continue
        out.append(
            make_finding(
                FUND_VARIANT,
                ctx.doc,
                fund,
                f"标题所述资金为“{title.text}”，正文所评价的资金写作“{fund.text}”",
                evidence=[Evidence.at(fund, "fund"), Evidence.at(title, "title-fund")],
                suggestion=f"统一为“{title.text}”",
            )
        )
    return out


def _same_fund(a: Span, b: Span) -> bool:
    """Equal, or one is the other with words left out (an abbreviation or an insertion)."""
    short, long = sorted((a.text, b.text), key=len)
    return short == long or _subsequence(short, long) or short[:2] != long[:2]


_SUBJECTS = load_toml("subjects.toml")["items"]
ITEM = regex.compile(_SUBJECTS["item_pattern"])
CHAIN = regex.compile(_SUBJECTS["chain_pattern"])
LEVEL = regex.compile(_SUBJECTS["level_pattern"])
# the words every subject uses, and anything not a Han character: what splits a name into its words
GENERIC = regex.compile("|".join(regex.escape(w) for w in sorted(_SUBJECTS["generic"], key=len, reverse=True)))
NOT_HAN = regex.compile(r"[^\p{Han}]+")


def _words(text: str) -> set[str]:
    """The two-character runs of a name or a description, once the words every subject uses
    and everything but Han characters are taken out (医疗保险支出 -> 医疗, 疗保, 保险)."""
    out = set()
    for chunk in NOT_HAN.split(GENERIC.sub(" ", text)):
        out.update(chunk[i : i + 2] for i in range(len(chunk) - 1))
    return out


def _runs(text: str, pairs: set[str]) -> list[str]:
    """The longest runs of ``text`` whose every two characters are among ``pairs`` (购房补贴
    for 购房, 房补, 补贴), in order."""
    out: list[str] = []
    for chunk in NOT_HAN.split(GENERIC.sub(" ", text)):
        run = ""
        for i in range(len(chunk) - 1):
            if chunk[i : i + 2] in pairs:
                run = run + chunk[i + 1] if run else chunk[i : i + 2]
            elif run:
                out.append(run)
                run = ""
        if run:
            out.append(run)
    return list(dict.fromkeys(out))


USE_WORD = regex.compile(r"主要(?:是)?用于")
ITEM_REACH = (160, 140)  # characters before 主要用于 a subject's chain may start, after it its use may end
CHAIN_STOP = frozenset("，,。；;：:、0123456789")  # what a chain of names never holds (nor spaces, but after a bracket)


def _chain_start(norm: str, pos: int, floor: int) -> int:
    """Where the chain of subject names that ends at ``pos`` begins: back over its characters,
    and over a line break or space only where it follows a level's bracket (（类）⏎…)."""
    lo = pos
    while lo > floor:
        c = norm[lo - 1]
        if c.isspace():
            ws = lo - 1
            while ws > floor and lo - ws <= 2 and norm[ws - 1].isspace():
                ws -= 1
            if ws > floor and norm[ws - 1] in "）)":
                lo = ws
                continue
            break
        if c in CHAIN_STOP:
            break
        lo -= 1
    return lo


def _items(norm: str):
    """ITEM's matches, each tried once, at the start of the chain of names before a 主要用于 (a
    scan of the whole text from every position costs more than the rest of the family)."""
    for k in USE_WORD.finditer(norm):
        lo = k.start()
        floor = max(0, k.start() - ITEM_REACH[0])
        # back over the punctuation between the chain and 主要用于, then over the chain itself
        while lo > floor and (norm[lo - 1] in "。.，,：:" or norm[lo - 1].isspace()):
            lo -= 1
        lo = _chain_start(norm, lo, floor)
        m = ITEM.match(norm, lo, min(len(norm), k.end() + ITEM_REACH[1]))
        if m is not None and m.start("use") >= k.end():
            yield m


def _copied_uses(ctx: Context) -> list[Finding]:
    """ENT010: a subject whose 主要用于 is another subject's word for word, and names that one."""
    doc = ctx.doc
    items = []
    for m in _items(doc.norm):
        levels = [(squeeze(x.group("name")), x.group("level")) for x in LEVEL.finditer(m.group("chain"))]
        names = [name for name, _ in levels]
        # what names the subject itself: its 款 and 项 (a 类 is shared by too many subjects)
        specific = [name for name, level in levels if level != "类"]
        use = squeeze(m.group("use"))
        span = Span(m.start("use"), m.end("use"), doc.text[m.start("use") : m.end("use")])
        subject = Span(m.start("chain"), m.end("chain"), doc.text[m.start("chain") : m.end("chain")])
        items.append((names, specific, use, span, subject))
    out = []
    for names, _, use, span, subject in items:
        said = _words(use)
        if said & _words(" ".join(names)):
            continue  # the wording names its own subject
        for other_names, other_specific, other_use, other_span, other_subject in items:
            if other_use != use or other_names == names:
                continue
            theirs = said & _words(" ".join(n for n in other_specific if n not in names))
            if not theirs:
                continue
            shared = "、".join(_runs(use, theirs))
            own, their = names[-1], other_names[-1]
            out.append(
                make_finding(
                    COPIED_USE,
                    doc,
                    span,
                    f"“{own}”的用途“{use}”与“{their}”的用途一字不差：其中“{shared}”出自后者的科目名称"
                    f"（{'、'.join(other_names)}），与本科目的名称（{'、'.join(names)}）无一词相合，"
                    "疑为照抄另一科目的说明",
                    evidence=[
                        Evidence.at(span, "description"),
                        Evidence.at(subject, "name"),
                        Evidence.at(other_span, "other-description"),
                        Evidence.at(other_subject, "other-name"),
                    ],
                    suggestion=f"写明{names[-1]}的实际用途",
                )
            )
            break
    return out


FAMILY = Family(prefix="ENT", rules=RULES, check=check)


ITEM_LEVEL = regex.compile(r"[（(]\s{0,2}项\s{0,2}[)）]")


def _chains(norm: str):
    """CHAIN's matches, each tried once, from the start of the names before a （项）."""
    for k in ITEM_LEVEL.finditer(norm):
        lo = _chain_start(norm, k.start(), max(0, k.start() - ITEM_REACH[0]))
        m = CHAIN.fullmatch(norm, lo, k.end())
        if m is not None:
            yield m


def _subject_rows(ctx: Context) -> dict[str, tuple[str, Figure, float]]:
    """code -> (name, first figure, its scale) of every subject row of the report's tables (the
    first table to list a code names it)."""
    rows: dict[str, tuple[str, Figure, float]] = {}
    for t in ctx.found.get("tables", ()):
        if t.kind.layout != "subjects" or not t.unit:
            continue
        for r in t.rows:
            if r.code and r.label and r.cells and r.cells[0] is not None:
                rows.setdefault(r.code, (r.label, r.cells[0], t.scale))
    return rows


def _subject_figures(ctx: Context) -> dict[str, list[tuple[Figure, float]]]:
    """code -> the row's first figure in every table that lists it (收入决算表 counts every fund,
    the 一般公共预算 table one: a narrative item may quote either)."""
    out: dict[str, list[tuple[Figure, float]]] = {}
    for t in ctx.found.get("tables", ()):
        if t.kind.layout != "subjects" or not t.unit:
            continue
        for r in t.rows:
            if r.code and r.cells and r.cells[0] is not None:
                out.setdefault(r.code, []).append((r.cells[0], t.scale))
    return out


def _subject_names(ctx: Context) -> list[Finding]:
    """ENT011: a narrative's 类/款/项 chain against the tables' rows."""
    rows = _subject_rows(ctx)
    if not rows:
        return []
    every = _subject_figures(ctx)
    doc = ctx.doc
    by_name: dict[tuple[int, str], list[str]] = {}
    for code, (name, _, _) in rows.items():
        by_name.setdefault((len(code), name), []).append(code)
    out = []
    chains = list(_chains(doc.norm))
    for n, m in enumerate(chains):
        levels = {x.group("level"): x for x in LEVEL.finditer(doc.norm, m.start(), m.end())}
        cls, sec, item = levels.get("类"), levels.get("款"), levels.get("项")
        if cls is None or item is None:
            continue
        cls_codes = by_name.get((3, squeeze(cls.group("name"))), [])
        if len(cls_codes) != 1:
            continue
        cls_code = cls_codes[0]
        # the figures the item states: up to the next chain
        end = chains[n + 1].start() if n + 1 < len(chains) else min(len(doc.norm), m.end() + 300)
        figures = [q for q in doc.quantities_in(m.end(), end) if q.kind == "money" and q.exact]
        item_name = squeeze(item.group("name"))
        sec_name = squeeze(sec.group("name")) if sec is not None else ""
        sec_codes = [c for c in by_name.get((5, sec_name), []) if c.startswith(cls_code)]
        item_codes = [c for c in by_name.get((7, item_name), []) if c.startswith(cls_code)]
        if sec is not None and not sec_codes and item_codes and sec_name == squeeze(rows[cls_code][0]):
            # 住房保障支出（款）住房公积金（项）: the 类's name where the 款's belongs
            table_sec = item_codes[0][:5]
            if table_sec in rows:
                span = Span(sec.start(), sec.end(), doc.text[sec.start() : sec.end()])
                out.append(
                    make_finding(
                        SUBJECT_NAME, doc, span,
                        f"“{item_name}”（{item_codes[0]}）在表中属 {table_sec} {rows[table_sec][0]}（款），"
                        f"此处写作“{sec_name}（款）”，而“{sec_name}”是类（{cls_code}）的名称",
                        evidence=[Evidence.at(span, "name"), Evidence.at(rows[table_sec][1], "other-name")],
                        suggestion=f"改为“{rows[table_sec][0]}（款）”",
                    )
                )  # fmt: skip
            continue
        if len(sec_codes) != 1 or item_codes:
            continue
        under = [c for c in rows if len(c) == 7 and c.startswith(sec_codes[0])]
        if not under:
            continue
        same = [
            c for c in under
            if any(overlaps(interval(q), f.interval(scale)) for q in figures for f, scale in every[c])
        ]  # fmt: skip
        if len(same) != 1:
            continue
        code = same[0]
        span = Span(item.start(), item.end(), doc.text[item.start() : item.end()])
        out.append(
            make_finding(
                SUBJECT_NAME, doc, span,
                f"表中 {sec_codes[0]} {sec_name}（款）下无“{item_name}”，数额相同的项为 {code} {rows[code][0]}"
                f"（{rows[code][1].text}）：同一科目两种名称",
                evidence=[Evidence.at(span, "name"), Evidence.at(rows[code][1], "other-name", rows[code][1].value)],
                suggestion=f"改为“{rows[code][0]}（项）”",
            )
        )  # fmt: skip
    return out
