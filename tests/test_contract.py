"""The output contract shared by the API, the CLI and SARIF: rule titles, structured fixes,
provenance, ignore_fingerprints, Chinese error messages and the upload limit."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from service import Options, check
from service.checks import RULES, RULES_BY_CODE
from service.http import create_app
from service.report import provenance
from service.report.sarif import to_sarif

ROOT = Path(__file__).resolve().parents[1]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
SHARE = Options(select=("SHR001",))
CORPUS = sorted((ROOT / "corpora" / "reports").glob("*.txt"))


# ---- rule titles ---------------------------------------------------------------------------


def test_every_rule_has_a_short_unique_chinese_title():
    titles = [rule.title for rule in RULES]
    assert all(titles), [rule.code for rule in RULES if not rule.title]
    assert len(set(titles)) == len(titles), sorted(t for t in titles if titles.count(t) > 1)
    for rule in RULES:
        assert CHINESE.search(rule.title) and len(rule.title) <= 16, (rule.code, rule.title)
        assert not re.search(r"[a-zA-Z]", rule.title), (rule.code, rule.title)
    assert RULES_BY_CODE["SHR001"].title == "占比与所列数字不符"


def test_titles_are_served_and_carried_by_findings(client):
    listed = client.get("/v1/rules").json["rules"]
    assert [r["title"] for r in listed] == [rule.title for rule in RULES]
    assert client.get("/v1/rules/SHR001").json["title"] == "占比与所列数字不符"
    body = client.post("/v1/check", json={"text": SAMPLE}).json
    assert body["findings"] and all(f["title"] == RULES_BY_CODE[f["code"]].title for f in body["findings"])
    schema = client.get("/openapi.json").json["components"]["schemas"]
    assert "title" in schema["Finding"]["required"] and "title" in schema["Rule"]["required"]


def test_sarif_describes_rules_by_title_and_keeps_the_kebab_name():
    log = to_sarif([("a.txt", SAMPLE, check(SAMPLE))])
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["SHR001"]["name"] == "share-mismatch"
    assert rules["SHR001"]["shortDescription"]["text"] == "占比与所列数字不符"
    assert log["runs"][0]["results"][0]["properties"]["title"] == "占比与所列数字不符"


# ---- structured fix ------------------------------------------------------------------------


def test_a_share_mismatch_carries_its_fix():
    (finding,) = check(SAMPLE, SHARE).findings
    assert finding.suggestion == "改为 25%"
    assert (finding.fix.start, finding.fix.end, finding.fix.replacement) == (finding.start, finding.end, "25%")
    assert SAMPLE[finding.fix.start : finding.fix.end] == "30%"
    assert check(SAMPLE, SHARE).to_dict()["findings"][0]["fix"] == {"start": 30, "end": 33, "replacement": "25%"}
    # the sum of the shares has no one figure to put in place
    assert [f.fix for f in check(SAMPLE).findings if f.code == "SHR002"] == [None]


def test_a_suggestion_that_is_no_replacement_has_no_fix():
    text = (
        "2020年度，收入总计为300.00万元，其中：\n1.财政拨款收入250.00万元。\n2.事业收入50.00万元。\n"
        "3.上年结转和结余8.00万元。"
    )
    (finding,) = check(text).findings
    assert finding.code == "SUM001" and finding.suggestion and finding.fix is None


def test_fix_offsets_are_code_points_of_the_text_sent():
    # an astral character, and a line break inside a word (which reading leaves out), before the share
    text = "𠀀2019年本年支出合计100万元，其中：基本\n支出25万元，占30%；项目支出75万元，占75%。"
    (finding,) = check(text, SHARE).findings
    assert finding.fix.start == text.index("30%") and text[finding.fix.start : finding.fix.end] == "30%"
    assert finding.fix.replacement == "25%"


@pytest.mark.parametrize(("rate", "replacement"), [("30 %", "25 %"), ("百分之三十", "25%")])
def test_the_figure_is_replaced_as_written(rate, replacement):
    """The number only, its unit as written; a figure in Chinese numerals whole."""
    text = f"2019年一般公共预算财政拨款支出1000万元，比2018年增加200万元，增长{rate}。"
    (finding,) = check(text).findings
    assert finding.code == "CHG002" and text[finding.fix.start : finding.fix.end] == rate
    assert finding.fix.replacement == replacement


def test_a_heading_year_is_fixed_in_place():
    text = "某县财政局2024年度部门决算\n第二部分 2023年度部门决算情况说明\n"
    (finding,) = check(text).findings
    assert finding.code == "PER001" and finding.text == "2023年度部门决算"
    # the year only, not the whole heading the finding spans
    assert text[finding.fix.start : finding.fix.end] == "2023" and finding.fix.replacement == "2024"


def test_every_fix_on_the_corpora_stands_in_place():
    """A fix replaces text inside its finding, with text that differs from it; applying it and
    checking again leaves that finding out."""
    fixes = 0
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        for f in check(text).findings:
            if f.fix is None:
                continue
            fixes += 1
            assert f.start <= f.fix.start <= f.fix.end <= f.end, (path.name, f)
            assert f.fix.replacement and f.fix.replacement != text[f.fix.start : f.fix.end], (path.name, f)
    assert fixes >= 10


def test_applying_a_share_fix_clears_the_finding():
    (finding,) = check(SAMPLE, SHARE).findings
    fixed = SAMPLE[: finding.fix.start] + finding.fix.replacement + SAMPLE[finding.fix.end :]
    assert not [f for f in check(fixed).findings if f.code == "SHR001"]


# ---- provenance ----------------------------------------------------------------------------


def test_provenance_of_each_kind_of_body(client):
    digest = provenance.patterns_digest()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    gbk = client.post("/v1/check", data=SAMPLE.encode("gbk"), content_type="text/plain; charset=gbk").json
    assert gbk["provenance"] == {
        "tool": "tally",
        "version": provenance.tool_version(),
        "patterns": digest,
        "input_sha256": hashlib.sha256(SAMPLE.encode("gbk")).hexdigest(),
    }
    body = json.dumps({"text": SAMPLE}, ensure_ascii=True)  # the text field, not the JSON's bytes
    as_json = client.post("/v1/check", data=body, content_type="application/json").json
    assert as_json["provenance"]["input_sha256"] == hashlib.sha256(SAMPLE.encode()).hexdigest()
    raw = b"\xef\xbb\xbf" + SAMPLE.encode()  # a file with a byte-order mark: its own bytes
    upload = client.post("/v1/check", data={"file": (io.BytesIO(raw), "r.txt")}, content_type="multipart/form-data")
    assert upload.json["provenance"]["input_sha256"] == hashlib.sha256(raw).hexdigest()


def test_the_patterns_digest_follows_the_files(tmp_path, monkeypatch):
    original = provenance.patterns_digest()
    copy = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", copy)
    monkeypatch.setattr(provenance, "_patterns_dir", lambda: copy)
    provenance.patterns_digest.cache_clear()
    try:
        same = provenance.patterns_digest()
        (copy / "words.toml").write_text((copy / "words.toml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
        provenance.patterns_digest.cache_clear()
        edited = provenance.patterns_digest()
        (copy / "notes.txt").write_text("not data", encoding="utf-8")  # only the data files count
        provenance.patterns_digest.cache_clear()
        assert provenance.patterns_digest() == edited
    finally:
        provenance.patterns_digest.cache_clear()
    assert same == original and edited != same


def test_cli_json_and_sarif_carry_provenance(tmp_path, capsys):
    from service.cli import main

    path = tmp_path / "r.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    main(["check", str(path), "--format", "json"])
    line = json.loads(capsys.readouterr().out.splitlines()[0])
    assert line["provenance"]["input_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert line["provenance"]["patterns"] == provenance.patterns_digest()
    main(["check", str(path), "--format", "sarif"])
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["properties"]["provenance"] == {
        "tool": "tally",
        "version": provenance.tool_version(),
        "patterns": provenance.patterns_digest(),
    }
    assert run["artifacts"][0]["hashes"]["sha-256"] == hashlib.sha256(path.read_bytes()).hexdigest()


# ---- ignore_fingerprints -------------------------------------------------------------------


def test_ignored_fingerprints_are_left_out_and_counted(client):
    both = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占70%。"
    full = client.post("/v1/check", json={"text": both}).json
    first, second = full["findings"]
    assert full["coverage"]["ignored"] == 0
    body = client.post(
        "/v1/check", json={"text": both, "options": {"ignore_fingerprints": [first["fingerprint"], "0" * 16]}}
    ).json
    assert body["findings"] == [second]  # the other finding, its fingerprint unchanged
    assert body["coverage"]["ignored"] == 1 and body["coverage"]["findings"]["error"] == 1
    query = client.post(
        f"/v1/check?ignore_fingerprints={second['fingerprint']}", data=both.encode(), content_type="text/plain"
    ).json
    assert query["findings"] == [first] and query["coverage"]["ignored"] == 1
    assert check(both, Options(ignore_fingerprints=frozenset({first["fingerprint"]}))).coverage["ignored"] == 1


@pytest.mark.parametrize("value", ["a295f4a6a4a65d7c", ["xyz"], [1], ["A295F4A6A4A65D7C"], [""]])
def test_ignore_fingerprints_is_validated(client, value):
    response = client.post("/v1/check", json={"text": SAMPLE, "options": {"ignore_fingerprints": value}})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_error" and "ignore_fingerprints" in error["details"]["fields"]["options"]
    assert CHINESE.search(error["message_zh"])


# ---- message_zh ----------------------------------------------------------------------------

BAD_REQUESTS = [
    ("get", "/nowhere", {}, 404, "not_found"),
    ("get", "/v1/rules/NOPE", {}, 404, "rule_not_found"),
    ("delete", "/v1/rules", {}, 405, "method_not_allowed"),
    ("post", "/v1/check", {"data": b"{", "content_type": "application/json"}, 400, "malformed_json"),
    ("post", "/v1/check", {"data": b"\xff", "content_type": "text/plain"}, 400, "invalid_encoding"),
    ("post", "/v1/check", {"data": b"x", "content_type": "text/plain; charset=nope"}, 415, "unsupported_charset"),
    ("post", "/v1/check", {"data": b"x", "content_type": "application/json; charset=latin-1"}, 415,
     "unsupported_charset"),
    ("post", "/v1/check", {"data": b"x", "content_type": "image/png"}, 415, "unsupported_media_type"),
    ("post", "/v1/check", {"json": {"text": 1}}, 422, "validation_error"),
    ("post", "/v1/check?select=SHR", {"json": {"text": ""}}, 422, "validation_error"),
    ("post", "/v1/check", {"data": b'{"text": "\\ud800"}', "content_type": "application/json"}, 400, "invalid_text"),
    ("post", "/v1/check", {"data": {"x": "1"}, "content_type": "multipart/form-data"}, 422, "validation_error"),
    ("post", "/v1/check", {"data": {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "a.png")},
                           "content_type": "multipart/form-data"}, 415, "unsupported_document"),
    ("post", "/v1/check", {"data": {"file": (io.BytesIO(b"   "), "a.txt")},
                           "content_type": "multipart/form-data"}, 422, "empty_document"),
    ("post", "/v2/check", {"json": {}}, 415, "unsupported_media_type"),
    ("post", "/v2/check", {"data": {"text": "x", "language": "en"}}, 422, "validation_error"),
    ("post", "/v2/check", {"data": {"text": "x", "language": "zh", "enabledOnly": "true"}}, 422, "validation_error"),
    ("get", "/v2/check?text=x&language=zh&enabledOnly=true", {}, 422, "validation_error"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "url", "kwargs", "status", "code"), BAD_REQUESTS)
def test_every_error_has_a_chinese_message(client, method, url, kwargs, status, code):
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == code
    assert CHINESE.search(error["message_zh"]) and error["message_zh"] != error["message"]
    assert not CHINESE.search(error["message"].split(":")[0])  # the English stays English


def test_auth_413_and_500_have_chinese_messages(monkeypatch):
    keyed = create_app({"TESTING": True, "API_KEY": "k"}).test_client()
    for headers in ({}, {"X-API-Key": "wrong"}):
        error = keyed.post("/v1/check", json={"text": ""}, headers=headers).json["error"]
        assert error["code"] == "unauthorized" and CHINESE.search(error["message_zh"])
    small = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 10}).test_client()
    error = small.post("/v1/check", data=b"a" * 11, content_type="text/plain").json["error"]
    assert "10 字节" in error["message_zh"]

    from service.http import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "check", explode)
    client = create_app({"TESTING": True}).test_client()
    error = client.post("/v1/check", json={"text": ""}, headers={"X-Request-Id": "r-1"}).json["error"]
    assert error["code"] == "internal_error" and "r-1" in error["message_zh"]


def test_an_error_raised_without_chinese_still_has_it(app):
    from service.http.errors import ApiError, envelope

    with app.test_request_context():
        assert CHINESE.search(ApiError(409, "something_new", "Conflict.").message_zh)
        assert CHINESE.search(envelope(400, "bad_request", "Bad.").json["error"]["message_zh"])


def test_the_error_schema_requires_message_zh(client):
    schema = client.get("/openapi.json").json["components"]["schemas"]["ErrorBody"]
    assert "message_zh" in schema["required"]


# ---- upload limit --------------------------------------------------------------------------


def big_pdf(megabytes: float) -> bytes:
    """A one-page PDF with a report's sentence and an image of noise (which no filter shrinks)."""
    import os

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with reportlab
        pytest.skip("Pillow is needed to draw the image")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 760, "本年支出合计100万元，其中：基本支出25万元，占30%；")
    page.drawString(72, 740, "项目支出75万元，占75%，均已纳入决算编制范围。")
    page.drawImage(ImageReader(image), 72, 200, width=400, height=400)
    page.showPage()
    page.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def pdf_4mb() -> bytes:
    data = big_pdf(3.6)
    assert 3 * 1024 * 1024 < len(data) < 5 * 1024 * 1024, len(data)
    return data


