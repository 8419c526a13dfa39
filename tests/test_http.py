"""The HTTP shell: bodies and charsets in, the report and one error envelope out, OpenAPI that matches."""

from __future__ import annotations

import hashlib
import io
import json
import re
from concurrent.futures import ThreadPoolExecutor
from time import perf_counter

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from service import Options, check, pipeline
from service.checks import CHECKS, EMITS, RULES, RULES_BY_CODE
from service.http import create_app, views

CHINESE = re.compile(r"[\u4e00-\u9fff]")
SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
TEXT = "text/plain; charset=utf-8"
JSON = "application/json"
MB2 = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/openapi.json").json


def validator(spec: dict, name: str) -> Draft202012Validator:
    """A validator for one of the OpenAPI document's component schemas, its $refs resolved in the document."""
    registry = Registry().with_resource("urn:tally:openapi", DRAFT202012.create_resource(spec))
    return Draft202012Validator({"$ref": f"urn:tally:openapi#/components/schemas/{name}"}, registry=registry)


def post_text(client, text: str, query: str = "", charset: str = "utf-8"):
    return client.post(f"/v1/check{query}", data=text.encode(charset), content_type=f"text/plain; charset={charset}")


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    error = response.json["error"]
    assert set(error) <= {"code", "message", "message_zh", "details"}
    assert CHINESE.search(error["message_zh"]), error
    assert error["code"] == code
    assert isinstance(error["message"], str) and len(error["message"]) > 10
    assert response.headers["X-Request-Id"]
    return error


def engine_dict(text: str, options: Options | None = None) -> dict:
    return json.loads(json.dumps(check(text, options).to_dict()))


# ---- POST /v1/check: the report ------------------------------------------------------------


def test_text_plain_reports_share_mismatch_with_exact_span(client):
    response = post_text(client, SAMPLE)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.json
    assert body["api_version"] == "1"
    shr001 = [f for f in body["findings"] if f["code"] == "SHR001"]
    assert len(shr001) == 1
    finding = shr001[0]
    assert finding["text"] == "30%" == SAMPLE[finding["start"] : finding["end"]]
    assert (finding["stated"], finding["expected"], finding["severity"]) == (30.0, 25.0, "error")
    for evidence in finding["evidence"]:
        assert SAMPLE[evidence["start"] : evidence["end"]] == evidence["text"]
    assert body["coverage"]["claims"]["share"]["checked"] == 2
    assert "quantities" not in body and "claims" not in body


def test_response_is_the_engine_report_unchanged(client):
    response = post_text(client, SAMPLE, "?include=quantities,claims")
    assert response.json == engine_dict(SAMPLE, Options(include=frozenset({"quantities", "claims"})))
    assert list(response.json) == ["api_version", "findings", "coverage", "provenance", "quantities", "claims"]


def test_chinese_is_readable_and_keys_keep_their_order(client):
    raw = post_text(client, SAMPLE).get_data()
    assert "占比应为".encode() in raw
    assert b"\\u" not in raw
    assert raw.startswith(b'{"api_version":"1","findings":[{"code":"SHR001","name":')


def test_json_body_gives_the_same_report_as_text_plain(client):
    response = client.post("/v1/check", json={"text": SAMPLE})
    assert response.status_code == 200
    assert response.json == post_text(client, SAMPLE).json


def test_include_as_repeated_query_parameters(client):
    body = post_text(client, SAMPLE, "?include=quantities&include=claims").json
    assert [q["text"] for q in body["quantities"]] == ["100万元", "25万元", "30%", "75万元", "75%"]
    for q in body["quantities"]:
        assert SAMPLE[q["start"] : q["end"]] == q["text"]
    kinds = {c["kind"] for c in body["claims"]}
    assert {"breakdown", "share"} <= kinds


def test_include_in_json_options(client):
    response = client.post("/v1/check", json={"text": SAMPLE, "options": {"include": ["claims"]}})
    body = response.json
    assert "quantities" not in body
    share = next(c for c in body["claims"] if c["kind"] == "share" and c["text"].endswith("30%"))
    assert share["link"]["target"]["text"] == "100万元"
    assert share["checked"] is True


