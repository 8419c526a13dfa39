"""Reading: Traditional folded to Simplified one for one, and the view that leaves out pinyin and
line breaks inside sentences, with offsets mapped back to the text sent. Every text is invented."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service import Options, check
from service.cli import format_text
from service.read.text import Offsets, fold, normalize, read
from service.report.sarif import to_sarif

EVERYTHING = Options(include=frozenset({"quantities", "claims", "periods"}))


def assert_slices(text: str, report) -> None:
    def span(item) -> None:
        assert 0 <= item.start <= item.end <= len(text)
        assert text[item.start : item.end] == item.text, (item.start, item.end, item.text)

    for f in report.findings:
        span(f)
        assert f.line == text.count("\n", 0, f.start) + 1
        for e in f.evidence:
            span(e)
    for q in report.quantities:
        span(q)
    for c in report.claims:
        span(c)
        for q in c.quantities:
            span(q)
    for p in report.periods:
        span(p)
    assert report.coverage["characters"] == len(text)


# ---- Traditional → Simplified -------------------------------------------------------------------


def test_traditional_fiscal_words_fold_one_for_one():
    text = "萬元 預算 總計 經費 決算數 增長 減少 佔 占 財政撥款 項目支出 這裡"
    norm, script = fold(text)
    assert norm == "万元 预算 总计 经费 决算数 增长 减少 占 占 财政拨款 项目支出 这里"
    assert len(norm) == len(text) and script == "traditional"


def test_simplified_text_is_returned_as_it_is():
    text = "2019年本年支出合计100万元，其中：基本支出25万元。"
    assert fold(text) == (text, "simplified")
    assert normalize(text) is text  # the fast path: nothing to fold, nothing copied


def test_full_width_forms_still_fold_and_keep_the_script():
    assert fold("支出１００万元，占３０％") == ("支出100万元，占30%", "simplified")
    assert fold("支出１００萬元，佔３０％") == ("支出100万元，占30%", "traditional")


def test_mixed_script():
    # a page half converted: as many Traditional-only characters as Simplified-only ones
    assert fold("本年支出合計100萬元，其中基本支出决算数为25万元")[1] == "mixed"


def test_compatibility_ideographs_fold_to_their_unified_form():
    assert fold("\uf98e度")[0] == "年度"  # U+F98E, a compatibility form of 年, as some PDFs encode it


def test_traditional_report_is_checked_and_quotes_the_text_sent():
    text = "本年支出合計100萬元，其中：基本支出25萬元，佔30%；項目支出75萬元，佔75%。"
    report = check(text, EVERYTHING)
    assert report.coverage["script"] == "traditional"
    share = next(f for f in report.findings if f.code == "SHR001")
    assert share.text == "30%" and share.expected == 25.0
    assert {e.text for e in share.evidence} == {"30%", "25萬元", "100萬元"}
    assert_slices(text, report)


# ---- pinyin in brackets -------------------------------------------------------------------------


def test_bracketed_pinyin_is_left_out_of_the_view():
    view = read("預(yù)算數(shù)為50萬(wàn)元，經(jīng)費(fèi)支出40萬元。")
    assert view.norm == "预算数为50万元，经费支出40万元。"
    assert view.text == "預算數為50萬元，經費支出40萬元。"


@pytest.mark.parametrize(
    "text",
    [
        "完成率(B/A)为95%。",  # a formula, not pinyin
        "因公出国(境)费2万元。",  # Chinese in brackets
        "国内生产总值(gdp)增长。",  # letters without a tone: no pinyin page
        "支出(a)10万元。",
        "(yù)算在行首。",  # no character before it
    ],
)
def test_brackets_that_are_not_pinyin_stay(text):
    assert read(text).offsets is None


def test_toneless_syllables_go_on_a_page_with_toned_ones():
    assert read("預(yù)算的(de)支出").norm == "预算的支出"


def test_pinyin_inside_a_figure_sentence_and_spans_quote_it():
    text = "本年支出合計(jì)100萬(wàn)元，其中：基本支出25萬(wàn)元，佔30%；項(xiàng)目支出75萬(wàn)元，佔75%。"
    report = check(text, EVERYTHING)
    share = next(f for f in report.findings if f.code == "SHR001")
    assert share.text == "30%"
    assert {e.text for e in share.evidence} == {"30%", "25萬(wàn)元", "100萬(wàn)元"}
    assert_slices(text, report)


# ---- line breaks inside sentences ---------------------------------------------------------------

WRAPPED = [
    # (text, what the view reads)
    ("机关运行经费支出100万元，占基本支出\n12.5%。", "机关运行经费支出100万元，占基本支出12.5%。"),
    ("与上年相比，公用经费增加 30.5\n万元，主要原因是维修。", "与上年相比，公用经费增加 30.5万元，主要原因是维修。"),
    ("经核实，本单位2023年度财政拨款收入支出总\n计500万元。", "经核实，本单位2023年度财政拨款收入支出总计500万元。"),
    ("其中：基本支出 600 万元，占 \r\n75%。", "其中：基本支出 600 万元，占75%。"),
]


@pytest.mark.parametrize(("text", "view"), WRAPPED)
def test_a_break_inside_a_sentence_is_joined(text, view):
    assert read(text).text == view


KEPT = [
    "一、收入支出决算总体情况\n2023年度收入总计500万元。",  # a heading
    "（一）基本支出，人员经费\n2023年人员经费300万元。",  # a heading, even with a comma in it
    "第二部分 部门决算表\n收入支出决算总表",
    "主要用于以下方面，包括\n1、办公费10万元；\n2、印刷费5万元。",  # numbered items
    "主要用于以下方面，包括\n（1）办公费10万元。",
    "主要开支如下，分别是\n1.办公费10万元。",
    "项目支出决算表，金额\n单位：万元",  # a unit line
    "本表反映部门收支，各项\n201 一般公共服务支出 264.87 62.63",  # a row of figures
    "其中：基本支出\n100.00",  # a label and a cell
    "合计\t100\n基本支出\t60",  # tab-separated cells
    "项目 | 决算数\n基本支出 | 60",
    "本年收入合计100万元。\n本年支出合计100万元。",  # sentences that end
    "预算单位：青岭县农业农村局\n力争使服务对象满意度达到90%。",  # a label：value line
    "本部门收支决算，详见\n\n附表。",  # a blank line is a paragraph
    "本部门收支决算，详见\n　　附表说明。",  # an indented line opens a paragraph
    "全年共计支出12\n345万元。",  # two figures would run together
    "中共青岭县委宣传部\n2023 年度部门决算",  # a title on two lines
]


@pytest.mark.parametrize("text", KEPT)
def test_a_break_that_ends_a_line_of_its_own_stays(text):
    assert read(text).offsets is None, read(text).text


def test_a_numbered_item_that_runs_to_the_margin_is_joined():
    # PDF text: every full line is as wide as the others; the numbered item wraps like prose
    lines = [
        "本部门2023年度一般公共预算财政拨款支出主要用于以下方面，",
        "具体情况如下：全年预算为52.00万元，支出决算为51.32万元，",
        "完成全年预算数的98.69%。决算数小于全年预算数的主要原因，",
        "3、一般公共服务支出（类）社会工作事务（款）其他社会工作",
        "事务支出（项）。主要用于新建部门开办费。",
    ]
    view = read("\n".join(lines))
    assert "其他社会工作事务支出（项）" in view.text
    assert view.text.count("\n") == 1  # the break before the item stays


def test_findings_after_joined_breaks_point_at_the_lines_sent():
    text = (
        "一、支出决算情况说明\n"
        "本年支出合计 800 万元，其中：基本支出 600 万元，占\n"
        "70%；项目支出 200 万元，占 25%。\n"
        "二、其他说明\n"
    )
    report = check(text, EVERYTHING)
    (share,) = [f for f in report.findings if f.code == "SHR001"]
    assert share.text == "70%" and share.expected == 75.0  # 600 ÷ 800
    assert share.line == 3 and share.section == "一、支出决算情况说明"
    assert_slices(text, report)
    out = format_text("r.txt", text, report, color=False)
    assert "第 3 行" in out


def test_a_claim_across_a_break_quotes_the_break():
    text = "本年支出合计 800 万元，其中：基本支出 600 万元，占\n75%；项目支出 200 万元，占 25%。"
    report = check(text, EVERYTHING)
    assert not [f for f in report.findings if f.severity == "error"]
    share = next(c for c in report.claims if c.kind == "share" and "75%" in c.text)
    assert "\n" in share.text
    assert_slices(text, report)


def test_sarif_lines_and_columns_after_a_joined_break():
    text = "说明\n本年支出合计 800 万元，其中：基本支出 600 万元，占\n70%；项目支出 200 万元，占 25%。"
    report = check(text)
    (run,) = to_sarif([("r.txt", text, report)])["runs"]
    regions = {
        r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]: r["locations"][0]["physicalLocation"][
            "region"
        ]
        for r in run["results"]
    }
    region = regions["70%"]
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (3, 1, 4)
    assert region["charOffset"] == text.index("70%")


def test_languagetool_offsets_after_pinyin_breaks_and_astral_characters(client):
    text = "𠀀說明\n本年支出合計(jì)100萬(wàn)元，其中：基本支出25萬元，\n佔30%；項目支出75萬元，佔75%。"
    response = client.post("/v2/check", data={"text": text, "language": "zh-CN"})
    assert response.status_code == 200
    units = text.encode("utf-16-le")
    matches = response.json["matches"]
    assert matches
    for m in matches:
        a, b = 2 * m["offset"], 2 * (m["offset"] + m["length"])
        quoted = units[a:b].decode("utf-16-le")
        assert quoted in ("30%", "75%"), quoted


def test_v1_answers_the_script_and_offsets_into_the_text_sent(client):
    text = "本年支出合計(jì)100萬元，其中：基本支出25萬元，佔\n30%；項目支出75萬元，佔75%。"
    body = client.post("/v1/check", data=json.dumps({"text": text}), content_type="application/json").json
    assert body["coverage"]["script"] == "traditional"
    assert body["coverage"]["characters"] == len(text)
    for f in body["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]
        for e in f["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"]


# ---- the offset map -----------------------------------------------------------------------------


def test_offsets_map_starts_after_a_cut_and_ends_before_it():
    # source "ab[cd]ef[g]h" → view "abefh"
    offsets = Offsets([(2, 4), (6, 7)])
    assert [offsets.start(i) for i in range(6)] == [0, 1, 4, 5, 7, 8]
    assert [offsets.end(i) for i in range(6)] == [0, 1, 2, 5, 6, 8]
    assert offsets.span(1, 3) == (1, 5)  # "b" through "e": the cut inside stays inside
    assert offsets.span(2, 2) == (4, 4)


@settings(derandomize=True, database=None, deadline=None, max_examples=60)
@given(st.text(alphabet="预算經費万元100，。\n ", max_size=40), st.data())
def test_every_view_character_is_the_source_character_it_maps_to(text, data):
    cuts, pos = [], 0
    while pos < len(text):
        a = data.draw(st.integers(pos, len(text)))
        b = data.draw(st.integers(a, min(len(text), a + 3)))
        if b > a:
            cuts.append((a, b))
        pos = b + 1
    offsets = Offsets(cuts)
    kept = zip([0] + [b for _, b in cuts], [a for a, _ in cuts] + [len(text)], strict=True)
    view = "".join(text[a:b] for a, b in kept)
    for i, c in enumerate(view):
        assert text[offsets.start(i)] == c
        assert text[offsets.end(i + 1) - 1] == c


# ---- files: PDF text whose breaks the extractor kept ---------------------------------------------


def short_lines_pdf() -> bytes:
    """A sentence broken onto two short lines (neither reaches the margin, so extraction keeps the break)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont("STSong-Light", 11)
    lines = ["一、支出决算情况说明", "本年支出合计100万元，其中：基本支出25万元，占", "30%；项目支出75万元，占75%。"]
    for i, line in enumerate(lines):
        page.drawString(50, 800 - 20 * i, line)
    page.showPage()
    page.save()
    return out.getvalue()


