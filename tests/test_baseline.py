"""``tally check --write-baseline`` / ``--baseline``: findings already seen are left out, new ones reported."""

from __future__ import annotations

import json
import re

import pytest

from service.cli import main
from service.report import baseline

REPORT = (
    "松潘县财政局2023年度部门决算\n"
    "一、收入支出决算总体情况说明\n"
    "2023年度收入总计500万元，其中：财政拨款收入400万元，占75%；其他收入100万元，占20%。\n"
    "二、支出决算情况说明\n"
    "2023年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。\n"
    "三、其他说明\n"
    "本部门2023年度收支均纳入部门决算编制范围。\n"
)
UNRELATED = ("本部门2023年度收支均纳入部门决算编制范围。", "本部门2023年度的全部收支都纳入了部门决算编制范围。")
NEW_ERROR = "会议共安排培训经费200万元，其中：师资费120万元，占50%。"  # 120 ÷ 200 is 60%: SHR001
NEW_WARNING = "2023年一般公共预算支出决算数为1504.31，完成预算100%。"  # a ratio without its unit: UNIT001


def edited(new_sentence: str) -> str:
    """The report with an unrelated sentence reworded and a new sentence in section 二."""
    text = REPORT.replace(*UNRELATED)
    return text.replace("占75%。\n三、", f"占75%。\n{new_sentence}\n三、")


def findings(capsys, *argv: str) -> tuple[int, list[dict]]:
    status = main(["check", "--format", "json", *argv])
    (line,) = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    return status, line