@pytest.mark.parametrize(
    ("query", "options", "codes"),
    [
        ("?select=SHR002", {"select": ["SHR002"]}, ["SHR002"]),
        ("?ignore=SHR002", {"ignore": ["SHR002"]}, ["SHR001"]),
        ("?ignore=SHR", {"ignore": ["SHR"]}, []),
        ("?select=SUM,CHG", {"select": ["SUM", "CHG"]}, []),
        ("?min_severity=error", {"min_severity": "error"}, ["SHR001", "SHR002"]),
    ],
)
def test_select_ignore_and_min_severity(client, query, options, codes):
    assert [f["code"] for f in post_text(client, SAMPLE, query).json["findings"]] == codes
    body = client.post("/v1/check", json={"text": SAMPLE, "options": options}).json
    assert [f["code"] for f in body["findings"]] == codes


@pytest.mark.parametrize("charset", ["gbk", "gb18030", "GB2312", "utf-16"])
def test_declared_charset_is_decoded(client, charset):
    response = post_text(client, SAMPLE, charset=charset)
    assert response.status_code == 200
    body, utf8 = response.json, post_text(client, SAMPLE).json
    # the digest is of the bytes sent, which differ; everything else is the same
    assert body["provenance"].pop("input_sha256") == hashlib.sha256(SAMPLE.encode(charset)).hexdigest()
    assert utf8["provenance"].pop("input_sha256") == hashlib.sha256(SAMPLE.encode()).hexdigest()
    assert body == utf8


def test_charset_defaults_to_utf8(client):
    response = client.post("/v1/check", data=SAMPLE.encode(), content_type="text/plain")
    assert response.json["findings"][0]["text"] == "30%"


def test_empty_text_is_checked_and_finds_nothing(client):
    for response in (post_text(client, ""), client.post("/v1/check", json={"text": ""})):
        assert response.status_code == 200
        assert response.json["findings"] == []
        assert response.json["coverage"]["characters"] == 0


def test_offsets_count_code_points_of_the_text_as_sent(client):
    text = "𠀀\r\n" + SAMPLE  # an astral character and a CRLF before the figures
    finding = post_text(client, text).json["findings"][0]
    assert text[finding["start"] : finding["end"]] == finding["text"] == "30%"
    assert finding["start"] == SAMPLE.index("30%") + 3


def test_seed_report_spans_match_over_http(client, seed_000):
    body = post_text(client, seed_000, "?include=quantities").json
    assert len(body["findings"]) > 5
    for item in (*body["findings"], *body["quantities"]):
        assert seed_000[item["start"] : item["end"]] == item["text"]
    assert body == engine_dict(seed_000, Options(include=frozenset({"quantities"})))


def test_concurrent_requests_get_their_own_reports(app):
    shares = [*range(10, 20), *range(30, 50)]  # far enough from 25% to be flagged whatever the rounding

    def stated(share: int) -> float:
        text = SAMPLE.replace("30%", f"{share}%")
        body = app.test_client().post("/v1/check", json={"text": text, "options": {"select": ["SHR001"]}}).json
        return body["findings"][0]["stated"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(stated, shares)) == [float(n) for n in shares]


