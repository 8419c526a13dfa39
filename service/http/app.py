"""The Flask application factory: configuration, JSON, request ids, the API key, logging, errors."""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from time import perf_counter
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask.json.provider import DefaultJSONProvider

from ..budget import abandoned, watching
from ..pipeline import warm_up
from ..read.limits import DEFAULT as DEFAULT_LIMITS
from . import cors, errors
from .client import watcher
from .errors import ApiError
from .languagetool import languagetool
from .openapi import build_spec
from .page import page
from .views import api

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,  # a text or JSON body (TALLY_MAX_CONTENT_LENGTH)
    "MAX_UPLOAD_BYTES": 32 * 1024 * 1024,  # a file uploaded to /v1/check as multipart/form-data
    "TIME_BUDGET_MS": 5000,
    "MAX_PAGES": DEFAULT_LIMITS.max_pages,  # pages of an uploaded PDF (TALLY_MAX_PAGES)
    "MAX_EXPANDED_BYTES": DEFAULT_LIMITS.max_expanded_bytes,  # a .docx's parts, a PDF's streams, inflated
    "API_KEY": None,
    "LOG_LEVEL": "INFO",
    "CORS_ORIGINS": None,  # service/http/cors.py: * or comma-separated origins; unset, no CORS
}
# read from the environment as written: from_prefixed_env would turn a key of digits into a number
RAW_SETTINGS = ("API_KEY", "LOG_LEVEL", "CORS_ORIGINS")
REQUEST_ID = re.compile(r"[!-~]{1,200}")  # printable ASCII, echoed back as is
# what needs no API key: the container's health check, and the review page with its static
# files, which hold no data and run no check (a browser cannot send a header when it opens
# a page; the page then asks for the key and sends it with every API call it makes)
OPEN = {("GET", "/healthz"), ("HEAD", "/healthz"), ("GET", "/"), ("HEAD", "/")}
OPEN_PREFIXES = ("/static/",)


class JSONProvider(DefaultJSONProvider):
    """Chinese left readable, keys in the order the schemas dump them."""

    ensure_ascii = False
    sort_keys = False


class JSONFormatter(logging.Formatter):
    """One JSON object a line: timestamp, level, logger, message, then the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class StdoutHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stdout`` is when a record is emitted (gunicorn and pytest replace it)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stdout

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(level: str) -> None:
    """The ``service`` loggers write JSON lines to stdout, once, whoever else configures logging."""
    logger = logging.getLogger("service")
    for handler in [h for h in logger.handlers if isinstance(h, StdoutHandler)]:
        logger.removeHandler(handler)
    handler = StdoutHandler()
    handler.setFormatter(JSONFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # not a second, unformatted copy through the root logger


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Configuration from DEFAULTS, then ``TALLY_*`` environment variables, then ``test_config``."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(prefix="TALLY")
    app.config.from_mapping({key: os.environ[f"TALLY_{key}"] for key in RAW_SETTINGS if f"TALLY_{key}" in os.environ})
    if test_config is not None:
        app.config.from_mapping(test_config)
    for name in ("MAX_CONTENT_LENGTH", "MAX_UPLOAD_BYTES", "TIME_BUDGET_MS", "MAX_PAGES", "MAX_EXPANDED_BYTES"):
        value = app.config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    key = app.config["API_KEY"]
    if key is not None and not isinstance(key, str):
        raise ValueError(f"API_KEY must be a string, not {type(key).__name__}")
    app.config["API_KEY"] = (key or "").strip() or None  # unset or empty: no key needed
    level = str(app.config["LOG_LEVEL"]).upper()
    if not isinstance(logging.getLevelName(level), int):
        raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {app.config['LOG_LEVEL']!r}")
    configure_logging(level)
    app.json = JSONProvider(app)
    app.extensions["tally.openapi"] = build_spec()
    app.register_blueprint(api)
    app.register_blueprint(languagetool)
    app.register_blueprint(page)
    errors.register(app)
    app.before_request(_start)
    app.before_request(_limit)
    cors.register(app)  # a preflight is answered before the key is asked for; CORS headers on every answer
    app.before_request(_authorize)
    app.after_request(_finish)
    app.wsgi_app = _watched(app.wsgi_app)  # type: ignore[method-assign]
    warm_up()
    return app


def _watched(wsgi_app: Any) -> Any:
    """Every request's checks run watching its client: one that hangs up stops its check
    (service/budget.py ``watching``, service/http/client.py)."""

    def run(environ: dict[str, Any], start_response: Any) -> Any:
        with watching(watcher(environ)):
            return wsgi_app(environ, start_response)

    return run


def _start() -> None:
    g.started = perf_counter()
    g.deadline = g.started + current_app.config["TIME_BUDGET_MS"] / 1000
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _limit() -> None:
    """A report uploaded as a file (a scanned 决算 PDF runs to megabytes) may be larger than a text body."""
    if errors.is_upload():
        request.max_content_length = current_app.config["MAX_UPLOAD_BYTES"]


def _authorize() -> None:
    """With TALLY_API_KEY set, every request but the health check carries the key."""
    key = current_app.config["API_KEY"]
    if key is None or (request.method, request.path) in OPEN:
        return
    if request.method in ("GET", "HEAD") and request.path.startswith(OPEN_PREFIXES):
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    offered = [token.strip()] if scheme.lower() == "bearer" else []
    if "X-API-Key" in request.headers:
        offered.append(request.headers["X-API-Key"])
    expected = key.encode()
    # headers arrive as latin-1 text: encoding them back gives the bytes that were sent
    if any(hmac.compare_digest(value.encode("latin-1", "replace"), expected) for value in offered):
        return
    if offered:
        raise ApiError(
            401,
            "unauthorized",
            "The API key sent is not the right one.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            message_zh="所发送的 API 密钥不正确。",
        )
    raise ApiError(
        401,
        "unauthorized",
        "This service needs an API key: send it as Authorization: Bearer <key> or X-API-Key: <key>.",
        headers={"WWW-Authenticate": "Bearer"},
        message_zh="本服务需要 API 密钥：请以 Authorization: Bearer <密钥> 或 X-API-Key: <密钥> 发送。",
    )


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.request_id
    log.info(
        "%s %s %d",
        request.method,
        request.path,
        response.status_code,
        extra={
            "fields": {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "bytes_in": request.content_length or 0,
                "bytes_out": response.content_length,
                "ms": round((perf_counter() - g.started) * 1000, 1),
                "request_id": g.request_id,
                "pid": os.getpid(),  # which worker answered: for the logs, never in an answer
                **({"client_gone": True} if abandoned() else {}),
            }
        },
    )
    return response
