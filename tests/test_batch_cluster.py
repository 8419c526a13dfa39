"""``tally batch``: files checked as Dask tasks on a local cluster, results in shards, a summary, resumable.

The clusters here are real: ``LocalCluster`` in this process (the command's own default), and one of
worker processes for a worker that is lost. The check processes are real child processes; the
``work`` functions below (run in them, found through PYTHONPATH) stand for a file that hangs, one
that eats memory and one that crashes the process, around the real ``check_file``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import psutil
import pytest
from test_documents import PLANTED, make_docx, make_pdf

from service.batch import Bar, Limits, check_file, collect, records, run
from service.cli import Settings, check_input, main

CLEAN = "2019年本年支出合计100万元，其中：基本支出25万元，占25%；项目支出75万元，占75%。"
TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def importable(monkeypatch):
    """The check processes import this module to run the ``work`` functions below."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")])))


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "b" / "deeper").mkdir(parents=True)
    (folder / "a.txt").write_text(PLANTED, encoding="utf-8")
    (folder / "b" / "report.docx").write_bytes(make_docx())
    (folder / "b" / "deeper" / "report.pdf").write_bytes(make_pdf())
    (folder / "b" / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    (folder / "c.txt").write_text(CLEAN, encoding="utf-8")
    (folder / "notes.md").write_text(PLANTED, encoding="utf-8")  # not a report: the walk leaves it
    return folder


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quiet(lines: list[str]):
    return lines.append


# work functions for the check process (importable by name there)


def hangs(path: str, timeout: float) -> dict:
    if path.endswith("slow.txt"):
        time.sleep(120)  # outside the engine's budget, as a stuck extraction would be
    return check_file(path, timeout)


def out_of_budget(path: str, timeout: float) -> dict:
    return check_file(path, 1e-9 if path.endswith("slow.txt") else timeout)


def misbehaves(path: str, timeout: float) -> dict:
    if path.endswith("big.txt"):
        block = b"x" * (900 * 2**20)  # touched, so resident
        time.sleep(30)
        return {"never": len(block)}
    if path.endswith("crash.txt"):
        os.kill(os.getpid(), signal.SIGKILL)  # as a crash in a native library would end it
    return check_file(path, timeout)


def loses_its_worker_once(path: str, timeout: float) -> dict:
    marker = Path(path).with_suffix(".lost")
    if path.endswith("lost.txt") and not marker.exists():
        marker.write_text(str(os.getpid()))  # this check process: it is to end with its worker
        os.kill(os.getppid(), signal.SIGKILL)  # the Dask worker process this check process belongs to
        time.sleep(30)  # left without its worker, the check process ends itself within a second
    return check_file(path, timeout)


def test_every_file_one_record_in_shards_with_the_report_and_a_summary(reports, tmp_path):
    out = tmp_path / "out"
    said: list[str] = []
    this, summary = run([str(reports)], out, workers=2, shard_size=2, dashboard=None, progress=False, say=said.append)
    assert (this.inputs, this.checked, this.failed, this.skipped) == (5, 5, 1, 0)
    assert said[0] == "local cluster: 2 threads, each with a check process"
    shards = sorted(out.glob("results-*.jsonl"))
    assert [p.name for p in shards] == ["results-00001.jsonl", "results-00002.jsonl", "results-00003.jsonl"]
    by_path = {Path(r["path"]).relative_to(reports).as_posix(): r for r in records(out)}
    assert sorted(by_path) == ["a.txt", "b/broken.pdf", "b/deeper/report.pdf", "b/report.docx", "c.txt"]
    for name, record in by_path.items():
        assert record["sha256"] == sha(reports / name)
        assert record["worker"] and record["seconds"] >= 0
    broken = by_path["b/broken.pdf"]
    assert broken["status"] == "failed" and "report" not in broken
    assert broken["error"] == {"code": "unreadable_document", "message": broken["error"]["message"]}
    assert broken["error"]["message"].startswith("a damaged PDF")
    # each report is what `tally check --format json` gives for the file, provenance included
    for name in ("a.txt", "b/report.docx", "b/deeper/report.pdf", "c.txt"):
        record = by_path[name]
        assert record["status"] == "ok" and "error" not in record
        assert record["report"]["provenance"]["input_sha256"] == record["sha256"]
        expected = json.loads(check_input(str(reports / name), None, Settings(fmt="json")).output)
        assert {"path": record["path"], **record["report"]} == expected
    pdf = by_path["b/deeper/report.pdf"]["report"]
    assert pdf["document"]["kind"] == "pdf"
    assert next(f for f in pdf["findings"] if f["code"] == "SHR001")["location"]["page"] == 2

    assert summary["files"] == 5 and summary["checked"] == 4 and summary["failed"] == 1
    assert summary["files_with_errors"] == 3
    assert summary["findings"]["by_family"]["SHR"] == {"error": 6, "warning": 0, "info": 0}
    assert summary["failures"] == [
        {"path": broken["path"], "sha256": broken["sha256"], **broken["error"]},
    ]
    assert summary["failures_by_code"] == {"unreadable_document": 1}
    most = summary["most_errors"]
    assert sorted(Path(f["path"]).name for f in most) == ["a.txt", "report.docx", "report.pdf"]
    errors = {
        r["path"]: sum(f["severity"] == "error" for f in r["report"]["findings"])
        for r in by_path.values()
        if "report" in r
    }
    assert [f["error"] for f in most] == sorted((errors[f["path"]] for f in most), reverse=True)
    assert all(f["error"] == errors[f["path"]] for f in most)
    assert summary["run"]["checked"] == 5 and summary["run"]["skipped"] == 0
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(StringIO(raw.decode("utf-8-sig"))))
    assert rows[:2] == [["files", "checked", "failed", "files_with_errors"], ["5", "4", "1", "3"]]
    assert ["SHR", "6", "0", "0"] in rows
    failed_at = rows.index(["failed: path", "code", "message", "sha256"])
    assert rows[failed_at + 1][:2] == [broken["path"], "unreadable_document"]