# ---- errors: one envelope for every non-2xx ----------------------------------------------------


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        ({"data": b'{"text": ', "content_type": "application/json"}, 400, "malformed_json"),
        ({"data": b'{"text": "\xff"}', "content_type": "application/json"}, 400, "invalid_encoding"),
        ({"data": b"\x80abc", "content_type": TEXT}, 400, "invalid_encoding"),
        ({"data": b"x", "content_type": "application/xml"}, 415, "unsupported_media_type"),
        ({"data": b"text=x", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
        ({"data": b"x"}, 415, "unsupported_media_type"),
        ({"data": b"x", "content_type": "text/plain; charset=klingon"}, 415, "unsupported_charset"),
        ({"data": b"x", "content_type": "text/plain; charset=base64"}, 415, "unsupported_charset"),
        ({"data": b'{"text": ""}', "content_type": "application/json; charset=gbk"}, 415, "unsupported_charset"),
        ({"json": {"text": SAMPLE, "verbose": True}}, 422, "validation_error"),
        ({"json": {"options": {}}}, 422, "validation_error"),
        ({"json": {"text": 42}}, 422, "validation_error"),
        ({"json": {"text": None}}, 422, "validation_error"),
        ({"json": ["text"]}, 422, "validation_error"),
        ({"json": {"text": "", "options": {"include": ["everything"]}}}, 422, "validation_error"),
        ({"json": {"text": "", "options": {"select": ["NOPE1"]}}}, 422, "validation_error"),
        ({"json": {"text": "", "options": {"min_severity": "fatal"}}}, 422, "validation_error"),
        ({"json": {"text": "", "options": {"colour": "red"}}}, 422, "validation_error"),
        ({"json": {"text": "", "options": "quantities"}}, 422, "validation_error"),
    ],
)
def test_bad_check_requests_get_the_envelope(client, request_kwargs, status, code):
    assert_envelope(client.post("/v1/check", **request_kwargs), status, code)


@pytest.mark.parametrize(
    "query",
    ["?include=everything", "?min_severity=fatal", "?min_severity=info&min_severity=error", "?colour=red", "?ignore=X"],
)
def test_bad_query_parameters_are_422(client, query):
    error = assert_envelope(post_text(client, SAMPLE, query), 422, "validation_error")
    assert error["message"].startswith("Invalid query parameters: ")


def test_query_parameters_with_a_json_body_are_422(client):
    error = assert_envelope(client.post("/v1/check?include=claims", json={"text": SAMPLE}), 422, "validation_error")
    assert error["details"] == {"query": ["include"]}


def test_unknown_field_is_named(client):
    error = assert_envelope(client.post("/v1/check", json={"text": "", "verbose": 1}), 422, "validation_error")
    assert "verbose: Unknown field" in error["message"]
    assert error["details"] == {"fields": {"verbose": ["Unknown field."]}}


def test_invalid_bytes_are_named_with_their_offset(client):
    error = assert_envelope(client.post("/v1/check", data=b"abc\xffdef", content_type=TEXT), 400, "invalid_encoding")
    assert "utf-8" in error["message"] and "byte offset 3" in error["message"]
    assert error["details"] == {"charset": "utf-8", "byte_offset": 3}
    gbk = "支出".encode("gbk") + b"\x81"  # a lead byte with no trail byte
    error = assert_envelope(
        client.post("/v1/check", data=gbk, content_type="text/plain; charset=gbk"), 400, "invalid_encoding"
    )
    assert error["details"] == {"charset": "gbk", "byte_offset": 4}


def test_lone_surrogate_is_rejected_with_its_offset(client):
    response = client.post("/v1/check", data=b'{"text": "\\u6536\\u5165\\ud800"}', content_type="application/json")
    error = assert_envelope(response, 400, "invalid_text")
    assert "U+D800" in error["message"] and "offset 2" in error["message"]
    assert error["details"] == {"offset": 2}


def test_malformed_json_names_line_and_column(client):
    response = client.post("/v1/check", data=b'{"text": "a",\n}', content_type="application/json")
    error = assert_envelope(response, 400, "malformed_json")
    assert error["details"] == {"line": 2, "column": 1}


def test_deeply_nested_json_is_400_not_500(client):
    response = client.post("/v1/check", data=b"[" * 100_000, content_type="application/json")
    assert_envelope(response, 400, "malformed_json")


def test_body_over_the_configured_limit_is_413():
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": 64}).test_client()
    assert post_text(client, "a" * 64).status_code == 200
    error = assert_envelope(post_text(client, "a" * 65), 413, "payload_too_large")
    assert error["details"] == {"limit": 64, "limits": {"upload": 32 * 1024 * 1024, "text": 64}, "length": 65}
    assert_envelope(client.post("/v1/check", json={"text": "a" * 64}), 413, "payload_too_large")


