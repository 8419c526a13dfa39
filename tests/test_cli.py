"""The ``tally`` command: text and JSON Lines output, options, exit status, decoding, serve."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from service import check
from service.checks import RULES
from service.cli import format_text, main, quote
from service.report.wording import rule_title

BAD = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"
CLEAN = "2019年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。"
UNITLESS = "2019年一般公共预算支出决算数为1504.31，完成预算100%。"  # one warning, no error
SECTIONS = (
    "一、支出决算总体情况\n\n"
    f"{BAD}\n"
    "二、收入决算总体情况\n"
    "2019年本年收入合计200万元，其中：财政拨款收入150万元，占70%；其他收入50万元，占25%。\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# -- text output ------------------------------------------------------------------------


def test_text_groups_findings_by_section_with_line_quote_and_arithmetic(tmp_path, capsys):
    path = write(tmp_path, "report.txt", SECTIONS)
    assert main(["check", path]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == path
    assert lines[1] == "  § 一、支出决算总体情况"
    assert lines[2] == f"    错误 SHR001 {rule_title('SHR001')} · 第 3 行"
    assert lines[3] == "      > 2019年本年支出合计100万元，其中：基本支出25万元，占【30%】；项目支出75万元，占75%。"
    assert lines[4] == "      占比应为 25.00%（25 ÷ 100 = 25.0000%），所述为 30%"
    assert lines[5] == "      建议：改为 25%"
    assert f"    错误 SHR002 {rule_title('SHR002')} · 第 3 行" in lines
    assert "      同一总额的各项占比合计为 105%，应为 100%（30% + 75%）" in lines
    second = lines.index("  § 二、收入决算总体情况")
    assert lines[second + 1] == f"    错误 SHR001 {rule_title('SHR001')} · 第 5 行"
    assert "      占比应为 75.00%（150 ÷ 200 = 75.0000%），所述为 70%" in lines[second:]
    assert lines.count("  § 一、支出决算总体情况") == 1
    assert lines[-1] == f"{path}：错误 4 个，警告 0 个，提示 0 个；核对 8 处，未核对 0 处，识别数字 10 个"


def test_english_text_output_on_request(tmp_path, capsys):
    path = write(tmp_path, "report.txt", SECTIONS)
    assert main(["check", "--lang", "en", path]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "    error SHR001 share-mismatch · line 3"
    assert lines[5] == "      suggestion: 改为 25%"
    assert lines[-1] == f"{path}: 4 errors, 0 warnings, 0 info; 8 claims checked, 0 left unchecked, 10 figures found"
    unitless = write(tmp_path, "unitless.txt", UNITLESS)
    main(["check", "--lang", "en", unitless])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  § (before the first heading)"
    assert lines[-3:] == [
        "  1 left unchecked:",
        "    completion: target not stated in the sentence (1)",
        f"{unitless}: 0 errors, 1 warning, 0 info; 0 claims checked, 1 left unchecked, 2 figures found",
    ]


def test_clean_report_says_what_was_checked(tmp_path, capsys):
    path = write(tmp_path, "clean.txt", CLEAN)
    assert main(["check", path]) == 0
    assert capsys.readouterr().out.splitlines() == [
        path,
        "  未发现问题",
        f"{path}：错误 0 个，警告 0 个，提示 0 个；核对 4 处，未核对 0 处，识别数字 5 个",
    ]


def test_finding_before_any_heading_and_unchecked_claims_with_their_reasons(tmp_path, capsys):
    path = write(tmp_path, "unitless.txt", UNITLESS)
    assert main(["check", path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  § （首个标题之前）"
    assert lines[2] == f"    警告 UNIT001 {rule_title('UNIT001')} · 第 1 行"
    assert lines[3] == "      > 2019年一般公共预算支出决算数为【1504.31】，完成预算100%。"
    assert lines[-3:] == [
        "  未核对 1 处：",
        "    完成率：句中没有写出目标数（1 处）",
        f"{path}：错误 0 个，警告 1 个，提示 0 个；核对 0 处，未核对 1 处，识别数字 2 个",
    ]


def test_long_sentence_is_cut_around_the_finding():
    text = "说明" * 60 + BAD[:-1] + "备注" * 60 + "。"
    (finding,) = (f for f in check(text).findings if f.code == "SHR001")
    before, flagged, after = quote(text, finding)
    assert flagged == "30%"
    assert before == "…年支出合计100万元，其中：基本支出25万元，占"
    assert after == "；项目支出75万元，占75%备注备注备注备注备注…"


def test_colour_replaces_brackets_on_a_terminal():
    out = format_text("x.txt", BAD, check(BAD), color=True)
    assert "\x1b[1;31m30%\x1b[0m" in out
    assert f"\x1b[1;31m错误\x1b[0m \x1b[1mSHR001\x1b[0m {rule_title('SHR001')} · 第 1 行" in out
    assert "【" not in out


def test_files_are_separated_by_a_blank_line(tmp_path, capsys):
    first, second = write(tmp_path, "a.txt", CLEAN), write(tmp_path, "b.txt", CLEAN)
    assert main(["check", first, second]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3:5] == ["", second]


# -- JSON Lines -------------------------------------------------------------------------


def test_json_lines_are_the_http_body_plus_path(tmp_path, capsys):
    bad, clean = write(tmp_path, "bad.txt", BAD), write(tmp_path, "clean.txt", CLEAN)
    assert main(["check", "--format", "json", bad, clean]) == 1
    first, second = json_lines(capsys.readouterr().out)
    assert first == {"path": bad, **check(BAD).to_dict()}
    assert second == {"path": clean, **check(CLEAN).to_dict()}
    assert first["api_version"] == "1"
    assert [(f["code"], f["text"]) for f in first["findings"]] == [("SHR001", "30%"), ("SHR002", "75%")]
    for f in first["findings"]:
        assert f["text"] == BAD[f["start"] : f["end"]]
        assert all(e["text"] == BAD[e["start"] : e["end"]] for e in f["evidence"])
    assert second["findings"] == []
    assert second["coverage"]["checked_total"] == 4


def test_json_keeps_chinese_unescaped(tmp_path, capsys):
    main(["check", "--format", "json", write(tmp_path, "bad.txt", BAD)])
    assert "占比应为 25.00%" in capsys.readouterr().out


def test_include_adds_quantities_and_claims(tmp_path, capsys):
    path = write(tmp_path, "bad.txt", BAD)
    main(["check", "--format", "json", "--include", "quantities,claims", path])
    (line,) = json_lines(capsys.readouterr().out)
    assert [q["text"] for q in line["quantities"]] == ["100万元", "25万元", "30%", "75万元", "75%"]
    assert {c["kind"] for c in line["claims"]} == {"breakdown", "share"}


def test_include_needs_json(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--include", "claims", write(tmp_path, "bad.txt", BAD)])
    assert exit_.value.code == 2
    assert "--include needs --format json" in capsys.readouterr().err


def test_offsets_index_the_decoded_text_with_bom_and_crlf(tmp_path, capsys):
    text = "\ufeff2019年度收入总计888.73万元。\r\n2019年度收入支出总计2054.73万元。\r\n"
    main(["check", "--format", "json", write(tmp_path, "bom.txt", text)])
    (line,) = json_lines(capsys.readouterr().out)
    (finding,) = line["findings"]
    assert finding["code"] == "EQV001"
    assert finding["text"] == text[finding["start"] : finding["end"]] == "2054.73万元"


# -- options and exit status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fail_on", "status"),
    [
        (BAD, "error", 1),
        (BAD, "warning", 1),
        (BAD, "never", 0),
        (UNITLESS, "error", 0),
        (UNITLESS, "warning", 1),
        (UNITLESS, "never", 0),
        (CLEAN, "warning", 0),
    ],
)
def test_fail_on(tmp_path, text, fail_on, status):
    assert main(["check", "--fail-on", fail_on, write(tmp_path, "r.txt", text)]) == status


def test_any_failing_file_fails_the_run(tmp_path):
    assert main(["check", write(tmp_path, "clean.txt", CLEAN), write(tmp_path, "bad.txt", BAD)]) == 1


@pytest.mark.parametrize(
    ("flags", "codes"),
    [
        (["--ignore", "SHR002"], ["SHR001"]),
        (["--select", "shr002"], ["SHR002"]),
        (["--select", "SUM,CHG"], []),
        (["--select", "SHR", "--ignore", "SHR001"], ["SHR002"]),
        (["--min-severity", "error"], ["SHR001", "SHR002"]),
    ],
)
def test_select_ignore_min_severity(tmp_path, capsys, flags, codes):
    main(["check", "--format", "json", *flags, write(tmp_path, "bad.txt", BAD)])
    (line,) = json_lines(capsys.readouterr().out)
    assert [f["code"] for f in line["findings"]] == codes


def test_min_severity_drops_warnings_and_their_failure(tmp_path, capsys):
    path = write(tmp_path, "unitless.txt", UNITLESS)
    assert main(["check", "--fail-on", "warning", "--min-severity", "error", path]) == 0
    assert "  未发现问题" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--select", "XYZ1", "r.txt"], "unknown rule code or family: XYZ1"),
        (["check", "--fail-on", "info", "r.txt"], "invalid choice: 'info'"),
        (["check", "--format", "json", "--include", "spans", "r.txt"], "unknown part spans"),
        (["check"], "the following arguments are required: FILE"),
        ([], "the following arguments are required: COMMAND"),
        (["rules", "NOPE001"], "unknown rule 'NOPE001'"),
    ],
)
def test_bad_usage_exits_2(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


# -- inputs ------------------------------------------------------------------------------


def test_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD.encode("utf-8")), encoding="utf-8"))
    assert main(["check", "--format", "json", "-"]) == 1
    (line,) = json_lines(capsys.readouterr().out)
    assert line["path"] == "<stdin>"
    assert [f["code"] for f in line["findings"]] == ["SHR001", "SHR002"]


def test_gb18030_file_is_decoded_and_noted(tmp_path, capsys):
    path = write(tmp_path, "gb.txt", BAD, encoding="gb18030")
    assert main(["check", "--format", "json", path]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"tally: {path}: not UTF-8, read as GB18030\n"
    (line,) = json_lines(captured.out)
    assert line["findings"][0]["text"] == "30%"
    assert line["findings"][0]["start"] == BAD.index("30%")


def test_missing_file_beside_a_good_one(tmp_path, capsys):
    missing = str(tmp_path / "missing.txt")
    good = write(tmp_path, "clean.txt", CLEAN)
    assert main(["check", missing, good]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"tally: error: {missing}: No such file or directory\n"
    assert captured.out.splitlines()[0] == good
    assert "核对 4 处" in captured.out


def test_unreadable_input_wins_over_findings(tmp_path, capsys):
    undecodable = tmp_path / "binary.txt"
    undecodable.write_bytes(b"\xff\xfe\xff")
    bad = write(tmp_path, "bad.txt", BAD)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["check", "--format", "json", str(undecodable), str(empty), bad]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[:2] == [
        f"tally: error: {undecodable}: not UTF-8 (byte 0xff at offset 0) nor GB18030",
        f"tally: error: {empty}: a folder with no .txt, .docx, .pdf files in it",
    ]
    assert "共 3 个文件：已检查 1 个，有错误的 1 个，无法读取 2 个" in captured.err
    assert [line["path"] for line in json_lines(captured.out)] == [bad]


# -- rules, module entry point, serve -----------------------------------------------------


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES, strict=True):
        assert line.split()[:3] == [rule.code, rule.name, rule.severity]
        assert line.endswith(rule.summary)


def test_rules_code_prints_its_doc(capsys):
    assert main(["rules", "chg001"]) == 0
    out = capsys.readouterr().out
    rule = next(r for r in RULES if r.code == "CHG001")
    assert out.startswith("CHG001 rate-on-wrong-base (error)\n")
    assert rule.doc.strip() in out


def test_python_m_service_is_tally():
    result = subprocess.run(
        [sys.executable, "-m", "service", "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tally ")
    for command in ("check", "rules", "serve"):
        assert command in result.stdout


def test_seed_000(seed_000, tmp_path, capsys):
    path = write(tmp_path, "000.txt", seed_000)
    assert main(["check", path]) == 1
    out = capsys.readouterr().out
    assert "增长【52.17%】" in out
    assert "建议：改为 109.10%" in out
    assert f"错误 SUM001 {rule_title('SUM001')}" in out


def test_serve_answers_healthz():
    try:
        from service.http import create_app  # noqa: F401
    except ImportError:
        pytest.skip("service.http is not available")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "service", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, "tally serve exited"
                assert time.monotonic() < deadline, "tally serve did not answer in time"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_closed_pipe_ends_quietly(tmp_path):
    """tally check … | head: no traceback when the reader stops early."""
    import subprocess
    import sys

    report = tmp_path / "r.txt"
    report.write_text(
        ("2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。\n" * 400), encoding="utf-8"
    )
    proc = subprocess.run(
        f"{sys.executable} -m service check --format json {report} | head -c 10 > /dev/null",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr


def test_serve_reads_host_and_port_from_the_environment_and_says_where_it_serves(monkeypatch, capsys):
    import werkzeug.serving

    served = {}
    monkeypatch.setattr(
        werkzeug.serving, "run_simple", lambda host, port, app, **kw: served.update(host=host, port=port)
    )
    monkeypatch.setenv("TALLY_HOST", "0.0.0.0")
    monkeypatch.setenv("TALLY_PORT", "9123")
    assert main(["serve"]) == 0
    assert served == {"host": "0.0.0.0", "port": 9123}
    assert "http://0.0.0.0:9123" in capsys.readouterr().err
    assert main(["serve", "--port", "9124"]) == 0  # the flag wins over the environment
    assert served["port"] == 9124


def test_serve_refuses_a_port_that_is_no_port(monkeypatch, capsys):
    monkeypatch.setenv("TALLY_PORT", "80a")
    with pytest.raises(SystemExit) as exit_:
        main(["serve"])
    assert exit_.value.code == 2
    assert "not a port number: '80a'" in capsys.readouterr().err
