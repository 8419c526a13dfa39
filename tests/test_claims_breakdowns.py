"""Breakdowns (service/claims/breakdowns.py) on invented sentences: a total and its parts."""

from __future__ import annotations

from service.claims import finders
from service.pipeline import analyse


def breakdowns(text: str):
    return finders()["breakdowns"].find(analyse(text).doc, {})


def parts(b) -> list[tuple[str, str]]:
    return [(p.label, p.quantity.text) for p in b.parts]


def test_qi_zhong_after_a_total_lists_its_parts():
    (b,) = breakdowns("2020年本年支出合计100.00万元，其中：基本支出60.00万元，项目支出40.00万元。")
    assert b.total.text == "100.00万元" and b.closed and not b.on_lines and not b.counted
    assert parts(b) == [("基本支出", "60.00万元"), ("项目支出", "40.00万元")]


def test_the_parts_of_a_change_are_not_a_breakdown():
    assert breakdowns("比上年增加165.30万元，其中：基本支出100.00万元，项目支出65.30万元。") == []


def test_qi_zhong_opening_a_sentence_takes_the_last_total_before_it_that_is_not_a_change():
    (b,) = breakdowns("本年收入合计200.00万元，较上年增加10.00万元。其中：财政拨款收入150.00万元，其他收入50.00万元。")
    assert b.total.text == "200.00万元"
    assert parts(b) == [("财政拨款收入", "150.00万元"), ("其他收入", "50.00万元")]


def test_qi_zhong_ending_its_line_takes_the_lines_after_it():
    (b,) = breakdowns("本年支出合计90.00万元，其中：\n基本支出50.00万元\n项目支出40.00万元\n")
    assert b.on_lines and b.closed
    assert parts(b) == [("基本支出", "50.00万元"), ("项目支出", "40.00万元")]


def test_a_list_on_lines_ends_at_the_totals_numbered_sibling():
    text = (
        "1. 基本支出 620000.50 元，同比减少 12000 元。其中：\n"
        "工资福利支出 500000.25 元。\n"
        "商品和服务支出 120000.25 元。\n"
        "2. 项目支出 45000 元，同比减少 3000 元。其中：\n"
        "商品和服务支出 45000 元。\n"
    )
    first, second = breakdowns(text)
    assert first.total.text == "620000.50 元"
    assert parts(first) == [("工资福利支出", "500000.25 元"), ("商品和服务支出", "120000.25 元")]
    assert second.total.text == "45000 元" and parts(second) == [("商品和服务支出", "45000 元")]


def test_parts_numbered_otherwise_than_the_total_stay_parts():
    text = "（一）基本支出 300 万元。其中：\n1.人员经费 200 万元\n2.公用经费 100 万元\n（二）项目支出 50 万元。\n"
    (b,) = breakdowns(text)
    assert parts(b) == [("1.人员经费", "200 万元"), ("2.公用经费", "100 万元")]


def test_a_counted_list_is_the_numbered_items_when_their_number_agrees():
    text = "向3家企业分配资金30万元。\n1、甲公司10万元\n2、乙公司12万元\n3、丙公司8万元\n"
    (b,) = breakdowns(text)
    assert b.counted and b.total.text == "30万元"
    assert [p.quantity.text for p in b.parts] == ["10万元", "12万元", "8万元"]
    # four companies named, three listed: not a counted list
    assert breakdowns(text.replace("向3家", "向4家")) == []


def test_items_after_bao_kuo_detail_the_part_before_them():
    (b,) = breakdowns("编制人数60人，其中：在职人员48人，包括行政人员22人，事业人员26人；退休人员12人。")
    assert parts(b) == [("在职人员", "48人"), ("退休人员", "12人")] and b.closed


def test_a_weaker_separator_marks_where_the_list_may_end():
    (b,) = breakdowns("实有人数2,150人，其中：行政人员18人、事业人员2,128人；离退休人员4人。")
    assert len(b.parts) == 3 and b.ends == (2,)


def test_a_clause_past_the_parts_ends_the_list_open():
    (b,) = breakdowns("项目资金100万元，其中：设备购置60万元，截至目前投入资金40万元。")
    assert parts(b) == [("设备购置", "60万元")] and not b.closed


def test_a_bound_total_restated_exactly_nearby_is_pinned():
    (b,) = breakdowns("本年共计600人次。全年培训不低于600人次，其中：干部培训400人次，职工培训200人次。")
    assert b.total.bound == "min" and b.pinned is not None and b.pinned.start == 4


def test_numbered_items_may_be_indented():
    # the numbered-line pattern is anchored at the line start (patterns/claims.toml), indentation allowed
    text = "向2家企业分配资金30万元。\n     1、甲公司10万元\n\t2、乙公司20万元\n"
    (b,) = breakdowns(text)
    assert b.counted and [p.quantity.text for p in b.parts] == ["10万元", "20万元"]


def test_a_lead_that_counts_the_parts_makes_a_list_of_that_many_the_whole():
    from service.pipeline import analyse

    (b,) = analyse(
        "项目支出200万元，主要用于三个方面：一是培训费50万元；二是会议费30万元；三是设备购置100万元。"
    ).breakdowns
    assert b.counted
    (b,) = analyse(
        "项目支出200万元，主要用于两个方面：一是培训费50万元；二是会议费30万元；三是设备购置100万元。"
    ).breakdowns
    assert not b.counted  # three parts listed after 两个方面
