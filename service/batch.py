"""``tally batch INPUTS… --out DIR``: check many files on a Dask cluster and keep the answers.

A shell, like cli.py: inputs are files, folders (walked for .txt/.docx/.pdf) and manifests (one
path a line; ``@FILE``, or any input whose suffix is not a report's), each file one Dask task.
With ``--scheduler tcp://host:8786`` the tasks go to that scheduler's workers; without it a local
cluster starts in this process (``--workers N`` threads, one per CPU by default) and its
dashboard address is printed (the dashboard needs bokeh; without it the dashboard is off and
that is said).

Each task runs in a Dask worker thread, which hands the file to a check process of its own
(``Sandbox``: a child Python that has the pipeline loaded, reused from file to file):

- time: the check gets ``--timeout`` seconds as the engine's own budget (``deadline=``); a file
  whose budget ran out is recorded as failed (``time_budget``) with the partial report; a check
  process still busy ``hard_timeout`` seconds after it was handed the file (extraction is outside
  the engine's budget) is killed and the file recorded as failed (``timeout``);
- memory: the worker thread reads the check process's resident size every 50 ms and kills it
  past ``--memory-limit`` (``memory``); Dask's own worker memory limit guards the worker process,
  which holds no document;
- a check process that dies (a crash in a native library, the kernel's OOM killer) fails its file
  (``crashed``) and is started anew for the next one; a worker that is lost takes its tasks to
  another worker (the scheduler's ``allowed-failures``), a task that raises is tried again
  (``--retries``), and one that still fails is recorded as ``lost``. No file holds up the run.

Results (written by this process only, as they come in): ``DIR/results-NNNNN.jsonl``, a new shard
every ``--shard-size`` records and with each run, one object a line: ``path``, ``sha256`` (of the
bytes checked), ``status`` (``ok`` or ``failed``), ``error`` (``{"code", "message"}``, when failed),
``report`` (the ``/v1/check`` body with its ``provenance``; a Word or PDF file adds ``document`` and
a ``location`` per finding, as ``tally check --format json`` does), ``seconds`` and ``worker``.
Every run ends by writing ``DIR/summary.json`` and ``DIR/summary.csv`` (UTF-8 with a BOM, so that
Excel reads the Chinese) over all the shards: files, failures and why, findings per rule family
and severity (of the files checked whole), and the files with the most errors.

Rerunning with the same ``--out`` skips every file whose sha256 already has a result, failed ones
too (``--retry-failed`` checks those again); an interrupted run keeps what it wrote.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import hashlib
import io
import json
import os
import pickle
import selectors
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .model import SEVERITIES
from .read.documents import SUFFIXES

DEFAULT_TIMEOUT = 60.0  # seconds a file may take: the engine's budget
DEFAULT_MEMORY = "2GiB"  # resident size a check process may reach
SHARD_SIZE = 1000  # records a shard holds
MOST_ERRORS = 20  # files listed under most_errors
POLL = 0.05  # seconds between two looks at a check process's size
STARTUP = 300.0  # seconds a check process may take to load the pipeline
SHARD_GLOB = "results-*.jsonl"
CHILD = "import service.batch as b; b.serve()"


@dataclass(frozen=True)
class Limits:
    """What one file may cost: ``timeout`` seconds of the engine's budget, ``memory`` bytes."""

    timeout: float = DEFAULT_TIMEOUT
    memory: int = 2 * 1024**3

    @property
    def hard_timeout(self) -> float:
        """When a check process still busy with a file is killed: the budget, a fifth more, a second more."""
        return self.timeout * 1.2 + 1.0


# --------------------------------------------------------------------------- in the check process