def test_round_trip_reports_only_the_new_finding(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    status, before = findings(capsys, "--write-baseline", str(known), str(report))
    assert status == 1
    assert [f["code"] for f in before["findings"]] == ["SHR001", "SHR002"]

    written = json.loads(known.read_text(encoding="utf-8"))
    assert written["tally_baseline"] == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", written["created"])
    assert written["findings"] == [
        {"fingerprint": f["fingerprint"], "code": f["code"], "text": f["text"], "reason": None, "file": str(report)}
        for f in before["findings"]
    ]

    report.write_text(edited(NEW_ERROR), encoding="utf-8")
    # without the baseline: the old findings, with the same fingerprints, and the new one
    _, everything = findings(capsys, str(report))
    old = {f["fingerprint"] for f in before["findings"]}
    assert old <= {f["fingerprint"] for f in everything["findings"]}  # stable across unrelated edits
    assert len(everything["findings"]) == 3

    status, after = findings(capsys, "--baseline", str(known), str(report))
    assert status == 1  # the new finding is an error
    ((new,),) = [after["findings"]]
    assert (new["code"], new["text"]) == ("SHR001", "50%")
    assert new["fingerprint"] not in old
    assert after["coverage"]["ignored"] == 2
    assert after["coverage"]["findings"] == {"error": 1, "warning": 0, "info": 0}


def test_exit_status_follows_the_new_findings_only(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["check", "--write-baseline", str(known), str(report)]) == 1  # two errors
    assert main(["check", "--baseline", str(known), str(report)]) == 0  # all of them known
    report.write_text(edited(NEW_WARNING), encoding="utf-8")
    assert main(["check", str(report)]) == 1
    assert main(["check", "--baseline", str(known), str(report)]) == 0  # only a warning is new
    assert main(["check", "--baseline", str(known), "--fail-on", "warning", str(report)]) == 1
    capsys.readouterr()


def test_text_summary_says_how_many_were_left_out(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    main(["check", "--write-baseline", str(known), str(report)])
    report.write_text(edited(NEW_ERROR), encoding="utf-8")
    capsys.readouterr()
    main(["check", "--baseline", str(known), str(report)])
    lines = capsys.readouterr().out.splitlines()
    assert sum("SHR001" in line for line in lines) == 1
    assert "【50%】" in "\n".join(lines) and "【75%】" not in "\n".join(lines)
    assert lines[-1].startswith(f"{report}：错误 1 个，警告 0 个，提示 0 个；")
    assert lines[-1].endswith("；另有 2 个已在基线中，未列出")
    main(["check", "--lang", "en", "--baseline", str(known), str(report)])
    assert capsys.readouterr().out.splitlines()[-1].endswith("; 2 in the baseline not shown")


def test_baseline_covers_every_file_of_a_folder(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT.replace("占75%；其他", "占80%；其他"), encoding="utf-8")
    known = tmp_path / "baseline.json"
    assert main(["check", "--format", "json", "--write-baseline", str(known), str(folder)]) == 1
    written = json.loads(known.read_text(encoding="utf-8"))["findings"]
    assert [(e["file"], e["code"]) for e in written] == [
        (str(folder / "a.txt"), "SHR001"),
        (str(folder / "a.txt"), "SHR002"),
    ]
    capsys.readouterr()
    assert main(["check", "--format", "json", "--baseline", str(known), str(folder)]) == 0
    lines = [json.loads(s) for s in capsys.readouterr().out.splitlines()]
    assert [line["findings"] for line in lines] == [[], []]


def test_rewriting_a_baseline_keeps_reasons_and_drops_what_was_fixed(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    main(["check", "--write-baseline", str(known), str(report)])
    data = json.loads(known.read_text(encoding="utf-8"))
    data["findings"][0]["reason"] = "误报"  # as the review page exports a dismissal
    data["findings"][0]["note"] = "a key this tally does not know"
    known.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def rewrite() -> list[tuple[str, str, str | None]]:
        main(["check", "--baseline", str(known), "--write-baseline", str(known), str(report)])
        return [(e["code"], e["text"], e["reason"]) for e in json.loads(known.read_text(encoding="utf-8"))["findings"]]

    report.write_text(edited(NEW_ERROR), encoding="utf-8")
    assert rewrite() == [("SHR001", "75%", "误报"), ("SHR002", "20%", None), ("SHR001", "50%", None)]
    report.write_text(edited(NEW_ERROR).replace("占75%；其他", "占80%；其他"), encoding="utf-8")  # both fixed
    assert rewrite() == [("SHR001", "50%", None)]
    capsys.readouterr()


def test_the_page_s_export_is_read(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "dismissed.json"
    report.write_text(REPORT, encoding="utf-8")
    _, line = findings(capsys, str(report))
    fingerprint = line["findings"][0]["fingerprint"]
    known.write_text(
        json.dumps(
            {
                "tally_baseline": 1,
                "created": "2026-12-02T02:00:00Z",
                "findings": [{"fingerprint": fingerprint, "code": "SHR001", "reason": "已知", "file": None}],
                "exported_by": "the review page",
            }
        ),
        encoding="utf-8",
    )
    _, line = findings(capsys, "--baseline", str(known), str(report))
    assert [f["code"] for f in line["findings"]] == ["SHR002"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such baseline file"),
        ("", "not a baseline file: malformed JSON: Expecting value at line 1, column 1"),
        ('{"tally_baseline": 1, "findings": [', "not a baseline file: malformed JSON"),
        ("[]", 'not a baseline file: expected a JSON object with "tally_baseline" and "findings"'),
        ('{"findings": []}', 'not a baseline file: expected a JSON object with "tally_baseline"'),
        ('{"tally_baseline": 2, "findings": []}', "baseline version 2 is not one this tally reads (it reads 1)"),
        ('{"tally_baseline": 1}', '"findings" must be a list of findings'),
        ('{"tally_baseline": 1, "findings": [{"code": "SHR001"}]}', 'findings[0] has no "fingerprint" string'),
        ('{"tally_baseline": 1, "findings": ["a295f4a6a4a65d7c"]}', 'findings[0] has no "fingerprint" string'),
    ],
)
def test_a_bad_baseline_is_refused_with_its_name_and_the_problem(tmp_path, capsys, content, problem):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    if content is not None:
        known.write_text(content, encoding="utf-8")
    assert main(["check", "--baseline", str(known), str(report)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing checked
    assert captured.err.startswith(f"tally: error: {known}: ")
    assert problem in captured.err


def test_unreadable_baselines_exit_2(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["check", "--baseline", str(tmp_path), str(report)]) == 2
    assert f"tally: error: {tmp_path}: a folder, not a baseline file" in capsys.readouterr().err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{}")
    assert main(["check", "--baseline", str(binary), str(report)]) == 2
    assert "not a baseline file: not UTF-8" in capsys.readouterr().err
    nowhere = tmp_path / "missing" / "baseline.json"
    assert main(["check", "--write-baseline", str(nowhere), str(report)]) == 2
    assert f"tally: error: {nowhere}: cannot write the baseline" in capsys.readouterr().err


def test_write_baseline_applies_the_filters(tmp_path, capsys):
    report, known = tmp_path / "report.txt", tmp_path / "baseline.json"
    report.write_text(REPORT, encoding="utf-8")
    main(["check", "--ignore", "SHR002", "--write-baseline", str(known), str(report)])
    assert [e["code"] for e in json.loads(known.read_text(encoding="utf-8"))["findings"]] == ["SHR001"]
    capsys.readouterr()


def test_parse_and_dump_agree():
    entries = [{"fingerprint": "a295f4a6a4a65d7c", "code": "SHR001", "text": "30%", "reason": "已改", "file": None}]
    read = baseline.parse(json.loads(baseline.dump(entries)))
    assert read.fingerprints == {"a295f4a6a4a65d7c"}
    assert read.reasons == {"a295f4a6a4a65d7c": "已改"}
    assert "a295f4a6a4a65d7c" in read
    assert "已改" in baseline.dump(entries)  # Chinese left readable
