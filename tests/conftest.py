from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def seed_text(prefix: str) -> str:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not matches:
        pytest.skip(f"seed {prefix} not available (../shared/seeds is absent)")
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def app():
    """The service as created for tests; no test changes its configuration."""
    from service.http import create_app

    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_000() -> str:
    return seed_text("000")


@pytest.fixture(scope="session")
def seed_004() -> str:
    return seed_text("004")


def serve(app) -> Iterator[str]:
    """``app`` on a real port of 127.0.0.1, for clients that speak HTTP (a browser, a LanguageTool
    client): yields its base URL, then shuts the server down."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
