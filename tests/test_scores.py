"""Score tables (绩效自评表) flattened into text: reading them (service/read/tables.py,
service/claims/scores.py) and checking them (SCO). Every table here is invented."""

from __future__ import annotations

from service import check
from service.claims.scores import ScoreTableFinder
from service.read.tables import Cell, align, line_cells, pipe_cells, style_of


def read(text: str):
    return ScoreTableFinder().find(text)


def codes(text: str) -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in check(text).findings if f.code.startswith("SCO")]


# -- the flattened table reader -------------------------------------------------------


def test_line_styles():
    assert style_of("指标 | 分值 |") == "pipe"
    assert style_of("指标\t分值\t得分") == "tab"
    assert style_of("指标   分值   得分") == "spaces"
    assert style_of("指标 分值") == "lines"


def test_pipe_cells_keep_spans_and_the_cut_off_rest():
    text = "甲 | 乙 |\n丙 | 丁"
    cells, rest = pipe_cells(text, 0, len(text))
    assert [c.text for c in cells] == ["甲", "乙", "丙"]
    assert all(text[c.start : c.end] == c.text for c in cells)
    assert rest is not None and rest.text == "丁"


def test_tab_cells_keep_empty_cells_spaces_lose_them():
    text = "\t质量指标\t\t30"
    assert [c.text for c in line_cells(text, 0, len(text), "tab")] == ["", "质量指标", "", "30"]
    text = "质量指标    合格率    30"
    assert [c.text for c in line_cells(text, 0, len(text), "spaces")] == ["质量指标", "合格率", "30"]


def _cells(*texts: str) -> list[Cell]:
    return [Cell(i, i + len(t), t) for i, t in enumerate(texts)]


def test_align_leaves_out_the_merged_columns_that_make_the_row_fit():
    # header: 一级 二级 三级 分值 得分; the row lacks its 一级 cell and is padded at the end
    row = _cells("质量指标", "合格率", "20", "18", "")

    def fits(r):
        return r[3] is not None and r[3].text.isdigit() and not (r[2] and r[2].text.isdigit())

    laid = align(row, 5, [0, 1], fits)
    assert laid is not None and laid[0] is None and [c.text for c in laid[1:]] == ["质量指标", "合格率", "20", "18"]


def test_align_refuses_a_row_that_fits_two_ways():
    row = _cells("甲", "1", "2", "", "")
    assert align(row, 5, [0, 1], lambda r: True) is None


# -- reading score tables ---------------------------------------------------------------

PIPE = (
    "某局2021年度项目支出绩效自评表\n"
    "序号 | 一级 指标 |\n二级 指标 |\n三级 指标 |\n分值 | 评分标准 | 得分 |\n"
    "1 | 决策 (20分) |\n立项 (8分) | 立项依据 | 4 | 依据充分得4分 |\n4 |\n"
    "2 | 立项程序 | 4 | 程序规范得4分 | 4 | ||\n"
    "3 | 目标 (12分) | 目标明确 | 6 | 明确得6分 | 5 | |\n"
    "4 | 目标合理 | 6 | 合理得6分 | 6 | ||\n"
    "5 | 过程 (30分) |\n资金 (30分) | 资金到位 | 30 | 到位得30分 | 28 |\n"
    "6 | 产出 (50分) |\n数量 (50分) | 完成数量 | 50 | 按比例得分 | 45 |\n"
    "以上为自评情况。"
)


def test_a_pipe_table_with_merged_cells_and_padding():
    found = read(PIPE)
    assert found.unread == []
    (table,) = found.tables
    assert table.closed
    assert [(r.weight.value, r.score.value) for r in table.rows] == [
        (4, 4), (4, 4), (6, 5), (6, 6), (30, 28), (50, 45),
    ]  # fmt: skip
    groups = {g.label.key: (g.weight.value, [r.weight.value for r in g.items]) for g in table.groups}
    assert groups["决策(20分)"] == (20, [4, 4, 6, 6])
    assert groups["立项(8分)"] == (8, [4, 4])
    assert groups["目标(12分)"] == (12, [6, 6])
    assert codes(PIPE) == []


def test_a_group_that_does_not_add_up_in_a_pipe_table():
    text = PIPE.replace("目标 (12分)", "目标 (14分)")
    assert codes(text) == [("SCO003", "14")]


def test_a_table_cut_off_inside_a_group_leaves_the_group_unchecked():
    cut = PIPE.split("6 | 产出")[0] + "6 | 产出 (50分) |\n数量 (50分) | 完成数量 | 40 | 按比例"
    (table,) = read(cut).tables
    assert not table.closed
    assert "产出(50分)" not in {g.label.key for g in table.groups}
    assert codes(cut) == []


TAB = (
    "一级指标\t二级指标\t三级指标\t分值\t得分\t扣分原因\n"
    "产出指标\t\t\t40\t37\t\n"
    "\t数量指标\t培训人数\t20\t19\t少1期\n"
    "\t质量指标\t合格率\t20\t18\t\n"
    "效益指标\t社会效益\t带动就业\t40\t38\t\n"
    "满意度\t服务对象满意度\t学员满意度\t20\t19\t\n"
    "合计\t\t\t100\t94\t\n"
    "二、存在的问题"
)


