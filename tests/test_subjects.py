"""Budget subjects explained one by one (ENT010, patterns/subjects.toml), on invented items."""

from __future__ import annotations

from service import check

MEDICAL = (
    "{n}、卫生健康支出（类）行政事业单位医疗（款）{who}单位医疗（项）。主要用于：{use}。全年预算为{budget}万元。\n"
)
HOUSING = "{n}、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：{use}。全年预算为{budget}万元。\n"


def copied(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.severity) for f in check(text).findings if f.code == "ENT010"]


def test_a_use_copied_from_the_item_before_is_a_warning_on_the_copy():
    text = MEDICAL.format(n=1, who="事业", use="事业单位医疗保险支出", budget="2.29") + HOUSING.format(
        n=2, use="事业单位医疗保险支出", budget="18.12"
    )
    [f] = [f for f in check(text).findings if f.code == "ENT010"]
    assert (f.text, f.severity) == ("事业单位医疗保险支出", "warning")
    assert f.start == text.rindex("事业单位医疗保险支出")
    assert "“医疗”出自后者的科目名称" in f.message
    assert [e.role for e in f.evidence] == ["description", "name", "other-description", "other-name"]
    assert f.evidence[2].start == text.index("事业单位医疗保险支出")


def test_a_pdfs_line_breaks_and_spaces_do_not_hide_the_copy():
    text = (
        "7、卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）。主要用于：事业单位医疗保险支出。"
        "全年预算为 2.29 万元，\n支出决算为0.49万元。\n8、住房保障支出（类）住房改革支出（款）住房公积金（项）。\n"
        "主要用于：事业单位医疗 保险支出。全年预算为 18.12 万元，支出\n决算为 17.70 万元。\n"
    )
    assert copied(text) == [("事业单位医疗 保险支出", "warning")]


def test_one_wording_for_three_items_is_flagged_only_where_it_fits_none_of_its_own():
    text = (
        MEDICAL.format(n=1, who="行政", use="单位职工医疗保险缴费", budget="2.23")
        + MEDICAL.format(n=2, who="事业", use="单位职工医疗保险缴费", budget="2.29")
        + HOUSING.format(n=3, use="单位职工医疗保险缴费", budget="18.12")
    )
    assert len(copied(text)) == 1
    assert copied(text)[0][0] == "单位职工医疗保险缴费"
    assert [f.start for f in check(text).findings if f.code == "ENT010"] == [text.rindex("单位职工医疗保险缴费")]


def test_a_use_of_its_own_words_or_of_nobodys_is_not_a_copy():
    own = MEDICAL.format(n=1, who="事业", use="事业单位医疗保险支出", budget="2.29") + HOUSING.format(
        n=2, use="单位住房公积金缴存", budget="18.12"
    )
    assert copied(own) == []
    # a wording that names no subject (人员支出、公用支出) is not evidence of anything
    plain = MEDICAL.format(n=1, who="事业", use="人员支出、公用支出", budget="2.29") + HOUSING.format(
        n=2, use="人员支出、公用支出", budget="18.12"
    )
    assert copied(plain) == []
    # the same subject explained twice (a summary, then the details) is one subject
    twice = HOUSING.format(n=1, use="事业单位医疗保险支出", budget="18.12") * 2
    assert copied(twice) == []