def check_file(path: str, timeout: float) -> dict[str, Any]:
    """One file's record: read, extract and check it within ``timeout`` seconds; never raises for a bad file."""
    from .model import Options
    from .pipeline import check
    from .read.documents import DocumentError, extract, with_locations

    deadline = time.perf_counter() + timeout
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return failed(path, None, "unreadable", exc.strerror or str(exc))
    sha = hashlib.sha256(data).hexdigest()
    try:
        extracted = extract(data, path)
        report = check(extracted, Options(), deadline=deadline, data=data)
    except DocumentError as exc:
        return failed(path, sha, exc.code, exc.message)
    except ValueError as exc:  # a text past the engine's length limit
        return failed(path, sha, "too_long", str(exc))
    body = report.to_dict()
    if extracted.kind != "txt":
        body = with_locations(body, extracted, Path(path).name)
    record: dict[str, Any] = {"path": path, "sha256": sha, "status": "ok", "report": body}
    coverage = report.coverage
    if coverage.get("incomplete"):
        stage = coverage.get("stopped_in") or "checks"
        message = f"the {timeout:g} s time budget ran out in the {stage} stage; the report has what was checked"
        record = {**record, "status": "failed", "error": {"code": "time_budget", "message": message}}
    return record


def failed(path: str, sha: str | None, code: str, message: str) -> dict[str, Any]:
    return {"path": path, "sha256": sha, "status": "failed", "error": {"code": code, "message": message}}


def serve() -> None:
    """The check process: load the pipeline, then run each ``(work, args)`` read from stdin, answering on stdout."""
    reply = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, never into the answers
    requests = sys.stdin.buffer
    from .pipeline import warm_up

    parent = os.getppid()

    def orphaned() -> None:  # a worker that died leaves no check process running on
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=orphaned, daemon=True).start()
    warm_up()
    _send(reply, ("ready", os.getpid()))
    while True:
        try:
            work, args = _receive(requests)
        except EOFError:  # the worker closed the pipe, or died
            return
        try:
            answer = ("ok", work(*args))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}")
        _send(reply, answer)


def _send(stream, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("!Q", len(data)) + data)
    stream.flush()


