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
from ..model import Options
from ..pipeline import check
from ..read.documents import DocumentError, Extracted, extract, with_locations
from ..read.limits import READ_SHARE, Limits
from ..report.docx import MEDIA_TYPE as DOCX_MEDIA_TYPE
from ..report.docx import ascii_download_name, download_name, to_docx
from ..tag.nlp import MAX_CHARACTERS
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
# a file of the right kind with nothing readable in it, or nothing read in time (422), a file
# that would expand past what one check reads (413)
DOCUMENT_STATUS = {
    "document_too_large": 413,
    "too_many_pages": 413,
    "unread_in_time": 422,
    "unsupported_document": 415,
    "mislabelled_document": 415,
    "undecodable_text": 400,
    "unreadable_document": 422,
    "encrypted_document": 422,
    "empty_document": 422,
}
# why a file could not be checked, in Chinese (the English is the DocumentError's message)
DOCUMENT_ZH = {
    "document_too_large": "文件解压后超过一次检查可读的大小上限，请分拆报告",
    "too_many_pages": "文件页数超过一次检查可读的上限，请分拆报告",
    "unread_in_time": "在时间预算内未能读出文件的任何内容，请分拆报告",
    "unsupported_document": "只能检查 .txt、.docx 或 .pdf 文件",
    "mislabelled_document": "文件的扩展名或类型与其内容不符",
    "undecodable_text": "文本文件无法解码（请存为 UTF-8 或 GB18030）",
    "unreadable_document": "文件已损坏，无法读取",
    "encrypted_document": "文件已加密，请先解除密码保护",
    "empty_document": "文件中没有可读取的文字（扫描件须先做文字识别）",
}
# the parts of a request a validation error names
WHERE_ZH = {
    "request body": "请求体",
    "query parameters": "查询参数",
    '"options" form field': '"options" 表单字段',
    "form": "表单",
    "data field": "data 字段",
}
LIST_OPTIONS = ("include", "select", "ignore", "ignore_fingerprints")
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
        raise ApiError(
            404,
            "rule_not_found",
            f"No rule with code {code!r}; GET /v1/rules lists them.",
            {"code": code},
            message_zh=f"没有代码为 {code!r} 的规则；GET /v1/rules 列出所有规则。",
        )
    return RuleSchema().dump(found.to_dict())


@api.get("/openapi.json")
def openapi() -> dict[str, Any]:
    return current_app.extensions["tally.openapi"]


@api.post("/v1/check")
def check_text() -> dict[str, Any]:
    if request.mimetype == "multipart/form-data":
        filename, extracted, options, data = read_upload()
        report = check(extracted, options, deadline=g.deadline, data=data)
        return CheckResponseSchema().dump(with_locations(report.to_dict(), extracted, filename))
    text, options, data = read_check_request()
    return CheckResponseSchema().dump(check(text, options, deadline=g.deadline, data=data).to_dict())


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


