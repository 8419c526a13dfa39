"""The PDF reader (service/read/pdf.py) on invented PDFs made here with reportlab: figures set in
another font below the Chinese baseline stay in their sentences, wrapped lines join, table rows
come out as tab-separated cells, running headers and page numbers are left out, and the figures
reach the checks with their page.

reportlab's built-in CID font STSong-Light is not embedded; PDFium, with no Chinese font on the
machine to stand in for it, has no glyph outlines for it and drops a text object of one Chinese
character (its box has no width). Real reports embed their fonts; the pages here draw Chinese in
pieces of two characters or more.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from service import Options, check
from service.read import pdf as reader
from service.read.documents import DocumentError, extract
from service.read.tables import line_cells, style_of

FONT = "STSong-Light"
DIGITS = "Times-Roman"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
LEFT, RIGHT = 72, 523  # the text column of an A4 page
PIECE = re.compile(r"[0-9.,%]+|[^0-9.,%]+")

SUMMARY = (
    "本部门2024年度收入支出总计1504.31万元。与2023年度相比，收入支出总计增加784.88万元，"
    "增长109.10%。本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%，"
    "均已纳入部门决算编制范围。"
)


def pieces(text: str) -> list[str]:
    found = PIECE.findall(text)
    assert all(len(p) > 1 or p[0].isdigit() for p in found), found  # see the module docstring
    return found


def draw_shifted(page, x: float, y: float, text: str, shift: float, size: float = 14, digit_size: float = 10.5):
    """Chinese in STSong-Light on the baseline ``y``, figures in Times-Roman ``shift`` points below it,
    as office suites export them; returns where the text ends."""
    for piece in pieces(text):
        figure = piece[0].isdigit()
        font, points = (DIGITS, digit_size) if figure else (FONT, size)
        page.setFont(font, points)
        page.drawString(x, y - (shift if figure else 0), piece)
        x += pdfmetrics.stringWidth(piece, font, points)
    return x


def width(text: str, size: float = 14, digit_size: float = 10.5) -> float:
    return sum(
        pdfmetrics.stringWidth(p, DIGITS, digit_size) if p[0].isdigit() else pdfmetrics.stringWidth(p, FONT, size)
        for p in PIECE.findall(text)
    )


def wrapped(text: str, size: float = 14) -> list[str]:
    """The text cut into lines that fill the column, never inside a figure, and never leaving
    a piece of one Chinese character."""
    lines, line = [], ""
    for piece in pieces(text):
        while piece:
            if width(line + piece, size) <= RIGHT - LEFT:
                line, piece = line + piece, ""
                continue
            k = 0
            if not piece[0].isdigit():
                while k < len(piece) and width(line + piece[: k + 1], size) <= RIGHT - LEFT:
                    k += 1
                k = min(k, len(piece) - 2)
            if k >= 2:
                line, piece = line + piece[:k], piece[k:]
            lines.append(line)
            line = ""
    lines.append(line)
    return lines


def shifted_pdf(shift: float) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 16)
    page.drawString(LEFT, 780, "一、收入支出决算总体情况说明")
    y = 750
    for line in wrapped(SUMMARY):
        draw_shifted(page, LEFT, y, line, shift)
        y -= 22
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("shift", [0, 2, 4, 6])
def test_figures_below_the_baseline_stay_in_their_sentences(shift):
    data = shifted_pdf(shift)
    assert len(wrapped(SUMMARY)) >= 3
    text = extract(data, "r.pdf").text
    assert text == "一、收入支出决算总体情况说明\n" + SUMMARY  # the wrapped lines joined, every figure in place
    report = check(text, Options(select=("SHR", "CHG")))
    (share,) = [f for f in report.findings if f.code == "SHR001"]
    assert text[share.start : share.end] == "30%"  # 25 ÷ 100 is 25%
    assert not [f for f in report.findings if f.code.startswith("CHG")]  # 784.88 ÷ 719.43 is 109.10%


def test_a_shifted_figure_is_checked_and_located_through_an_upload(client):
    body = client.post("/v1/check", data={"file": (io.BytesIO(shifted_pdf(4)), "r.pdf")}).json
    (share,) = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert share["text"] == "30%" and share["location"]["page"] == 1 and "box" in share["location"]
    roles = {e["role"]: e["text"] for e in share["evidence"]}
    assert roles == {"share": "30%", "part": "25万元", "whole": "100万元"}


# ---- tables ----------------------------------------------------------------------------------------

TABLE = [
    ("项目", "", "决算数", "备注"),
    ("科目编码", "科目名称", "", ""),
    ("208", "社会保障和就业支出", "754.75", ""),
    ("20805", "机关事业单位基本养老保险缴费支出", "446.11", "含职业年金"),
    ("2080505", "行政单位离退休", "308.64", ""),
    ("合计", "", "754.75", ""),
]
COLUMNS = [72, 140, 300, 400, 523]
NOTE = "注：本表反映部门本年度各项支出情况。"
NARRATIVE = "本年支出合计754.75万元，其中：社会保障和就业支出754.75万元，占100%。"
ROW = 24


def table_pdf(grid: str = "lines", unit: bool = True) -> bytes:
    """A table of ``TABLE`` under a title and a 单位 line; the long name wraps inside its cell.
    ``grid``: ``lines`` (each rule its own path), ``path`` (the whole grid one path), ``none``."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 14)
    page.drawString(230, 790, "支出决算表")
    page.setFont(FONT, 10.5)
    if unit:
        page.drawString(460, 770, "单位：万元")
    top = 760
    for r, row in enumerate(TABLE):
        y = top - (r + 1) * ROW
        for k, cell in enumerate(row):
            if not cell:
                continue
            if cell == "机关事业单位基本养老保险缴费支出":  # wraps onto two lines in its cell
                page.drawString(COLUMNS[k] + 4, y + 13, cell[:10])
                page.drawString(COLUMNS[k] + 4, y + 3, cell[10:])
            elif cell[0].isdigit() and k >= 2:
                page.drawRightString(COLUMNS[k + 1] - 4, y + 8, cell)
            else:
                page.drawString(COLUMNS[k] + 4, y + 8, cell)
    bottom = top - len(TABLE) * ROW
    if grid == "lines":
        for r in range(len(TABLE) + 1):
            page.line(COLUMNS[0], top - r * ROW, COLUMNS[-1], top - r * ROW)
        for x in COLUMNS:
            page.line(x, top, x, bottom)
    elif grid == "path":
        page.grid(COLUMNS, [top - r * ROW for r in range(len(TABLE) + 1)])
    page.setFont(FONT, 10.5)
    page.drawString(72, bottom - 20, NOTE)
    page.drawString(72, bottom - 40, NARRATIVE)
    page.showPage()
    page.save()
    return out.getvalue()