def _receive(stream) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("!Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


# --------------------------------------------------------------------------- in a Dask worker


class Sandbox:
    """A check process of one worker thread, started when first needed and again after it was killed."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.buffer = b""

    def start(self) -> None:
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
        )
        self.buffer = b""
        kind, value = self._read(time.monotonic() + STARTUP, None)
        if kind != "ok" or value[0] != "ready":
            self.stop()
            raise RuntimeError(f"the check process did not start ({kind})")

    def ready(self) -> None:
        """Start the check process unless it is running."""
        if self.process is None or self.process.poll() is not None:
            self.start()

    def run(self, work: Callable, args: tuple, limits: Limits) -> tuple[str, Any]:
        """``("ok", result)``, ``("error", message)`` for an exception in ``work``, or ``("timeout", seconds)``,
        ``("memory", bytes)``, ``("crashed", exit status)`` for a check process that was stopped or died."""
        self.ready()
        assert self.process is not None and self.process.stdin is not None
        try:
            _send(self.process.stdin, (work, args))
        except BrokenPipeError:
            return "crashed", self._stopped()
        kind, value = self._read(time.monotonic() + limits.hard_timeout, limits.memory)
        return value if kind == "ok" else (kind, value)

    def _read(self, until: float, memory: int | None) -> tuple[str, Any]:
        """The next answer, or why there is none: ``timeout``, ``memory`` (the process is killed) or ``crashed``."""
        import psutil

        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        watched = psutil.Process(self.process.pid)
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                answer = self._parse()
                if answer is not None:
                    return "ok", answer
                left = until - time.monotonic()
                if left <= 0:
                    self.stop()
                    return "timeout", None
                if selector.select(min(POLL, left)):
                    chunk = os.read(fd, 1 << 20)
                    if not chunk:
                        return "crashed", self._stopped()
                    self.buffer += chunk
                    continue
                if memory is not None:
                    try:
                        rss = watched.memory_info().rss
                    except psutil.NoSuchProcess:
                        return "crashed", self._stopped()
                    if rss > memory:
                        self.stop()
                        return "memory", rss

    def _parse(self) -> Any:
        if len(self.buffer) < 8:
            return None
        (size,) = struct.unpack("!Q", self.buffer[:8])
        if len(self.buffer) < 8 + size:
            return None
        data, self.buffer = self.buffer[8 : 8 + size], self.buffer[8 + size :]
        return pickle.loads(data)

    def _stopped(self) -> int | None:
        status = self.process.wait(5) if self.process is not None else None
        self.process = None
        return status

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


_local = threading.local()
_sandboxes: list[Sandbox] = []  # every check process this process started
_idle: list[Sandbox] = []  # those whose threads are gone (a local cluster closed): the next threads take them
_sandboxes_lock = threading.Lock()


def _sandbox() -> Sandbox:
    sandbox = getattr(_local, "sandbox", None)
    if sandbox is None:
        with _sandboxes_lock:
            sandbox = _idle.pop() if _idle else Sandbox()
            if sandbox not in _sandboxes:
                _sandboxes.append(sandbox)
        _local.sandbox = sandbox
    return sandbox


def release_sandboxes() -> None:
    """After a local cluster closed: its threads' check processes wait for the next cluster's threads."""
    with _sandboxes_lock:
        _idle[:] = list(_sandboxes)


@atexit.register
def stop_sandboxes() -> None:
    """Stop this process's check processes (they also stop by themselves when it exits)."""
    with _sandboxes_lock:
        for sandbox in _sandboxes:
            sandbox.stop()
        _sandboxes.clear()
        _idle.clear()


def run_task(path: str, limits: Limits, work: Callable = check_file) -> dict[str, Any]:
    """The Dask task: one file's record, checked in this worker thread's check process."""
    sandbox = _sandbox()
    sandbox.ready()  # loading the pipeline is not the file's time
    started = time.perf_counter()
    kind, value = sandbox.run(work, (path, limits.timeout), limits)
    if kind == "ok":
        record = value
    elif kind == "error":
        record = failed(path, _digest(path), "internal_error", value)
    elif kind == "timeout":
        message = f"still running {limits.hard_timeout:.1f} s after it started (the limit is {limits.timeout:g} s)"
        record = failed(path, _digest(path), "timeout", message + ": stopped")
    elif kind == "memory":
        message = f"used {value / 2**20:,.0f} MiB, past the {limits.memory / 2**20:,.0f} MiB limit: stopped"
        record = failed(path, _digest(path), "memory", message)
    else:
        how = f"killed by {_signal_name(-value)}" if isinstance(value, int) and value < 0 else f"exit status {value}"
        record = failed(path, _digest(path), "crashed", f"the check process died ({how})")
    record["seconds"] = round(time.perf_counter() - started, 3)
    record["worker"] = _worker_address()
    return record


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _worker_address() -> str | None:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def _digest(path: str) -> str | None:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


# --------------------------------------------------------------------------- inputs


def collect(inputs: Sequence[str]) -> tuple[list[str], list[str]]:
    """The files to check (absolute paths, each once, in input order) and the problems with the inputs."""
    files: dict[str, None] = {}
    problems: list[str] = []

    def add(item: str, base: Path | None, seen: frozenset[Path]) -> None:
        manifest = item.startswith("@")
        path = Path(item[1:] if manifest else item).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        path = Path(os.path.normpath(path.absolute()))
        if path.is_dir() and not manifest:
            found = sorted(
                (p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()), key=lambda p: p.parts
            )
            files.update((str(p), None) for p in found)
            if not found:
                problems.append(f"{item}: a folder with no {', '.join(SUFFIXES)} files in it")
        elif not path.is_file():
            problems.append(f"{item}: no such file or folder")
        elif manifest or path.suffix.lower() not in SUFFIXES:
            if path in seen:
                problems.append(f"{item}: a manifest that lists itself")
                return
            try:
                lines = path.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{item}: cannot read the manifest ({exc})")
                return
            for line in lines:
                line = line.strip()
                if line and not line.startswith("#"):
                    add(line, path.parent, seen | {path})
        else:
            files[str(path)] = None

    for item in inputs:
        add(item, None, frozenset())
    return list(files), problems


# --------------------------------------------------------------------------- results


class Shards:
    """JSON Lines shards in ``folder``: a new one every ``size`` records and for every run."""

    def __init__(self, folder: Path, size: int = SHARD_SIZE) -> None:
        self.folder = folder
        self.size = size
        taken = [int(p.stem.split("-")[1]) for p in folder.glob(SHARD_GLOB) if p.stem.split("-")[1].isdigit()]
        self.next = max(taken, default=0) + 1
        self.file: io.TextIOWrapper | None = None
        self.count = 0
        self.written: list[Path] = []

    def write(self, record: dict[str, Any]) -> None:
        if self.file is None or self.count >= self.size:
            self.close()
            path = self.folder / f"results-{self.next:05d}.jsonl"
            self.next += 1
            self.file = path.open("x", encoding="utf-8")
            self.written.append(path)
            self.count = 0
        self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.file.flush()  # a record written survives an interrupted run
        self.count += 1

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def records(folder: Path) -> Iterator[dict[str, Any]]:
    """Every record in the shards of ``folder``; a line cut short by an interrupted run is passed over."""
    for path in sorted(folder.glob(SHARD_GLOB)):
        with path.open(encoding="utf-8") as file:
            for line in file:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict) and "path" in record:
                    yield record


