"""Findings as SARIF 2.1.0, the format code-scanning tools read (``tally check --format sarif``).

``to_sarif`` takes ``(path, text, report)`` for each file checked and returns one SARIF log
(a dict ready for ``json.dump``) with one run: the tool and every rule with its
documentation, one artifact per file, one result per finding, the evidence as related
locations, and the finding's fingerprint as a partial fingerprint.

Units. SARIF counts ``charOffset`` / ``charLength`` and columns in "characters" and lets a run
say which: ``run.columnKind`` is ``unicodeCodePoints`` here, so offsets, lengths and columns
are code points into the text as checked, the same numbers as ``/v1/check``'s ``start`` /
``end`` (``text[charOffset:charOffset + charLength]`` is the flagged text). Lines are 1-based
and end at CR LF, LF or CR; columns are 1-based and ``endColumn`` is the column just past
the region, as the spec has it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..checks import RULES
from ..model import Evidence, Finding, Report
from ..vocab import Severity
from .provenance import TOOL, patterns_digest, tool_version

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
RULE_INDEX = {rule.code: index for index, rule in enumerate(RULES)}
LINE_END = re.compile(r"\r\n|\r|\n")
FINGERPRINT = "tally/v1"


def to_sarif(results: Iterable[tuple[str, str, Report]]) -> dict[str, Any]:
    """One SARIF 2.1.0 log for the files checked: ``(path, text, report)`` each, in order."""
    artifacts: list[dict[str, Any]] = []
    out: list[dict[str, Any]] = []
    for index, (path, text, report) in enumerate(results):
        location = {"uri": uri(path), "index": index}
        artifact: dict[str, Any] = {"location": {"uri": location["uri"]}}
        if report.provenance is not None:
            artifact["hashes"] = {"sha-256": report.provenance["input_sha256"]}
        artifacts.append(artifact)
        lines = Lines(text)
        out.extend(result(finding, location, lines) for finding in report.findings)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver()},
                "columnKind": "unicodeCodePoints",
                "artifacts": artifacts,
                "results": out,
                # what produced the results: each file's own digest is its artifact's sha-256
                "properties": {"provenance": {"tool": TOOL, "version": tool_version(), "patterns": patterns_digest()}},
            }
        ],
    }


def driver() -> dict[str, Any]:
    return {
        "name": "Tally",
        "version": version("tally"),
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.doc},
                "help": {"text": rule.doc},
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                "properties": {"family": rule.family, "title": rule.title, "summary": rule.summary},
            }
            for rule in RULES
        ],
    }


def uri(path: str) -> str:
    """A path as a URI reference: forward slashes, percent-encoded (Chinese file names included)."""
    if path == "-":
        return "stdin"
    posix = PureWindowsPath(path).as_posix() if "\\" in path else path
    return quote(posix, safe="/:")


class Lines:
    """Line and column (1-based, in code points) of an offset into one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in LINE_END.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def region(self, start: int, end: int) -> dict[str, Any]:
        start_line, start_column = self.position(start)
        end_line, end_column = self.position(end)
        return {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
            "charOffset": start,
            "charLength": end - start,
            "snippet": {"text": self.text[start:end]},
        }


def physical(location: dict[str, Any], lines: Lines, start: int, end: int) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": location, "region": lines.region(start, end)}}


def related(index: int, evidence: Evidence, location: dict[str, Any], lines: Lines) -> dict[str, Any]:
    return {
        "id": index,
        **physical(location, lines, evidence.start, evidence.end),
        "message": {"text": f"{evidence.role}: {evidence.text}"},
    }


def result(finding: Finding, location: dict[str, Any], lines: Lines) -> dict[str, Any]:
    message = finding.message if not finding.suggestion else f"{finding.message}；建议：{finding.suggestion}"
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": RULE_INDEX[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [physical(location, lines, finding.start, finding.end)],
        "relatedLocations": [related(i, e, location, lines) for i, e in enumerate(finding.evidence)],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
    }
    if finding.fix is not None:
        # SARIF's own form of a fix: the region deleted and the text put in its place
        out["fixes"] = [
            {
                "description": {"text": f"改为 {finding.fix.replacement}"},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": finding.fix.start,
                                    "charLength": finding.fix.end - finding.fix.start,
                                },
                                "insertedContent": {"text": finding.fix.replacement},
                            }
                        ],
                    }
                ],
            }
        ]
    out["properties"] = {"title": finding.title, **({"section": finding.section} if finding.section else {})}
    return out
