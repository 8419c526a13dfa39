"""Statements (service/claims/statements.py) on invented sentences: what a metric's figure is
stated as, and whether as a budget or an actual."""

from __future__ import annotations

from service.claims import finders
from service.pipeline import analyse


def statements(text: str, with_breakdowns: bool = True) -> list[tuple[str, str, str]]:
    ctx = analyse(text)
    found = {"breakdowns": ctx.found["breakdowns"] if with_breakdowns else []}
    return [(s.mention.metric, s.quantity.text, s.measure) for s in finders()["statements"].find(ctx.doc, found)]


def test_a_name_then_its_figure_is_a_statement():
    assert statements("2020年基本支出决算为60.00万元。") == [("基本支出", "60.00万元", "actual")]


def test_a_change_between_a_name_and_a_figure_is_not_a_statement():
    assert statements("2020年基本支出比上年增加5.00万元。") == []


def test_a_measure_clause_continues_the_statement_before_it():
    text = "某局2020年“三公”经费支出预算为5万元，支出决算为2.00万元，完成预算的40%。"
    assert statements(text) == [("三公经费", "5万元", "budget"), ("三公经费", "2.00万元", "actual")]


def test_a_clause_naming_another_thing_does_not_continue_it():
    text = "某局2020年“三公”经费支出预算为5万元，培训人数为20人，接待批次为3万元。"
    assert statements(text) == [("三公经费", "5万元", "budget")]


def test_the_parts_of_a_budget_total_are_budget_figures():
    text = "2020年“三公”经费预算为20万元，其中：公务接待费5万元、公务用车运行维护费15万元。"
    assert statements(text) == [
        ("三公经费", "20万元", "budget"),
        ("公务接待费", "5万元", "budget"),
        ("公务用车运行维护费", "15万元", "budget"),
    ]
    # the measure comes from the breakdowns found before: without them the parts read as actuals
    assert [m for _, _, m in statements(text, with_breakdowns=False)] == ["budget", "actual", "actual"]


def test_a_year_named_in_a_comparison_is_not_the_period_of_what_follows():
    ctx = analyse("2023年“三公”经费支出决算为62.07万元，比上年决算数增加38.97万元；公务接待费支出决算为22.59万元。")
    found = finders()["statements"].find(ctx.doc, {"breakdowns": []})
    assert [(s.mention.metric, s.period) for s in found] == [("三公经费", ""), ("公务接待费", "")]


def test_names_and_figures_after_fen_bie_wei_pair_off_in_order():
    assert statements("2020年基本支出、项目支出分别为120.00万元、80.00万元。") == [
        ("基本支出", "120.00万元", "actual"),
        ("项目支出", "80.00万元", "actual"),
    ]
    # one name written for two (收、支总计), figures sharing the last one's unit
    assert statements("2020年收、支总计各是356.1,360.4万元。") == [
        ("收入总计", "356.1", "actual"),
        ("支出总计", "360.4万元", "actual"),
    ]
    # counts that disagree pair nothing off
    assert statements("2020年基本支出、项目支出分别为120.00万元。") == [("项目支出", "120.00万元", "actual")]


def test_the_year_a_comparison_names_is_the_period_of_the_figure_in_its_own_clause():
    text = "2015年“三公”经费合计31.23万元。较2014年度“三公”经费合计16.08万元增加15.15万元。"
    assert [(s.quantity.text, s.period) for s in analyse(text).statements.all] == [
        ("31.23万元", ""),
        ("16.08万元", "prior"),
    ]


def test_a_sub_item_that_a_metric_owns_is_stated_in_its_scope():
    ctx = analyse("项目支出包括培训费12.8万元，会议费3.2万元。2023年培训费决算15.00万元。")
    scopes = {(s.mention.text, s.quantity.text): s.scope for s in ctx.statements.all}
    assert scopes[("培训费", "12.8万元")] == scopes[("会议费", "3.2万元")] == "项目支出"
    assert scopes[("培训费", "15.00万元")] == ""
    # a template part of the owner is the department's own figure
    ctx = analyse("2023年本年支出合计500万元，包括基本支出300万元、项目支出200万元。")
    assert {s.scope for s in ctx.statements.all} == {""}


# -- 本年支出合计 written as a generic 支出 ------------------------------------------------------
def spending(text: str) -> list[tuple[str, str]]:
    found = analyse(text).statements.all
    return [(s.mention.text, s.quantity.text) for s in found if s.mention.metric == "本年支出合计"]


def test_a_generic_spending_under_the_spending_heading_is_this_years_spending():
    assert spending("（二）支出决算情况\n2021年度，某卫生院单位支出为120.50万元。") == [("单位支出", "120.50万元")]
    assert spending("三、支出决算情况说明\n2021年度本部门支出120.50万元。") == [("部门支出", "120.50万元")]
    assert spending("三、支出决算情况说明\n2021年度，支出共计120.50万元。") == [("支出", "120.50万元")]
    # a flattened page runs the heading into the line of the sentence
    assert spending("(二)支出决算情况。2021年度，本单位支出为120.50万元。") == [("单位支出", "120.50万元")]


def test_a_generic_spending_split_into_basic_and_project_spending_is_this_years_spending():
    text = "2021年度，本部门支出120.50万元，其中：基本支出80.00万元，项目支出40.50万元。"
    assert spending(text) == [("部门支出", "120.50万元")]
    # without the split, and outside the spending heading, a generic 支出 is nobody's total
    assert spending("2021年度，本部门支出120.50万元。") == []


def test_a_generic_spending_of_a_narrower_quantity_is_not_this_years_spending():
    parts = "2021年度，单位支出为100.00万元，其中：基本支出60.00万元，项目支出40.00万元。"
    # under the 财政拨款 or 三公 heading it is that quantity's spending, split or not
    assert spending("四、财政拨款支出决算情况说明\n" + parts) == []
    assert spending("（一）“三公”经费支出决算情况\n2021年度，单位支出为12.00万元。") == []
    assert spending("六、一般公共预算财政拨款基本支出决算情况说明\n2021年度，单位支出为60.00万元。") == []
    # a sentence naming a narrower quantity before it, a subordinate unit's, a kind of spending
    assert spending("2021年度财政拨款资金中，单位支出为100.00万元，其中：基本支出60.00万元，项目支出40.00万元。") == []
    assert spending("三、支出决算情况说明\n2021年度，附属单位支出为20.00万元。") == []
    assert spending("三、支出决算情况说明\n2021年度，人员支出为20.00万元。") == []
    # after another figure or name in its sentence, it is what that sentence is about
    assert spending("三、支出决算情况说明\n项目支出218.00万元，主要用于公共卫生服务，全年支出为100.00万元。") == []
    assert spending("三、支出决算情况说明\n2021年度收入总计300.00万元，支出为280.00万元。") == []
    # the 收入支出 overview's generic 支出 may be 支出总计: not read
    assert spending("一、收入支出决算总体情况说明\n2021年度收入总计130.00万元，支出120.00万元。") == []
