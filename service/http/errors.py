"""One JSON error envelope for every non-2xx response: ``{"error": {"code", "message", "details"?}}``."""

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


class ApiError(Exception):
    """An error the API reports on purpose, with its status, code, message, details and headers."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


def envelope(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    response = jsonify(ErrorSchema().dump({"error": body}))
    response.status_code = status
    return response


def _api_error(e: ApiError) -> Response:
    response = envelope(e.status, e.code, e.message, e.details)
    response.headers.update(e.headers)
    return response


def _http_exception(e: HTTPException) -> Response:
    status = e.code or 500
    code = CODES.get(status, e.name.lower().replace(" ", "_"))
    details: dict[str, Any] | None = None
    if status == 404:
        message = f"No endpoint at {request.path}; GET /openapi.json lists them."
    elif status == 405:
        allowed = sorted(e.valid_methods or ())
        message = f"Method {request.method} is not allowed on {request.path}; use {', '.join(allowed)}."
        details = {"allowed": allowed}
    elif status == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        message = f"Request body is larger than the limit of {limit} bytes."
        details = {"limit": limit}
    else:
        message = e.description or e.name
    response = envelope(status, code, message, details)
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
    return envelope(500, CODES[500], message)


def register(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)
