"""Every rule is documented and tested by its own examples (LanguageTool's <example>s)."""

from __future__ import annotations

import pytest

from service import check
from service.checks import RULES, RULES_BY_CODE
from service.checks.base import unmark

SECTIONS = ("What it does", "Why it matters", "Example (flagged)", "Passes instead")

FLAGGED = [(r.code, ex) for r in RULES for ex in r.flagged]
PASSING = [(r.code, ex) for r in RULES for ex in r.passing]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_is_documented_and_has_examples(rule):
    assert rule.flagged, f"{rule.code} has no flagged example"
    assert rule.passing, f"{rule.code} has no passing example"
    for section in SECTIONS:
        assert section in rule.doc, f"{rule.code} doc lacks '{section}'"
    assert rule.severity in ("info", "warning", "error")
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_codes_and_names_are_unique():
    assert len(RULES_BY_CODE) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


@pytest.mark.parametrize(("code", "example"), FLAGGED, ids=[f"{c}-flagged-{i}" for i, (c, _) in enumerate(FLAGGED)])
def test_flagged_example(code, example):
    text, marked = unmark(example)
    assert marked, "a flagged example marks its span with ⟦⟧"
    found = {(f.start, f.end) for f in check(text).findings if f.code == code}
    assert found == set(marked), (
        f"{code}: expected spans {[text[a:b] for a, b in marked]}, got {[text[a:b] for a, b in found]}"
    )


@pytest.mark.parametrize(("code", "example"), PASSING, ids=[f"{c}-passing-{i}" for i, (c, _) in enumerate(PASSING)])
def test_passing_example(code, example):
    findings = [f for f in check(example).findings if f.code == code]
    assert not findings, [f.message for f in findings]