ROWS = [
    "项目\t\t决算数\t备注",
    "科目编码\t科目名称\t\t",
    "208\t社会保障和就业支出\t754.75\t",
    "20805\t机关事业单位基本养老保险缴费支出\t446.11\t含职业年金",
    "2080505\t行政单位离退休\t308.64\t",
    "合计\t\t754.75\t",
]


@pytest.mark.parametrize("grid", ["lines", "path"])
def test_a_ruled_table_comes_out_one_row_a_line_of_tab_separated_cells(grid):
    text = extract(table_pdf(grid), "t.pdf").text
    lines = text.split("\n")
    assert lines[:2] == ["支出决算表", "单位：万元"]
    assert lines[2:8] == ROWS  # empty cells kept, the wrapped name one cell again
    assert lines[8:] == [NOTE, NARRATIVE]


def test_the_engine_reads_the_rows_back_as_cells_and_checks_the_figures_around_them():
    text = extract(table_pdf(), "t.pdf").text
    starts = [m.start() for m in re.finditer(r"^", text, re.MULTILINE)]
    rows = []
    for start in starts[2:8]:
        end = text.find("\n", start)
        assert style_of(text[start:end]) == "tab"
        rows.append(tuple(c.text for c in line_cells(text, start, end, "tab")))
    assert rows == TABLE
    report = check(text)
    assert report.to_dict()["coverage"]["claims"]["share"]["checked"] == 1
    assert not report.findings  # 754.75 ÷ 754.75 is the 100% stated


def test_a_table_without_rules_is_read_by_the_gaps_between_its_columns():
    text = extract(table_pdf("none"), "t.pdf").text
    assert "2080505\t行政单位离退休\t308.64" in text.split("\n")
    assert "合计\t754.75" in text.split("\n")
    # in a row, a narrower gap between two figures parts cells too; a heading's gap stays a space
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 10.5)
    page.drawString(LEFT, 700, "第一部分  部门概况")
    for x, cell in ((LEFT, "社会保障和就业支出"), (300, "754.75"), (350, "754.75"), (400, "0.00")):
        page.drawString(x, 660, cell)
    page.showPage()
    page.save()
    lines = extract(out.getvalue(), "r.pdf").text.split("\n")
    assert lines == ["第一部分 部门概况", "社会保障和就业支出\t754.75\t754.75\t0.00"]


