"""The review page at ``/``: one HTML file, its script and its stylesheet, served from ``static/``.

Nothing is built and nothing is fetched from elsewhere, so the page works offline; it talks
to the service only through ``POST /v1/check`` (and ``/v1/export/docx``). ``/wording.js`` hands
the page the Chinese words for claim kinds and unchecked reasons (patterns/unchecked.toml), the
ones the CLI and the Word export use, so there is one table of them.
"""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, Response

from ..report.wording import kinds_zh, reasons_zh

page = Blueprint("page", __name__, static_folder="static", static_url_path="/static")


@page.get("/")
def index() -> Response:
    return page.send_static_file("index.html")


@cache
def _wording() -> str:
    words = {"kinds": kinds_zh(), "reasons": reasons_zh()}
    return f"window.TALLY_WORDING = {json.dumps(words, ensure_ascii=False, sort_keys=True)};\n"


@page.get("/wording.js")
def wording() -> Response:
    response = Response(_wording(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