def test_pdf_upload_with_a_kept_break_locates_the_finding(client):
    response = client.post("/v1/check", data={"file": (io.BytesIO(short_lines_pdf()), "r.pdf")})
    assert response.status_code == 200, response.json
    body = response.json
    text = body["document"]["text"]
    assert "占\n30%" in text  # the extractor kept the break; the engine reads past it
    (share,) = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert text[share["start"] : share["end"]] == share["text"] == "30%"
    assert share["location"]["page"] == 1 and "box" in share["location"]
    assert share["line"] == 3
    whole = next(e for e in share["evidence"] if e["role"] == "whole")
    assert text[whole["start"] : whole["end"]] == "100万元" and whole["location"]["page"] == 1


def test_text_upload_locates_by_the_line_sent(client):
    data = "标题\n本年支出合计100万元，其中：基本支出25万元，占\n30%；项目支出75万元，占75%。".encode()
    body = client.post("/v1/check", data={"file": (io.BytesIO(data), "r.txt")}).json
    (share,) = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert share["location"] == {"line": 3} and share["line"] == 3


# ---- the report's own opening: page furniture and a table of contents -----------------------------

FURNISHED = (
    "您当前的位置：首页 > 信息公开 > 预决算公开\n"
    "发布时间：2021年03月15日  浏览次数：88  【字号：大 中 小】\n"
    "[ 索引号 ] 1152000/2021-00012 [ 成文日期 ] 2021年03月10日\n"
    "青岭县农业农村局2020年度部门决算公开说明\n"
    "本年支出合计100万元，其中：基本支出60万元，项目支出40万元。\n"
    "打印本页 关闭窗口\n"
)


