"""Real LanguageTool clients against Tally on a real port: language_tool_python (GPL-3.0, a dev
extra only, never in the service image) and pylanguagetool (MIT), both pointed at this server, so
neither downloads LanguageTool; then GET /v2/check and CORS for the browser add-on, over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from conftest import serve

from service.http import create_app

language_tool_python = pytest.importorskip("language_tool_python", reason="a dev extra: pip install -e '.[dev]'")
pylanguagetool_api = pytest.importorskip("pylanguagetool.api", reason="a dev extra: pip install -e '.[dev]'")

SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
ORIGIN = "https://editor.example"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    yield from serve(create_app({"TESTING": True, "CORS_ORIGINS": f"{ORIGIN}, chrome-extension://abcdefgh"}))


@pytest.fixture(scope="module")
def tool(base_url):
    lt = language_tool_python.LanguageTool("zh-CN", remote_server=base_url)
    try:
        yield lt
    finally:
        lt.close()


# ---- language_tool_python ------------------------------------------------------------------


def test_language_tool_python_checks_and_corrects(tool):
    matches = tool.check(SAMPLE)
    by_rule = {m.rule_id: m for m in matches}
    assert set(by_rule) == {"SHR001", "SHR002"}
    share = by_rule["SHR001"]
    assert (share.offset, share.error_length) == (SAMPLE.index("30%"), 3)
    assert share.replacements == ["25%"] and share.category == "SHR" and share.rule_issue_type == "inconsistency"
    assert "25" in share.message
    # the client's own correct() applies the first replacement of each match: the fix, in place
    assert tool.correct(SAMPLE) == SAMPLE.replace("占30%", "占25%")


def test_language_tool_python_rule_switches_and_astral_offsets(tool):
    tool.disabled_rules = {"SHR002"}
    try:
        text = "𠀀" + SAMPLE  # one code point, two UTF-16 units: the client maps LanguageTool's back
        (match,) = tool.check(text)
        assert match.rule_id == "SHR001" and text[match.offset : match.offset + match.error_length] == "30%"
    finally:
        tool.disabled_rules = set()


def test_language_tool_python_refuses_a_language_the_server_does_not_list(base_url):
    with pytest.raises(ValueError):
        language_tool_python.LanguageTool("de-DE", remote_server=base_url)


# ---- pylanguagetool ------------------------------------------------------------------------


def test_pylanguagetool_lists_the_languages_and_checks(base_url):
    api = base_url + "/v2/"
    assert pylanguagetool_api.get_languages(api) == [{"name": "Chinese", "code": "zh", "longCode": "zh-CN"}]
    body = pylanguagetool_api.check(SAMPLE, api, "zh-CN")
    assert body["software"]["name"] == "Tally" and body["language"]["code"] == "zh-CN"
    share = next(m for m in body["matches"] if m["rule"]["id"] == "SHR001")
    assert share["replacements"] == [{"value": "25%"}] and share["shortMessage"] == "占比与所列数字不符"
    only = pylanguagetool_api.check(SAMPLE, api, "zh-CN", enabled_rules="SHR002", enabled_only=True)
    assert [m["rule"]["id"] for m in only["matches"]] == ["SHR002"]
    with pytest.raises(ValueError, match="validation_error"):
        pylanguagetool_api.check(SAMPLE, api, "en-US")


# ---- GET /v2/check -------------------------------------------------------------------------


def test_get_with_query_parameters_answers_as_the_post(base_url):
    params = {"text": SAMPLE, "language": "zh-CN", "disabledCategories": "SUM"}
    got = requests.get(base_url + "/v2/check", params=params, timeout=30)
    posted = requests.post(base_url + "/v2/check", data=params, timeout=30)
    assert got.status_code == posted.status_code == 200
    assert got.json() == posted.json() and len(got.json()["matches"]) == 2
    missing = requests.get(base_url + "/v2/check", params={"text": SAMPLE}, timeout=30)
    assert missing.status_code == 422 and "language" in missing.json()["error"]["details"]["fields"]


# ---- CORS ----------------------------------------------------------------------------------


def preflight(base_url: str, path: str, origin: str, method: str = "POST") -> requests.Response:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type",
    }
    return requests.options(base_url + path, headers=headers, timeout=30)


@pytest.mark.parametrize("path", ["/v2/check", "/v2/languages", "/v1/check"])
def test_a_preflight_from_an_allowed_origin_is_answered(base_url, path):
    response = preflight(base_url, path, ORIGIN)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_answers_to_an_allowed_origin_carry_the_header_errors_too(base_url):
    ok = requests.post(base_url + "/v2/check", data={"text": SAMPLE, "language": "zh"}, headers={"Origin": ORIGIN})
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert ok.headers["Access-Control-Expose-Headers"] == "X-Request-Id"
    extension = "chrome-extension://abcdefgh"
    bad = requests.post(base_url + "/v1/check", json={"text": 1}, headers={"Origin": extension}, timeout=30)
    assert bad.status_code == 422 and bad.headers["Access-Control-Allow-Origin"] == extension


def test_other_origins_and_other_endpoints_get_no_cors(base_url):
    assert "Access-Control-Allow-Origin" not in preflight(base_url, "/v2/check", "https://other.example").headers
    assert "Access-Control-Allow-Origin" not in preflight(base_url, "/v1/rules", ORIGIN, "GET").headers
    rules = requests.get(base_url + "/v1/rules", headers={"Origin": ORIGIN}, timeout=30)
    assert rules.status_code == 200 and "Access-Control-Allow-Origin" not in rules.headers


def test_cors_is_off_by_default():
    client = create_app({"TESTING": True}).test_client()
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    assert "Access-Control-Allow-Origin" not in client.options("/v2/check", headers=headers).headers
    response = client.post("/v2/check", data={"text": SAMPLE, "language": "zh"}, headers={"Origin": ORIGIN})
    assert response.status_code == 200 and "Access-Control-Allow-Origin" not in response.headers


def test_any_origin_and_the_api_key(monkeypatch):
    monkeypatch.setenv("TALLY_CORS_ORIGINS", "*")
    client = create_app({"TESTING": True, "API_KEY": "secret"}).test_client()
    # a browser sends no key with a preflight: it is answered all the same; the request is not
    headers = {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
    answer = client.options("/v2/check", headers=headers)
    assert answer.status_code == 204 and answer.headers["Access-Control-Allow-Origin"] == "*"
    denied = client.post("/v2/check", data={"text": SAMPLE, "language": "zh"}, headers={"Origin": ORIGIN})
    assert denied.status_code == 401 and denied.headers["Access-Control-Allow-Origin"] == "*"
    allowed = client.post(
        "/v2/check", data={"text": SAMPLE, "language": "zh"}, headers={"Origin": ORIGIN, "X-API-Key": "secret"}
    )
    assert allowed.status_code == 200 and allowed.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("value", ["*, https://a.example", "not an origin", "https://a.example/path"])
def test_a_bad_origin_list_is_refused_at_start(monkeypatch, value):
    monkeypatch.setenv("TALLY_CORS_ORIGINS", value)
    with pytest.raises(ValueError, match="CORS_ORIGINS"):
        create_app({"TESTING": True})
