"""A LanguageTool-compatible ``POST /v2/check`` (issue 4): filled in by the LanguageTool work."""

from __future__ import annotations

from flask import Blueprint

languagetool = Blueprint("languagetool", __name__)