def test_a_rerun_skips_what_has_a_result_and_the_outputs_are_the_union(reports, tmp_path):
    out = tmp_path / "out"
    first = [str(reports / "a.txt"), str(reports / "b" / "broken.pdf")]
    this, _ = run(first, out, workers=1, dashboard=None, progress=False, say=quiet([]))
    assert (this.checked, this.skipped) == (2, 0)
    said: list[str] = []
    this, summary = run(first, out, workers=1, dashboard=None, progress=False, say=said.append)
    assert (this.checked, this.skipped) == (0, 2)
    assert said == [f"nothing to check: all 2 files already have a result in {out}"]
    assert len(list(out.glob("results-*.jsonl"))) == 1 and summary["files"] == 2
    # a larger run with the same --out checks only the new files; the outputs cover both runs
    said.clear()
    this, summary = run([str(reports)], out, workers=2, dashboard=None, progress=False, say=said.append)
    assert (this.checked, this.skipped) == (3, 2)
    assert said[0] == f"2 of 5 files already have a result in {out}: checking the other 3"
    paths = sorted(Path(r["path"]).name for r in records(out))
    assert paths == ["a.txt", "broken.pdf", "c.txt", "report.docx", "report.pdf"]
    assert summary["files"] == 5 and summary["failed"] == 1 and summary["run"]["skipped"] == 2
    assert len(list(out.glob("results-*.jsonl"))) == 2
    # --retry-failed checks the failed one again, and only it
    this, summary = run(
        [str(reports)], out, workers=1, dashboard=None, progress=False, retry_failed=True, say=quiet([])
    )
    assert (this.checked, this.skipped) == (1, 4)
    assert len(list(records(out))) == 6  # the old record stays; the summary counts the last one of a file
    assert (summary["files"], summary["failed"], summary["failures_by_code"]) == (5, 1, {"unreadable_document": 1})


def test_a_hung_file_is_stopped_and_recorded_the_others_checked(reports, tmp_path):
    (reports / "slow.txt").write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out"
    limits = Limits(timeout=1.5)
    started = time.monotonic()
    _, summary = run(
        [str(reports / "a.txt"), str(reports / "slow.txt"), str(reports / "c.txt")],
        out, workers=1, limits=limits, dashboard=None, progress=False, work=hangs, say=quiet([]),
    )  # fmt: skip
    assert time.monotonic() - started < 30  # the hour-long sleep did not hold up the run
    by_name = {Path(r["path"]).name: r for r in records(out)}
    slow = by_name["slow.txt"]
    assert slow["status"] == "failed" and slow["error"]["code"] == "timeout"
    assert slow["error"]["message"] == "still running 2.8 s after it started (the limit is 1.5 s): stopped"
    assert slow["sha256"] == sha(reports / "slow.txt")  # recorded, so a rerun does not try it again
    assert limits.hard_timeout <= slow["seconds"] < limits.hard_timeout + 2
    assert by_name["a.txt"]["status"] == by_name["c.txt"]["status"] == "ok"  # the next file had a new process
    assert summary["failures_by_code"] == {"timeout": 1}


