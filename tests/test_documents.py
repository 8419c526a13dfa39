"""Word, PDF and text files in: the same findings at the right offsets into the extracted text, and where they sit."""

from __future__ import annotations

import io
import json
import random

import docx
import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from service import Options, check
from service.read.documents import DocumentError, extract, sniff

PLANTED = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
HEADING = "一、支出决算总体情况"
# a table whose amounts carry no unit: UNIT001 on "100" in table 1, row 2, cell 2
TABLE = [("项目", "金额"), ("本年支出合计", "100"), ("基本支出", "25"), ("项目支出", "75")]
TABLE_TITLE = "表1 2019年支出决算表"
# a PDF line breaks the planted sentence where the page's right margin falls
PDF_WRAP = PLANTED.index("项目支出")
FONT = "STSong-Light"  # reportlab's built-in CID font: Chinese without a font file


def make_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph(HEADING)
    document.add_paragraph(PLANTED)
    document.add_paragraph(TABLE_TITLE)
    table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、其他说明")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(*, encrypt: pdfencrypt.StandardEncryption | None = None) -> bytes:
    """Page 1 a heading and filler; page 2 the planted sentence, wrapped onto two lines."""
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, encrypt=encrypt)
    page.setFont(FONT, 11)
    page.drawString(50, 800, HEADING)
    page.drawString(50, 780, "本部门2019年度收支均纳入部门决算编制范围。")
    page.showPage()
    page.setFont(FONT, 14)
    first, second = PLANTED[:PDF_WRAP], PLANTED[PDF_WRAP:]
    page.drawString(50, 800, first)  # about 450 of the page's 595 points: it fills the text column
    page.drawString(50, 780, second)
    page.drawString(50, 760, "（注：本表数据来源于部门决算报表。）")
    page.save()
    return out.getvalue()


def finding_at(body: dict, code: str, text: str) -> dict:
    (found,) = [f for f in body["findings"] if f["code"] == code and f["text"] == text]
    return found


# ---- extract ------------------------------------------------------------------------------------


def test_docx_keeps_paragraph_order_and_tables_as_tab_separated_rows():
    extracted = extract(make_docx(), "report.docx")
    assert extracted.kind == "docx"
    assert extracted.text.splitlines() == [
        HEADING,
        PLANTED,
        TABLE_TITLE,
        "项目\t金额",
        "本年支出合计\t100",
        "基本支出\t25",
        "项目支出\t75",
        "二、其他说明",
    ]
    cell = extracted.text.index("本年支出合计\t100") + len("本年支出合计\t")
    assert extracted.locate(cell) == {"table": 1, "row": 2, "cell": 2}
    assert extracted.locate(cell - 1) == {"table": 1, "row": 2, "cell": 1}  # the tab belongs to the cell before
    assert extracted.locate(extracted.text.index("30%")) == {"paragraph": 2}
    assert extracted.locate(len(extracted.text) - 1) == {"paragraph": 4}


def test_merged_table_cells_appear_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "合计"
    table.cell(0, 2).text = "100万元"
    out = io.BytesIO()
    document.save(out)
    extracted = extract(out.getvalue(), "t.docx")
    assert extracted.text == "合计\t100万元"
    assert extracted.locate(3) == {"table": 1, "row": 1, "cell": 2}


