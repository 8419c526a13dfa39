"""The review page at ``/`` (issue 4): filled in by the page work."""

from __future__ import annotations

from flask import Blueprint

page = Blueprint("page", __name__, static_folder="static", static_url_path="/static")