# ---- page furniture and paragraphs -----------------------------------------------------------------

HEADER = "青岭县农业农村局2024年度部门决算"
BODY = [
    "一、收入决算情况说明",
    "本年收入合计200万元，其中：财政拨款收入150万元，占75%；事业收入50万元，占25%，全部用于保障机构正常运转和完成日常工作任务。",
    "二、支出决算情况说明",
    "本年支出合计200万元，其中：基本支出120万元，占60%；项目支出80万元，占50%，主要用于农田水利设施建设和农业技术推广服务等方面。",
]


def furnished_pdf(header_with_number: bool = False) -> bytes:
    """Three pages, each with a running header and a page number (at the foot, or at the right
    end of the header); the second paragraph runs from the foot of page 1 onto page 2."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    second = wrapped(BODY[1])
    per_page = [
        [BODY[0], second[0]],
        [*second[1:], *(ln for paragraph in BODY[2:] for ln in wrapped(paragraph))],
        ["三、其他重要事项说明", "本部门无政府采购支出。"],
    ]
    for number, body in enumerate(per_page, start=1):
        page.setFont(FONT, 9)
        if header_with_number:
            page.drawString(LEFT, 810, HEADER)
            page.drawRightString(RIGHT, 810, f"第 {number} 页")
        else:
            page.drawCentredString(297, 810, HEADER)
            page.drawCentredString(297, 30, f"- {number} -" if number < 3 else f"第 {number} 页")
        y = 760 if number > 1 else 120  # page 1's body ends at its foot
        for line in body:
            draw_shifted(page, LEFT, y, line, 0)
            y -= 22
        page.showPage()
    page.save()
    return out.getvalue()


@pytest.mark.parametrize("header_with_number", [False, True])
def test_running_headers_and_page_numbers_are_left_out(header_with_number):
    extracted = extract(furnished_pdf(header_with_number), "r.pdf")
    text = extracted.text
    assert HEADER not in text and "- 1 -" not in text and "第 3 页" not in text and "页" not in text
    assert text.split("\n") == [*BODY, "三、其他重要事项说明", "本部门无政府采购支出。"]
    # the paragraph that runs over the page break is one line, and each part keeps its page
    second = wrapped(BODY[1])
    assert extracted.locate(text.index(second[0])) == {"page": 1}
    assert extracted.locate(text.index(second[1])) == {"page": 2}
    assert extracted.locate(text.index("本部门无")) == {"page": 3}


def test_a_finding_on_a_furnished_page_keeps_its_page(client):
    body = client.post("/v1/check", data={"file": (io.BytesIO(furnished_pdf()), "r.pdf")}).json
    (share,) = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert share["text"] == "50%" and share["location"]["page"] == 2  # 80 ÷ 200 is 40%


def test_lines_join_only_where_a_sentence_runs_on():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    first, rest = wrapped(BODY[1])[0], "".join(wrapped(BODY[1])[1:])
    rows = [
        (first, LEFT),  # runs to the margin mid-sentence: joined to the next
        (rest, LEFT),
        ("（一）机关运行经费支出情况", LEFT),  # a heading that does not reach the margin
        ("1、因公出国（境）费支出为零。", LEFT),
    ]
    y = 760
    for line, x in rows:
        draw_shifted(page, x, y, line, 0)
        y -= 22
    page.showPage()
    page.save()
    expected = [BODY[1], "（一）机关运行经费支出情况", "1、因公出国（境）费支出为零。"]
    assert extract(out.getvalue(), "r.pdf").text.split("\n") == expected


def test_spacing_as_the_page_shows_it():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setFont(FONT, 12)
    x = LEFT
    for piece, gap in (("本年收入", 0.3), ("合计为", 1.0), ("9746.50", 6), ("万元，", 3), ("基本支出", 0)):
        font = DIGITS if piece[0].isdigit() else FONT
        page.setFont(font, 12)
        page.drawString(x, 700, piece)
        x += pdfmetrics.stringWidth(piece, font, 12) + gap
    page.showPage()
    page.save()
    # no space inside a word, none for the quarter em office suites put beside figures, one for a real gap
    assert extract(out.getvalue(), "r.pdf").text == "本年收入合计为9746.50 万元，基本支出"


def test_a_page_shown_turned_a_quarter_reads_as_shown():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setPageRotation(90)
    page.setFont(FONT, 12)
    page.saveState()
    page.rotate(90)  # text drawn up the page, shown upright once the page is turned
    page.drawString(50, -100, "第一行本年支出合计100万元。")
    page.drawString(50, -120, "第二行其中基本支出25万元。")
    page.restoreState()
    page.showPage()
    page.save()
    assert extract(out.getvalue(), "r.pdf").text == "第一行本年支出合计100万元。\n第二行其中基本支出25万元。"


def unmapped_pdf(count: int = 30) -> bytes:
    """A page of text in a Type 3 font whose glyph names (g0, g1 …) map to no character: what a
    PDF looks like whose fonts have no ToUnicode table."""
    glyph = b"1000 0 0 0 750 750 d1 0 0 750 750 re f"
    names = b" ".join(b"/g%d" % i for i in range(count))
    procs = b" ".join(b"/g%d 5 0 R" % i for i in range(count))
    content = b"BT /F1 12 Tf 72 700 Td (" + bytes(range(65, 65 + count)) + b") Tj ET"
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 750 750] /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << "
        + procs
        + b" >> /Encoding << /Type /Encoding /Differences [65 "
        + names
        + b"] >> /FirstChar 65 /LastChar %d /Widths [%s] >>" % (64 + count, b" ".join([b"1000"] * count))
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(glyph), glyph),
        font,
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_a_pdf_whose_fonts_map_to_no_characters_is_refused_with_the_reason():
    with pytest.raises(DocumentError) as error:
        extract(unmapped_pdf(), "r.pdf")
    assert error.value.code == "unreadable_document"
    assert "no Unicode mapping" in error.value.message


def test_unreadable_characters_are_counted():
    assert reader.unreadable_share("本年支出合计") == 0
    assert reader.unreadable_share("\x01\x02本年") == 0.5


def test_pdfs_are_read_one_at_a_time_from_many_threads():
    data = [table_pdf(), shifted_pdf(4), furnished_pdf()] * 4
    expected = [extract(d, "r.pdf").text for d in data]
    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(lambda d: extract(d, "r.pdf").text, data)) == expected


# ---- where a finding is drawn ------------------------------------------------------------------------

PAGED = (
    ("一、支出决算情况说明", "本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%，均已入账。"),
    ("二、收入决算情况说明", "本年收入合计200万元，其中：财政拨款150万元，占60%；其他收入50万元，占25%，均已入账。"),
)
PAGED_SIZE = 12


def paged_pdf(pages=PAGED, size: float = PAGED_SIZE) -> tuple[bytes, list[list[tuple[str, float, float]]]]:
    """One page a (heading, paragraph), the paragraph wrapped in the column (or given as its lines),
    figures in Times-Roman on the Chinese baseline; the PDF and, for each page, its lines as drawn:
    (text, x, baseline)."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    drawn = []
    for heading, paragraph in pages:
        page.setFont(FONT, 16)
        page.drawString(LEFT, 780, heading)
        lines, y = [], 750
        for line in wrapped(paragraph, size) if isinstance(paragraph, str) else paragraph:
            draw_shifted(page, LEFT, y, line, 0, size, size)
            lines.append((line, LEFT, y))
            y -= 2 * size
        drawn.append(lines)
        page.showPage()
    page.save()
    return out.getvalue(), drawn


