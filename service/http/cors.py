"""Cross-origin access for browser add-ons and pages on other origins, off unless configured.

``TALLY_CORS_ORIGINS``: ``*`` (any origin) or a comma-separated list of origins
(``https://a.example, chrome-extension://abcdef``); unset or empty, no CORS header is sent and a
browser keeps other origins out, as before. Only the checking endpoints are shared: ``/v2/*``
(LanguageTool's, which its browser add-on and editor plugins call) and ``POST /v1/check``; the
review page, the rules and the OpenAPI document are same-origin only (the page needs nothing
more, and another origin has no use for them that a server-side call does not serve better).

A preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``) from an allowed
origin is answered 204 before the API key is asked for (a browser sends no credentials with
one); the request that follows needs the key as any other. Every answer to an allowed origin,
errors included, carries ``Access-Control-Allow-Origin``, so that a page can read the error
envelope. No cookies are used, so credentials are never allowed.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request

ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^\s/,]+", re.IGNORECASE)
METHODS = "GET, POST, OPTIONS"
HEADERS = "Content-Type, Authorization, X-API-Key, X-Request-Id"
MAX_AGE = "600"


def origins(value: object) -> tuple[str, ...]:
    """``TALLY_CORS_ORIGINS`` as a tuple of origins, ``("*",)``, or ``()`` for none."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    out = tuple(str(item).strip().rstrip("/") for item in items if str(item).strip())
    if "*" in out and len(out) > 1:
        raise ValueError("CORS_ORIGINS is either * or a list of origins, not both")
    wrong = [item for item in out if item != "*" and not ORIGIN.fullmatch(item)]
    if wrong:
        raise ValueError(f"CORS_ORIGINS must be origins such as https://example.org, not {', '.join(wrong)}")
    return out


def shared(path: str) -> bool:
    return path.startswith("/v2/") or path == "/v1/check"


def allowed_origin() -> str | None:
    """What Access-Control-Allow-Origin says to this request, or None for no CORS headers."""
    allowed = current_app.config["CORS_ORIGINS"]
    origin = request.headers.get("Origin")
    if not allowed or origin is None or not shared(request.path):
        return None
    if allowed == ("*",):
        return "*"
    return origin if origin.rstrip("/") in allowed else None


def preflight() -> Response | None:
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    origin = allowed_origin()
    if origin is None:
        return None  # Flask's own OPTIONS answer, without CORS headers: the browser refuses
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = METHODS
    response.headers["Access-Control-Allow-Headers"] = HEADERS
    response.headers["Access-Control-Max-Age"] = MAX_AGE
    return response


def headers(response: Response) -> Response:
    if current_app.config["CORS_ORIGINS"] and shared(request.path):
        response.vary.add("Origin")
    origin = allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "X-Request-Id"
    return response


def register(app: Flask) -> None:
    app.config["CORS_ORIGINS"] = origins(app.config.get("CORS_ORIGINS"))
    app.before_request(preflight)
    app.after_request(headers)