def test_page_furniture_does_not_hide_the_reporting_unit_nor_set_the_year():
    report = check(FURNISHED)
    unit = report.coverage["names"]["reporting_unit"]
    assert unit["name"] == "青岭县农业农村局" and unit["found_by"] == "title"
    assert FURNISHED[unit["start"] : unit["end"]] == "青岭县农业农村局"
    assert report.coverage["report_year"] == 2020  # not 2021, the year the page was put up


def test_a_table_of_contents_does_not_set_the_year():
    text = (
        "青岭县教育局2021年部门预算\n"
        "目 录\n"
        "一、2020年预算执行情况\n"
        "二、2020年收支预算总表\n"
        "三、2020年度绩效目标完成情况\n"
        "四、名词解释\n"
        "一、2020年预算执行情况\n"
        "2020年本部门预算执行良好，各项支出按计划完成。2021年本部门收入预算合计300万元。\n"
    )
    assert check(text).coverage["report_year"] == 2021


# every item compared with last year: the year after 较 names the base, not the report
COMPARED_EACH_ITEM = (
    "（一）本所2022年度总收入320.00万元，其中本年收入260.00万元，较2021年度决算数增加12.00万元。\n"
    "1.财政拨款收入210.00万元，较2021年度决算数增加8.00万元。\n"
    "2.事业收入50.00万元，较2021年度决算数增加4.00万元。\n"
    "（二）本所2022年度总支出320.00万元，其中本年支出255.00万元，比 2021 年度决算数增加6.00万元。\n"
)


