"""The endpoints: load with a schema, call the pipeline, dump with a schema."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, current_app, g, request
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from ..checks import RULES, RULES_BY_CODE
from ..documents import DocumentError, Extracted, extract, with_locations
from ..export_docx import MEDIA_TYPE as DOCX_MEDIA_TYPE
from ..export_docx import ascii_download_name, download_name, to_docx
from ..model import Options
from ..pipeline import check
from .errors import ApiError
from .schemas import (
    CheckRequestSchema,
    CheckResponseSchema,
    ExportDocxRequestSchema,
    HealthSchema,
    OptionsSchema,
    RuleListSchema,
    RuleSchema,
)

api = Blueprint("api", __name__)

MEDIA_TYPES = ("text/plain", "application/json", "multipart/form-data")
# a file that cannot be checked: the wrong kind of file (415), bytes that do not decode (400),
# a file of the right kind with nothing readable in it (422)
DOCUMENT_STATUS = {
    "unsupported_document": 415,
    "mislabelled_document": 415,
    "undecodable_text": 400,
    "unreadable_document": 422,
    "encrypted_document": 422,
    "empty_document": 422,
}
LIST_OPTIONS = ("include", "select", "ignore")
SURROGATE = re.compile("[\ud800-\udfff]")


@api.get("/healthz")
def healthz() -> dict[str, Any]:
    return HealthSchema().dump({"status": "ok"})


@api.get("/v1/rules")
def rules() -> dict[str, Any]:
    return RuleListSchema().dump({"rules": [rule.to_dict() for rule in RULES]})


@api.get("/v1/rules/<code>")
def rule(code: str) -> dict[str, Any]:
    found = RULES_BY_CODE.get(code)
    if found is None:
        raise ApiError(404, "rule_not_found", f"No rule with code {code!r}; GET /v1/rules lists them.", {"code": code})
    return RuleSchema().dump(found.to_dict())


@api.get("/openapi.json")
def openapi() -> dict[str, Any]:
    return current_app.extensions["tally.openapi"]


@api.post("/v1/check")
def check_text() -> dict[str, Any]:
    if request.mimetype == "multipart/form-data":
        filename, extracted, options = read_upload()
        body = with_locations(check(extracted, options, deadline=g.deadline).to_dict(), extracted, filename)
        return CheckResponseSchema().dump(body)
    text, options = read_check_request()
    return CheckResponseSchema().dump(check(text, options, deadline=g.deadline).to_dict())


@api.post("/v1/export/docx")
def export_docx() -> Response:
    """A /v1/check body (with the dismissed fingerprints and the file's name) as a Word document."""
    data = load(ExportDocxRequestSchema(), parse_json(json_body("an export request")), "request body")
    document = to_docx(data["report"], data["dismissed"], data["filename"], data["text"])
    name, fallback = download_name(data["filename"]), ascii_download_name(data["filename"])
    response = Response(document, mimetype=DOCX_MEDIA_TYPE)
    # an ASCII name for clients that read no filename* (RFC 6266), then the real one
    response.headers["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return response


def json_body(what: str) -> str:
    """The text of an application/json body (UTF-8); any other media type is a 415."""
    if request.mimetype != "application/json":
        given = request.mimetype or "no Content-Type"
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Cannot read {what} sent as {given}; send application/json.",
            {"supported": ["application/json"]},
        )
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower() not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_charset", f"JSON bodies must be UTF-8, not {charset!r}.", {"charset": charset})
    return decode(request.get_data(), "utf-8")


def read_upload() -> tuple[str | None, Extracted, Options]:
    """The file name, extracted text and options of a multipart/form-data ``/v1/check`` request."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(
            422,
            "validation_error",
            'A multipart/form-data request needs the report in a "file" field (.txt, .docx or .pdf).',
            {"fields": {"file": ["Missing file."]}},
        )
    if "options" in request.form and request.args:
        raise ApiError(
            422,
            "validation_error",
            'Send options either as query parameters or as the "options" form field, not both.',
            {"query": sorted(request.args)},
        )
    if "options" in request.form:
        options = load(OptionsSchema(), parse_json(request.form["options"]), '"options" form field')
    else:
        options = load(OptionsSchema(), query_options(request.args), "query parameters")
    filename = upload.filename or None
    try:
        extracted = extract(upload.read(), filename, upload.mimetype)
    except DocumentError as e:
        message = f"Cannot check {filename or 'the uploaded file'}: {e.message}."
        raise ApiError(DOCUMENT_STATUS[e.code], e.code, message, {"filename": filename}) from e
    return filename, extracted, options


def read_check_request() -> tuple[str, Options]:
    """The text and options of a ``/v1/check`` request, from a text/plain or a JSON body."""
    if request.mimetype == "text/plain":
        charset = request.mimetype_params.get("charset")
        text = decode(request.get_data(), charset or "utf-8", declared=charset is not None)
        options = load(OptionsSchema(), query_options(request.args), "query parameters")
    elif request.mimetype == "application/json":
        charset = request.mimetype_params.get("charset", "utf-8")
        if charset.lower() not in ("utf-8", "utf8"):
            raise ApiError(
                415, "unsupported_charset", f"JSON bodies must be UTF-8, not {charset!r}.", {"charset": charset}
            )
        if request.args:
            raise ApiError(
                422,
                "validation_error",
                'Query parameters apply to text/plain bodies only; put options in the JSON body\'s "options".',
                {"query": sorted(request.args)},
            )
        data = load(CheckRequestSchema(), parse_json(decode(request.get_data(), "utf-8")), "request body")
        text, options = data["text"], data["options"]
    else:
        given = request.mimetype or "no Content-Type"
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Cannot check a body sent as {given}; send text/plain; charset=utf-8, application/json, "
            'or multipart/form-data with the file in a "file" field.',
            {"supported": list(MEDIA_TYPES)},
        )
    surrogate = SURROGATE.search(text)
    if surrogate:
        offset = surrogate.start()
        message = f"Text contains a lone surrogate U+{ord(surrogate.group()):04X} at offset {offset}."
        raise ApiError(400, "invalid_text", message, {"offset": offset})
    return text, options


def decode(raw: bytes, charset: str, declared: bool = True) -> str:
    """The body as text; a body that is not in its charset is refused, never guessed at."""
    try:
        return raw.decode(charset)
    except UnicodeDecodeError as e:
        message = f"Request body is not valid {charset}: {e.reason} at byte offset {e.start}."
        if not declared:
            message += (
                " The Content-Type names no charset, so UTF-8 was assumed; a GBK or GB18030 body needs"
                " Content-Type: text/plain; charset=gb18030."
            )
        raise ApiError(400, "invalid_encoding", message, {"charset": charset, "byte_offset": e.start}) from e
    except (LookupError, ValueError) as e:  # an unknown name, or a bytes-to-bytes codec such as base64
        message = f"Charset {charset!r} is not a text encoding this service knows."
        raise ApiError(415, "unsupported_charset", message, {"charset": charset}) from e


def parse_json(body: str) -> Any:
    try:
        return json.loads(body)
    except json.JSONDecodeError as e:
        message = f"Malformed JSON: {e.msg} at line {e.lineno}, column {e.colno}."
        raise ApiError(400, "malformed_json", message, {"line": e.lineno, "column": e.colno}) from e
    except (ValueError, RecursionError) as e:  # an integer too long to convert, nesting too deep
        raise ApiError(400, "malformed_json", f"Malformed JSON: {e}.") from e


def query_options(args: MultiDict) -> dict[str, Any]:
    """Query parameters as option data: lists repeat the parameter or separate items with commas."""
    data: dict[str, Any] = {}
    for key, values in args.lists():
        if key in LIST_OPTIONS:
            data[key] = [item.strip() for value in values for item in value.split(",") if item.strip()]
        else:
            data[key] = values[0] if len(values) == 1 else values
    return data


def load(schema: Schema, data: Any, where: str) -> Any:
    try:
        return schema.load(data)
    except ValidationError as e:
        problems = "; ".join(problem.rstrip(".") for problem in _flatten(e.messages))
        raise ApiError(422, "validation_error", f"Invalid {where}: {problems}.", {"fields": e.messages}) from e


def _flatten(messages: Any, path: str = "") -> Iterator[str]:
    """Marshmallow's nested messages as ``options.include.0: Must be one of …`` lines."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            inner = path if key == "_schema" else f"{path}.{key}" if path else str(key)
            yield from _flatten(value, inner)
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, path)
    else:
        yield f"{path}: {messages}" if path else str(messages)
