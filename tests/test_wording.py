"""The words people read (service/report/wording.py): every reason the engine gives has its Chinese."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from service import check
from service.report import wording

SERVICE = Path(__file__).resolve().parents[1] / "service"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def engine_reasons() -> tuple[set[str], set[str]]:
    """The kinds and reasons the engine's sources can count in ``coverage.unchecked``: the literal
    arguments of ``ctx.skip(kind, reason)``, the reasons a claim is left unlinked with
    (``LinkedShare(claim, None, reason)`` …, which the checks pass on), and the score tables'
    ``"score table: …"`` reasons."""
    kinds: set[str] = set()
    reasons: set[str] = set()
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                if (value := _literal(node)) and value.startswith("score table: ") and value != "score table: ":
                    reasons.add(value.removeprefix("score table: "))
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args
            if name == "skip" and len(args) in (2, 3):  # (kind, reason) or (kind, reason, claim)
                kind = _literal(args[0])
                if kind:
                    kinds.add(kind)
                if (reason := _literal(args[1])) is not None:
                    reasons.add(reason)
            elif name.startswith("Linked") and len(args) >= 3:
                # the unlinked ones: None where the figure would be, then the reason
                nones = [i for i, a in enumerate(args) if isinstance(a, ast.Constant) and a.value is None]
                if nones and nones[0] == 1:
                    reason = _literal(args[nones[-1] + 1]) if nones[-1] + 1 < len(args) else None
                    if reason:
                        reasons.add(reason)
    return kinds, reasons


def test_every_reason_the_engine_gives_has_a_chinese_rendering_and_none_is_stale():
    kinds, reasons = engine_reasons()
    assert len(reasons) > 30  # the scan found the checks' reasons
    assert "no whole in reach" in reasons and "header not read" in reasons
    table = wording.reasons_zh()
    assert sorted(reasons - set(table)) == []  # patterns/unchecked.toml lacks these
    assert sorted(set(table) - reasons) == []  # and these no source gives any longer
    assert sorted(kinds - set(wording.kinds_zh())) == []


def test_unchecked_keys_read_in_chinese():
    assert wording.unchecked("share: no whole in reach") == "占比：附近找不到总数"
    assert wording.unchecked("score-table: header not read") == "评分表：没有读出表头"
    assert wording.unchecked("share: no whole in reach", "en") == "share: no whole in reach"
    # a reason the table does not know yet is shown as written, never dropped
    assert wording.unchecked("share: something new") == "占比：something new"
    assert wording.unchecked("odd") == "odd"


def test_the_reasons_a_real_report_gives_are_all_chinese():
    texts = sorted((SHARED / "real" / "docs").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    if not texts:
        pytest.skip("../shared is absent")
    keys = {key for path in texts for key in check(path.read_text(encoding="utf-8")).coverage["unchecked"]}
    assert len(keys) >= 10
    for key in keys:
        rendered = wording.unchecked(key)
        assert not any("a" <= c.lower() <= "z" for c in rendered.replace("CMP001", "")), (key, rendered)


@pytest.mark.parametrize(
    ("location", "line", "zh", "en"),
    [
        ({"page": 4}, 85, "第 4 页", "page 4"),
        ({"page": 4, "box": [1, 2, 3, 4]}, 85, "第 4 页", "page 4"),
        ({"paragraph": 12}, 3, "第 12 段", "paragraph 12"),
        ({"table": 1, "row": 3, "cell": 2}, 9, "第 1 个表格第 3 行第 2 格", "table 1, row 3, cell 2"),
        ({"line": 7}, 7, "第 7 行", "line 7"),
        ({}, 7, "第 7 行", "line 7"),
        (
            {"table": "支出决算表", "row": "208 社会保障和就业支出", "column": "基本支出"},
            85,
            "第 85 行 · 表“支出决算表” 行“208 社会保障和就业支出” 列“基本支出”",
            "line 85 · 支出决算表 / 208 社会保障和就业支出 / 基本支出",
        ),
        (
            {"page": 3, "table": "支出决算表", "row": "合计", "column": "基本支出"},
            85,
            "第 3 页 · 表“支出决算表” 行“合计” 列“基本支出”",
            "page 3 · 支出决算表 / 合计 / 基本支出",
        ),
        ({"page": "x", "paragraph": None}, None, "", ""),
    ],
)
def test_locations(location, line, zh, en):
    assert wording.location(location, line) == zh
    assert wording.location(location, line, "en") == en


def test_titles_fall_back_to_the_rule_name():
    from service.checks import RULES_BY_CODE

    rule = RULES_BY_CODE["SHR001"]
    expected = getattr(rule, "title", "") or rule.name
    assert wording.rule_title("SHR001") == expected
    assert wording.finding_title({"code": "SHR001", "name": "share-mismatch"}) == expected
    assert wording.finding_title({"code": "SHR001", "name": "share-mismatch", "title": "占比不符"}) == "占比不符"
    assert wording.finding_title({"code": "SHR001", "name": "share-mismatch"}, "en") == "share-mismatch"
    assert wording.finding_title({"code": "NOPE001", "name": "gone"}) == "gone"
    assert wording.severity("error") == "错误" and wording.severity("info") == "提示"
