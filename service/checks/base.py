"""What a rule is: a stable code, a kebab-case name, a default severity, its docs and examples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MARK = re.compile(r"⟦(.+?)⟧")


@dataclass(frozen=True)
class Rule:
    """One documented rule.

    ``doc`` follows ruff's sections (What it does / Why it matters / Example / Passes
    instead). ``flagged`` examples mark the expected span inline with ``⟦…⟧``;
    ``passing`` examples must produce no finding of this rule.
    """

    code: str
    name: str
    severity: str
    summary: str
    doc: str
    flagged: tuple[str, ...]
    passing: tuple[str, ...]

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "severity": self.severity,
            "summary": self.summary,
            "doc": self.doc,
            "examples": {
                "flagged": list(self.flagged),
                "passing": list(self.passing),
            },
        }


def unmark(example: str) -> tuple[str, list[tuple[int, int]]]:
    """Strip the ⟦⟧ marks from an example; return the text and the marked spans."""
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in MARK.finditer(example):
        chunk = example[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        spans.append((length, length + len(m.group(1))))
        out.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    out.append(example[pos:])
    return "".join(out), spans


def make_finding(
    rule: Rule,
    doc,
    anchor,
    message: str,
    *,
    stated: float | None = None,
    expected: float | None = None,
    evidence=(),
    suggestion: str | None = None,
    severity: str | None = None,
):
    """A finding anchored on a figure (or any object with start/end) of the document."""
    from ..model import Finding

    sentence = doc.sentence_of(anchor.start)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity or rule.severity,
        message=message,
        start=anchor.start,
        end=anchor.end,
        text=doc.text[anchor.start : anchor.end],
        stated=stated,
        expected=expected,
        suggestion=suggestion,
        evidence=tuple(evidence),
        section=sentence.section,
        line=sentence.line,
        sentence=doc.text[sentence.start : sentence.end].strip(),
    )
