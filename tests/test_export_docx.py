"""The Word export (service/report/docx.py): from the CLI and from ``POST /v1/export/docx``, read
back with python-docx as a reviewer's Word would open it."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import docx
import pytest
from test_documents import make_docx, make_pdf

from service import check
from service.cli import main
from service.report.docx import MEDIA_TYPE, Reading, download_name, to_docx
from service.report.wording import rule_title

ROUNDED = (  # RND001, an info finding: 60.89% is 60.8977% cut, not rounded
    "2023年一般公共预算财政拨款支出1504.31万元，主要用于以下方面：资源勘探信息支出588.23万元，"
    "占39.1%；商业服务业等支出916.08万元，占60.89%。"
)
REPORT = (
    "松潘县财政局2023年度部门决算\n"
    "一、收入支出决算总体情况说明\n"
    "2023年度收入总计500万元，其中：财政拨款收入400万元，占75%；其他收入100万元，占20%。\n"
    "二、支出决算情况说明\n"
    "2023年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。\n"
    "会议共安排培训经费200万元，其中：师资费120万元，占50%。\n"
    f"{ROUNDED}\n"
    "三、其他说明\n"
    "2023年一般公共预算支出决算数为1504.31，完成预算100%。\n"
)
PROBLEM = re.compile(r"^(\d+)\. 【(错误|警告)】(.+)（([A-Z]+\d{3})）$")


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def problems(document) -> list[dict]:
    """Each listed problem: its number, severity, title, code, and its labelled lines, with the
    paragraph that quotes the sentence."""
    out: list[dict] = []
    section = None
    for paragraph in document.paragraphs:
        m = PROBLEM.match(paragraph.text)
        if m:
            out.append({"severity": m[2], "title": m[3], "code": m[4], "section": section})
        elif paragraph.style.name == "Heading 2":
            section = paragraph.text
        elif paragraph.style.name.startswith("Heading"):
            section = None
            if out:
                out[-1].setdefault("end", True)
        elif out and "end" not in out[-1] and "：" in paragraph.text:
            label, _, value = paragraph.text.partition("：")
            if label in ("位置", "原文", "说明", "建议") and label not in out[-1]:
                out[-1][label] = value
                if label == "原文":
                    out[-1]["quote"] = paragraph
    return out


@pytest.fixture(scope="module")
def body() -> dict:
    return check(REPORT).to_dict()


def test_lists_exactly_the_findings_not_dismissed_with_sentence_location_and_arithmetic(body):
    findings = body["findings"]
    assert [f["code"] for f in findings if f["severity"] != "info"] == ["SHR001", "SHR002", "SHR001", "UNIT001"]
    dismissed = findings[1]["fingerprint"]  # SHR002
    document = read(to_docx(body, [dismissed], "松潘县财政局2023年度部门决算.txt", REPORT, today=date(2026, 12, 2)))
    listed = problems(document)
    kept = [f for f in findings if f["severity"] != "info" and f["fingerprint"] != dismissed]
    assert [(p["code"], p["severity"]) for p in listed] == [
        (f["code"], {"error": "错误", "warning": "警告"}[f["severity"]]) for f in kept
    ]
    for p, f in zip(listed, kept, strict=True):
        assert p["title"] == rule_title(f["code"])
        assert p["位置"] == f"第 {f['line']} 行"
        assert p["说明"] == f["message"]
        assert p.get("建议") == f["suggestion"]
        assert p["原文"] == REPORT.splitlines()[f["line"] - 1]  # the whole sentence (each is a line here)
        # the flagged figure is its own run, bold on yellow; the figures it was checked against underlined
        flagged = [run for run in p["quote"].runs if run.bold and run.font.highlight_color is not None]
        assert [run.text for run in flagged] == [f["text"]]
        underlined = {run.text for run in p["quote"].runs if run.underline}
        assert underlined <= {e["text"] for e in f["evidence"]}
    assert [p["section"] for p in listed] == ["一、收入支出决算总体情况说明", "二、支出决算情况说明", "三、其他说明"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "占【20%】" not in text and "同一总额的各项占比合计为 95%" not in text  # the dismissed SHR002
    assert "审核人已排除 1 个（误报、已知或已改），未列入本意见。" in text


def test_head_names_the_report_and_the_unit_and_counts_by_severity(body):
    document = read(to_docx(body, [], "report.txt", REPORT, today=date(2026, 12, 2)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "关于《松潘县财政局2023年度部门决算》的审核意见"
    assert document.paragraphs[0].style.name == "Title"
    assert paragraphs[1:5] == [
        "报告：松潘县财政局2023年度部门决算",
        "报送单位：松潘县财政局",
        "文件：report.txt",
        "审核日期：2026-12-02",
    ]
    assert "共列出问题 4 个：错误 3 个，警告 1 个；另有提示 1 个，列于文末。" in paragraphs
    (table,) = document.tables
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["级别", "错误", "警告", "提示"],
        ["数量", "3", "1", "1"],
    ]
    assert any(p.startswith("已核对计算与表述 ") for p in paragraphs)
    assert "完成率：句中没有写出目标数，1 处" in paragraphs  # the unchecked reasons, in Chinese
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "完成率：句中没有写出目标数，1 处" in bullets
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "一、总体情况",
        "二、问题清单",
        "三、提示（无需更正，供参考）",
    ]


def test_info_findings_are_a_short_list_at_the_end(body):
    document = read(to_docx(body, [], None, REPORT))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("三、提示（无需更正，供参考）")
    (info,) = [f for f in body["findings"] if f["severity"] == "info"]
    assert paragraphs[start + 1 :] == [f"1. {rule_title('RND001')}（RND001），第 {info['line']} 行：{info['message']}"]
    assert not any(p["code"] == "RND001" for p in problems(document))


def test_a_clean_report_says_so():
    clean = "2019年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。"
    paragraphs = [p.text for p in read(to_docx(check(clean).to_dict(), [], None, clean)).paragraphs]
    assert "未发现需要更正的问题。" in paragraphs
    assert "共列出问题 0 个：错误 0 个，警告 0 个。" in paragraphs
    assert paragraphs[0] == "审核意见"  # no title line, no unit: the plain title


def test_without_the_text_only_the_figures_are_quoted(body):
    listed = problems(read(to_docx(body, [], "report.txt")))
    assert [p["原文"] for p in listed] == [f["text"] for f in body["findings"] if f["severity"] != "info"]
    assert listed[0]["quote"].runs[1].bold


def test_a_long_sentence_is_cut_around_the_figure():
    text = (
        "说明" * 120
        + "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%"
        + "备注" * 120
        + "。"
    )
    body = check(text).to_dict()
    (p, *_) = problems(read(to_docx(body, [], None, text)))
    assert p["原文"].startswith("…") and p["原文"].endswith("…")
    assert "占30%；" in p["原文"] and len(p["原文"]) < 150


TITLES = [
    ("第三部分\n2019年度部门决算情况说明\n一、收入支出决算总体情况说明\n收入总计100万元。", "2019年度部门决算情况说明"),
    # page furniture left out, the repeated title once
    (
        "首页 > 信息公开 > 财政资金\n某某县财政局2021年度部门决算\n某某县财政局2021年度部门决算\n一、概况\n…",
        "某某县财政局2021年度部门决算",
    ),
    # a site's slogan and column name before the title
    (
        "深化司法公开 促进司法公正\n财务数据\n某市中级人民法院2021年“三公”经费支出决算情况说明\n一、…",
        "某市中级人民法院2021年“三公”经费支出决算情况说明",
    ),
    # a title wrapped onto the next line
    (
        "防城港市某中心2018年部门预算\n及“三公”经费预算编制说明\n一、…",
        "防城港市某中心2018年部门预算及“三公”经费预算编制说明",
    ),
    # a title set in a table's first row
    ("施甸县2016年“三公”经费决算情况统计表\t\t单位:万元\n项目\t预算数\n", "施甸县2016年“三公”经费决算情况统计表"),
    # a table's header is no title, nor is a first sentence
    ("一、2016年“三公”经费决算情况表\n(单位:万元)\n项 目\n预算数\n决算数", ""),
    ("根据国务院关于推进政府预算信息公开的决策部署，现将有关情况说明如下。", ""),
]


@pytest.mark.parametrize(("text", "title"), TITLES)
def test_the_title_of_a_report(text, title):
    assert Reading(text).title() == title


def test_the_unit_is_read_from_the_text_when_the_report_has_none(body):
    stripped = json.loads(json.dumps(body))
    stripped["coverage"]["names"]["reporting_unit"] = None
    paragraphs = [p.text for p in read(to_docx(stripped, [], None, REPORT)).paragraphs]
    assert "报送单位：松潘县财政局" in paragraphs


def test_a_pdf_finding_in_a_table_cell_gets_its_page_from_the_document_s_pages(body):
    pdf = json.loads(json.dumps(body))
    middle = REPORT.index("二、")
    pdf["document"] = {
        "kind": "pdf",
        "filename": "r.pdf",
        "text": REPORT,
        "pages": [
            {"number": 1, "width": 595.3, "height": 841.9, "start": 0, "end": middle - 1},
            {"number": 2, "width": 595.3, "height": 841.9, "start": middle, "end": len(REPORT)},
        ],
    }
    pdf["findings"][0]["location"] = {"page": 1, "box": [1.0, 2.0, 3.0, 4.0]}
    pdf["findings"][2]["location"] = {"table": "支出决算表", "row": "合计", "column": "基本支出"}
    listed = problems(read(to_docx(pdf)))
    assert listed[0]["位置"] == "第 1 页"
    assert listed[2]["位置"] == "第 2 页 · 表“支出决算表” 行“合计” 列“基本支出”"
    assert listed[3]["位置"] == "第 2 页"  # no location at all: the page its start is on


def test_text_that_xml_cannot_hold_is_replaced_not_refused():
    text = "2019年本年支出合计100万元，其中：基本支出25万元，占30%\x01；项目支出75万元，占75%。\ud800"
    body = check(text).to_dict()
    body["findings"][0]["section"] = "一、\x00标题"
    data = to_docx(body, [], "a\x02.txt", text)
    assert "\ufffd" in "\n".join(p.text for p in read(data).paragraphs)


def test_download_names():
    assert download_name("报告.pdf") == "报告-审核意见.docx"
    assert download_name("C:\\reports\\r.docx") == "r-审核意见.docx"
    assert download_name('a"b:c.txt') == "abc-审核意见.docx"
    assert download_name(None) == download_name("..") == "审核意见.docx"


# -- the CLI ------------------------------------------------------------------------------


def test_cli_writes_one_docx(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "意见.docx"
    assert main(["check", "--format", "docx", "-o", str(out), str(report)]) == 1  # exit status as for text
    stdout = capsys.readouterr().out.splitlines()
    assert stdout[0].startswith(f"{report}：错误 3 个，警告 1 个，提示 1 个；")
    assert stdout[1] == f"  已写入 {out}"
    document = read(out.read_bytes())
    assert document.paragraphs[0].text == "关于《松潘县财政局2023年度部门决算》的审核意见"
    assert [p["code"] for p in problems(document)] == ["SHR001", "SHR002", "SHR001", "UNIT001"]


def test_cli_docx_leaves_out_the_baseline(tmp_path, capsys):
    report, known, out = tmp_path / "report.txt", tmp_path / "baseline.json", tmp_path / "out.docx"
    report.write_text(REPORT, encoding="utf-8")
    main(["check", "--select", "SHR002", "--write-baseline", str(known), str(report)])
    assert main(["check", "--format", "docx", "-o", str(out), "--baseline", str(known), str(report)]) == 1
    document = read(out.read_bytes())
    assert [p["code"] for p in problems(document)] == ["SHR001", "SHR001", "UNIT001"]
    assert "审核人已排除 1 个（误报、已知或已改），未列入本意见。" in [p.text for p in document.paragraphs]
    capsys.readouterr()


def test_cli_docx_of_a_pdf_and_a_word_file_names_page_and_paragraph(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "r.pdf").write_bytes(make_pdf())
    (tmp_path / "in" / "r.docx").write_bytes(make_docx())
    out = tmp_path / "out"
    assert main(["check", "--format", "docx", "-o", f"{out}/", str(tmp_path / "in")]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["r.docx", "r.pdf.docx"]  # the second r keeps its suffix
    stdout = capsys.readouterr().out.splitlines()
    start = stdout.index("共 2 个文件：已检查 2 个，有错误的 2 个，无法读取 0 个")  # the table on stdout, for people
    assert stdout[start + 1].split() == ["规则族", "错误", "警告", "提示"]
    from_pdf = problems(read((out / "r.pdf.docx").read_bytes()))
    assert from_pdf[0]["code"] == "SHR001" and from_pdf[0]["位置"].startswith("第 2 页")
    assert "占30%" in from_pdf[0]["原文"]
    from_word = problems(read((out / "r.docx").read_bytes()))
    assert from_word[0]["位置"] == "第 2 段"
    assert any(p["位置"] == "第 1 个表格第 2 行第 2 格" for p in from_word)
    capsys.readouterr()


def test_cli_docx_usage_errors(tmp_path, capsys):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(REPORT, encoding="utf-8")
    second.write_text(REPORT, encoding="utf-8")
    for argv, message in [
        (["--format", "docx", str(first)], "--format docx needs -o"),
        (["-o", "x.docx", str(first)], "-o/--output is for --format docx"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["check", *argv])
        assert exit_.value.code == 2
        assert message in capsys.readouterr().err
    target = tmp_path / "one.docx"
    assert main(["check", "--format", "docx", "-o", str(target), str(first), str(second)]) == 2
    assert "2 files give 2 Word documents; -o must name a folder" in capsys.readouterr().err
    assert not target.exists()
    clash = tmp_path / "r.docx"
    clash.write_bytes(make_docx())
    assert main(["check", "--format", "docx", "-o", str(clash), str(clash)]) == 2
    assert "is one of the files checked" in capsys.readouterr().err
    assert main(["check", "--format", "docx", "-o", str(tmp_path / "missing" / "x.docx"), str(first)]) == 2
    assert "cannot write" in capsys.readouterr().err


# -- HTTP ---------------------------------------------------------------------------------


def test_http_check_then_export_of_an_upload(client):
    checked = client.post("/v1/check", data={"file": (io.BytesIO(make_pdf()), "决算.pdf")})
    assert checked.status_code == 200
    report = checked.get_json()
    dismissed = [f["fingerprint"] for f in report["findings"] if f["code"] == "SHR002"]
    assert dismissed
    response = client.post("/v1/export/docx", json={"report": report, "dismissed": dismissed, "filename": "决算.pdf"})
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="review.docx"; ')
    assert (
        "filename*=UTF-8''%E5%86%B3%E7%AE%97-%E5%AE%A1%E6%A0%B8%E6%84%8F%E8%A7%81.docx" in disposition
    )  # 决算-审核意见
    listed = problems(read(response.data))
    kept = [f for f in report["findings"] if f["severity"] != "info" and f["fingerprint"] not in dismissed]
    assert [p["code"] for p in listed] == [f["code"] for f in kept]
    assert listed[0]["位置"] == "第 2 页"
    assert "基本支出25万元，占30%" in listed[0]["原文"]


def test_http_export_of_a_json_check_quotes_from_the_text_sent(client):
    report = client.post("/v1/check", json={"text": REPORT}).get_json()
    response = client.post("/v1/export/docx", json={"report": report, "text": REPORT})
    assert response.status_code == 200
    assert 'filename="review.docx"' in response.headers["Content-Disposition"]
    document = read(response.data)
    assert document.paragraphs[0].text == "关于《松潘县财政局2023年度部门决算》的审核意见"
    listed = problems(document)
    assert [p["code"] for p in listed] == ["SHR001", "SHR002", "SHR001", "UNIT001"]
    assert listed[2]["原文"] == "会议共安排培训经费200万元，其中：师资费120万元，占50%。"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "report"),
        ({"report": []}, "report"),
        ({"report": {}}, "report.findings"),
        ({"report": {"findings": [{"code": "SHR001"}]}}, "report.findings.0.severity"),
        ({"report": {"findings": "none"}}, "report.findings"),
        ({"report": {"findings": []}, "dismissed": "a295f4a6a4a65d7c"}, "dismissed"),
        ({"report": {"findings": []}, "filename": 3}, "filename"),
        ({"report": {"findings": []}, "extra": 1}, "extra"),
        ({"report": {"findings": [], "coverage": {"unchecked": {"x": "many"}}}}, "report.coverage.unchecked"),
    ],
)
def test_http_bad_export_bodies_are_422_envelopes(client, body, field):
    response = client.post("/v1/export/docx", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"].startswith("Invalid request body: ")
    assert field.split(".")[0] in error["details"]["fields"]
    assert f"{field}:" in error["message"] or f"{field}." in error["message"]


def test_http_export_refuses_offsets_past_the_text(client):
    report = client.post("/v1/check", json={"text": REPORT}).get_json()
    response = client.post("/v1/export/docx", json={"report": report, "text": "短文本"})
    assert response.status_code == 422
    assert "past the end of the text (3 code points)" in response.get_json()["error"]["message"]


def test_http_export_needs_json(client):
    response = client.post("/v1/export/docx", data="x", content_type="text/plain")
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    response = client.post("/v1/export/docx", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    assert client.get("/v1/export/docx").status_code == 405


def test_http_export_body_is_limited_as_the_others():
    from service.http import create_app

    small = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    response = small.post("/v1/export/docx", json={"report": {"findings": []}, "text": "字" * 2000})
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_export_is_in_the_openapi_document(client):
    spec = client.get("/openapi.json").get_json()
    post = spec["paths"]["/v1/export/docx"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json"}
    assert set(post["responses"]["200"]["content"]) == {MEDIA_TYPE}
    assert {"400", "413", "415", "422"} <= set(post["responses"])
    assert {"report", "dismissed", "filename", "text"} <= set(
        spec["components"]["schemas"]["ExportDocxRequest"]["properties"]
    )
