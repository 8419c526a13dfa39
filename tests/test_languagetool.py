"""POST /v2/check: a LanguageTool client's form in, LanguageTool's JSON shape out, offsets in UTF-16 units."""

from __future__ import annotations

import json

import pytest

from service import check
from service.http import create_app

SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
FORM = "application/x-www-form-urlencoded"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def post(client, **fields):
    return client.post("/v2/check", data=fields, content_type=FORM)


def test_a_languagetool_client_request(client):
    # what LanguageTool's own clients send: a urlencoded form, with fields Tally does not use
    body = (
        "text="
        + SAMPLE
        + "&language=zh-CN&enabledOnly=false&level=default&motherTongue=en&disabledRules=WHITESPACE_RULE"
    )
    response = client.post("/v2/check", data=body.encode("utf-8"), content_type=FORM)
    assert response.status_code == 200 and response.mimetype == "application/json"
    out = response.json
    assert list(out) == ["software", "warnings", "language", "matches"]
    assert out["software"] == {
        "name": "Tally",
        "version": out["software"]["version"],
        "buildDate": "",
        "apiVersion": 1,
        "premium": False,
        "status": "",
    }
    assert out["warnings"] == {"incompleteResults": False}
    assert out["language"] == {
        "name": "Chinese",
        "code": "zh-CN",
        "detectedLanguage": {"name": "Chinese", "code": "zh-CN", "confidence": 1.0},
    }
    findings = check(SAMPLE).findings
    assert [m["rule"]["id"] for m in out["matches"]] == [f.code for f in findings] == ["SHR001", "SHR002"]
    share = out["matches"][0]
    assert set(share) == {
        "message", "shortMessage", "replacements", "offset", "length", "context", "sentence", "type", "rule",
        "ignoreForIncompleteSentence", "contextForSureMatch",
    }  # fmt: skip
    assert share["message"] == findings[0].message
    assert share["shortMessage"] == "占比与所列数字不符"
    assert share["replacements"] == [{"value": "25%"}]
    assert (share["offset"], share["length"]) == (SAMPLE.index("30%"), 3)
    assert share["context"] == {"text": SAMPLE, "offset": SAMPLE.index("30%"), "length": 3}
    assert share["sentence"] == SAMPLE
    assert share["type"] == {"typeName": "Other"}
    assert share["rule"] == {
        "id": "SHR001",
        "description": "占X% does not equal the part divided by the whole it is a share of.",
        "issueType": "inconsistency",
        "urls": [{"value": "http://localhost/v1/rules/SHR001"}],
        "category": {"id": "SHR", "name": "占X% against part ÷ whole; shares of one whole against 100%"},
    }
    assert share["ignoreForIncompleteSentence"] is False and share["contextForSureMatch"] == 0
    # a suggestion that is no replacement goes into the message
    total = out["matches"][1]
    assert total["replacements"] == [] and total["message"].endswith("；建议：" + findings[1].suggestion)


def test_offsets_are_utf16_code_units(client):
    prefix = "𠀀😀说明：\n"  # two characters outside the BMP: 4 UTF-16 units, 2 code points
    text = prefix + SAMPLE
    out = post(client, text=text, language="zh-CN").json
    share = out["matches"][0]
    code_points = text.index("30%")
    assert share["offset"] == utf16(text[:code_points]) == code_points + 2
    assert share["length"] == 3
    # a client slicing UTF-16 gets the flagged figure back
    units = text.encode("utf-16-le")
    assert units[2 * share["offset"] : 2 * (share["offset"] + share["length"])].decode("utf-16-le") == "30%"
    context = share["context"]
    window = context["text"].encode("utf-16-le")
    assert window[2 * context["offset"] : 2 * (context["offset"] + context["length"])].decode("utf-16-le") == "30%"
    assert "\n" not in context["text"] and context["text"].endswith("...") is False


def test_context_is_cut_at_40_characters_with_ellipses(client):
    text = "说明" * 30 + "\n" + SAMPLE + "附注" * 30
    share = post(client, text=text, language="zh").json["matches"][0]
    context = share["context"]
    assert context["text"].startswith("...") and context["text"].endswith("...")
    assert context["text"][context["offset"] : context["offset"] + 3] == "30%"
    assert len(context["text"]) == 3 + 40 + 3 + 40 + 3


def test_multipart_form_and_language_variants(client):
    for language in ("zh-CN", "zh", "auto", "zh-TW", "ZH-cn"):
        response = client.post("/v2/check", data={"text": SAMPLE, "language": language})  # multipart/form-data
        assert response.status_code == 200, language
        assert len(response.json["matches"]) == 2