def test_merged_header_cells_line_up_with_their_columns_as_in_a_pdf():
    """A cell merged down from the row above is empty in the rows below it (python-docx repeats
    it there), a cell merged across columns is one cell, and a row without text is no line: the
    rows read as the PDF reader gives the same table, each figure under its header."""
    document = docx.Document()
    table = document.add_table(rows=5, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "项目"
    table.cell(0, 2).merge(table.cell(1, 2)).text = "合计"
    table.cell(0, 3).merge(table.cell(1, 3)).text = "基本支出"
    table.cell(1, 0).text = "科目编码"
    table.cell(1, 1).text = "科目名称"
    for c, value in enumerate(("208", "社会保障和就业支出", "120.00", "120.00")):
        table.cell(2, c).text = value
    table.cell(4, 0).merge(table.cell(4, 1)).text = "合计"  # row 4 (index 3) stays empty
    table.cell(4, 2).text = "120.00"
    table.cell(4, 3).text = "120.00"
    out = io.BytesIO()
    document.save(out)
    extracted = extract(out.getvalue(), "t.docx")
    assert extracted.text.split("\n") == [
        "项目\t合计\t基本支出",
        "科目编码\t科目名称\t\t",
        "208\t社会保障和就业支出\t120.00\t120.00",
        "合计\t120.00\t120.00",
    ]
    assert extracted.locate(extracted.text.rindex("合计")) == {"table": 1, "row": 5, "cell": 1}


def test_pdf_page_by_page_with_wrapped_lines_joined():
    extracted = extract(make_pdf(), "report.pdf")
    assert extracted.kind == "pdf"
    assert PLANTED in extracted.text.splitlines()  # the wrapped sentence is one line again
    assert extracted.text.startswith(HEADING + "\n")
    assert extracted.locate(0) == {"page": 1}
    assert extracted.locate(extracted.text.index("30%")) == {"page": 2}


def test_text_lines_and_gb18030():
    extracted = extract(("标题\n" + PLANTED).encode("gb18030"), "r.txt", "text/plain")
    assert (extracted.kind, extracted.encoding) == ("txt", "GB18030")
    assert extracted.locate(extracted.text.index("30%")) == {"line": 2}


def test_kind_comes_from_the_bytes_not_the_name():
    assert sniff(make_docx()) == "docx"
    assert sniff(make_pdf()) == "pdf"
    assert extract(make_docx(), None, "application/octet-stream").kind == "docx"
    assert extract(make_pdf(), "report").kind == "pdf"


@pytest.mark.parametrize(
    ("data", "filename", "media_type", "code", "message"),
    [
        (PLANTED.encode(), "report.pdf", None, "mislabelled_document", "labelled as a PDF but its content is plain"),
        (make_docx(), "report.pdf", None, "mislabelled_document", "its content is a Word document"),
        (make_pdf(), "report.txt", None, "mislabelled_document", "labelled as plain text but its content is a PDF"),
        (make_pdf(), None, "text/plain", "mislabelled_document", "but its content is a PDF"),
        (b"%PDF-1.4\nnot really", "r.pdf", None, "unreadable_document", "a damaged PDF"),
        (b"PK\x03\x04broken", "r.docx", None, "unreadable_document", "a damaged zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "r.doc", None, "unsupported_document", "legacy Office"),
        (PLANTED.encode(), "r.txt", "image/png", None, None),  # the known suffix decides
        (PLANTED.encode(), "r", "image/png", "unsupported_document", "sent as image/png"),
        (b"\x00\x01binary", "r.bin", None, "unsupported_document", "binary data"),
        (b"  \n\t\n", "r.txt", None, "empty_document", "no text to check"),
    ],
)
def test_files_that_cannot_be_checked_say_why(data, filename, media_type, code, message):
    if code is None:
        assert extract(data, filename, media_type).kind == "txt"
        return
    with pytest.raises(DocumentError) as error:
        extract(data, filename, media_type)
    assert error.value.code == code
    assert message in error.value.message


def test_random_bytes_are_refused_not_crashed_on():
    data = random.Random(4).randbytes(4096)
    with pytest.raises(DocumentError) as error:
        extract(data, "noise.pdf")
    assert error.value.code in {"undecodable_text", "unsupported_document", "mislabelled_document"}


def test_empty_docx_and_encrypted_pdf():
    out = io.BytesIO()
    docx.Document().save(out)
    with pytest.raises(DocumentError, match="no text to check in this docx file"):
        extract(out.getvalue(), "empty.docx")
    with pytest.raises(DocumentError, match="encrypted") as error:
        extract(make_pdf(encrypt=pdfencrypt.StandardEncryption("secret")), "locked.pdf")
    assert error.value.code == "encrypted_document"


# ---- HTTP multipart ------------------------------------------------------------------------------


def upload(client, data: bytes, filename: str, query: str = "", **form):
    return client.post(f"/v1/check{query}", data={"file": (io.BytesIO(data), filename), **form})


def test_docx_upload_finds_the_planted_error_in_the_paragraph_and_the_table_cell(client):
    response = upload(client, make_docx(), "report.docx")
    assert response.status_code == 200, response.json
    body = response.json
    text = body["document"]["text"]
    assert body["document"] == {"kind": "docx", "filename": "report.docx", "text": extract(make_docx()).text}
    assert all(text[f["start"] : f["end"]] == f["text"] for f in body["findings"])
    in_paragraph = finding_at(body, "SHR001", "30%")
    assert in_paragraph["start"] == text.index(PLANTED) + PLANTED.index("30%")
    assert in_paragraph["location"] == {"paragraph": 2}
    evidence = {e["role"]: e for e in in_paragraph["evidence"]}
    assert evidence["whole"]["location"] == {"paragraph": 2}
    # a figure in the table reaches the checks, and is pointed at by its cell
    in_table = finding_at(body, "UNIT001", "100")
    assert in_table["start"] == text.index("本年支出合计\t100") + len("本年支出合计\t")
    assert in_table["location"] == {"table": 1, "row": 2, "cell": 2}
    assert [f["code"] for f in body["findings"]] == ["SHR001", "SHR002", "UNIT001"]


def test_pdf_upload_finds_the_planted_error_on_page_2(client):
    response = upload(client, make_pdf(), "report.pdf", "?select=SHR")
    assert response.status_code == 200, response.json
    body = response.json
    text = body["document"]["text"]
    assert body["document"]["kind"] == "pdf"
    found = finding_at(body, "SHR001", "30%")
    assert text[found["start"] : found["end"]] == "30%"
    assert found["start"] == text.index(PLANTED) + PLANTED.index("30%")
    assert found["location"]["page"] == 2 and len(found["location"]["box"]) == 4
    assert [f["code"] for f in body["findings"]] == ["SHR001", "SHR002"]


def test_upload_matches_the_engine_on_the_extracted_text(client):
    body = upload(client, make_docx(), "report.docx", options=json.dumps({"select": ["SHR"]})).json
    expected = check(body["document"]["text"], Options(select=("SHR",))).to_dict()
    stripped = [{k: v for k, v in f.items() if k != "location"} for f in body["findings"]]
    for f in stripped:
        f["evidence"] = [{k: v for k, v in e.items() if k != "location"} for e in f["evidence"]]
    assert stripped == expected["findings"]
    # a file's coverage also says how far reading it went: here to its end
    assert body["coverage"].pop("extraction") == {"unit": "block", "read": 5, "total": 5, "complete": True}
    assert body["coverage"] == expected["coverage"]


def test_text_upload_locates_by_line(client):
    body = upload(client, ("标题\n" + PLANTED).encode("gb18030"), "r.txt").json
    assert body["document"]["kind"] == "txt"
    assert finding_at(body, "SHR001", "30%")["location"] == {"line": 2}


def test_text_and_json_bodies_have_no_document_field(client):
    for response in (
        client.post("/v1/check", data=PLANTED.encode(), content_type="text/plain"),
        client.post("/v1/check", json={"text": PLANTED}),
    ):
        assert "document" not in response.json
        assert all("location" not in f for f in response.json["findings"])


@pytest.mark.parametrize(
    ("data", "filename", "status", "code", "message"),
    [
        (PLANTED.encode(), "report.pdf", 415, "mislabelled_document", "Cannot check report.pdf: labelled as a PDF"),
        (b"%PDF-1.4 junk", "r.pdf", 422, "unreadable_document", "Cannot check r.pdf: a damaged PDF"),
        (b"", "r.docx", 415, "mislabelled_document", "but its content is plain text"),
        (b"\xff\xfe\xff", "r.txt", 400, "undecodable_text", "not UTF-8 (byte 0xff at offset 0) nor GB18030"),
        (random.Random(4).randbytes(4096), "noise.bin", 400, "undecodable_text", "nor GB18030"),
        (b" \n", "r.txt", 422, "empty_document", "no text to check"),
    ],
)
def test_bad_uploads_get_a_4xx_envelope(client, data, filename, status, code, message):
    response = upload(client, data, filename)
    assert response.status_code == status
    error = response.json["error"]
    assert error["code"] == code
    assert message in error["message"]
    assert error["details"] == {"filename": filename}


def test_encrypted_pdf_and_empty_docx_uploads(client):
    locked = upload(client, make_pdf(encrypt=pdfencrypt.StandardEncryption("secret")), "locked.pdf")
    assert (locked.status_code, locked.json["error"]["code"]) == (422, "encrypted_document")
    out = io.BytesIO()
    docx.Document().save(out)
    empty = upload(client, out.getvalue(), "empty.docx")
    assert (empty.status_code, empty.json["error"]["code"]) == (422, "empty_document")


def test_multipart_without_a_file_or_with_options_twice(client):
    missing = client.post("/v1/check", data={"text": PLANTED}, content_type="multipart/form-data")
    assert (missing.status_code, missing.json["error"]["code"]) == (422, "validation_error")
    assert '"file" field' in missing.json["error"]["message"]
    twice = upload(client, PLANTED.encode(), "r.txt", "?select=SHR", options="{}")
    assert twice.status_code == 422
    bad_options = upload(client, PLANTED.encode(), "r.txt", options='{"select": ["NOPE"]}')
    assert bad_options.status_code == 422
    malformed = upload(client, PLANTED.encode(), "r.txt", options="{")
    assert (malformed.status_code, malformed.json["error"]["code"]) == (400, "malformed_json")


def test_upload_response_validates_against_the_openapi_schema(client):
    from test_http import validator

    spec = client.get("/openapi.json").json
    for data, name in ((make_docx(), "r.docx"), (make_pdf(), "r.pdf")):
        validator(spec, "CheckResponse").validate(upload(client, data, name).json)


def test_the_core_checks_an_extracted_document_and_says_where_in_the_file():
    """``check`` takes the document itself: each finding knows its paragraph or table cell."""
    from service import check

    extracted = extract(make_docx(), "report.docx")
    report = check(extracted)
    assert report.findings
    for f in report.findings:
        assert dict(f.location) == extracted.locate(f.start) or "column" in dict(f.location)
        assert all(dict(e.location) for e in f.evidence)
    # the same findings as the text alone, which has no file to point into
    assert [f.code for f in check(extracted.text).findings] == [f.code for f in report.findings]
    assert all(not f.location for f in check(extracted.text).findings)