def test_a_4mb_pdf_is_accepted_by_default(client, pdf_4mb):
    response = client.post(
        "/v1/check", data={"file": (io.BytesIO(pdf_4mb), "决算.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    body = response.json
    assert body["document"]["kind"] == "pdf" and "基本支出" in body["document"]["text"]
    assert body["provenance"]["input_sha256"] == hashlib.sha256(pdf_4mb).hexdigest()
    (share,) = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert share["fix"]["replacement"] == "25%" and share["location"]["page"] == 1


def test_text_bodies_keep_their_2mb_limit_beside_uploads(client):
    over = client.post("/v1/check", data=b"a" * (2 * 1024 * 1024 + 1), content_type="text/plain")
    error = over.json["error"]
    assert over.status_code == 413 and error["details"]["limit"] == 2 * 1024 * 1024
    assert error["details"]["limits"] == {"upload": 32 * 1024 * 1024, "text": 2 * 1024 * 1024}


def test_an_upload_over_the_limit_is_413_with_both_limits(pdf_4mb, monkeypatch):
    monkeypatch.setenv("TALLY_MAX_UPLOAD_BYTES", str(3 * 1024 * 1024))
    client = create_app({"TESTING": True}).test_client()
    response = client.post(
        "/v1/check", data={"file": (io.BytesIO(pdf_4mb), "r.pdf")}, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "payload_too_large" and error["details"]["limit"] == 3 * 1024 * 1024
    assert error["details"]["limits"] == {"upload": 3 * 1024 * 1024, "text": 2 * 1024 * 1024}
    assert "TALLY_MAX_UPLOAD_BYTES" in error["message"] and "3145728 字节" in error["message_zh"]


def test_a_form_to_v2_check_keeps_the_text_limit():
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    response = client.post(
        "/v2/check", data={"text": "你" * 2000, "language": "zh-CN"}, content_type="multipart/form-data"
    )
    assert response.status_code == 413 and response.json["error"]["details"]["limit"] == 1000


@pytest.mark.parametrize("value", ["0", "-1", "true", '"big"'])
def test_a_bad_upload_limit_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("TALLY_MAX_UPLOAD_BYTES", value)
    with pytest.raises(ValueError, match="MAX_UPLOAD_BYTES"):
        create_app({"TESTING": True})


def test_sarif_results_carry_the_fix_and_the_log_stays_valid():
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    text = "𠀀" + SAMPLE
    log = to_sarif([("a.txt", text, check(text))])
    assert Draft202012Validator(schema).is_valid(log)
    share = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "SHR001")
    (fix,) = share["fixes"]
    (replacement,) = fix["artifactChanges"][0]["replacements"]
    region = replacement["deletedRegion"]
    assert text[region["charOffset"] : region["charOffset"] + region["charLength"]] == "30%"
    assert replacement["insertedContent"]["text"] == "25%"
    assert "fixes" not in next(r for r in log["runs"][0]["results"] if r["ruleId"] == "SHR002")


def test_the_openapi_document_lists_the_vocabularies(client):
    from service.vocab import LinkReason, Role, values

    schemas = client.get("/openapi.json").json["components"]["schemas"]
    assert schemas["Evidence"]["properties"]["role"]["enum"] == list(values(Role))
    assert schemas["Finding"]["properties"]["severity"]["enum"] == ["info", "warning", "error"]
    assert {"$ref": "#/components/schemas/Fix"} in schemas["Finding"]["properties"]["fix"]["anyOf"]
    assert "ignored" in schemas["Coverage"]["required"] and "provenance" in schemas["CheckResponse"]["required"]
    assert schemas["Link"]["properties"]["reason"]["enum"] == list(values(LinkReason))
    assert set(schemas["Provenance"]["required"]) == {"tool", "version", "patterns", "input_sha256"}