def test_rule_and_category_switches(client):
    assert [
        m["rule"]["id"] for m in post(client, text=SAMPLE, language="zh-CN", disabledRules="SHR002").json["matches"]
    ] == ["SHR001"]
    assert post(client, text=SAMPLE, language="zh-CN", disabledCategories="SHR,TYPOS").json["matches"] == []
    only = post(client, text=SAMPLE, language="zh-CN", enabledOnly="true", enabledRules="SHR002").json
    assert [m["rule"]["id"] for m in only["matches"]] == ["SHR002"]
    # without enabledOnly, enabledRules only switches on rules that are off by default: none in Tally
    assert len(post(client, text=SAMPLE, language="zh-CN", enabledRules="SHR002").json["matches"]) == 2


def test_annotated_data_offsets_count_the_markup(client):
    data = {
        "annotation": [
            {"markup": "<p>"},
            {"text": "𠀀"},
            {"markup": "<b>", "interpretAs": ""},
            {"text": SAMPLE[:20]},
            {"markup": "</b>"},
            {"text": SAMPLE[20:]},
            {"markup": "</p>", "interpretAs": "\n\n"},
        ]
    }
    original = "<p>𠀀<b>" + SAMPLE[:20] + "</b>" + SAMPLE[20:] + "</p>"
    out = post(client, data=json.dumps(data, ensure_ascii=False), language="zh-CN").json
    share = out["matches"][0]
    assert share["offset"] == utf16(original[: original.index("30%")]) and share["length"] == 3
    window = share["context"]["text"].encode("utf-16-le")
    assert window[2 * share["context"]["offset"] :].decode("utf-16-le").startswith("30%")


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"language": "zh-CN"}, 422, "validation_error"),
        ({"text": SAMPLE}, 422, "validation_error"),
        ({"text": SAMPLE, "language": "en-US"}, 422, "validation_error"),
        ({"text": SAMPLE, "data": '{"annotation": []}', "language": "zh-CN"}, 422, "validation_error"),
        ({"data": "{not json", "language": "zh-CN"}, 400, "malformed_json"),
        ({"data": '{"annotation": [{"text": "a", "markup": "b"}]}', "language": "zh-CN"}, 422, "validation_error"),
        ({"data": '{"annotation": "text"}', "language": "zh-CN"}, 422, "validation_error"),
        ({"data": '{"annotation": [{"text": "\\ud800"}]}', "language": "zh-CN"}, 400, "invalid_text"),
        ({"text": SAMPLE, "language": "zh-CN", "enabledOnly": "true"}, 422, "validation_error"),
        ({"text": SAMPLE, "language": "zh-CN", "enabledOnly": "maybe"}, 422, "validation_error"),
    ],
)
def test_bad_requests_get_the_error_envelope(client, fields, status, code):
    response = post(client, **fields)
    assert response.status_code == status
    assert response.json["error"]["code"] == code and response.json["error"]["message"]


def test_other_media_types_and_sizes(app):
    client = app.test_client()
    response = client.post("/v2/check", json={"text": SAMPLE, "language": "zh-CN"})
    assert response.status_code == 415 and response.json["error"]["code"] == "unsupported_media_type"
    assert client.get("/v2/check").status_code == 422  # a GET without text and language
    assert client.put("/v2/check").status_code == 405
    small = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 1000}).test_client()
    response = small.post("/v2/check", data={"text": "你" * 2000, "language": "zh-CN"}, content_type=FORM)
    assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
    # a field larger than Flask's 500 kB form default is fine within the body limit
    big = "。" * 200_000
    assert client.post("/v2/check", data={"text": big, "language": "zh-CN"}, content_type=FORM).status_code == 200


def test_openapi_documents_v2_check(client):
    spec = client.get("/openapi.json").json
    post_op = spec["paths"]["/v2/check"]["post"]
    assert set(post_op["requestBody"]["content"]) == {FORM, "multipart/form-data"}
    assert "UTF-16 code units" in post_op["description"]
    assert post_op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LanguageToolResponse"
    }
    for status in ("400", "413", "415", "422"):
        assert status in post_op["responses"]


def test_replacements_come_from_the_fix_widened_to_the_match(client):
    """A fix on a part of the flagged text (a heading's year) replaces the whole match's span."""
    text = "某县财政局2024年度部门决算\n第二部分 2023年度部门决算情况说明\n"
    (match,) = client.post("/v2/check", data={"text": text, "language": "zh-CN"}, content_type=FORM).json["matches"]
    assert match["rule"]["id"] == "PER001"
    assert text[match["offset"] : match["offset"] + match["length"]] == "2023年度部门决算"
    assert match["replacements"] == [{"value": "2024年度部门决算"}]
