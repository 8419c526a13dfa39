"""The Flask application factory: configuration, JSON, request ids, logging, errors."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from time import perf_counter
from typing import Any

from flask import Flask, Response, g, request
from flask.json.provider import DefaultJSONProvider

from ..pipeline import warm_up
from . import errors
from .languagetool import languagetool
from .openapi import build_spec
from .page import page
from .views import api

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {"MAX_CONTENT_LENGTH": 2 * 1024 * 1024}
REQUEST_ID = re.compile(r"[!-~]{1,200}")  # printable ASCII, echoed back as is


class JSONProvider(DefaultJSONProvider):
    """Chinese left readable, keys in the order the schemas dump them."""

    ensure_ascii = False
    sort_keys = False


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Configuration from DEFAULTS, then ``TALLY_*`` environment variables, then ``test_config``."""
    app = Flask(__name__, static_folder=None)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(prefix="TALLY")
    if test_config is not None:
        app.config.from_mapping(test_config)
    limit = app.config["MAX_CONTENT_LENGTH"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        raise ValueError(f"MAX_CONTENT_LENGTH must be a positive number of bytes, not {limit!r}")
    app.json = JSONProvider(app)
    app.extensions["tally.openapi"] = build_spec()
    app.register_blueprint(api)
    app.register_blueprint(languagetool)
    app.register_blueprint(page)
    errors.register(app)
    app.before_request(_start)
    app.after_request(_finish)
    warm_up()
    return app


def _start() -> None:
    g.started = perf_counter()
    incoming = request.headers.get("X-Request-Id", "")
    g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.request_id
    log.info(
        "%s %s %d in=%s out=%s %.1fms id=%s",
        request.method,
        request.path,
        response.status_code,
        request.content_length,
        response.content_length,
        (perf_counter() - g.started) * 1000,
        g.request_id,
    )
    return response
