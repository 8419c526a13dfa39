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
