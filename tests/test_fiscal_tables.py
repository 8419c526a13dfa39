"""The standard tables (service/claims/fiscal_tables.py) read from invented reports' lines."""

from __future__ import annotations

from service import check
from service.pipeline import analyse

GENERAL_TABS = (
    "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
    "\t合计\t300.00\t200.00\t100.00\n"
    "208\t社会保障和就业支出\t120.00\t120.00\t\n"
    "20805\t行政事业单位养老支出\t120.00\t120.00\t\n"
    "2080505\t机关事业单位基本养老保险缴费支出\t120.00\t120.00\t\n"
    "212\t城乡社区支出\t180.00\t80.00\t100.00\n"
    "注：本表反映部门本年度一般公共预算财政拨款支出情况。\n"
)

# as PDF text gives it: cells between single spaces, empty cells lost, a name wrapped
SPENDING_PDF = (
    "支出决算表\n单位：万元\n项目\n本年支出合计 基本支出 项目支出 上缴上级支出 经营支出\n科目编码\n"
    "合计 300.00 200.00 100.00\n"
    "208 社会保障和就业支出 120.00 120.00\n"
    "2080505 机关事业单位基本养老保 120.00 120.00\n险缴费支出\n"
    "注：本表反映部门本年度各项支出情况。\n"
)


def tables(text: str):
    return analyse(text).found["tables"]


def test_a_tabbed_table_has_every_column_and_its_subjects_levels():
    (t,) = tables(GENERAL_TABS)
    assert (t.kind.key, t.unit) == ("general-spending", "万元")
    assert [(r.code, r.level) for r in t.rows] == [("", 0), ("208", 1), ("20805", 2), ("2080505", 3), ("212", 1)]
    assert all(r.aligned for r in t.rows)
    total = t.total_row
    assert [c.text for c in total.cells] == ["300.00", "200.00", "100.00"]
    row = t.rows[1]
    assert (row.label, [c and c.text for c in row.cells]) == ("社会保障和就业支出", ["120.00", "120.00", None])
    # every cell's span is its text in the document
    doc = analyse(GENERAL_TABS).doc
    assert all(doc.text[c.start : c.end] == c.text for r in t.rows for c in r.figures)


def test_pdf_rows_without_their_empty_cells_know_only_the_first_column():
    (t,) = tables(SPENDING_PDF)
    assert t.kind.key == "spending"
    total, _cls, item = t.rows
    assert total.label == "合计" and not total.aligned and total.cells[0].text == "300.00"
    assert [f.text for f in total.figures] == ["300.00", "200.00", "100.00"]
    assert (item.code, item.label) == ("2080505", "机关事业单位基本养老保险缴费支出")  # the wrapped name rejoined


def test_a_contents_entry_is_no_table():
    assert tables("目录\n二、收入决算表\n三、支出决算表\n第三部分 情况说明\n") == []


def test_the_basic_spending_table_reads_its_triples_and_totals():
    text = (
        "一般公共预算财政拨款基本支出决算表\n单位：万元\n科目编码 科目名称 决算数 科目编码 科目名称 决算数\n"
        "301 工资福利支出 150.00 302 商品和服务支出 40.00\n30101 基本工资 150.00 30201 办公费 40.00\n"
        "人员经费合计 150.00 公用经费合计 40.00\n注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。\n"
    )
    (t,) = tables(text)
    assert [(r.code, r.label, r.cells[0].text) for r in t.rows][:4] == [
        ("301", "工资福利支出", "150.00"),
        ("302", "商品和服务支出", "40.00"),
        ("30101", "基本工资", "150.00"),
        ("30201", "办公费", "40.00"),
    ]
    totals = [(r.label, r.cells[0].text) for r in t.rows if not r.code]
    assert totals == [("人员经费合计", "150.00"), ("公用经费合计", "40.00")]


def test_the_sangong_table_states_each_budget_and_actual():
    text = (
        "财政拨款“三公”经费支出决算表\n单位：万元\n" + "预算数 决算数 " * 6 + "\n"
        "5.00 4.00 0.00 0.00 3.00 2.50 0.00 0.00 3.00 2.50 2.00 1.50\n注：本表反映“三公”经费支出预决算情况。\n"
    )
    ctx = analyse(text)
    stated = {(s.mention.metric, s.measure): s.quantity.text for s in ctx.statements.all if s.source == "table"}
    assert stated[("三公经费", "budget")] == "5.00" and stated[("三公经费", "actual")] == "4.00"
    assert stated[("公务接待费", "actual")] == "1.50"


def test_the_narrative_figure_that_disagrees_with_its_table_is_flagged():
    text = (
        "某局2023年度部门决算\n一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t300.00\t200.00\t100.00\n212\t城乡社区支出\t300.00\t200.00\t100.00\n注：本表反映支出情况。\n"
        "三、一般公共预算财政拨款支出决算情况说明\n2023年度一般公共预算财政拨款基本支出210.00万元。\n"
    )
    (f,) = [f for f in check(text).findings if f.code == "EQV001"]
    assert f.text == "210.00万元"
    assert {e.text for e in f.evidence} == {"210.00万元", "200.00"}


