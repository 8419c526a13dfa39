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
