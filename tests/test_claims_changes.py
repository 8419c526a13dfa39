"""Changes (service/claims/changes.py) on invented sentences, and what linking makes of them."""

from __future__ import annotations

from service.claims import finders
from service.pipeline import analyse


def changes(text: str):
    return finders()["changes"].find(analyse(text).doc, {})


def test_an_amount_and_a_rate_of_change_are_one_claim():
    (c,) = changes("本年支出40.00万元，比上年增加10.00万元，增长33.33%。")
    assert (c.delta.text, c.delta_sign, c.rate.text, c.rate_sign, c.against) == ("10.00万元", 1, "33.33%", 1, "prior")


def test_a_decrease_has_a_negative_sign():
    (c,) = changes("本年支出40万元，较上年减少5万元。")
    assert (c.delta.text, c.delta_sign, c.rate) == ("5万元", -1, None)


def test_the_prior_figure_in_brackets_is_read_with_the_delta_unit():
    (c,) = changes("本年支出80万元，比2018（70.14）年增加9.86万元。")
    assert c.prior is not None and (c.prior.value, c.prior.unit) == (70.14, "万元")


def test_a_bare_prior_figure_right_before_the_change_is_last_years():
    (c,) = changes("本年支出80.00万元，较上年 82.50 减少 2.50 万元。")
    assert c.prior is not None and (c.prior.text, c.prior.value, c.prior.unit) == ("82.50", 82.5, "万元")
    # a figure after 上年 that is not right before the change is no prior
    (d,) = changes("本年支出80.00万元，较上年82.50万元的预算执行率提高，减少2.50万元。")
    assert d.prior is None


def test_a_prior_with_its_unit_is_the_tagged_figure_and_links_a_rate_alone():
    ctx = analyse("2023年公务接待费4.80万元，较上年的5.16万元下降6.98%。")
    (link,) = ctx.changes
    assert link.claim.prior.text == "5.16万元" and link.claim.delta is None
    assert (link.current.text, link.earlier.text, link.reason) == ("4.80万元", "5.16万元", "prior-in-change")
    # the prior written in the change is no other amount between this year's figure and the change
    (link,) = analyse("2023年公务接待费4.80万元，较上年5.16万元减少0.36万元。").changes
    assert (link.current.text, link.reason) == ("4.80万元", "same-sentence")


def test_a_change_from_the_budget_is_against_the_budget():
    (c,) = changes("本年支出150万元，比预算数减少40万元。")
    assert c.against == "budget"


def test_a_bare_figure_ending_its_clause_after_a_rate_word_is_a_rate():
    (c,) = changes("本年支出增长 13.95。")
    assert c.delta is None and c.rate.text == "13.95" and c.rate_sign == 1
    # cut off where an excerpt ends: not read
    assert changes("本年支出下降7") == []


def test_a_template_alternative_takes_the_first_direction():
    (c,) = changes("本年支出增加（减少）0万元。")
    assert c.delta_sign == 1


# -- linked (service/link/linking.py) ----------------------------------------------------------------
def test_a_change_after_budget_and_actual_is_linked_to_the_actual():
    text = "2020年“三公”经费支出预算为5万元，支出决算为2.00万元，较上年减少1.00万元，下降33.33%。"
    (change,) = analyse(text).changes
    assert change.current.text == "2.00万元" and change.reason == "same-sentence"


def test_a_change_is_not_linked_across_another_amount():
    # the lexicon does not know 公务接待支出: its 124万元 must not make the change look like 56万元's
    text = "公务用车购置支出56万元比上年增加56万元；公务接待支出124万元，比上年累计支出148万元下降24万元，下降16%。"
    linked = analyse(text).changes
    assert [(c.claim.delta.text, c.current and c.current.text) for c in linked] == [
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


def test_a_sentence_opening_with_the_change_speaks_of_the_sentence_before():
    text = "2020年一般公共预算财政拨款支出1,200.00万元。比上年增加100.00万元，增长9.1%。"
    (change,) = analyse(text).changes
    assert change.current.text == "1,200.00万元" and change.reason == "previous-sentence-subject"
    # a sentence that names its own subject is not carried over
    other = analyse("2020年基本支出800.00万元。项目支出比上年增加100.00万元，增长9.1%。").changes
    assert [c.reason for c in other] != ["previous-sentence-subject"]


def test_a_rate_then_its_amount_of_change_are_one_claim():
    (c,) = changes("本年收入1,200万元，同比增长20%，增收200万元。")
    assert (c.delta.text, c.delta_sign, c.rate.text, c.rate_sign) == ("200万元", 1, "20%", 1)
    assert c.first is c.rate and (c.start, c.end) == (c.rate.start, c.delta.end)
    (d,) = changes("本年收入800万元，同比下降20%，减收200万元。")
    assert (d.delta_sign, d.rate_sign) == (-1, -1)


def test_an_amount_after_a_rate_of_another_metric_is_a_change_of_its_own():
    # the words between name another metric: two changes, not one
    found = changes("税收收入同比增长5%，非税收入增加20万元。")
    assert [(c.delta and c.delta.text, c.rate and c.rate.text) for c in found] == [(None, "5%"), ("20万元", None)]


def test_a_rate_then_amount_speaks_of_the_figure_before_its_rate_and_share_clauses():
    # a note in brackets after the figure and its completion rate stand between it and the change
    text = "地方一般公共预算收入完成1,200万元（自然口径），占调整预算102.5%，同比增长20%，增收200万元。"
    (change,) = analyse(text).changes
    assert change.current.text == "1,200万元" and change.reason == "figure-before-change"
    # a figure of another kind before the rate clause is not what changed
    other = analyse("项目完成35个，同比增长20%，增收200万元。").changes
    assert other[0].current is None
