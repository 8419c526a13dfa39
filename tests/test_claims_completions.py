"""Completion rates (service/claims/completions.py) on invented sentences."""

from __future__ import annotations

from service.claims import finders
from service.pipeline import analyse


def completions(text: str) -> list[tuple[str, str]]:
    return [(c.rate.text, c.base) for c in finders()["completions"].find(analyse(text).doc, {})]


def test_a_rate_after_wan_cheng_yu_suan_is_a_completion():
    assert completions("完成目标任务的102%。") == [("102%", "")]
    assert completions("项目预算执行率为98.5%。") == [("98.5%", "")]


def test_the_budget_a_rate_names_is_its_base():
    assert completions("全年预算100万元，支出决算95万元，完成年初预算的95%。") == [("95%", "年初预算")]


def test_another_rate_is_not_a_completion():
    assert completions("培训覆盖率达到95%。") == []
    assert completions("本年支出比上年增长5%。") == []


def test_a_target_written_inside_the_phrase_is_the_target():
    ctx = analyse("全年培训1200人次，完成计划1500人次的80%。")
    (link,) = ctx.completions
    assert link.claim.target.text == "1500人次" and link.claim.rate.text == "80%"
    assert (link.actual.text, link.target.text, link.reason) == ("1200人次", "1500人次", "target-in-completion")
    # 完成…的 with a figure of another kind before the rate is no completion phrase
    assert analyse("全年完成投资1500万元的项目占80%。").completions == []


def test_a_rate_with_its_own_word_keeps_the_word():
    found = finders()["completions"].find(analyse("项目资金支付率为90%，到位率100%。").doc, {})
    assert [(c.rate.text, c.word) for c in found] == [("90%", "支付率"), ("100%", "到位率")]


def linked(text: str):
    return [(c.actual and c.actual.text, c.remaining and c.remaining.text, c.reason) for c in analyse(text).completions]


def test_the_part_done_and_the_part_remaining_are_the_base_of_the_rate():
    assert linked("项目资金支付820.50万元，未支付79.50万元，支付率90%。") == [
        ("820.50万元", "79.50万元", "done-and-remaining")
    ]
    assert linked("已执行450万元，结余资金50万元，执行率90%。") == [("450万元", "50万元", "done-and-remaining")]
    assert linked("到位180万元，尚有未到位资金20万元，到位率90%。") == [("180万元", "20万元", "done-and-remaining")]


def test_a_remaining_word_that_is_not_the_rate_s_is_no_pair():
    # 未到位 is not what a 支付率 leaves over; a 结余 in a longer name is not the remaining part
    assert linked("资金支付820.50万元，未到位79.50万元，支付率90%。")[0][2] != "done-and-remaining"
    assert linked("本年支出820.50万元，年末结转和结余79.50万元，执行率90%。")[0][2] != "done-and-remaining"
    # a rate without its own word (完成预算) reads a budget and an actual, never a pair
    assert linked("已支付820.50万元，未支付79.50万元，完成预算的90%。")[0][2] != "done-and-remaining"


# -- the difference from the budget stated after the rate -----------------------------------------
def test_a_difference_after_the_rate_makes_the_budget():
    ctx = analyse("本站财政拨款支出总计360.80万元，完成年初预算100%，决算数大于预算数20.80万元。")
    (link,) = ctx.completions
    assert link.reason == "actual-and-difference"
    assert (link.actual.text, link.difference.text, link.over) == ("360.80万元", "20.80万元", 1)


def test_a_change_from_the_budget_after_the_rate_is_the_difference_too():
    ctx = analyse("本站财政拨款支出总计360.80万元，完成年初预算106%，比年初预算减少20.80万元。")
    (link,) = ctx.completions
    assert (link.difference.text, link.over) == ("20.80万元", -1)


def test_a_change_from_last_year_before_the_rate_is_not_the_actual():
    text = (
        "本站财政拨款支出总计360.80万元，与上年相比减少12.00万元，降低3.22%；"
        "完成年初预算100%，决算数大于预算数20.80万元。"
    )
    (link,) = analyse(text).completions
    assert link.actual.text == "360.80万元" and link.difference.text == "20.80万元"


def test_no_difference_link_when_the_one_figure_is_the_budget_or_two_budgets_are_named():
    for text in (
        "年初预算360.80万元，完成年初预算100%，决算数大于预算数20.80万元。",
        "支出360.80万元，完成年初预算100%，决算数大于调整预算数20.80万元。",
        "支出360.80万元，完成年初预算100%，主要用于人员经费20.80万元。",
    ):
        (link,) = analyse(text).completions
        assert link.difference is None, text
