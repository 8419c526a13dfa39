"""Corpora are tests: reports with the exact set of findings they must produce.

Each ``corpora/reports/<slug>.txt`` sits beside ``<slug>.expected.json``, which lists the
findings planted in it (code, where, severity, and the key numbers). The engine must report
exactly that set: nothing missing, nothing extra. Reports with no planted error guard
precision: they must produce no error-level finding at all.

A finding says where it is by its text, not by offsets, so that editing one line of a report
does not move every expectation after it: ``"quote": "16.25%", "occurrence": 2`` is the second
place ``16.25%`` is written in the report (1-based); with ``"context": "占16.25%"`` (a longer
string containing the quote once) occurrence counts the context and the span is the quote's
place in it. ``scripts/corpus-expect REPORT.txt`` prints a report's expectation as the engine
sees it today, in this form, for review.
"""

from __future__ import annotations

import json
import runpy
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


FIELDS = {"code", "quote", "context", "occurrence", "severity", "stated", "expected", "note"}


def starts(text: str, needle: str) -> list[int]:
    """Every offset where ``needle`` begins in ``text``, overlapping ones included."""
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def span_of(text: str, f: dict) -> tuple[int, int]:
    """The span an expected finding names by its quote, context and occurrence."""
    quote, context, occurrence = f.get("quote"), f.get("context", f.get("quote")), f.get("occurrence")
    assert isinstance(quote, str) and quote, f"finding {f} has no quote"
    assert isinstance(context, str) and len(starts(context, quote)) == 1, f"{context!r} must hold {quote!r} once"
    assert type(occurrence) is int and occurrence >= 1, f"finding {f} needs an occurrence (1 for the first)"
    found = starts(text, context)
    assert found, f"{context!r} is not in the report"
    assert occurrence <= len(found), f"occurrence {occurrence} of {context!r} asked; the report has {len(found)}"
    at = found[occurrence - 1] + context.index(quote)
    return at, at + len(quote)


def planted(report: Path) -> list[dict]:
    """The expected findings as written (not located)."""
    return json.loads(expectation_of(report).read_text(encoding="utf-8"))["findings"]


def load(report: Path) -> tuple[str, dict]:
    """The report's text and its expectation, every finding with the start and end it names."""
    text = report.read_text(encoding="utf-8")
    expected = json.loads(expectation_of(report).read_text(encoding="utf-8"))
    for f in expected["findings"]:
        f["start"], f["end"] = span_of(text, f)
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
    consistent = [r for r in REPORTS if not any(f["severity"] == "error" for f in planted(r))]
    assert len(consistent) >= 3, "at least three fully consistent reports guard precision"


def test_a_quote_names_its_occurrence_or_its_place_in_a_context():
    text = "收入100万元，支出100万元；其中基本支出100万元。"
    assert span_of(text, {"quote": "100万元", "occurrence": 1}) == (2, 7)
    assert span_of(text, {"quote": "100万元", "occurrence": 3}) == (22, 27)
    assert span_of(text, {"quote": "100万元", "context": "支出100万元；", "occurrence": 1}) == (10, 15)
    assert span_of(text, {"quote": "100万元", "context": "支出100万元", "occurrence": 2}) == (22, 27)
    for wrong in (
        {"quote": "200万元", "occurrence": 1},  # not in the report
        {"quote": "100万元", "occurrence": 4},  # written three times
        {"quote": "100万元", "occurrence": 0},
        {"quote": "100万元"},
        {"quote": "100万元", "context": "收入100", "occurrence": 1},  # the context lacks the quote
        {"quote": "", "occurrence": 1},
    ):
        with pytest.raises(AssertionError):
            span_of(text, wrong)


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
        for field in ("code", "quote", "occurrence", "severity"):
            assert field in f, f"finding {f} lacks {field!r}"
        assert set(f) <= FIELDS, f"finding {f} has unknown fields {sorted(set(f) - FIELDS)}"
        assert f["code"] in RULES_BY_CODE, f"unknown rule code {f['code']!r}"
        assert f["severity"] in SEVERITIES, f"unknown severity {f['severity']!r}"
        start, end = span_of(text, f)
        assert text[start:end] == f["quote"]
        for number in ("stated", "expected"):
            assert f.get(number) is None or isinstance(f[number], int | float), f"{number} must be a number"
        k = key(f["code"], start, end, f["severity"])
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


CONSISTENT = [r for r in REPORTS if not any(f["severity"] == "error" for f in planted(r))]


@pytest.mark.parametrize("report", CONSISTENT, ids=ids(CONSISTENT))
def test_consistent_report_has_no_error(report):
    text, _ = load(report)
    errors = [f for f in check(text).findings if f.severity == "error"]
    assert not errors, f"{report.name}: false positives\n" + "\n".join(
        describe(text, key(f.code, f.start, f.end, f.severity), f.message) for f in errors
    )


def test_corpus_expect_writes_what_the_corpus_expects():
    """scripts/corpus-expect, run on a report the engine gets right, gives back its expectation."""
    tool = runpy.run_path(str(REPORTS_DIR.parent.parent / "scripts" / "corpus-expect"))
    for report in REPORTS:
        text, expected = load(report)
        made = tool["expectation"](report)
        assert made["description"] == expected["description"]
        for f in made["findings"]:
            f["start"], f["end"] = span_of(text, f)
        fields = ("code", "start", "end", "severity", "note")
        assert [[f.get(k) for k in fields] for f in made["findings"]] == sorted(
            ([f.get(k) for k in fields] for f in expected["findings"]), key=lambda f: (f[1], f[2], f[0])
        ), report.name