def test_default_limit_is_two_megabytes(client):
    # exactly 2 MB is read (its last byte is bad, so the engine is not run on it); one byte more is refused
    at_limit = b"a" * (MB2 - 1) + b"\xff"
    error = assert_envelope(client.post("/v1/check", data=at_limit, content_type=TEXT), 400, "invalid_encoding")
    assert error["details"]["byte_offset"] == MB2 - 1
    over = assert_envelope(client.post("/v1/check", data=b"a" * (MB2 + 1), content_type=TEXT), 413, "payload_too_large")
    assert over["details"] == {"limit": MB2, "limits": {"upload": 32 * 1024 * 1024, "text": MB2}, "length": MB2 + 1}


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/nowhere", 404, "not_found"),
        ("get", "/v1/rules/NOPE", 404, "rule_not_found"),
        ("get", "/v1/check", 405, "method_not_allowed"),
        ("delete", "/v1/rules", 405, "method_not_allowed"),
        ("post", "/healthz", 405, "method_not_allowed"),
    ],
)
def test_routing_errors_get_the_envelope(client, method, url, status, code):
    assert_envelope(getattr(client, method)(url), status, code)


def test_405_names_the_allowed_methods(client):
    response = client.get("/v1/check")
    error = assert_envelope(response, 405, "method_not_allowed")
    assert "POST" in error["details"]["allowed"]
    assert "POST" in response.headers["Allow"]


def test_unexpected_error_is_500_without_a_trace_and_is_logged(client, monkeypatch, capsys):
    def explode(text, options, deadline, data=None):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "check", explode)
    capsys.readouterr()
    response = client.post("/v1/check", json={"text": SAMPLE}, headers={"X-Request-Id": "req-500"})
    error = assert_envelope(response, 500, "internal_error")
    assert "req-500" in error["message"]
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    (failure,) = [line for line in log_lines(capsys) if line["level"] == "ERROR"]
    assert failure["request_id"] == "req-500" and "secret internals" in failure["exception"]


# ---- request ids, logging, configuration ----------------------------------------------------------


def test_request_id_is_echoed_or_generated(client):
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/healthz").headers["X-Request-Id"]
    assert len(first) == 32 and first != second
    assert client.get("/nowhere", headers={"X-Request-Id": "lost-1"}).headers["X-Request-Id"] == "lost-1"


def log_lines(capsys) -> list[dict]:
    """The JSON log lines written to stdout since the last read."""
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]


def test_logs_are_json_lines_with_sizes_and_timings_never_the_text(client, capsys):
    capsys.readouterr()
    post_text(client, "机密段落" + SAMPLE, "?include=claims")
    out = capsys.readouterr().out
    assert "机密段落" not in out and "本年支出" not in out
    (line,) = [json.loads(raw) for raw in out.splitlines()]
    assert line["message"] == "POST /v1/check 200" and line["level"] == "INFO" and line["logger"] == "service.http.app"
    assert line["bytes_in"] == len(("机密段落" + SAMPLE).encode()) and line["bytes_out"] > 0 and line["ms"] >= 0
    assert {"timestamp", "method", "path", "status", "request_id"} <= set(line)


def test_limit_comes_from_the_environment_then_the_test_mapping(monkeypatch):
    monkeypatch.setenv("TALLY_MAX_CONTENT_LENGTH", "1000")
    assert create_app().config["MAX_CONTENT_LENGTH"] == 1000
    assert create_app({"MAX_CONTENT_LENGTH": 10}).config["MAX_CONTENT_LENGTH"] == 10
    monkeypatch.delenv("TALLY_MAX_CONTENT_LENGTH")
    assert create_app().config["MAX_CONTENT_LENGTH"] == MB2


@pytest.mark.parametrize("limit", ["2MB", 0, -1, True])
def test_bad_limit_fails_at_start_up(limit):
    with pytest.raises(ValueError, match="MAX_CONTENT_LENGTH"):
        create_app({"MAX_CONTENT_LENGTH": limit})


# ---- rules, health ------------------------------------------------------------------------------


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_rules_lists_every_rule_with_its_doc(client):
    rules = client.get("/v1/rules").json["rules"]
    assert [r["code"] for r in rules] == [r.code for r in RULES]
    assert rules == [r.to_dict() for r in RULES]


