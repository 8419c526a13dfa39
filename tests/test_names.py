"""The reporting unit and the report's year behind page furniture, a table of contents and
a field joined by 和 (invented text)."""

from __future__ import annotations

import pytest

from service import check
from service.pipeline import analyse


def unit_of(text: str) -> str | None:
    unit = analyse(text).entities.unit
    return None if unit is None else "".join(unit.organisation.text.split())


@pytest.mark.parametrize(
    "furniture",
    [
        "首页 > 信息公开 > 财政预决算\n发布时间：2025-03-01 10:00\n浏览次数：52\n字号：大 中 小\n",
        "来源：财政局 发布时间:2021-02-27 16:29 累计次数: 字体:[ ]\n",
        "| 索引号 | 0000-2021-01 | 发布机构 | 青岭县财政局 |\n| 公开目录 | 预决算 | 发布日期 | 2021-09-20 |\n",
        "• 索引号\n• 0000-2021-01\n• 发布机构\n• 青岭县财政局\n• 发布日期\n• 2021-09-20\n",
        "深化政务公开\n财务数据\n",
    ],
)
def test_page_furniture_does_not_hide_the_unit(furniture):
    text = furniture + "青岭县农业农村局2021年度部门决算\n一、部门职能\n本局负责全县农业农村工作。"
    assert unit_of(text) == "青岭县农业农村局"


def test_a_sentence_is_not_a_title():
    assert unit_of("根据国务院、省政府关于推进预算公开的部署，现将2016年“三公”经费决算公开如下。") is None


def test_a_title_broken_inside_the_name():
    text = "中共青岭县委\n宣传部 2024 年度\n部门决算\n一、部门职能\n负责全县宣传工作。"
    assert unit_of(text) == "中共青岭县委宣传部"


def test_a_field_joined_by_he_is_one_name():
    text = (
        "上海市某区规划和自然资源局\n2024 年度部门决算\n二、部门决算单位构成\n"
        "1 上海市某区规划和自然资源局（本级）\n2 上海市某区土地发展中心（下属事业单位）"
    )
    assert not [f for f in check(text).findings if f.code.startswith("ENT")]


def test_table_of_contents_does_not_set_the_year():
    text = (
        "某县财政局2024年度部门决算\n目录\n第一部分 2023年度部门概况\n第二部分 2023年度部门决算表\n"
        "第三部分 2023年度部门决算情况说明\n第一部分 2023年度部门概况\n本局主要职责是组织全县财政收支。"
    )
    assert analyse(text).doc.report_year == 2024
