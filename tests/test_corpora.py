"""Corpora are tests: reports with the exact set of findings they must produce.

Each ``corpora/reports/<slug>.txt`` sits beside ``<slug>.expected.json``, which lists the
findings planted in it (code, span, severity, and the key numbers). The engine must report
exactly that set: nothing missing, nothing extra. Reports with no planted error guard
precision: they must produce no error-level finding at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service import check
from service.checks import RULES_BY_CODE
from service.model import SEVERITIES

REPORTS_DIR = Path(__file__).resolve().parent.parent / "corpora" / "reports"
REPORTS = sorted(REPORTS_DIR.glob("*.txt"))
EXPECTATIONS = sorted(REPORTS_DIR.glob("*.expected.json"))


def expectation_of(report: Path) -> Path:
    return report.with_name(report.name.removesuffix(".txt") + ".expected.json")


def report_of(expectation: Path) -> Path:
    return expectation.with_name(expectation.name.removesuffix(".expected.json") + ".txt")


def load(report: Path) -> tuple[str, dict]:
    text = report.read_text(encoding="utf-8")
    expected = json.loads(expectation_of(report).read_text(encoding="utf-8"))
    return text, expected


def key(code: str, start: int, end: int, severity: str) -> tuple[str, int, int, str]:
    return (code, start, end, severity)


def describe(text: str, k: tuple[str, int, int, str], detail: str) -> str:
    code, start, end, severity = k
    line = text.count("\n", 0, start) + 1
    return f"  {code} {severity} [{start}:{end}] line {line} {text[start:end]!r}: {detail}"


def ids(paths: list[Path]) -> list[str]:
    return [p.name.split(".")[0] for p in paths]


def test_corpus_is_not_empty():
    assert len(REPORTS) >= 8
    consistent = [r for r in REPORTS if not any(f["severity"] == "error" for f in load(r)[1]["findings"])]
    assert len(consistent) >= 3, "at least three fully consistent reports guard precision"


@pytest.mark.parametrize("report", REPORTS, ids=ids(REPORTS))
def test_every_report_has_its_expectation(report):
    assert expectation_of(report).is_file(), f"{report.name} has no {expectation_of(report).name}"


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=ids(EXPECTATIONS))
def test_expectation_schema(expectation):
    data = json.loads(expectation.read_text(encoding="utf-8"))
    report = report_of(expectation)
    assert report.is_file(), f"{expectation.name} has no {report.name}"
    text = report.read_text(encoding="utf-8")
    assert "\r" not in text, "reports use \\n line endings"
    assert isinstance(data.get("description"), str) and data["description"].strip()
    assert isinstance(data.get("findings"), list)
    seen = set()
    for f in data["findings"]:
        for field in ("code", "start", "end", "severity"):
            assert field in f, f"finding {f} lacks {field!r}"
        assert f["code"] in RULES_BY_CODE, f"unknown rule code {f['code']!r}"
        assert f["severity"] in SEVERITIES, f"unknown severity {f['severity']!r}"
        assert isinstance(f["start"], int) and isinstance(f["end"], int)
        assert 0 <= f["start"] < f["end"] <= len(text), f"span {f['start']}:{f['end']} is outside the text"
        if "text" in f:
            assert text[f["start"] : f["end"]] == f["text"], f"span {f['start']}:{f['end']} is not {f['text']!r}"
        for number in ("stated", "expected"):
            assert f.get(number) is None or isinstance(f[number], int | float), f"{number} must be a number"
        k = key(f["code"], f["start"], f["end"], f["severity"])
        assert k not in seen, f"finding {k} listed twice"
        seen.add(k)


@pytest.mark.parametrize("report", REPORTS, ids=ids(REPORTS))
def test_report_findings_are_exactly_the_expected_set(report):
    text, expected = load(report)
    found = check(text).findings
    got = {key(f.code, f.start, f.end, f.severity): f for f in found}
    want = {key(f["code"], f["start"], f["end"], f["severity"]): f for f in expected["findings"]}
    missing = sorted(set(want) - set(got), key=lambda k: k[1])
    extra = sorted(set(got) - set(want), key=lambda k: k[1])
    lines = []
    if missing:
        lines.append("missing (planted but not reported):")
        for k in missing:
            w = want[k]
            lines.append(describe(text, k, f"stated {w.get('stated')}, expected {w.get('expected')}"))
    if extra:
        lines.append("extra (reported but not planted):")
        lines.extend(describe(text, k, got[k].message) for k in extra)
    assert not lines, f"{report.name}:\n" + "\n".join(lines)


@pytest.mark.parametrize("report", REPORTS, ids=ids(REPORTS))
def test_report_key_numbers(report):
    """Where a planted finding is reported, its stated and expected numbers are the planted ones."""
    text, expected = load(report)
    got = {key(f.code, f.start, f.end, f.severity): f for f in check(text).findings}
    wrong = []
    for w in expected["findings"]:
        f = got.get(key(w["code"], w["start"], w["end"], w["severity"]))
        if f is None:
            continue  # reported by test_report_findings_are_exactly_the_expected_set
        for number in ("stated", "expected"):
            want, have = w.get(number), getattr(f, number)
            if want is not None and (have is None or abs(have - want) > 1e-6):
                wrong.append(f"  {w['code']} {text[w['start'] : w['end']]!r}: {number} {have}, planted {want}")
    assert not wrong, f"{report.name}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("report", REPORTS, ids=ids(REPORTS))
def test_finding_spans_quote_the_input(report):
    text, _ = load(report)
    for f in check(text).findings:
        assert f.text == text[f.start : f.end], f"{f.code} text {f.text!r} is not input[{f.start}:{f.end}]"
        for e in f.evidence:
            assert e.text == text[e.start : e.end], f"{f.code} evidence {e.text!r} is not input[{e.start}:{e.end}]"


CONSISTENT = [r for r in REPORTS if not any(f["severity"] == "error" for f in load(r)[1]["findings"])]


@pytest.mark.parametrize("report", CONSISTENT, ids=ids(CONSISTENT))
def test_consistent_report_has_no_error(report):
    text, _ = load(report)
    errors = [f for f in check(text).findings if f.severity == "error"]
    assert not errors, f"{report.name}: false positives\n" + "\n".join(
        describe(text, key(f.code, f.start, f.end, f.severity), f.message) for f in errors
    )
