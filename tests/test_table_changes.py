"""Two years' rows of a flattened table and the row of their changes (service/table_changes.py)."""

from __future__ import annotations

import pytest

from service.claims import table_changes
from service.pipeline import analyse

ROWS = [
    "2019年", ["500", "300", "200"],
    "2020年", ["450", "290", "160"],
    "2020年比2019年增减%", ["-10.00", "-3.33", "-20.00"],
]  # fmt: skip


def flatten(style: str) -> str:
    rows = [(ROWS[i], ROWS[i + 1]) for i in range(0, len(ROWS), 2)]
    if style == "pipe":
        return "年度 | 合计 | 接待 | 购置 |\n" + "\n".join(" | ".join([label, *cells]) + " |" for label, cells in rows)
    if style == "tab":
        return "年度\t合计\t接待\t购置\n" + "\n".join("\t".join([label, *cells]) for label, cells in rows)
    if style == "lines":
        return "年度\n合计\n接待\n购置\n" + "\n".join("\n".join([label, *cells]) for label, cells in rows)
    return "年度    合计    接待    购置\n" + "\n".join("    ".join([label, *cells]) for label, cells in rows)


@pytest.mark.parametrize("style", ["pipe", "tab", "lines", "spaces"])
def test_columns_are_read_however_the_table_was_flattened(style):
    found = table_changes.find(analyse(flatten(style)).doc)
    assert [(c.earlier.value, c.later.value, c.rate.value) for c in found] == [
        (500, 450, -10.0),
        (300, 290, -3.33),
        (200, 160, -20.0),
    ]


def test_a_change_row_needs_two_year_rows_of_as_many_figures():
    text = "年度 | 合计 |\n2020年 | 450 |\n说明 | 450 |\n增减% | -10.00 |"
    assert table_changes.find(analyse(text).doc) == []
    assert table_changes.find(analyse("本年支出增减%为10%。").doc) == []