def test_pdf_text_tables_report_only_rows_that_exceed_their_total():
    """A PDF's text may lose a row (its name and figures on lines of their own): a shortfall
    there is no proof, an excess is."""
    table = (
        "支出决算表\n单位：万元\n208 社会保障和就业支出 {cls} {cls}\n"
        "20805 行政事业单位养老支出 120.00 120.00\n212 城乡社区支出 180.00 80.00 100.00\n注：本表反映各项支出情况。\n"
    )

    def tbl(text):
        return [(f.code, f.text) for f in check(text).findings if f.code.startswith("TBL")]

    assert tbl(table.format(cls="120.00")) == []
    assert tbl(table.format(cls="130.00")) == []  # 10.00 short: a 款 may be lost
    assert tbl(table.format(cls="110.00")) == [("TBL002", "110.00")]


SUMMARY = (
    "收入支出决算总表\n单位：万元\n项目\t决算数\t项目\t决算数\n"
    "一、一般公共预算财政拨款收入\t300.00\t一、一般公共服务支出\t280.00\n"
    "\t\t二、教育支出\t\n"
    "本年收入合计\t300.00\t本年支出合计\t280.00\n"
    "年初结转和结余\t{carried}\t年末结转和结余\t40.00\n"
    "总计\t320.00\t总计\t320.00\n注：本表反映部门本年度的总收支和年末结转结余情况。\n"
)


def test_a_summary_tables_pairs_state_each_sides_metrics():
    ctx = analyse(SUMMARY.format(carried="20.00"))
    stated = {s.mention.metric: s.quantity.text for s in ctx.statements.all if s.source == "table"}
    assert stated == {
        "一般公共预算财政拨款收入": "300.00", "本年收入合计": "300.00", "本年支出合计": "280.00",
        "年初结转和结余": "20.00", "年末结转和结余": "40.00", "收入总计": "320.00", "支出总计": "320.00",
    }  # fmt: skip
    assert [f.code for f in check(SUMMARY.format(carried="20.00")).findings if f.severity == "error"] == []
    # 300.00 + 30.00 is not the 总计 320.00: the template's identity across the table's cells
    assert "EQV002" in {f.code for f in check(SUMMARY.format(carried="30.00")).findings}


def test_findings_in_a_table_say_its_title_row_and_column_and_tables_can_be_returned():
    from service.model import Options

    text = GENERAL_TABS.replace("\t合计\t300.00\t200.00\t100.00", "\t合计\t310.00\t200.00\t100.00")
    report = check(text, Options(include=frozenset({"tables"})))
    (f,) = [f for f in report.findings if f.code == "TBL001"]
    assert dict(f.location) == {"table": "一般公共预算财政拨款支出决算表", "row": "合计", "column": "合计"}
    assert {e.to_dict().get("location", {}).get("row") for e in f.evidence} == {
        "合计",
        "208 社会保障和就业支出",
        "212 城乡社区支出",
    }
    body = report.to_dict()
    (table,) = body["tables"]
    assert table["kind"] == "general-spending" and table["unit"] == "万元"
    cell = next(c for c in table["cells"] if c["row"] == "212 城乡社区支出" and c["column"] == "项目支出")
    assert text[cell["start"] : cell["end"]] == cell["text"] == "100.00"


def test_the_cli_names_the_table_row_and_column(tmp_path):
    from service.cli import main

    path = tmp_path / "report.txt"
    path.write_text(
        GENERAL_TABS.replace("212\t城乡社区支出\t180.00\t80.00\t100.00", "212\t城乡社区支出\t190.00\t80.00\t100.00")
    )
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", str(path), "--fail-on", "never"])
    assert "表“一般公共预算财政拨款支出决算表” 行“212 城乡社区支出” 列“合计”" in out.getvalue()


def test_the_official_template_has_all_nine_tables_and_no_arithmetic_finding():
    """../shared/real/template: the 2024 部门决算 template, tables without figures."""
    from pathlib import Path

    import pytest

    from service.read.documents import extract

    path = Path(__file__).resolve().parents[1].parent / "shared" / "real" / "template" / "juesuan-template.pdf"
    if not path.exists():
        pytest.skip("../shared/real/template is absent")
    extracted = extract(path.read_bytes(), path.name)
    kinds = [t.kind.key for t in analyse(extracted.text).found["tables"]]
    assert kinds == ["summary", "income", "spending", "appropriation-summary", "general-spending", "general-basic",
                     "sangong", "fund", "capital"]  # fmt: skip
    arithmetic = ("SUM", "SHR", "CHG", "CMP", "EQV", "TBL", "RND", "UNIT")
    assert [f.code for f in check(extracted.text).findings if f.code.startswith(arithmetic)] == []
