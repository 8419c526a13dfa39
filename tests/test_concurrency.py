"""The pipeline is safe to share across threads (gunicorn gthread workers, a threaded server).

spaCy, the compiled patterns and the lexicon are built once and only read afterwards: many
checks run at once in 8 threads, over several rounds, give exactly the findings and coverage
that the same checks give one at a time — in process and through the Flask app.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SEEDS

from service import Options, check
from service.http import create_app

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "reports"
THREADS = 8
ROUNDS = 3


def _texts() -> dict[str, str]:
    texts = {}
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            texts[f"seed {path.stem[:3]}"] = text
            # excerpts too: short documents finish while long ones are mid-pipeline
            for start in range(0, len(text) - 1000, 5000):
                texts[f"seed {path.stem[:3]}[{start}:+1000]"] = text[start : start + 1000]
    for path in sorted(CORPUS.glob("*.txt")):
        texts[path.stem] = path.read_text(encoding="utf-8")
    return texts


TEXTS = _texts()
OPTIONS = Options(include=frozenset({"quantities", "claims"}))


def _result(text: str) -> str:
    """Findings as dicts, coverage, figures and claims, as one canonical string."""
    return json.dumps(check(text, OPTIONS).to_dict(), ensure_ascii=False, sort_keys=True)


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return {name: _result(text) for name, text in TEXTS.items()}


def _jobs() -> list[str]:
    """Every text once per round, each round in a different order, so different texts overlap."""
    names = list(TEXTS)
    return [name for r in range(ROUNDS) for name in (names[r:] + names[:r])[:: 1 if r % 2 == 0 else -1]]


def test_texts_cover_findings(expected):
    # the comparison means something only if the inputs do produce findings
    assert len(TEXTS) >= 10
    assert sum(bool(json.loads(v)["findings"]) for v in expected.values()) >= 5


def test_checks_in_threads_match_single_threaded(expected):
    jobs = _jobs()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda name: (name, _result(TEXTS[name])), jobs))
    assert len(results) == len(jobs)
    mismatched = sorted({name for name, got in results if got != expected[name]})
    assert not mismatched, f"results differ under threads for: {mismatched}"


def test_http_checks_in_threads_match_single_threaded():
    app = create_app({"TESTING": True})

    def post(name: str) -> tuple[str, int, dict]:
        client = app.test_client()  # one client per request: test clients keep per-client state
        response = client.post("/v1/check", json={"text": TEXTS[name], "options": {"include": ["claims"]}})
        body = response.get_json()
        return name, response.status_code, {"findings": body.get("findings"), "coverage": body.get("coverage")}

    expected = {}
    for name in TEXTS:
        _, status, body = post(name)
        assert status == 200, name
        expected[name] = body
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(post, _jobs()))
    assert all(status == 200 for _, status, _ in results)
    mismatched = sorted({name for name, _, body in results if body != expected[name]})
    assert not mismatched, f"HTTP results differ under threads for: {mismatched}"
