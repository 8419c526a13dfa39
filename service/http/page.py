"""The review page at ``/``: one HTML file, its script and its stylesheet, served from ``static/``.

Nothing is built and nothing is fetched from elsewhere, so the page works offline; it talks
to the service only through ``POST /v1/check``.
"""

from __future__ import annotations

from flask import Blueprint, Response

page = Blueprint("page", __name__, static_folder="static", static_url_path="/static")


@page.get("/")
def index() -> Response:
    return page.send_static_file("index.html")