def drawn_box(lines: list[tuple[str, float, float]], figure: str, size: float = PAGED_SIZE) -> tuple[float, ...]:
    """Where the generator drew ``figure`` (its first occurrence): from the pen position to the end
    of its advance, from the baseline to the height of its digits (Times-Roman's cap height)."""
    for text, x, y in lines:
        if figure in text:
            k = text.index(figure)
            left = x + width(text[:k], size, size)
            return left, y, left + pdfmetrics.stringWidth(figure, DIGITS, size), y + 0.662 * size
    raise AssertionError(f"{figure} not drawn")


def contains(box, glyphs, slack: float = 0.5) -> bool:
    return (
        box[0] <= glyphs[0] + slack
        and box[1] <= glyphs[1] + slack
        and box[2] >= glyphs[2] - slack
        and box[3] >= glyphs[3] - slack
    )


def test_a_flagged_figure_is_boxed_where_the_page_draws_it(client):
    data, drawn = paged_pdf()
    body = client.post("/v1/check", data={"file": (io.BytesIO(data), "r.pdf")}).json
    shares = {f["text"]: f for f in body["findings"] if f["code"] == "SHR001"}
    assert set(shares) == {"30%", "60%"}  # 25 ÷ 100 is 25%, 150 ÷ 200 is 75%
    for number, figure in ((1, "30%"), (2, "60%")):
        location = shares[figure]["location"]
        assert location["page"] == number
        glyphs = drawn_box(drawn[number - 1], figure)
        box = location["box"]
        assert contains(box, glyphs), (box, glyphs)
        # and no more than the figure: its width and a line's height
        assert box[2] - box[0] <= glyphs[2] - glyphs[0] + 2 and box[3] - box[1] <= 1.5 * PAGED_SIZE
        assert location["boxes"] == [box]
    # evidence too: the part and the whole, each where it is drawn
    evidence = {e["text"]: e["location"] for e in shares["60%"]["evidence"]}
    assert evidence["60%"]["box"] == shares["60%"]["location"]["box"]
    for text, figure in (("150万元", "150"), ("200万元", "200")):
        assert evidence[text]["page"] == 2
        assert contains(evidence[text]["box"], drawn_box(drawn[1], figure))


