"""SARIF 2.1.0 output: valid against the official schema, levels, regions, evidence, fingerprints."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from service import check
from service.checks import RULES
from service.report.sarif import to_sarif

# vendored from the npm package @microsoft/sarif-multitool-linux 5.7.0 (MIT); see tests/data/README.md
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SAMPLE = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
# CRLF line ends, and a character outside the BMP before the flagged figures
MULTILINE = (
    "一、总体情况\r\n𠀀本部门说明如下。\r\n" + SAMPLE + "\r\n2019年一般公共预算支出决算数为1504.31，完成预算100%。\r\n"
)


@pytest.fixture(scope="module")
def files():
    return [("reports/a.txt", SAMPLE, check(SAMPLE)), ("reports/乙 b.txt", MULTILINE, check(MULTILINE))]


@pytest.fixture(scope="module")
def log(files):
    return to_sarif(files)


def test_validates_against_the_sarif_schema(log):
    Draft202012Validator.check_schema(SCHEMA)
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    # the log is JSON as it stands
    assert json.loads(json.dumps(log, ensure_ascii=False)) == log


def test_tool_rules_and_artifacts(log, files):
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "Tally" and driver["version"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in RULES]
    for descriptor, rule in zip(driver["rules"], RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["properties"]["summary"] == rule.summary
        assert descriptor["fullDescription"]["text"] == descriptor["help"]["text"] == rule.doc
        assert (
            descriptor["defaultConfiguration"]["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[rule.severity]
        )
    assert run["columnKind"] == "unicodeCodePoints"
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["reports/a.txt", "reports/%E4%B9%99%20b.txt"]


def test_results_match_findings(log, files):
    (run,) = log["runs"]
    expected = [(index, text, f) for index, (_, text, report) in enumerate(files) for f in report.findings]
    assert len(run["results"]) == len(expected) > 2
    rules = run["tool"]["driver"]["rules"]
    for result, (index, text, finding) in zip(run["results"], expected, strict=True):
        assert result["ruleId"] == finding.code == rules[result["ruleIndex"]]["id"]
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert result["message"]["text"].startswith(finding.message)
        assert result["partialFingerprints"] == {"tally/v1": finding.fingerprint}
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": run["artifacts"][index]["location"]["uri"], "index": index}
        region = physical["region"]
        start, length = region["charOffset"], region["charLength"]
        assert text[start : start + length] == finding.text == region["snippet"]["text"]
        assert len(result["relatedLocations"]) == len(finding.evidence)
        for related, evidence in zip(result["relatedLocations"], finding.evidence, strict=True):
            region = related["physicalLocation"]["region"]
            assert text[region["charOffset"] : region["charOffset"] + region["charLength"]] == evidence.text
            assert related["message"]["text"] == f"{evidence.role}: {evidence.text}"


def test_lines_and_columns_with_crlf_and_astral_characters(log):
    (run,) = log["runs"]
    second = [r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1]
    by_text = {r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]: r for r in second}
    share = by_text["30%"]["locations"][0]["physicalLocation"]["region"]
    line = SAMPLE  # third line; columns count code points, so 𠀀 on line 2 does not shift it
    assert (share["startLine"], share["endLine"]) == (3, 3)
    assert share["startColumn"] == line.index("30%") + 1 and share["endColumn"] == line.index("30%") + 4
    assert share["charOffset"] == MULTILINE.index("30%")
    unit = by_text["1504.31"]["locations"][0]["physicalLocation"]["region"]
    fourth = "2019年一般公共预算支出决算数为1504.31，完成预算100%。"
    assert (unit["startLine"], unit["startColumn"], unit["endColumn"]) == (4, fourth.index("1504.31") + 1, 24 + 1)
    assert by_text["1504.31"]["level"] == "warning"


def test_empty_input_is_a_valid_log():
    log = to_sarif([])
    assert Draft202012Validator(SCHEMA).is_valid(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["artifacts"] == []
    # each artifact carries the digest of the bytes checked (here: none)
    empty = hashlib.sha256(b"").hexdigest()
    assert to_sarif([("-", "", check(""))])["runs"][0]["artifacts"] == [
        {"location": {"uri": "stdin"}, "hashes": {"sha-256": empty}}
    ]


def test_cli_writes_one_log_for_every_file(tmp_path, capsys):
    """tally check --format sarif: files checked in parallel, one valid log in input order."""
    from service.cli import main

    wrong = tmp_path / "b.txt"
    wrong.write_text(
        "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。", encoding="utf-8"
    )
    clean = tmp_path / "a.txt"
    clean.write_text(
        "2019年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。", encoding="utf-8"
    )
    assert main(["check", "--format", "sarif", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    log = json.loads(captured.out)
    assert Draft202012Validator(SCHEMA).is_valid(log)
    [run] = log["runs"]
    assert [a["location"]["uri"].rsplit("/", 1)[-1] for a in run["artifacts"]] == ["a.txt", "b.txt"]
    assert {r["ruleId"] for r in run["results"]} == {"SHR001", "SHR002"}
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] == 1 for r in run["results"])
    assert "个文件" in captured.err  # the summary goes to stderr, stdout is the log alone
