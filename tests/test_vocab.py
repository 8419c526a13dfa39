"""The output's vocabularies (service/vocab.py) hold every severity, evidence role, claim kind and
link reason the engine emits: read from the checks' source, and from the reports the engine makes
of the corpora and the seeds; the review page labels every role."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import regex

from service import Options, check
from service.model import SEVERITIES
from service.vocab import ClaimKind, LinkReason, Role, Severity, values

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
TEXTS = sorted((ROOT / "corpora" / "reports").glob("*.txt")) + sorted(SEEDS.glob("*.txt"))
# roles the page (service/http/static/app.js, owned elsewhere) does not label yet


def roles_in_source() -> set[str]:
    """Every role written as a literal: ``Evidence.of(q, "part")``, ``Evidence.at(span, "date")``,
    ``Evidence(start, end, text, value, unit, "rate")`` and calls of any helper with a ``role``
    parameter (``_ev(f, "score")``)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in (ROOT / "service").rglob("*.py")]
    helpers = {"of": 1, "at": 1, "Evidence": 5}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                names = [a.arg for a in node.args.args]
                if "role" in names and node.name not in ("of", "at"):
                    helpers[node.name] = names.index("role")
    found: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in helpers:
                continue
            owner = getattr(node.func, "value", None)
            if name in ("of", "at") and not (isinstance(owner, ast.Name) and owner.id == "Evidence"):
                continue
            args = list(node.args) + [k.value for k in node.keywords if k.arg == "role"]
            index = helpers[name] if len(node.args) > helpers[name] else len(node.args)
            if index < len(args) and isinstance(args[index], ast.Constant) and isinstance(args[index].value, str):
                found.add(args[index].value)
    return found


@pytest.fixture(scope="module")
def emitted() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"severity": set(), "role": set(), "kind": set(), "reason": set()}
    options = Options(include=frozenset({"claims"}))
    for path in TEXTS:
        report = check(path.read_text(encoding="utf-8"), options)
        for finding in report.findings:
            out["severity"].add(finding.severity)
            out["role"].update(e.role for e in finding.evidence)
        for claim in report.claims:
            out["kind"].add(claim.kind)
            if claim.link is not None:
                out["reason"].add(claim.link.reason)
    return out


def test_a_member_is_its_string():
    assert Role.PART == "part" and f"{Severity.ERROR}" == "error" and values(ClaimKind)[0] == "breakdown"
    assert SEVERITIES == ("info", "warning", "error")


def test_every_role_written_in_the_checks_is_in_the_vocabulary():
    written = roles_in_source()
    assert len(written) > 30  # the reading above finds them at all
    assert written <= set(values(Role)), sorted(written - set(values(Role)))
    # and the vocabulary holds no role nothing writes
    assert set(values(Role)) <= written, sorted(set(values(Role)) - written)


def test_what_the_engine_emits_on_the_corpora_is_in_the_vocabularies(emitted):
    assert len(TEXTS) >= 38
    assert emitted["severity"] <= set(values(Severity))
    assert emitted["role"] <= set(values(Role)), sorted(emitted["role"] - set(values(Role)))
    assert emitted["kind"] <= set(values(ClaimKind))
    assert emitted["reason"] <= set(values(LinkReason)), sorted(emitted["reason"] - set(values(LinkReason)))
    # the corpora exercise most of each: a vocabulary that silently stopped being read would show here
    assert emitted["severity"] == set(values(Severity))
    assert len(emitted["role"]) >= 25 and len(emitted["reason"]) >= 8


def _page_labels() -> str:
    js = (ROOT / "service" / "http" / "static" / "app.js").read_text(encoding="utf-8")
    return regex.search(r"const ROLES = \{(.*?)\};", js, regex.S).group(1)


def _unlabelled() -> set[str]:
    labelled = _page_labels()
    return {r for r in values(Role) if not regex.search(rf'(?:^|[\s,{{])"?{regex.escape(r)}"?:', labelled)}


def test_the_page_labels_every_role():
    """tests/test_page.py holds the page to the roles literally in Evidence.of/at calls; this holds it
    to the whole vocabulary."""
    assert _unlabelled() == set()
