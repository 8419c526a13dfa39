"""What a rule is: a stable code, a kebab-case name, a default severity, its docs and examples;
and what a rule family is: its rules, the check that emits them and what that check needs first."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Finding, Fix
    from .context import Context

MARK = re.compile(r"⟦(.+?)⟧")
ARABIC = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


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
    title: str = ""  # short, in Chinese (占比与所列数字不符): what a reviewer reads first

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "family": self.family,
            "severity": self.severity,
            "summary": self.summary,
            "doc": self.doc,
            "examples": {
                "flagged": list(self.flagged),
                "passing": list(self.passing),
            },
        }


@dataclass(frozen=True, eq=False)
class Family:
    """One rule family, declared once at the end of its module as ``FAMILY = Family(...)``.

    ``prefix`` is the family's code prefix (``SUM``) and every rule in ``rules`` starts with it.
    ``check`` finds the family's findings on a Context (None for a family that only other
    checks emit, as RND); ``emits`` names the families whose rules it may report (its own
    prefix unless told). ``after`` names the families whose checks must run first because this
    one reads what they leave on the Context (``ctx.summed_totals``): they run even when a
    caller's ``select``/``ignore`` leaves them out, and only their findings are dropped.
    """

    prefix: str
    rules: tuple[Rule, ...]
    check: Callable[[Context], list[Finding]] | None = None
    emits: tuple[str, ...] = ()
    after: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.check is not None and not self.emits:
            object.__setattr__(self, "emits", (self.prefix,))
        wrong = [rule.code for rule in self.rules if rule.family != self.prefix]
        if wrong:
            raise ValueError(f"family {self.prefix} declares rules of another family: {', '.join(wrong)}")


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
    fix: str | Fix | None = None,
):
    """A finding anchored on a figure (or any object with start/end) of the document.

    ``fix``: the text that can stand in place of the anchor's (``25%`` for ``30%``), when the
    suggestion is one, or a ``Fix`` of a part of the anchor (the year of a heading)."""
    from ..model import Finding, Fix

    sentence = doc.sentence_of(anchor.start)
    return Finding(
        code=rule.code,
        name=rule.name,
        title=rule.title,
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
        fix=Fix(anchor.start, anchor.end, fix) if isinstance(fix, str) else fix,
    )


def figure_fix(q, number: str) -> str:
    """``number`` in place of the number ``q`` is written with, its unit and any 约/以上 around it
    kept as written (``30%`` → ``25%``, ``约30 %`` → ``约25 %``); a figure written in Chinese
    numerals (百分之三十) is replaced whole, by the number and its unit."""
    if not hasattr(q, "num_start"):  # a table's figure (model.Figure): the number only
        return number
    a, b = q.num_start - q.start, q.num_end - q.start
    if 0 <= a < b <= len(q.text) and ARABIC.fullmatch(q.text[a:b]):
        return q.text[:a] + number + q.text[b:]
    return number + (q.unit or "")