def read_upload() -> tuple[str | None, Extracted, Options, bytes]:
    """The file name, extracted text, options and bytes of a multipart/form-data ``/v1/check`` request."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(
            422,
            "validation_error",
            'A multipart/form-data request needs the report in a "file" field (.txt, .docx or .pdf).',
            {"fields": {"file": ["Missing file."]}},
            message_zh='以 multipart/form-data 上传时，报告须放在 "file" 字段中（.txt、.docx 或 .pdf）。',
        )
    if "options" in request.form and request.args:
        raise ApiError(
            422,
            "validation_error",
            'Send options either as query parameters or as the "options" form field, not both.',
            {"query": sorted(request.args)},
            message_zh='选项只能用一种方式传入：查询参数，或 "options" 表单字段。',
        )
    if "options" in request.form:
        options = load(OptionsSchema(), parse_json(request.form["options"]), '"options" form field')
    else:
        options = load(OptionsSchema(), query_options(request.args), "query parameters")
    filename = upload.filename or None
    data = upload.read()
    # reading the file may take a share of the budget: the rest checks what was read
    read_by = g.started + READ_SHARE * (g.deadline - g.started)
    try:
        extracted = extract(data, filename, upload.mimetype, limits=upload_limits(), deadline=read_by)
    except DocumentError as e:
        message = f"Cannot check {filename or 'the uploaded file'}: {e.message}."
        message_zh = f"无法检查{filename or '上传的文件'}：{DOCUMENT_ZH[e.code]}。"
        details = {"filename": filename, **e.details}
        raise ApiError(DOCUMENT_STATUS[e.code], e.code, message, details, message_zh=message_zh) from e
    if len(extracted.text) > MAX_CHARACTERS:
        raise ApiError(
            413,
            "document_too_long",
            f"Cannot check {filename or 'the uploaded file'}: its text is {len(extracted.text):,} characters long, "
            f"over the {MAX_CHARACTERS:,} one check reads; split the report and check its parts.",
            {"filename": filename, "characters": len(extracted.text), "limit": MAX_CHARACTERS},
            message_zh=f"无法检查{filename or '上传的文件'}：其文字有 {len(extracted.text):,} 字，"
            f"超过一次检查可读的 {MAX_CHARACTERS:,} 字；请分拆报告后分别检查。",
        )
    return filename, extracted, options, data


def upload_limits() -> Limits:
    """What an uploaded file may expand to (TALLY_MAX_PAGES, TALLY_MAX_EXPANDED_BYTES)."""
    config = current_app.config
    return Limits(max_pages=config["MAX_PAGES"], max_expanded_bytes=config["MAX_EXPANDED_BYTES"])


def read_check_request() -> tuple[str, Options, bytes | None]:
    """The text, options and bytes of a ``/v1/check`` request, from a text/plain or a JSON body
    (bytes None for JSON: the report's input digest is then of its text field's UTF-8)."""
    raw = None
    if request.mimetype == "text/plain":
        charset = request.mimetype_params.get("charset")
        raw = request.get_data()
        text = decode(raw, charset or "utf-8", declared=charset is not None)
        options = load(OptionsSchema(), query_options(request.args), "query parameters")
    elif request.mimetype == "application/json":
        charset = request.mimetype_params.get("charset", "utf-8")
        if charset.lower() not in ("utf-8", "utf8"):
            raise ApiError(
                415,
                "unsupported_charset",
                f"JSON bodies must be UTF-8, not {charset!r}.",
                {"charset": charset},
                message_zh=f"JSON 请求体须为 UTF-8 编码，不能是 {charset!r}。",
            )
        if request.args:
            raise ApiError(
                422,
                "validation_error",
                'Query parameters apply to text/plain bodies only; put options in the JSON body\'s "options".',
                {"query": sorted(request.args)},
                message_zh='查询参数只用于 text/plain 请求体；JSON 请求的选项请放在其 "options" 中。',
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
            message_zh=f"不能检查以 {given} 发送的请求体；请用 text/plain; charset=utf-8、application/json，"
            '或以 multipart/form-data 把文件放在 "file" 字段中发送。',
        )
    refuse_surrogates(text)
    return text, options, raw


def refuse_surrogates(text: str) -> None:
    """A lone surrogate is no character: a text holding one is refused (400 invalid_text)."""
    surrogate = SURROGATE.search(text)
    if surrogate:
        offset, point = surrogate.start(), f"U+{ord(surrogate.group()):04X}"
        message = f"Text contains a lone surrogate {point} at offset {offset}."
        message_zh = f"文本在偏移 {offset} 处含有孤立的代理码位 {point}，不是有效字符。"
        raise ApiError(400, "invalid_text", message, {"offset": offset}, message_zh=message_zh)


def decode(raw: bytes, charset: str, declared: bool = True) -> str:
    """The body as text; a body that is not in its charset is refused, never guessed at."""
    try:
        return raw.decode(charset)
    except UnicodeDecodeError as e:
        message = f"Request body is not valid {charset}: {e.reason} at byte offset {e.start}."
        message_zh = f"请求体不是有效的 {charset} 编码（字节偏移 {e.start}）。"
        if not declared:
            message += (
                " The Content-Type names no charset, so UTF-8 was assumed; a GBK or GB18030 body needs"
                " Content-Type: text/plain; charset=gb18030."
            )
            message_zh += (
                "Content-Type 未注明字符集，已按 UTF-8 读取；GBK 或 GB18030 文本须写明"
                " Content-Type: text/plain; charset=gb18030。"
            )
        raise ApiError(
            400, "invalid_encoding", message, {"charset": charset, "byte_offset": e.start}, message_zh=message_zh
        ) from e
    except (LookupError, ValueError) as e:  # an unknown name, or a bytes-to-bytes codec such as base64
        message = f"Charset {charset!r} is not a text encoding this service knows."
        message_zh = f"本服务不认识字符集 {charset!r}。"
        raise ApiError(415, "unsupported_charset", message, {"charset": charset}, message_zh=message_zh) from e


def parse_json(body: str) -> Any:
    try:
        return json.loads(body)
    except json.JSONDecodeError as e:
        message = f"Malformed JSON: {e.msg} at line {e.lineno}, column {e.colno}."
        message_zh = f"JSON 格式有误：第 {e.lineno} 行第 {e.colno} 列（{e.msg}）。"
        raise ApiError(
            400, "malformed_json", message, {"line": e.lineno, "column": e.colno}, message_zh=message_zh
        ) from e
    except (ValueError, RecursionError) as e:  # an integer too long to convert, nesting too deep
        message_zh = "JSON 无法读取：整数过长或嵌套过深。"
        raise ApiError(400, "malformed_json", f"Malformed JSON: {e}.", message_zh=message_zh) from e


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
        message_zh = f"{WHERE_ZH.get(where, where)}不符合要求：{problems}。"
        raise ApiError(
            422, "validation_error", f"Invalid {where}: {problems}.", {"fields": e.messages}, message_zh=message_zh
        ) from e


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