@dataclass
class Run:
    """What this run did, for the summary and the last line."""

    inputs: int = 0
    skipped: int = 0
    checked: int = 0
    failed: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def summarise(folder: Path, run: Run | None = None) -> dict[str, Any]:
    """The summary of every record in ``folder``'s shards (and of this run, when given)."""
    from .checks import RULES_BY_CODE

    # a file checked again (--retry-failed) has a later record: the last one of each (path, sha256) counts
    latest: dict[tuple[str, str | None], tuple[str, dict[str, Any], Counter[tuple[str, str]]]] = {}
    for record in records(folder):
        counts: Counter[tuple[str, str]] = Counter()
        if record.get("status") == "ok":
            for finding in (record.get("report") or {}).get("findings", ()):
                rule = RULES_BY_CODE.get(finding["code"])
                family = rule.family if rule else finding["code"].rstrip("0123456789")
                counts[family, finding["severity"]] += 1
        latest[record["path"], record.get("sha256")] = (record.get("status", ""), record.get("error") or {}, counts)
    files, ok = len(latest), 0
    failures: list[dict[str, Any]] = []
    families: dict[str, Counter[str]] = {}
    per_file: list[tuple[int, int, int, str, str | None]] = []
    for (path, sha), (status, error, counts) in latest.items():
        if status != "ok":
            failures.append({"path": path, "sha256": sha, **error})
            continue
        ok += 1
        severities: Counter[str] = Counter()
        for (family, severity), n in counts.items():
            families.setdefault(family, Counter())[severity] += n
            severities[severity] += n
        per_file.append((severities["error"], severities["warning"], severities["info"], path, sha))
    order = list(reversed(SEVERITIES))  # error, warning, info
    by_family = {f: {s: families[f][s] for s in order} for f in sorted(families)}
    most = sorted((row for row in per_file if row[0]), key=lambda r: (-r[0], -r[1], r[3]))[:MOST_ERRORS]
    failures.sort(key=lambda f: f["path"])
    summary: dict[str, Any] = {
        "files": files,
        "checked": ok,
        "failed": len(failures),
        "files_with_errors": sum(1 for row in per_file if row[0]),
        "findings": {
            "total": {s: sum(c[s] for c in by_family.values()) for s in order},
            "by_family": by_family,
        },
        "most_errors": [
            {"path": path, "sha256": sha, "error": e, "warning": w, "info": i} for e, w, i, path, sha in most
        ],
        "failures_by_code": dict(sorted(Counter(f.get("code", "") for f in failures).items())),
        "failures": failures,
    }
    if run is not None:
        summary["run"] = {
            "inputs": run.inputs,
            "skipped": run.skipped,
            "checked": run.checked,
            "failed": run.failed,
            "seconds": round(run.seconds, 3),
            "files_per_second": round(run.checked / run.seconds, 2) if run.seconds and run.checked else None,
            "input_problems": run.problems,
        }
    return summary


