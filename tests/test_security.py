"""The optional API key, and logs that hold sizes and timings but nothing a user sent."""

from __future__ import annotations

import hmac
import io
import json

import pytest

from service.http import app as app_module
from service.http import create_app

KEY = "s3cret-key-0123"
SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
GUARDED = [
    ("get", "/openapi.json", {}),
    ("get", "/v1/rules", {}),
    ("get", "/v1/rules/SHR001", {}),
    ("post", "/v1/check", {"json": {"text": SAMPLE}}),
    ("post", "/v2/check", {"data": {"text": SAMPLE, "language": "zh-CN"}}),
    ("get", "/nowhere", {}),
    ("post", "/healthz", {}),
]


@pytest.fixture(scope="module")
def guarded():
    return create_app({"TESTING": True, "API_KEY": KEY}).test_client()


def assert_401(response, challenge: str) -> dict:
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    assert response.headers["WWW-Authenticate"] == challenge
    error = response.json["error"]
    assert error["code"] == "unauthorized" and error["message"]
    return error


@pytest.mark.parametrize(("method", "url", "kwargs"), GUARDED, ids=[f"{m} {u}" for m, u, _ in GUARDED])
def test_every_endpoint_but_healthz_needs_the_key(guarded, method, url, kwargs):
    call = getattr(guarded, method)
    error = assert_401(call(url, **kwargs), "Bearer")
    assert "X-API-Key" in error["message"]
    assert_401(call(url, headers={"X-API-Key": KEY + "x"}, **kwargs), 'Bearer error="invalid_token"')
    assert_401(call(url, headers={"Authorization": f"Basic {KEY}"}, **kwargs), "Bearer")
    for headers in ({"Authorization": f"Bearer {KEY}"}, {"X-API-Key": KEY}, {"authorization": f"bearer {KEY}"}):
        assert call(url, headers=headers, **kwargs).status_code != 401


def test_healthz_needs_no_key(guarded):
    assert guarded.get("/healthz").json == {"status": "ok"}
    assert guarded.head("/healthz").status_code == 200


@pytest.mark.parametrize("url", ["/", "/static/app.js", "/static/app.css"])
def test_the_review_page_opens_without_the_key(guarded, url):
    """A browser cannot send a header when it opens a page: the page and its files hold no
    data and run no check, so they load, and the page sends the key with its API calls."""
    assert guarded.get(url).status_code == 200
    assert guarded.post(url).status_code in (401, 405)  # only reading them is open


def test_checks_with_the_key_are_answered(guarded):
    response = guarded.post("/v1/check", json={"text": SAMPLE}, headers={"X-API-Key": KEY})
    assert [f["code"] for f in response.json["findings"]] == ["SHR001", "SHR002"]
    assert response.headers["X-Request-Id"]


def test_the_key_is_compared_in_constant_time(guarded, monkeypatch):
    calls = []
    original = hmac.compare_digest

    def compare(a, b):
        calls.append((a, b))
        return original(a, b)

    monkeypatch.setattr(app_module.hmac, "compare_digest", compare)
    guarded.get("/v1/rules", headers={"X-API-Key": "wrong"})
    assert calls == [(b"wrong", KEY.encode())]


def test_a_non_ascii_key_and_header_do_not_crash(guarded):
    assert_401(guarded.get("/v1/rules", headers={"X-API-Key": "密钥"}), 'Bearer error="invalid_token"')
    client = create_app({"TESTING": True, "API_KEY": "密钥"}).test_client()
    assert client.get("/v1/rules", headers={"X-API-Key": "密钥".encode().decode("latin-1")}).status_code == 200


def test_no_key_configured_means_no_key_needed(monkeypatch):
    monkeypatch.setenv("TALLY_API_KEY", "")
    assert create_app({"TESTING": True}).test_client().get("/v1/rules").status_code == 200


def test_key_from_the_environment_stays_a_string(monkeypatch):
    monkeypatch.setenv("TALLY_API_KEY", "0123")  # not the number 123
    client = create_app({"TESTING": True}).test_client()
    assert client.get("/v1/rules", headers={"X-API-Key": "0123"}).status_code == 200
    assert client.get("/v1/rules", headers={"X-API-Key": "123"}).status_code == 401


def test_bad_log_level_fails_at_start_up():
    with pytest.raises(ValueError, match="LOG_LEVEL"):
        create_app({"LOG_LEVEL": "LOUD"})


# ---- logs -----------------------------------------------------------------------------------------


def logged(capsys) -> list[dict]:
    lines = capsys.readouterr().out.splitlines()
    return [json.loads(line) for line in lines]


def test_log_lines_hold_sizes_never_text_or_file_names(capsys, monkeypatch):
    monkeypatch.setenv("TALLY_LOG_LEVEL", "debug")
    client = create_app({"TESTING": True}).test_client()
    secret_text = "机密段落甲" + SAMPLE
    secret_file = "绝密附件乙" + SAMPLE
    capsys.readouterr()
    client.post("/v1/check?include=quantities,claims", data=secret_text.encode(), content_type="text/plain")
    client.post("/v1/check", json={"text": secret_text})
    surrogate = json.dumps({"text": secret_text + "\ud800"})  # refused: the text is still not logged
    client.post("/v1/check", data=surrogate, content_type="application/json")
    client.post("/v1/check", data={"file": (io.BytesIO(secret_file.encode()), "名单-张三.txt")})
    client.post("/v1/check", data=secret_text.encode("gbk"), content_type="text/plain")
    client.post("/v2/check", data={"text": secret_text, "language": "zh-CN"})
    lines = logged(capsys)
    assert [line["status"] for line in lines] == [200, 200, 400, 200, 400, 200]
    everything = json.dumps(lines, ensure_ascii=False)
    for secret in ("机密", "绝密", "张三", "名单", "本年支出", "万元"):
        assert secret not in everything
    for line in lines:
        assert line["bytes_in"] > 0 and line["bytes_out"] > 0
        assert set(line) == {
            "timestamp",
            "level",
            "logger",
            "message",
            "method",
            "path",
            "status",
            "bytes_in",
            "bytes_out",
            "ms",
            "request_id",
            "pid",  # the worker that answered (the request's line, never its answer)
        }


def test_log_level_warning_silences_the_request_lines(capsys, monkeypatch):
    monkeypatch.setenv("TALLY_LOG_LEVEL", "WARNING")
    client = create_app({"TESTING": True}).test_client()
    capsys.readouterr()
    client.get("/healthz")
    assert capsys.readouterr().out == ""
    create_app({"TESTING": True})  # back to INFO for the other tests