def test_a_tab_table_with_a_subtotal_row_and_a_total_row():
    (table,) = read(TAB).tables
    assert table.total is not None and (table.total.weight.value, table.total.score.value) == (100, 94)
    assert [r.subtotal for r in table.rows] == [True, False, False, False, False]
    assert [r.weight.value for r in table.items] == [20, 20, 40, 20]
    assert codes(TAB) == []


def test_a_subtotal_score_that_does_not_add_up():
    text = TAB.replace("产出指标\t\t\t40\t37", "产出指标\t\t\t40\t39")
    assert codes(text) == [("SCO001", "39")]


def test_a_total_score_that_its_items_cannot_reach():
    text = TAB.replace("合计\t\t\t100\t94", "合计\t\t\t100\t98")
    assert codes(text) == [("SCO001", "98")]


def test_rounding_of_the_scores_is_not_an_error():
    # 9.5 written as 10 three times: 28.5 rounds to the stated 29 only by the interval rule
    text = (
        "一级指标\t二级指标\t三级指标\t分值\t得分\n产出\t数量\t甲\t10\t10\n\t质量\t乙\t10\t9\n"
        "\t时效\t丙\t10\t9\n合计\t\t\t30\t29\n以上。"
    )
    assert codes(text) == []


def test_a_score_above_its_weight():
    text = TAB.replace("\t质量指标\t合格率\t20\t18", "\t质量指标\t合格率\t20\t21")
    assert ("SCO002", "21") in codes(text)


def test_a_stated_total_score_beside_a_complete_table():
    text = "综合评价得分为97分。\n" + TAB.replace("合计\t\t\t100\t94\t\n", "")
    (table,) = read(text).tables
    assert table.total is None and table.stated_total is not None and table.stated_total.value == 97
    assert codes(text) == [("SCO001", "97")]


def test_a_stated_total_beside_a_table_whose_weights_are_not_full_marks_is_not_compared():
    text = "自评得分60分。\n" + TAB.replace("满意度\t服务对象满意度\t学员满意度\t20\t19\t\n", "").replace(
        "合计\t\t\t100\t94\t\n", ""
    )
    assert codes(text) == []


SPACES = (
    "一级指标    二级指标    三级指标    分值    得分\n"
    "产出指标    数量指标    完成户数    50    48\n"
    "效益指标    社会效益    农户增收    50    45\n"
    "合计    100    93\n"
    "评价结论：良。"
)


def test_a_table_of_cells_between_runs_of_spaces():
    (table,) = read(SPACES).tables
    assert [r.score.value for r in table.items] == [48, 45]
    assert codes(SPACES) == []
    assert codes(SPACES.replace("合计    100    93", "合计    100    90")) == [("SCO001", "90")]


def test_a_table_of_one_cell_a_line():
    text = "三级指标\n分值\n得分\n完成户数\n50\n48\n农户增收\n50\n45\n合计\n100\n93\n\n评价结论：良。"
    (table,) = read(text).tables
    assert [r.weight.value for r in table.items] == [50, 50]
    assert codes(text) == []
    assert codes(text.replace("合计\n100\n93", "合计\n100\n95")) == [("SCO001", "95")]


def test_cells_run_together_are_counted_unchecked():
    text = "一级指标二级指标三级指标分值得分产出指标数量指标培训人数2018效益指标社会效益就业3027自评得分98"
    report = check(text)
    assert not [f for f in report.findings if f.code.startswith("SCO")]
    assert report.coverage["unchecked"] == {"score-table: cells not separated": 1}


def test_a_row_that_fits_no_layout_ends_the_table():
    # a number where a level belongs: the row is shifted, the table is read up to it only
    text = (
        "一级指标\t二级指标\t三级指标\t分值\t得分\n产出\t数量\t甲\t40\t38\n"
        "效益\t12\t乙\t60\t50\n合计\t\t\t100\t88\n以上。"
    )
    (table,) = read(text).tables
    assert len(table.rows) == 1 and table.total is None and not table.closed
    assert codes(text) == []


def test_a_sentence_with_a_score_is_not_a_table():
    assert read("项目自评得分90分，评价等级为优。").tables == []
    assert check("项目自评得分90分，评价等级为优。").coverage["unchecked"] == {}


def test_a_checked_table_is_counted_in_coverage():
    assert check(TAB).coverage["claims"]["score-table"] == {"checked": 1}
    assert check("本年支出合计10万元。").coverage["claims"]["score-table"] == {"checked": 0}


def test_the_scores_kind_reads_the_tables_of_the_analysed_document():
    from service.claims import finders
    from service.pipeline import analyse

    ctx = analyse(TAB)
    found = finders()["scores"].find(ctx.doc, {})
    assert [t.start for t in found.tables] == [t.start for t in read(ctx.doc.norm).tables] != []
    assert ctx.found["scores"].tables[0].total is not None