def write_summary(folder: Path, summary: dict[str, Any]) -> None:
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    order = list(reversed(SEVERITIES))
    out = io.StringIO()
    rows = csv.writer(out)
    rows.writerow(["files", "checked", "failed", "files_with_errors"])
    rows.writerow([summary["files"], summary["checked"], summary["failed"], summary["files_with_errors"]])
    rows.writerow([])
    rows.writerow(["family", *order])
    for family, counts in summary["findings"]["by_family"].items():
        rows.writerow([family, *(counts[s] for s in order)])
    rows.writerow(["total", *(summary["findings"]["total"][s] for s in order)])
    rows.writerow([])
    rows.writerow(["most errors: path", *order, "sha256"])
    for row in summary["most_errors"]:
        rows.writerow([row["path"], *(row[s] for s in order), row["sha256"]])
    rows.writerow([])
    rows.writerow(["failed: path", "code", "message", "sha256"])
    for row in summary["failures"]:
        rows.writerow([row["path"], row.get("code", ""), row.get("message", ""), row.get("sha256") or ""])
    # UTF-8 with a byte-order mark: Excel takes a CSV without one for the machine's code page
    (folder / "summary.csv").write_text(out.getvalue(), encoding="utf-8-sig", newline="")


# --------------------------------------------------------------------------- the run


class Bar:
    """``[#####.....] 120/1000 files · 3 failed · 12.3 files/s · 1m12s left`` on stderr, redrawn in place."""

    WIDTH = 30

    def __init__(self, total: int, stream=None) -> None:
        self.total = max(total, 1)
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.stream = stream or sys.stderr
        self.drawn = 0.0

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if now - self.drawn >= 0.1 or self.done == self.total:
            self.drawn = now
            self.show(now)

    def show(self, now: float | None = None) -> None:
        elapsed = (now or time.monotonic()) - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate else None
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"\r[{bar}] {self.done}/{self.total} files · {self.failed} failed · {rate:.1f} files/s"
        if left is not None:
            line += f" · {_duration(left)} left"
        self.stream.write(line + "\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def run(
    inputs: Sequence[str],
    out: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    retries: int = 2,
    shard_size: int = SHARD_SIZE,
    retry_failed: bool = False,
    dashboard: str | None = "127.0.0.1:8787",
    progress: bool | None = None,
    work: Callable = check_file,
    say: Callable[[str], None] | None = None,
) -> tuple[Run, dict[str, Any]]:
    """Check ``inputs`` on a cluster into ``out``; this run's counts and the summary of all of ``out``.

    ``dashboard`` is the local cluster's dashboard address (None: none); ``progress`` draws the bar
    (default: when stderr is a terminal); ``work`` is what the check process runs for a file."""
    limits = limits or Limits()
    say = say or (lambda line: print(f"tally batch: {line}", file=sys.stderr, flush=True))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    files, problems = collect(inputs)
    this = Run(inputs=len(files), problems=problems)
    for problem in problems:
        say(f"error: {problem}")
    done: set[str] = set()
    for record in records(out):
        if record.get("sha256") and (record.get("status") == "ok" or not retry_failed):
            done.add(record["sha256"])
    todo: list[tuple[str, str | None]] = []
    # reading and hashing wait on the disk (a shared file system, often) and release the GIL: a few threads
    with ThreadPoolExecutor(max_workers=8) as pool:
        digests = list(pool.map(_digest, files))
    for path, sha in zip(files, digests, strict=True):
        if sha is not None and sha in done:
            this.skipped += 1
        else:
            todo.append((path, sha))
    if not files:
        say("nothing to check: no .txt, .docx or .pdf file among the inputs")
    elif not todo:
        say(f"nothing to check: all {len(files)} files already have a result in {out}")
    else:
        if this.skipped:
            say(f"{this.skipped} of {len(files)} files already have a result in {out}: checking the other {len(todo)}")
        _dispatch(todo, out, this, scheduler, workers, limits, retries, shard_size, dashboard, progress, work, say)
    this.seconds = time.perf_counter() - started
    summary = summarise(out, this)
    write_summary(out, summary)
    return this, summary


