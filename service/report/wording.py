"""The words people read: severities, locations, rule titles and unchecked reasons, in Chinese
(the default) or English, for the CLI's text output and the Word export.

Machine output (JSON, SARIF) keeps its English keys and values; this module only renders them.
The reasons a claim was left unchecked are data: patterns/unchecked.toml maps each reason the
engine gives (``coverage.unchecked`` keys, ``"<kind>: <reason>"``) to Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..checks import RULES_BY_CODE
from ..patterns import load_toml

LANGS = ("zh", "en")

SEVERITY = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@cache
def _unchecked() -> tuple[dict[str, str], dict[str, str]]:
    data = load_toml("unchecked.toml")
    return dict(data["kinds"]), dict(data["reasons"])


def kinds_zh() -> dict[str, str]:
    return dict(_unchecked()[0])


def reasons_zh() -> dict[str, str]:
    return dict(_unchecked()[1])


def severity(value: str, lang: str = "zh") -> str:
    return SEVERITY[lang].get(value, value)


def unchecked(key: str, lang: str = "zh") -> str:
    """A ``coverage.unchecked`` key (``"share: no whole in reach"``) for people: 占比：附近找不到总数.

    A reason the table does not know is shown as the engine wrote it, never dropped."""
    if lang != "zh":
        return key
    kinds, reasons = _unchecked()
    kind, sep, reason = key.partition(": ")
    if not sep:
        return reasons.get(key, key)
    return f"{kinds.get(kind, kind)}：{reasons.get(reason, reason)}"


def rule_title(code: str, fallback: str = "") -> str:
    """The rule's short Chinese title, else its kebab-case name, else ``fallback``."""
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return fallback or code
    return getattr(rule, "title", "") or rule.name


def finding_title(finding: Mapping[str, Any] | Any, lang: str = "zh") -> str:
    """What to call a finding (a Finding or its JSON): its title in Chinese, its name in English."""
    get = finding.get if isinstance(finding, Mapping) else lambda key, default=None: getattr(finding, key, default)
    name = str(get("name", "") or "")
    if lang != "zh":
        return name or str(get("code", ""))
    return str(get("title", "") or "") or rule_title(str(get("code", "")), name)


def location(where: Mapping[str, Any], line: int | None = None, lang: str = "zh") -> str:
    """Where a finding sits, from its ``location`` (and its ``line`` when that says nothing more).

    The keys read: ``page`` (a PDF), ``paragraph`` or ``table``/``row``/``cell`` (numbers: a Word
    document), ``line`` (a text file), and ``table``/``row``/``column`` (names: a standard
    table's cell, in any input). Others (``box``) are left to machines."""
    parts: list[str] = []
    zh = lang == "zh"
    table, row = where.get("table"), where.get("row")
    numbered = all(_is_number(where.get(k)) for k in ("table", "row", "cell")) and "cell" in where
    if _is_number(where.get("page")):
        parts.append(f"第 {where['page']} 页" if zh else f"page {where['page']}")
    if _is_number(where.get("paragraph")):
        parts.append(f"第 {where['paragraph']} 段" if zh else f"paragraph {where['paragraph']}")
    if numbered:
        cell = where["cell"]
        parts.append(f"第 {table} 个表格第 {row} 行第 {cell} 格" if zh else f"table {table}, row {row}, cell {cell}")
    if _is_number(where.get("line")):
        parts.append(f"第 {where['line']} 行" if zh else f"line {where['line']}")
    elif not parts and _is_number(line) and line > 0:
        parts.append(f"第 {line} 行" if zh else f"line {line}")
    if not numbered and "column" in where:
        cell = [(label, where.get(key)) for key, label in (("table", "表"), ("row", "行"), ("column", "列"))]
        if zh:
            parts.append(" ".join(f"{label}“{value}”" for label, value in cell if value not in (None, "")))
        else:
            parts.append(" / ".join(str(value) for _, value in cell if value not in (None, "")))
    return " · ".join(parts)


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