def test_one_rule(client):
    body = client.get("/v1/rules/SHR001").json
    assert body == RULES_BY_CODE["SHR001"].to_dict()
    assert body["name"] == "share-mismatch" and body["family"] == "SHR"
    assert "What it does" in body["doc"] and body["examples"]["flagged"]


# ---- OpenAPI --------------------------------------------------------------------------------------


def test_openapi_document_structure(app, spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] == "Tally" and spec["info"]["version"]
    # every route but the review page and its static files is an API endpoint the spec documents
    routes = {
        rule.rule.replace("<", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if not rule.endpoint.startswith("page.")
    }
    documented = {
        "/v1/check",
        "/v1/export/docx",
        "/v1/rules",
        "/v1/rules/{code}",
        "/v2/check",
        "/v2/languages",
        "/healthz",
        "/openapi.json",
    }
    assert set(spec["paths"]) == routes == documented
    assert set(spec["paths"]["/v1/check"]) == {"post"}
    schemas = spec["components"]["schemas"]
    assert {"CheckRequest", "Options", "CheckResponse", "Finding", "Rule", "RuleList", "Error"} <= set(schemas)
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    check_post = spec["paths"]["/v1/check"]["post"]
    assert set(check_post["requestBody"]["content"]) == {"text/plain", "application/json", "multipart/form-data"}
    options = {"include", "select", "ignore", "min_severity", "ignore_fingerprints"}
    assert {p["name"] for p in check_post["parameters"]} == options
    assert {"200", "400", "413", "415", "422", "500"} <= set(check_post["responses"])


def test_openapi_refs_all_resolve(spec):
    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    found = set(refs(spec))
    assert found
    for ref in found:
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref


def test_check_response_validates_against_the_openapi_schema(client, spec):
    body = post_text(client, SAMPLE, "?include=quantities,claims").json
    response_schema = validator(spec, "CheckResponse")
    response_schema.validate(body)
    broken = {**body, "findings": [{**body["findings"][0], "start": "30"}]}
    with pytest.raises(ValidationError):
        response_schema.validate(broken)
    with pytest.raises(ValidationError):
        response_schema.validate({k: v for k, v in body.items() if k != "coverage"})


def test_seed_response_validates_against_the_openapi_schema(client, spec, seed_000):
    body = post_text(client, seed_000, "?include=quantities,claims").json
    validator(spec, "CheckResponse").validate(body)


def test_other_responses_validate_against_the_openapi_schemas(client, spec):
    validator(spec, "RuleList").validate(client.get("/v1/rules").json)
    validator(spec, "Rule").validate(client.get("/v1/rules/SHR001").json)
    validator(spec, "Health").validate(client.get("/healthz").json)
    validator(spec, "Error").validate(client.get("/v1/rules/NOPE").json)
    validator(spec, "Error").validate(client.post("/v1/check", json={"text": 1}).json)
    validator(spec, "CheckRequest").validate({"text": SAMPLE, "options": {"include": ["claims"]}})
    with pytest.raises(ValidationError):
        validator(spec, "CheckRequest").validate({"text": SAMPLE, "verbose": True})


# ---- the time budget ----------------------------------------------------------------------------


def test_every_check_says_which_families_it_can_emit():
    assert set(EMITS) == set(CHECKS)
    assert {family for families in EMITS.values() for family in families} == {r.family for r in RULES}


def test_a_passed_deadline_stops_in_the_tagger_and_says_nothing_was_checked():
    report = check(SAMPLE, Options(include=frozenset({"quantities"})), deadline=perf_counter())
    assert report.findings == ()
    assert report.coverage["incomplete"] is True
    assert report.coverage["stopped_in"] == "tag"
    every = ["SUM", "SHR", "CHG", "CMP", "EQV", "UNIT", "RND", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"]
    assert report.coverage["skipped"] == every
    assert report.quantities == ()
    assert report.coverage["checked_total"] == 0
    complete = check(SAMPLE).coverage
    assert (complete["incomplete"], complete["skipped"], complete["stopped_in"]) == (False, [], None)


def test_a_deadline_between_families_skips_the_rest(monkeypatch):
    from service import budget

    monkeypatch.setattr(budget, "perf_counter", lambda: 0.0)  # in time inside every stage
    clock = iter([0.0, 0.0, 0.0, 5.0])  # after tagging, after SUM, after SHR; past it once CHG is done
    monkeypatch.setattr(pipeline, "perf_counter", lambda: next(clock, 5.0))
    report = check(SAMPLE, deadline=1.0)
    assert [f.code for f in report.findings] == ["SHR001", "SHR002"]  # CHG ran and found nothing
    assert report.coverage["skipped"] == ["CMP", "EQV", "UNIT", "RND", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"]
    assert report.coverage["stopped_in"] == "checks"


def test_a_deadline_inside_a_family_drops_its_findings_and_skips_it(monkeypatch):
    import dataclasses

    from service import budget
    from service.budget import OutOfTime
    from service.checks import CHECKED

    shares = next(f for f in CHECKED if f.prefix == "SHR")

    def runs_out(ctx):
        raise OutOfTime

    swapped = tuple(dataclasses.replace(f, check=runs_out) if f is shares else f for f in CHECKED)
    monkeypatch.setattr(pipeline, "CHECKED", swapped)  # families are frozen: swap SHR's in the tuple walked
    monkeypatch.setattr(pipeline, "to_run", lambda options: set(swapped))
    monkeypatch.setattr(budget, "perf_counter", lambda: 0.0)
    monkeypatch.setattr(pipeline, "perf_counter", lambda: 0.0)
    report = check(SAMPLE, deadline=1.0)
    assert report.findings == ()  # SUM found nothing here; SHR ran out; the rest were skipped
    assert report.coverage["stopped_in"] == "checks"
    assert report.coverage["skipped"][:2] == ["SHR", "CHG"]


def test_a_deadline_while_finding_claims_leaves_the_figures_and_checks_nothing(monkeypatch):
    from service import budget

    late = []  # in time while tagging; past the deadline once the claim finders start
    monkeypatch.setattr(budget, "perf_counter", lambda: 5.0 if late else 0.0)
    monkeypatch.setattr(pipeline, "perf_counter", lambda: 0.0)
    find_all = pipeline.find_all

    def finders_start_late(doc):
        late.append(True)
        return find_all(doc)

    monkeypatch.setattr(pipeline, "find_all", finders_start_late)
    report = check(SAMPLE, Options(include=frozenset({"quantities"})), deadline=1.0)
    assert late and report.coverage["stopped_in"] == "claims"
    assert [q.text for q in report.quantities] == ["100万元", "25万元", "30%", "75万元", "75%"]
    assert report.findings == () and report.coverage["checked_total"] == 0


def test_a_tiny_budget_answers_200_incomplete_on_a_seed(seed_000, spec):
    client = create_app({"TESTING": True, "TIME_BUDGET_MS": 1}).test_client()
    response = post_text(client, seed_000, "?include=quantities")
    assert response.status_code == 200
    body = response.json
    assert body["coverage"]["incomplete"] is True and "ENT" in body["coverage"]["skipped"]
    assert body["coverage"]["characters"] == len(seed_000)
    for item in (*body["findings"], *body["quantities"]):
        assert seed_000[item["start"] : item["end"]] == item["text"]
    validator(spec, "CheckResponse").validate(body)
    upload = client.post("/v1/check", data={"file": (io.BytesIO(seed_000.encode()), "seed.txt")})
    assert upload.status_code == 200 and upload.json["coverage"]["incomplete"] is True


def test_the_default_budget_checks_a_seed_completely(client, seed_000):
    coverage = post_text(client, seed_000).json["coverage"]
    assert (coverage["incomplete"], coverage["skipped"]) == (False, [])


@pytest.mark.parametrize("budget", ["5s", 0, -1, True])
def test_bad_budget_fails_at_start_up(budget):
    with pytest.raises(ValueError, match="TIME_BUDGET_MS"):
        create_app({"TIME_BUDGET_MS": budget})


def test_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TALLY_TIME_BUDGET_MS", "250")
    assert create_app().config["TIME_BUDGET_MS"] == 250


# ---- edge cases of the body -----------------------------------------------------------------------


def test_gbk_without_a_charset_is_refused_with_the_way_out(client):
    response = client.post("/v1/check", data=SAMPLE.encode("gbk"), content_type="text/plain")
    error = assert_envelope(response, 400, "invalid_encoding")
    assert "names no charset" in error["message"] and "charset=gb18030" in error["message"]
    assert error["details"]["charset"] == "utf-8"
    declared = client.post("/v1/check", data=SAMPLE.encode("gbk"), content_type="text/plain; charset=utf-8")
    assert "names no charset" not in assert_envelope(declared, 400, "invalid_encoding")["message"]


@pytest.mark.parametrize(
    "content_type", ["text/html", "text/csv; charset=utf-8", "application/octet-stream", "image/png", "text/json"]
)
def test_other_content_types_are_415(client, content_type):
    response = client.post("/v1/check", data=b"x", content_type=content_type)
    error = assert_envelope(response, 415, "unsupported_media_type")
    assert error["details"] == {"supported": ["text/plain", "application/json", "multipart/form-data"]}


@pytest.mark.parametrize(
    ("content_type", "status", "code"),
    [
        ("application/json", 400, "malformed_json"),
        ("multipart/form-data; boundary=x", 422, "validation_error"),
        (None, 415, "unsupported_media_type"),
    ],
)
def test_empty_bodies(client, content_type, status, code):
    assert_envelope(client.post("/v1/check", data=b"", content_type=content_type), status, code)


@pytest.mark.parametrize("kind", ["text", "json", "multipart"])
def test_exactly_the_limit_is_read_and_one_byte_more_is_413(kind):
    limit = 4096
    client = create_app({"TESTING": True, "MAX_CONTENT_LENGTH": limit, "MAX_UPLOAD_BYTES": limit}).test_client()

    def send(size: int):
        if kind == "text":
            return client.post("/v1/check", data=b"a" * size, content_type=TEXT)
        if kind == "json":
            return client.post("/v1/check", data=b'{"text": "' + b"a" * (size - 12) + b'"}', content_type=JSON)
        boundary = "tallyboundary"
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.txt"\r\n\r\n'.encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        body = head + b"a" * (size - len(head) - len(tail)) + tail
        return client.post("/v1/check", data=body, content_type=f"multipart/form-data; boundary={boundary}")

    at_limit = send(limit)
    assert at_limit.status_code == 200, at_limit.get_data(as_text=True)
    assert at_limit.json["coverage"]["characters"] >= limit - 200
    assert assert_envelope(send(limit + 1), 413, "payload_too_large")["details"]["limit"] == limit


def test_include_tables_returns_the_standard_tables_with_their_cells(client):
    text = (
        "一般公共预算财政拨款支出决算表\n单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
        "\t合计\t310.00\t200.00\t100.00\n212\t城乡社区支出\t300.00\t200.00\t100.00\n注：本表反映支出情况。\n"
    )
    body = post_text(client, text, "?include=tables").json
    (table,) = body["tables"]
    assert (table["title"], table["unit"]) == ("一般公共预算财政拨款支出决算表", "万元")
    assert {(c["row"], c["column"], c["text"]) for c in table["cells"]} >= {("212 城乡社区支出", "基本支出", "200.00")}
    (f,) = [f for f in body["findings"] if f["code"] == "TBL001"]
    assert f["location"] == {"table": "一般公共预算财政拨款支出决算表", "row": "合计", "column": "合计"}


def test_the_service_leaves_what_it_built_to_the_collector_and_collects_less_often():
    import gc

    from service.pipeline import GC_YOUNG

    create_app({"TESTING": True})  # warms the pipeline up
    assert gc.get_threshold()[0] == GC_YOUNG
    assert gc.get_freeze_count() > 10_000  # the patterns, automata and vocabulary: never collected