def _dispatch(todo, out, this, scheduler, workers, limits, retries, shard_size, dashboard, progress, work, say):
    import dask
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    with dask.config.set({"distributed.scheduler.allowed-failures": retries + 1}):
        if scheduler:
            try:
                client = Client(scheduler, timeout="30s")
            except (OSError, ValueError, TypeError) as exc:  # unreachable, or not an address
                raise OSError(f"cannot reach the scheduler {scheduler}: {exc}") from None
            if workers:
                say(f"waiting for {_n(workers, 'worker')} at {scheduler}")
                client.wait_for_workers(workers)
            threads = sum(client.nthreads().values()) or 1
            say(f"connected to {scheduler}: {_n(len(client.nthreads()), 'worker')}, {_n(threads, 'thread')}")
            say(f"dashboard: {client.dashboard_link}")
        else:
            threads = workers or os.cpu_count() or 1
            board = dashboard if dashboard and _has_bokeh() else None
            # one worker in this process whose threads wait on their check processes (the work is there);
            # Dask's memory limit is off because the documents live in the check processes, watched one by one
            cluster = LocalCluster(
                n_workers=1,
                threads_per_worker=threads,
                processes=False,
                dashboard_address=board,
                memory_limit=0,
                silence_logs=40,
            )
            client = Client(cluster)
            say(f"local cluster: {_n(threads, 'thread')}, each with a check process")
            if board:
                host, port = board.rpartition(":")[0], cluster.scheduler.services["dashboard"].port
                say(f"dashboard: http://{host}:{port}/status" if host else f"dashboard: {client.dashboard_link}")
            elif dashboard:
                say("dashboard: off (bokeh is not installed; pip install 'bokeh>=3.1' to see it)")
    shards = Shards(out, shard_size)
    bar = Bar(len(todo)) if (sys.stderr.isatty() if progress is None else progress) else None
    window = max(16, 4 * threads)  # tasks in flight: the scheduler is never handed a year's files at once
    pending = iter(todo)

    def submit(path: str):
        return client.submit(run_task, path, limits, work, pure=False, retries=retries, key=f"check-{_key(path)}")

    try:
        futures = {}
        for path, _ in islice(pending, window):
            futures[submit(path)] = path
        queue = as_completed(list(futures))
        for future in queue:
            path = futures.pop(future)
            try:
                record = future.result()
            except Exception as exc:  # a task lost with its workers too often, or one that kept raising
                record = failed(path, _digest(path), "lost", f"{type(exc).__name__}: {exc}")
            shards.write(record)
            this.checked += 1
            this.failed += record.get("status") != "ok"
            if bar:
                bar.advance(record.get("status") != "ok")
            future.release()
            following = next(pending, None)
            if following is not None:
                nxt = submit(following[0])
                futures[nxt] = following[0]
                queue.add(nxt)
    finally:
        shards.close()
        if bar:
            bar.clear()
        client.close()
        if cluster is not None:
            cluster.close()
            release_sandboxes()  # the check processes of its threads serve a next run in this process


