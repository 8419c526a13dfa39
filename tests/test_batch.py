"""``tally check DIR``: folders walked, files checked in parallel, results in input order, a summary at the end."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from test_documents import PLANTED, make_docx, make_pdf

from service.cli import Progress, main
from service.report.wording import rule_title

CLEAN = "2019年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Good files at the top and in nested folders, a broken one, and files that are not reports."""
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(PLANTED, encoding="utf-8")
    (tmp_path / "b" / "report.docx").write_bytes(make_docx())
    (tmp_path / "b" / "deeper" / "report.pdf").write_bytes(make_pdf())
    (tmp_path / "b" / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "c.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "notes.md").write_text(PLANTED, encoding="utf-8")  # not a suffix the walk takes
    return tmp_path


ORDER = ["a.txt", "b/broken.pdf", "b/deeper/report.pdf", "b/report.docx", "c.txt"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_folder_json_lines_in_input_order_and_summary_on_stderr(folder, capsys, jobs):
    assert main(["check", "--format", "json", "--jobs", jobs, str(folder)]) == 2
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    checked = [name for name in ORDER if name != "b/broken.pdf"]
    assert [line["path"] for line in lines] == [str(folder / name) for name in checked]
    by_name = dict(zip(checked, lines, strict=True))
    assert "document" not in by_name["a.txt"]  # a text file's line is as before
    pdf = by_name["b/deeper/report.pdf"]
    assert pdf["document"]["kind"] == "pdf"
    shr = next(f for f in pdf["findings"] if f["code"] == "SHR001")
    assert pdf["document"]["text"][shr["start"] : shr["end"]] == "30%"
    assert shr["location"]["page"] == 2 and len(shr["location"]["box"]) == 4
    assert by_name["b/report.docx"]["findings"][0]["location"] == {"paragraph": 2}
    err = captured.err.splitlines()
    broken = f"{folder / 'b/broken.pdf'}: a damaged PDF (not in PDF format, or corrupted)"
    assert err[0] == f"tally: error: {broken}"
    assert "共 5 个文件：已检查 4 个，有错误的 3 个，无法读取 1 个" in err
    rows = {line.split()[0]: line.split()[1:] for line in err if line.startswith("  ") and len(line.split()) == 4}
    assert rows["规则族"] == ["错误", "警告", "提示"]
    assert rows["SHR"] == ["6", "0", "0"]  # SHR001 and SHR002 in each of three files
    assert err[-2:] == ["无法读取：", f"  {broken}"]


def test_text_format_ends_with_the_summary_table(folder, capsys):
    assert main(["check", str(folder / "a.txt"), str(folder / "c.txt")]) == 1
    out = capsys.readouterr().out
    summary = out[out.index("共 2 个文件") :].splitlines()
    assert summary[0] == "共 2 个文件：已检查 2 个，有错误的 1 个，无法读取 0 个"
    assert summary[1].split() == ["规则族", "错误", "警告", "提示"]
    assert summary[-1].split() == ["合计", "2", "0", "0"]
    # the columns line up on a terminal, where a Chinese character takes two columns
    columns = {sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line) for line in summary[1:]}
    assert len(columns) == 1
    # one file: no table, as before
    assert main(["check", str(folder / "c.txt")]) == 0
    assert "个文件" not in capsys.readouterr().out


def test_english_summary_table_on_request(folder, capsys):
    assert main(["check", "--lang", "en", str(folder / "a.txt"), str(folder / "c.txt")]) == 1
    out = capsys.readouterr().out
    summary = out[out.index("2 files: ") :].splitlines()
    assert summary[0] == "2 files: 2 checked, 1 with errors, 0 could not be read"
    assert summary[1].split() == ["family", "errors", "warnings", "infos"]
    assert summary[-1].split() == ["total", "2", "0", "0"]


def test_one_bad_file_never_stops_the_batch_and_only_good_files_exit_1(folder, capsys):
    good = [str(folder / "a.txt"), str(folder / "b" / "report.docx")]
    assert main(["check", "--format", "json", *good]) == 1
    assert main(["check", "--format", "json", "--fail-on", "never", *good]) == 0
    assert main(["check", "--format", "json", str(folder / "b" / "broken.pdf"), *good]) == 2
    assert len(capsys.readouterr().out.splitlines()) == 6


def test_text_format_names_page_and_cell(folder, capsys):
    main(["check", str(folder / "b" / "deeper" / "report.pdf"), str(folder / "b" / "report.docx")])
    out = capsys.readouterr().out
    assert f"SHR001 {rule_title('SHR001')} · 第 2 页" in out
    assert "UNIT001" in out and "· 第 1 个表格第 2 行第 2 格" in out


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--jobs", "0", "x.txt"])
    assert "expected a positive whole number" in capsys.readouterr().err


def test_progress_bar_only_on_a_terminal(folder):
    piped = subprocess.run(
        [sys.executable, "-m", "service", "check", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "\r" not in piped.stderr and "[#" not in piped.stderr
    assert piped.returncode == 2


def test_progress_draws_in_place(capsys):
    progress = Progress(4)
    progress.advance()
    progress.clear()
    assert capsys.readouterr().err == "\r[#######.......................] 1/4 files\r\x1b[K"
