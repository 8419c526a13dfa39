"""One JSON error envelope for every non-2xx response: ``{"error": {"code", "message", "message_zh", "details"?}}``.

``message`` is English, ``message_zh`` the same in Chinese, for the people who read Tally's
findings; ``code`` is what a program tests. A raise that gives no Chinese message gets its
code's from ``MESSAGES_ZH``, so that no envelope goes without one."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .schemas import ErrorSchema

log = logging.getLogger(__name__)

# short codes for the statuses werkzeug raises itself; anything else falls back to its name
CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    500: "internal_error",
}
# the Chinese message of a code, for a raise or a status that gives none of its own
MESSAGES_ZH = {
    "bad_request": "请求有误，无法处理。",
    "unauthorized": "需要正确的 API 密钥。",
    "not_found": "没有这个接口；GET /openapi.json 列出所有接口。",
    "method_not_allowed": "该接口不接受这种请求方法。",
    "payload_too_large": "请求体超过大小上限。",
    "unsupported_media_type": "不支持该内容类型。",
    "validation_error": "请求内容不符合接口要求。",
    "internal_error": "服务内部错误，已记录。",
}
FALLBACK_ZH = "请求未能处理（错误代码 {code}）。"


def message_zh_of(code: str) -> str:
    return MESSAGES_ZH.get(code) or FALLBACK_ZH.format(code=code)


class ApiError(Exception):
    """An error the API reports on purpose, with its status, code, message, details and headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        *,
        message_zh: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.message_zh = message_zh or message_zh_of(code)
        self.details = details
        self.headers = headers or {}


def envelope(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, message_zh: str | None = None
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "message_zh": message_zh or message_zh_of(code)}
    if details is not None:
        body["details"] = details
    response = jsonify(ErrorSchema().dump({"error": body}))
    response.status_code = status
    return response


def _api_error(e: ApiError) -> Response:
    response = envelope(e.status, e.code, e.message, e.details, e.message_zh)
    response.headers.update(e.headers)
    return response


def _http_exception(e: HTTPException) -> Response:
    status = e.code or 500
    code = CODES.get(status, e.name.lower().replace(" ", "_"))
    details: dict[str, Any] | None = None
    message_zh = None
    if status == 404:
        message = f"No endpoint at {request.path}; GET /openapi.json lists them."
        message_zh = f"{request.path} 没有接口；GET /openapi.json 列出所有接口。"
    elif status == 405:
        allowed = sorted(e.valid_methods or ())
        message = f"Method {request.method} is not allowed on {request.path}; use {', '.join(allowed)}."
        message_zh = f"{request.path} 不接受 {request.method} 请求，请用 {'、'.join(allowed)}。"
        details = {"allowed": allowed}
    elif status == 413:
        message, message_zh, details = too_large()
    else:
        message = e.description or e.name
    response = envelope(status, code, message, details, message_zh)
    for name, value in e.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value  # e.g. Allow on 405
    return response


def _unexpected(e: Exception) -> Response:
    log.exception(
        "unhandled error on %s %s (request id %s)",
        request.method,
        request.path,
        g.request_id,
        extra={"fields": {"method": request.method, "path": request.path, "request_id": g.request_id}},
    )
    message = f"Internal error; it has been logged under request id {g.request_id}."
    return envelope(500, CODES[500], message, message_zh=f"服务内部错误，已按请求编号 {g.request_id} 记录。")


def is_upload() -> bool:
    """A file sent to /v1/check as multipart/form-data, held to TALLY_MAX_UPLOAD_BYTES (a form to
    /v2/check is text, held to the text limit)."""
    return request.path == "/v1/check" and request.mimetype == "multipart/form-data"


def too_large() -> tuple[str, str, dict[str, Any]]:
    """The 413 of a body over its limit: both limits, and the one this request was held to."""
    text_limit = current_app.config["MAX_CONTENT_LENGTH"]
    upload_limit = current_app.config["MAX_UPLOAD_BYTES"]
    upload = is_upload()
    limit = upload_limit if upload else text_limit
    what, what_zh = ("An uploaded file", "上传的文件") if upload else ("A text body", "文本请求体")
    message = (
        f"{what} may be up to {limit} bytes (files sent as multipart/form-data: {upload_limit} bytes, "
        f"TALLY_MAX_UPLOAD_BYTES; text and JSON bodies: {text_limit} bytes, TALLY_MAX_CONTENT_LENGTH)."
    )
    message_zh = (
        f"{what_zh}最多 {limit} 字节（以 multipart/form-data 上传的文件 {upload_limit} 字节，"
        f"由 TALLY_MAX_UPLOAD_BYTES 设定；文本与 JSON 请求体 {text_limit} 字节，由 TALLY_MAX_CONTENT_LENGTH 设定）。"
    )
    details = {
        "limit": limit,
        "limits": {"upload": upload_limit, "text": text_limit},
        "length": request.content_length,
    }
    return message, message_zh, details


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)