def _key(path: str) -> str:
    return hashlib.sha1(path.encode("utf-8", "surrogatepass")).hexdigest()[:12] + "-" + os.urandom(4).hex()


def _has_bokeh() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- the command


def add_parser(commands) -> None:
    """Register ``tally batch`` on the CLI's sub-commands."""
    cmd = commands.add_parser(
        "batch",
        help="check many files on a Dask cluster into sharded JSON Lines and a summary",
        description="Check files, folders and manifests (@FILE, or a file that is not .txt/.docx/.pdf: one path a "
        "line) on a Dask cluster: a local one in this process, or --scheduler's. Results go to --out as "
        "results-NNNNN.jsonl with summary.json and summary.csv; rerunning with the same --out skips files already "
        "done. Exit status: 0 every file checked, 1 some failed (recorded with the reason), 2 bad usage or inputs "
        "that could not be read.",
    )
    cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="a report file, a folder of them, or a manifest")
    cmd.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the results and summary")
    cmd.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, such as tcp://host:8786")
    cmd.add_argument(
        "--workers",
        type=_count,
        metavar="N",
        help="local cluster: N threads, each with its own check process (default: one per CPU); "
        "with --scheduler: wait for N workers before starting",
    )
    cmd.add_argument(
        "--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="S", help="seconds a file may take (default 60)"
    )
    cmd.add_argument(
        "--memory-limit",
        type=_bytes,
        default=DEFAULT_MEMORY,
        metavar="SIZE",
        help="memory a file's check process may use, such as 2GiB (the default) or 500MB",
    )
    cmd.add_argument("--retries", type=_count0, default=2, metavar="N", help="tries again for a task that failed")
    cmd.add_argument("--shard-size", type=_count, default=SHARD_SIZE, metavar="N", help="records per shard")
    cmd.add_argument("--retry-failed", action="store_true", help="check again the files recorded as failed")
    cmd.add_argument(
        "--dashboard",
        default="127.0.0.1:8787",
        metavar="ADDRESS",
        help="where the local cluster's dashboard listens (default 127.0.0.1:8787; :8787 for every interface)",
    )
    cmd.set_defaults(run=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    limits = Limits(timeout=args.timeout, memory=args.memory_limit)
    try:
        this, summary = run(
            args.inputs,
            args.out,
            scheduler=args.scheduler,
            workers=args.workers,
            limits=limits,
            retries=args.retries,
            shard_size=args.shard_size,
            retry_failed=args.retry_failed,
            dashboard=args.dashboard or None,
        )
    except KeyboardInterrupt:
        print(f"tally batch: interrupted; the results written are kept in {args.out}: rerun to go on", file=sys.stderr)
        return 130
    except OSError as exc:  # the scheduler cannot be reached, --out cannot be written
        print(f"tally batch: error: {exc}", file=sys.stderr)
        return 2
    rate = f", {this.checked / this.seconds:.1f} files/s" if this.checked and this.seconds else ""
    print(
        f"tally batch: checked {_n(this.checked, 'file')} ({this.failed} failed) in {this.seconds:.1f} s{rate}; "
        f"skipped {this.skipped} already done. {args.out}: {summary['files']} files, {summary['failed']} failed, "
        f"{summary['files_with_errors']} with errors (summary.json, summary.csv)",
        file=sys.stderr,
    )
    if this.problems:
        return 2
    return 1 if summary["failed"] else 0


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _count(value: str) -> int:
    number = int(value) if value.isdigit() else 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {value!r}")
    return number


def _count0(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}")
    return int(value)


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {value!r}")
    return number


def _bytes(value: str) -> int:
    from dask.utils import parse_bytes

    try:
        number = parse_bytes(value)
    except (ValueError, TypeError):
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a size such as 2GiB or 500MB, not {value!r}")
    return number
