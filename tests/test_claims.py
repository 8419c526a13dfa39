"""Claim finders on invented sentences: what each one reads, and what it leaves alone."""

from __future__ import annotations

from service.pipeline import analyse


def statements(text: str) -> list[tuple[str, str, str]]:
    return [(s.mention.metric, s.quantity.text, s.measure) for s in analyse(text).statements.all]


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


def test_a_change_after_budget_and_actual_is_linked_to_the_actual():
    text = "2020年“三公”经费支出预算为5万元，支出决算为2.00万元，较上年减少1.00万元，下降33.33%。"
    (change,) = analyse(text).changes
    assert change.current.text == "2.00万元" and change.reason == "same-sentence"


def test_a_year_named_in_a_comparison_is_not_the_period_of_what_follows():
    text = "2023年“三公”经费支出决算为62.07万元，比上年决算数增加38.97万元；公务接待费支出决算为22.59万元。"
    assert [(s.mention.metric, s.period) for s in analyse(text).statements.all] == [
        ("三公经费", ""),
        ("公务接待费", ""),
    ]


def test_a_change_is_not_linked_across_another_amount():
    # the lexicon does not know 公务接待支出: its 124万元 must not make the change look like 56万元's
    text = "公务用车购置支出56万元比上年增加56万元；公务接待支出124万元，比上年累计支出148万元下降24万元，下降16%。"
    changes = analyse(text).changes
    assert [(c.claim.delta.text, c.current and c.current.text) for c in changes] == [
        ("56万元", "56万元"),
        ("24万元", None),
    ]


def test_a_sub_item_in_brackets_is_not_what_changed():
    text = (
        "公务用车购置及运行维护费150万元（其中：公务用车购置费0万元，公务用车运行维护费150万元），比预算数减少40万元。"
    )
    (change,) = analyse(text).changes
    assert change.claim.mention.metric == "公务用车购置及运行维护费"
    assert change.claim.against == "budget"
    assert change.current.text == "150万元" and change.current.start == text.index("150万元")


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