def test_the_document_gives_each_page_its_size_and_stretch_of_text(client):
    data, _ = paged_pdf()
    body = client.post("/v1/check", data={"file": (io.BytesIO(data), "r.pdf")}).json
    text, pages = body["document"]["text"], body["document"]["pages"]
    assert [(p["number"], p["width"], p["height"]) for p in pages] == [(1, 595.28, 841.89), (2, 595.28, 841.89)]
    assert pages[0]["start"] == 0 and pages[1]["end"] == len(text)
    assert text[pages[0]["start"] : pages[0]["end"]].startswith(PAGED[0][0])
    assert text[pages[1]["start"] : pages[1]["end"]] == "\n".join(PAGED[1])
    for finding in body["findings"]:  # every finding's page holds its start
        page = pages[finding["location"]["page"] - 1]
        assert page["start"] <= finding["start"] < page["end"]


def test_a_figure_that_wraps_has_a_box_a_line_and_their_union():
    # the first line runs to the right margin mid-sentence, its last figure's unit on the next line
    first = "本年一般公共预算财政拨款支出中用于保障机关日常运转的基本支" + "出250"
    assert RIGHT - 1.5 * 14 < LEFT + width(first, 14, 14) <= RIGHT
    lines = [first, "万元，占全年支出的25%，均已入账。"]
    data, drawn = paged_pdf(((PAGED[0][0], lines),), 14)
    extracted = extract(data, "r.pdf")
    assert extracted.text.endswith("".join(lines))  # one sentence again
    start = extracted.text.index("250万元")
    where = extracted.locate(start, start + len("250万元"))
    assert where["page"] == 1
    top, bottom = where["boxes"]  # a box on each line: 250 at the end of the first, 万元 at the start of the next
    assert contains(top, drawn_box(drawn[0][:1], "250", 14))
    assert bottom[0] == LEFT and bottom[3] < top[1]
    assert where["box"] == (LEFT, bottom[1], top[2], top[3])  # their union


def test_a_stretch_the_reader_put_in_has_no_box():
    data, _ = paged_pdf()
    extracted = extract(data, "r.pdf")
    joint = extracted.text.index("\n")  # the line break after the heading
    assert extracted.locate(joint, joint + 1) == {"page": 1}
    assert extracted.locate(0, 2)["box"][0] == LEFT


def test_on_a_page_shown_turned_a_box_is_in_the_page_s_own_space_and_a_line_as_shown():
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.setPageRotation(90)
    page.setFont(FONT, 12)
    page.saveState()
    page.rotate(90)  # the text runs up the page from (100, 50), upright once the page is turned
    line = "第一行本年支出合计100万元，其中基本支出25万元，占30%。"
    page.drawString(50, -100, line)
    page.restoreState()
    page.showPage()
    page.save()
    extracted = extract(out.getvalue(), "r.pdf")
    start = extracted.text.index("30%")
    where = extracted.locate(start, start + 3)
    x0, y0, x1, y1 = where["box"]
    before = pdfmetrics.stringWidth(line[: line.index("30%")], FONT, 12)
    assert abs(y0 - (50 + before)) < 0.5 and y1 >= y0 + pdfmetrics.stringWidth("30%", FONT, 12) - 0.5
    assert x0 <= 100 - 0.66 * 12 and 100 <= x1 <= 100 + 0.3 * 12  # the glyphs stand left of the baseline x = 100
    assert len(where["boxes"]) == 1  # one line as shown, though it runs up the page's own space
    assert len(extracted.locate(0, len(extracted.text))["boxes"]) == 1
    assert [p.to_dict()["width"] for p in extracted.pages] == [595.28]  # as shown: the box is 841.89 wide, turned
