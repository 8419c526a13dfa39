"""Activities said in words (service/claims/activities.py): 无新购车辆, 购置公务用车3辆, each tied
to the expense that pays for it, with its period, measure and scope."""

from __future__ import annotations

import pytest

from service.pipeline import analyse


def activities(text: str):
    return analyse(text).found["activities"]


@pytest.mark.parametrize(
    ("text", "metric", "count", "words"),
    [
        ("本年度无新购车辆，年末保有2辆。", "公务用车购置费", 0, "无新购车辆"),
        ("2023年未购置公务用车。", "公务用车购置费", 0, "未购置公务用车"),
        ("本年度使用财政拨款购置公务用车3辆。", "公务用车购置费", 3, "购置公务用车3辆"),
        ("本年度购置公车两辆。", "公务用车购置费", 2, "购置公车两辆"),
        ("本年度无因公出国（境）团组。", "因公出国（境）费", 0, "无因公出国（境）团组"),
        ("全年安排因公出国(境)团组2个，共6人次。", "因公出国（境）费", 2, "因公出国(境)团组2个"),
        ("2023年未发生公务接待。", "公务接待费", 0, "未发生公务接待"),
        ("共接待国内公务接待15批次，120人次。", "公务接待费", 15, "国内公务接待15批次"),
    ],
)
def test_each_form_names_its_expense_and_count(text, metric, count, words):
    (a,) = activities(text)
    assert (a.metric, a.count, a.text) == (metric, count, words)
    assert a.said_none == (count == 0)


@pytest.mark.parametrize(
    "text",
    [
        "年末公务用车保有量为3辆。",  # vehicles held are not vehicles bought
        "无外事接待。",  # not a 公务接待
        "严格控制因公出国（境）团组和人数。",
        "杜绝无公函的公务接待。",
    ],
)
def test_what_is_no_activity(text):
    assert activities(text) == []


def test_period_and_measure_come_from_the_sentence():
    a, b = activities("某局2023年度部门决算\n2022年购置公务用车2辆。2023年预算安排购置公务用车1辆。")
    assert (a.period, a.measure) == ("prior", "actual")
    assert (b.period, b.measure) == ("", "budget")
    # 公共预算 names a fund, not a measure
    (c,) = activities("本年度使用公共预算财政拨款购置公务用车7辆。")
    assert c.measure == "actual"


def test_a_none_is_a_zero_over_its_words():
    text = "本年度无新购车辆。"
    (a,) = activities(text)
    zero = a.zero
    assert zero.mention.metric == "公务用车购置费"
    assert zero.quantity.base == 0 and text[zero.quantity.start : zero.quantity.end] == "无新购车辆"