def test_a_year_named_as_the_base_of_a_comparison_does_not_set_the_report_year():
    report = check(COMPARED_EACH_ITEM)
    assert report.coverage["report_year"] == 2022
    assert not [f for f in report.findings if f.code == "PER003"]


def test_the_title_sets_the_report_year_however_often_another_year_is_named():
    text = "某县档案馆2022年度部门决算\n" + COMPARED_EACH_ITEM.replace("较2021年度", "2021年度为")
    assert check(text).coverage["report_year"] == 2022
    # without the title the commonest year wins, as before
    assert check(COMPARED_EACH_ITEM.replace("较2021年度", "2021年度为")).coverage["report_year"] == 2021


def test_a_title_wrapped_over_two_lines_gives_its_first_year():
    text = (
        "关于青岭县2023年财政\n预算执行情况及2024年财政\n预算草案的报告\n"
        "2024年1月12日在青岭县第五届人民代表大会第三次会议上\n"
        "各位代表：现将青岭县2023年财政预算执行情况及2024年财政预算草案提请审议。\n"
    )
    assert check(text).coverage["report_year"] == 2023


def test_a_date_before_the_title_is_not_the_title_year():
    text = "2022年4月8日\n某县水利局2021年度部门决算\n本年支出合计100万元，比2020年度减少5万元。\n"
    assert check(text).coverage["report_year"] == 2021


@pytest.mark.parametrize(
    "line",
    ["资金来源：上级补助资金20万元。", "作者认为", "2019年本年支出合计100万元", "一、主要职能"],
)
def test_report_lines_are_not_furniture(line):
    from service.tag.document import FURNITURE

    assert FURNITURE.search(line) is None


def test_a_sentence_past_the_length_limit_is_cut_at_its_clauses_never_inside_a_figure():
    from service.read.text import segment

    clause = "比上年增加12.5万元，"
    norm = clause * 300  # one "sentence" of 3,300 characters: no 。 and no line break
    _, sentences = segment(norm, max_sentence=100)
    assert [s.start for s in sentences[1:]] == [s.end for s in sentences[:-1]]  # contiguous, nothing lost
    assert sentences[0].start == 0 and sentences[-1].end == len(norm)
    assert all(s.end - s.start <= 100 for s in sentences)
    assert all(norm[s.end - 1] == "，" for s in sentences)  # at a clause separator
    assert [s.cut for s in sentences] == [True] * (len(sentences) - 1) + [False]


def test_a_sentence_without_a_separator_is_cut_beside_a_figure_not_through_it():
    from service.read.text import segment

    norm = "支出" + "甲" * 93 + "12345678" + "乙" * 150  # the limit (100) falls inside 12345678
    _, sentences = segment(norm, max_sentence=100)
    assert sentences[0].end == norm.index("12345678")
    assert "".join(norm[s.start : s.end] for s in sentences) == norm


def test_sentences_of_real_length_are_never_cut():
    from service.read.text import SENTENCE_MAX, segment

    reasons = "主要用于保障机构正常运转和完成日常工作任务，" * 20
    long_prose = "2019年本年支出合计100万元，" + reasons + "比上年增加5万元。"
    assert len(long_prose) < SENTENCE_MAX
    _, sentences = segment(long_prose)
    assert len(sentences) == 1 and not sentences[0].cut


def test_a_long_run_of_changes_is_checked_and_counts_its_cut_sentences():
    report = check("2019年支出合计100万元，比上年增加10万元，增长11.1%，" + "增加1万元，增长1%，" * 3000)
    assert report.coverage["sentences_cut"] > 0
    assert report.coverage["claims"]["change"]["found"] >= 3000


def test_a_text_past_a_million_characters_is_checked_not_refused():
    report = check("1" * 1_500_000)  # spaCy's own limit is a million characters
    assert report.findings == ()
