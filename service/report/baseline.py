"""Baseline files: the findings a reviewer has already seen, so that a later run reports only new ones.

The format is the one the review page exports and imports (JSON)::

    {"tally_baseline": 1, "created": "2026-12-02T02:00:00Z",
     "findings": [{"fingerprint": "a295f4a6a4a65d7c", "code": "SHR001", "text": "30%",
                   "reason": "误报" | "已知" | "已改" | null, "file": "report.pdf" | null}]}

A reader takes the set of ``findings[*].fingerprint`` and ignores keys it does not know. A
fingerprint (service/report/build.py) is stable across runs and across edits elsewhere in the text,
so a finding stays "known" after an unrelated sentence changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

VERSION = 1
REASONS = ("误报", "已知", "已改")


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Baseline:
    """The fingerprints a baseline file holds, and the reason each was recorded with."""

    fingerprints: frozenset[str]
    reasons: Mapping[str, str | None]

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.fingerprints


def read(path: str | Path) -> Baseline:
    """The baseline in ``path``, or ``BaselineError`` saying why it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline)") from None
    except IsADirectoryError:
        raise BaselineError(f"{path}: a folder, not a baseline file") from None
    except OSError as e:
        raise BaselineError(f"{path}: cannot read the baseline: {e.strerror or e}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise BaselineError(f"{path}: not a baseline file: not UTF-8 (byte offset {e.start})") from None
    except json.JSONDecodeError as e:
        where = f"line {e.lineno}, column {e.colno}"
        raise BaselineError(f"{path}: not a baseline file: malformed JSON: {e.msg} at {where}") from None
    except (ValueError, RecursionError) as e:
        raise BaselineError(f"{path}: not a baseline file: malformed JSON: {e}") from None
    return parse(data, str(path))


def parse(data: Any, name: str = "baseline") -> Baseline:
    """A baseline from its parsed JSON; ``name`` is what error messages call it."""
    if not isinstance(data, dict) or "tally_baseline" not in data:
        raise BaselineError(f'{name}: not a baseline file: expected a JSON object with "tally_baseline" and "findings"')
    version = data["tally_baseline"]
    if version != VERSION or isinstance(version, bool):
        raise BaselineError(f"{name}: baseline version {version!r} is not one this tally reads (it reads {VERSION})")
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f'{name}: "findings" must be a list of findings, each with a "fingerprint"')
    reasons: dict[str, str | None] = {}
    for index, entry in enumerate(findings):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f'{name}: findings[{index}] has no "fingerprint" string')
        reason = entry.get("reason")
        reasons[fingerprint] = reason if isinstance(reason, str) else None
    return Baseline(frozenset(reasons), reasons)


def entry(finding: Mapping[str, Any] | Any, file: str | None, reason: str | None = None) -> dict[str, Any]:
    """One finding (a Finding or its JSON) as a baseline entry."""
    get = finding.get if isinstance(finding, Mapping) else lambda key: getattr(finding, key)
    return {
        "fingerprint": get("fingerprint"),
        "code": get("code"),
        "text": get("text"),
        "reason": reason,
        "file": file,
    }


def dump(entries: Iterable[dict[str, Any]], created: datetime | None = None) -> str:
    """The baseline file's text: entries in the order given, Chinese left readable."""
    stamp = (created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {"tally_baseline": VERSION, "created": stamp, "findings": list(entries)}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def write(path: str | Path, entries: Iterable[dict[str, Any]]) -> None:
    """Write the baseline to ``path`` (replacing it), or ``BaselineError`` saying why not."""
    text = dump(entries)
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as e:
        raise BaselineError(f"{path}: cannot write the baseline: {e.strerror or e}") from None
