from __future__ import annotations

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