def test_a_file_past_the_engines_budget_is_failed_with_the_partial_report(reports, tmp_path):
    (reports / "slow.txt").write_text(PLANTED * 3, encoding="utf-8")
    out = tmp_path / "out"
    run([str(reports / "slow.txt"), str(reports / "a.txt")], out, workers=1, dashboard=None, progress=False,
        work=out_of_budget, say=quiet([]))  # fmt: skip
    by_name = {Path(r["path"]).name: r for r in records(out)}
    slow = by_name["slow.txt"]
    assert slow["status"] == "failed" and slow["error"]["code"] == "time_budget"
    assert "time budget ran out" in slow["error"]["message"]
    assert slow["report"]["coverage"]["incomplete"] is True
    assert by_name["a.txt"]["status"] == "ok"


def test_memory_and_crashes_fail_their_file_only(reports, tmp_path):
    (reports / "big.txt").write_text(CLEAN, encoding="utf-8")
    (reports / "crash.txt").write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out"
    inputs = [str(reports / name) for name in ("big.txt", "a.txt", "crash.txt", "c.txt")]
    limits = Limits(timeout=20, memory=500 * 2**20)
    this, summary = run(inputs, out, workers=1, limits=limits, dashboard=None, progress=False, work=misbehaves,
                        say=quiet([]))  # fmt: skip
    by_name = {Path(r["path"]).name: r for r in records(out)}
    big = by_name["big.txt"]
    assert big["status"] == "failed" and big["error"]["code"] == "memory", big
    assert big["error"]["message"].endswith("past the 500 MiB limit: stopped") and big["seconds"] < 10
    assert by_name["crash.txt"]["error"] == {"code": "crashed", "message": "the check process died (killed by SIGKILL)"}
    assert by_name["a.txt"]["status"] == by_name["c.txt"]["status"] == "ok"  # each after a new check process
    assert (this.checked, this.failed) == (4, 2) and summary["failures_by_code"] == {"crashed": 1, "memory": 1}


def test_a_lost_worker_gives_its_task_to_another_on_a_scheduler(reports, tmp_path):
    """A cluster of worker processes reached through --scheduler: a worker killed mid-task is replaced
    by its nanny, and the task runs again there."""
    from distributed import LocalCluster

    (reports / "lost.txt").write_text(PLANTED, encoding="utf-8")
    out = tmp_path / "out"
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        said: list[str] = []
        this, _ = run([str(reports / "lost.txt"), str(reports / "c.txt")], out, scheduler=cluster.scheduler_address,
                      progress=False, work=loses_its_worker_once, say=said.append)  # fmt: skip
    assert said[0] == f"connected to {cluster.scheduler_address}: 1 worker, 1 thread"
    orphan = int((reports / "lost.lost").read_text())  # the first try did kill its worker
    for _ in range(50):
        if not psutil.pid_exists(orphan) or psutil.Process(orphan).status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the check process of the lost worker was left running")
    by_name = {Path(r["path"]).name: r for r in records(out)}
    assert by_name["lost.txt"]["status"] == "ok" and by_name["c.txt"]["status"] == "ok"
    assert this.checked == 2 and this.failed == 0


def test_inputs_folders_files_and_manifests(reports, tmp_path):
    (tmp_path / "lists").mkdir()
    manifest = tmp_path / "lists" / "year.lst"
    manifest.write_text(f"# a comment\n../in/a.txt\n\n{reports / 'b'}\n../in/missing.pdf\n", encoding="utf-8")
    named = tmp_path / "lists" / "more.txt"
    named.write_text("../in/c.txt\n", encoding="utf-8")
    files, problems = collect([str(manifest), f"@{named}", str(reports / "a.txt"), str(tmp_path / "nowhere")])
    names = [Path(p).relative_to(reports).as_posix() for p in files]
    assert names == ["a.txt", "b/broken.pdf", "b/deeper/report.pdf", "b/report.docx", "c.txt"]
    assert all(Path(p).is_absolute() for p in files)
    assert problems == ["../in/missing.pdf: no such file or folder", f"{tmp_path / 'nowhere'}: no such file or folder"]


