"""Direction statements (DIR): the finder on invented sentences, and the check's edges."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import check
from service.claims.directions import _alternative_windows, _windows, find, grammar, label
from service.pipeline import analyse


def claims(text: str):
    return find(analyse(text).doc)


def codes(text: str, severity: str = "error") -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in check(text).findings if f.code.startswith("DIR") and f.severity == severity]


def unchecked(text: str) -> dict[str, int]:
    return {k: v for k, v in check(text).coverage["unchecked"].items() if k.startswith("direction")}


# -- the finder ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "relation", "budget_kind"),
    [
        ("决算数大于预算数的主要原因是增加了培训。", "budget", ">", None),
        ("决算数小于（全年）预算数的主要原因是节约。", "budget", "<", "full"),
        ("支出决算数等于年初预算数。", "budget", "=", "initial"),
        ("决算数同调整预算数持平。", "budget", "=", "adjusted"),
        ("决算\n数与全年预\n算数持平。", "budget", "=", "full"),  # PDF line breaks inside the words
        ("決算數與預算數持平的主要原因是按规定执行。", "budget", "=", None),  # traditional script
        ("支出決(jué)算小于預(yù)算數(shù)的主要情況。", "budget", "<", None),  # pinyin glosses
        ("决算数较上年减少的主要原因是压减开支。", "prior", "down", None),
        ("支出决算大于上年决算数的主要情况。", "prior", "up", None),
        ("决算数与上年持平的主要原因是未安排出访。", "prior", "same", None),
        ("公务接待费0万元，与上年持平。", "unchanged", "same", None),
        ("公务用车运行费28万元，较上年无增减。", "unchanged", "same", None),
        ("比上年减少0.15万元，下降（增长）27.78%。", "alternative", "", None),
    ],
)
def test_finder_reads_the_statement(text, kind, relation, budget_kind):
    found = [c for c in claims(text) if c.kind == kind]
    assert found, [c.kind for c in claims(text)]
    assert (found[0].relation, found[0].budget_kind) == (relation, budget_kind)


def test_the_directions_kind_is_the_finder_behind_one_interface():
    from service.claims import finders

    text = "决算数小于预算数的主要原因是节约；公务接待费0万元，与上年持平。"
    doc = analyse(text).doc
    assert finders()["directions"].find(doc, {}) == find(doc)
    assert [c.kind for c in find(doc)] == ["budget", "unchanged"]


def test_a_change_with_its_figure_is_not_a_statement_in_words():
    assert not [c for c in claims("支出决算比上年增加0.5万元，增长10%。") if c.kind == "prior"]


def test_the_alternative_takes_the_figure_after_it():
    (c,) = [c for c in claims("较上年减少0.15万元，下降（增长） 27.78%。") if c.kind == "alternative"]
    assert c.text == "下降（增长） 27.78%" and c.figure is not None and c.figure.value == 27.78


def test_roughly_unchanged_is_not_a_statement():
    assert not [c for c in claims("比上年增加0.01万元，与上年基本持平。") if c.kind == "unchanged"]


@pytest.mark.parametrize(
    ("text", "figure", "role", "kind"),
    [
        ("年初预算为 10.00 万元，支出决算为9.80万元。", "10.00 万元", "budget", "initial"),
        ("全年预算为\n52.00万元，支出决算为51.32万元。", "52.00万元", "budget", "full"),
        ("公务接待费预算为1万元，支出决\n算为0.53万元。", "0.53万元", "actual", None),
        ("完成全年预算84.82万元的73.2%。", "84.82万元", "budget", "full"),
        ("财政拨款收入中一般公共预算100万元。", "100万元", None, None),  # a fund, not a budget
        ("上年决算为8.00万元。", "8.00万元", None, None),  # last year's figure
    ],
)
def test_label_of_a_figure(text, figure, role, kind):
    doc = analyse(text).doc
    (q,) = [q for q in doc.quantities if q.text == figure]
    got = label(doc, q)
    assert (got.role if got else None, got.kind if got else None) == (role, kind)


# -- the check ------------------------------------------------------------------------------------
def test_equal_within_rounding_is_equal():
    assert not codes("公务接待费预算为5.0万元，支出决算为5.04万元。决算数与预算数持平。")
    assert codes("公务接待费预算为5.0万元，支出决算为5.24万元。决算数与预算数持平。") == [
        ("DIR001", "决算数与预算数持平")
    ]


def test_greater_than_an_equal_figure_is_not_provably_wrong():
    assert not codes("公务接待费预算为5.00万元，支出决算为5.00万元。决算数大于预算数的主要原因是接待增加。")


def test_the_named_budget_is_used():
    text = "年初预算为10.00万元，全年预算为8.00万元，支出决算为9.00万元。决算数小于全年预算数的主要原因是节约。"
    assert codes(text) == [("DIR001", "决算数小于全年预算数")]
    assert not codes(text.replace("小于全年预算数", "小于年初预算数"))


def test_two_budgets_and_no_name_leave_the_statement_unchecked():
    text = "年初预算为0万元，全年预算为321.02万元，支出决算为307.82万元。决算数小于预算数的主要原因是人员变动。"
    assert not codes(text)
    assert unchecked(text) == {"direction: two budgets stated and the statement does not say which": 1}


def test_a_named_budget_not_stated_leaves_it_unchecked():
    text = "年初预算为10.00万元，支出决算为12.00万元。决算数小于调整预算数的主要原因是节约。"
    assert not codes(text)
    assert unchecked(text) == {"direction: the budget the statement names is not stated": 1}


def test_figures_of_another_item_are_not_used():
    text = "公务接待费预算为1.00万元，支出决算为0.50万元。公务用车运行维护费支出决算数大于预算数的主要原因是维修。"
    assert not codes(text)


def test_a_figure_without_its_unit_is_not_compared():
    text = "年初预算为 226.25 万元，支出决算为 228.12。决算数小于预算数的主要原因是基数变更。"
    assert not codes(text)
    assert "direction: budget or actual without a unit, or approximate" in unchecked(text)


def test_a_figure_whose_unit_wraps_to_the_next_line_is_compared():
    # the reading view joins 228.12⏎万元: the figure has its unit, and 小于 contradicts it
    text = "年初预算为 226.25 万元，支出决算为 228.12\n万元。决算数小于预算数的主要原因是基数变更。"
    assert codes(text) == [("DIR001", "决算数小于预算数")]


def test_the_statement_reads_figures_sentences_back_in_its_item():
    text = (
        "5、机关事业单位退休人员活动费支出（项）。主要用于：退休人员活动。年初预算为 0.88 万元，"
        "支出决算为 0.98 万元。\n完成年初预算的 111.36%。决算数同预算数持平。"
    )
    assert codes(text) == [("DIR001", "决算数同预算数持平")]


def test_no_figures_before_the_item_start():
    text = (
        "1、行政运行（项）。年初预算为5.00万元，支出决算为6.00万元。\n"
        "2、事业运行（项）。决算数小于预算数的主要原因是节约。"
    )
    assert not codes(text)


def test_prior_direction_against_mixed_changes_is_not_judged():
    text = (
        "三公经费其中公务接待费比上年增加0.5万元，公务用车运行维护费比上年减少1.5万元。"
        "决算数较上年减少的主要原因是压减。"
    )
    assert not codes(text)


def test_unchanged_of_another_item_in_the_sentence_is_not_flagged():
    text = "“三公”经费支出减少0.15万元，其中：因公出国（境）费支出与上年持平；公务接待费支出减少0.15万元。"
    assert not codes(text)
    text = "公务接待费支出1.20万元，比上年增加0.30万元，在编人数无变化。"
    assert not codes(text)


def test_unchanged_after_a_change_of_the_same_item_is_flagged():
    text = "公务接待费支出1.20万元，比上年增加0.30万元，持平。"
    assert codes(text) == [("DIR002", "持平")]


def test_alternative_alone_as_a_header_is_not_flagged_and_zero_is_a_note():
    assert not codes("项目 | 上年数 | 本年数 | 增长（下降）率")
    assert codes("本年收入合计较上年增加（减少）的主要原因是项目调整。") == [("DIR003", "增加（减少）")]
    assert codes("因公出国（境）费比上年增加（减少）0万元。", "info") == [("DIR003", "增加（减少）0万元")]
    assert not codes("因公出国（境）费比上年增加（减少）0万元。")


# -- against the completion rate stated before (DIR004) --------------------------------------------
def test_a_rate_below_100_contradicts_da_yu():
    assert codes("文化旅游支出88.20万元，完成年初预算96.5%，决算数大于预算数。") == [
        ("DIR004", "96.5%，决算数大于预算数")
    ]


def test_a_rate_of_100_beside_da_yu_is_a_note_not_an_error():
    text = "文化旅游支出88.20万元，完成年初预算100%，决算数大于预算数，主要原因是追加活动经费。"
    assert codes(text) == []
    assert codes(text, "info") == [("DIR004", "100%，决算数大于预算数")]
    # 100.00% leaves less room, still some: a difference under 0.005% of the budget
    (note,) = [f for f in check(text.replace("100%", "100.00%")).findings if f.code == "DIR004"]
    assert note.severity == "info" and "0.005%" in note.message


def test_a_rate_of_another_kind_or_another_item_is_not_read_against_the_statement():
    assert unchecked("项目资金支付率96%，决算数大于预算数。") == {
        "direction: budget or actual not stated with a clear label": 1
    }
    assert codes("文化旅游支出88.20万元，完成年初预算96.5%，公务接待费决算数大于预算数。") == []


# speed: an alternative's window is read only when a pair's word ends right before one of its
# brackets or slashes; a window left out must hold no alternative
PIECES = [
    *("增加", "减少", "減少", "下降", "增长", "大于", "小于", "比上年", "万元", "12"),
    *("（", "）", "(", ")", "/", "／"),
]
ALTERNATIVE_TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(derandomize=True, database=None, deadline=None, max_examples=300)
@given(ALTERNATIVE_TEXT)
def test_an_alternative_window_left_out_holds_no_alternative(text):
    g = grammar()
    windows, marks = _windows(text)
    kept = _alternative_windows(windows.get("alternatives", []), marks.get("alternatives", []), text)
    for lo, hi in windows.get("alternatives", []):
        if [lo, hi] not in kept:
            assert g.alternatives.search(text[lo:hi]) is None
    assert g.alternative_tails is not None


def test_alternatives_of_an_invented_report_are_found_with_the_cheap_test():
    text = "本年支出比上年增加（减少）12万元，增长/下降5%。基本支出（含人员经费）100万元。"
    assert [c.kind for c in claims(text)].count("alternative") == 2