def test_the_command_on_a_pipe_no_bar_and_a_clear_last_line(reports, tmp_path):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "service", "batch", str(reports / "a.txt"), str(reports / "c.txt")]
    done = subprocess.run([*command, "--out", str(out), "--workers", "1"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and "\r" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "tally batch: local cluster: 1 thread, each with a check process"
    assert lines[1].startswith("tally batch: dashboard: ")
    assert lines[-1].startswith("tally batch: checked 2 files (0 failed) in ")
    assert lines[-1].endswith(
        f"skipped 0 already done. {out}: 2 files, 0 failed, 1 with errors (summary.json, summary.csv)"
    )
    again = subprocess.run([*command, "--out", str(out)], capture_output=True, text=True, check=False)
    assert again.returncode == 0
    assert f"tally batch: nothing to check: all 2 files already have a result in {out}" in again.stderr


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--timeout", "0", "expected a number of seconds above 0, not '0'"),
        ("--memory-limit", "lots", "expected a size such as 2GiB or 500MB, not 'lots'"),
        ("--workers", "0", "expected a positive whole number, not '0'"),
    ],
)
def test_bad_flags_are_usage_errors(capsys, tmp_path, flag, value, message):
    with pytest.raises(SystemExit) as stopped:
        main(["batch", "x.txt", "--out", str(tmp_path), flag, value])
    assert stopped.value.code == 2 and message in capsys.readouterr().err


def test_no_input_to_check_is_exit_2_with_the_reason(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"tally batch: error: {tmp_path / 'nowhere'}: no such file or folder" in err
    assert "tally batch: nothing to check: no .txt, .docx or .pdf file among the inputs" in err


def test_the_bar_counts_done_failed_rate_and_time_left():
    stream = StringIO()
    bar = Bar(4, stream)
    bar.started -= 2.0  # two seconds in
    bar.advance(False)
    bar.drawn = 0
    bar.advance(True)
    lines = stream.getvalue().split("\r")[1:]
    assert lines[-1].startswith("[###############...............] 2/4 files · 1 failed · 1.0 files/s · 2s left")


@pytest.mark.parametrize("bokeh", [False, True])
def test_the_local_dashboard_is_named_or_said_to_be_off(reports, tmp_path, monkeypatch, bokeh):
    import service.batch

    if bokeh:
        pytest.importorskip("bokeh", reason="the dashboard needs bokeh (pip install 'tally[dashboard]')")
    else:
        monkeypatch.setattr(service.batch, "_has_bokeh", lambda: False)
    said: list[str] = []
    run([str(reports / "c.txt")], tmp_path / "out", workers=1, dashboard="127.0.0.1:0", progress=False, say=said.append)
    if bokeh:
        assert said[1].startswith("dashboard: http://127.0.0.1:") and said[1].endswith("/status")
        assert said[1] != "dashboard: http://127.0.0.1:0/status"  # the port it was given
    else:
        assert said[1] == "dashboard: off (bokeh is not installed; pip install 'bokeh>=3.1' to see it)"


def test_a_word_bomb_is_stopped_alone(reports, tmp_path):
    """A real .docx of 1 MB whose paragraphs expand to some 250 MB of XML, under a 400 MiB limit: the
    check process is stopped (or the reader refuses it, once it measures what a file expands to)."""
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("x")
    plain = reports / "plain.docx"
    document.save(plain)
    bomb = reports / "bomb.docx"
    paragraph = b"<w:p><w:r><w:t>" + "本年支出合计100万元。".encode() * 200 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + paragraph * 60000)
            target.writestr(item, data)
    assert bomb.stat().st_size < 2 * 2**20
    out = tmp_path / "out"
    limits = Limits(timeout=60, memory=400 * 2**20)
    started = time.monotonic()
    run([str(bomb), str(reports / "a.txt")], out, workers=1, limits=limits, dashboard=None, progress=False,
        say=quiet([]))  # fmt: skip
    assert time.monotonic() - started < 30
    by_name = {Path(r["path"]).name: r for r in records(out)}
    record = by_name["bomb.docx"]
    assert record["status"] == "failed" and record["sha256"] == sha(bomb)
    assert record["error"]["code"] not in {"timeout", "crashed", "lost", "internal_error"}, record["error"]
    assert record["error"]["code"] != "memory" or record["error"]["message"].endswith("400 MiB limit: stopped")
    assert by_name["a.txt"]["status"] == "ok"
