"""Load test: gunicorn on loopback, 16 keep-alive clients, a mix of seed reports and 1 KB excerpts.

    .venv/bin/python bench/load.py [--duration 60] [--max-requests 200000] [--clients 16]
                                   [--configs gthread:4,sync,gthread:1] [--threads 4] [--workers 2]
                                   [--excerpt-duration 60] [--client auto|wrk|python]
                                   [--out bench/out/load.json]

For every server configuration (gunicorn worker class): start gunicorn on 127.0.0.1 (a free
port) serving ``service.http:create_app()``, warm it up, then

1. the mix: seed 000 (27.5k characters), seed 004 and 1,000-character excerpts of both seeds
   (corpus reports when ../shared/seeds is absent), for ``--duration`` seconds;
2. excerpts only, for ``--excerpt-duration`` seconds: checks per second of 1 KB excerpts.

Each run is bounded by its duration and by ``--max-requests`` (the client stops by itself at
whichever comes first) and sends traffic to 127.0.0.1 only. Recorded: requests per second
(overall and per document kind), p50/p99 latency, errors (non-2xx and connection errors),
RSS of the gunicorn workers from /proc/<pid>/status before and after, CPU seconds used by the
workers and by the client. gunicorn is stopped at the end, also on error or Ctrl-C.

The client is wrk (Debian package ``wrk``) driven by a Lua script: a C event loop, so that
on a 2-core machine the load generator takes little of the CPU the server needs. Without wrk,
a Python client (threads, http.client keep-alive) is used; it needs far more CPU per request
and so understates the server. Either way the client and the server share the machine's cores.

Targets (issue 5, 2-core machine): zero errors, p99 under 250 ms, at least 150 checks per
second of 1 KB excerpts.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT / "corpora" / "reports"
EXCERPT_CHARS = 1000
TARGETS = {"errors": 0, "p99_ms_under": 250.0, "excerpt_checks_per_s_at_least": 150.0}
SHARED_CORES_NOTE = (
    "the load generator and the server run on the same machine and share its "
    f"{os.cpu_count()} cores; CPU the client uses is CPU the server does not get"
)

# --------------------------------------------------------------------------- documents


def documents() -> dict[str, list[str]]:
    """Bodies by kind: the two seeds and 1,000-character excerpts; corpus reports without seeds."""

    def seed(prefix: str) -> str | None:
        found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
        return found[0].read_text(encoding="utf-8") if found else None

    s000, s004 = seed("000"), seed("004")
    if s000 and s004:
        sources = [s000, s004]
        kinds = {"seed000": [s000], "seed004": [s004]}
    else:
        reports = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
        if not reports:
            raise SystemExit(f"no documents: neither {SEEDS} nor {CORPUS} has any")
        reports.sort(key=len, reverse=True)
        sources = reports
        kinds = {"report": reports}
    excerpts = [
        text[start : start + EXCERPT_CHARS]
        for text in sources
        for start in range(0, len(text) - EXCERPT_CHARS + 1, EXCERPT_CHARS)
    ]
    if not excerpts:  # only short reports: take them whole
        excerpts = [text[:EXCERPT_CHARS] for text in sources]
    kinds["excerpt1k"] = excerpts
    return kinds


def parse_mix(spec: str, kinds: dict[str, list[str]]) -> dict[str, int]:
    """'seed000:1,seed004:1,excerpt1k:2' → weights; kinds missing from the documents are dropped."""
    weights: dict[str, int] = {}
    for item in spec.split(","):
        name, _, weight = item.strip().partition(":")
        if name in kinds and int(weight or 1) > 0:
            weights[name] = int(weight or 1)
    if not weights:  # e.g. no seeds: every kind there is, equally
        weights = dict.fromkeys(kinds, 1)
    return weights


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn serving create_app() on 127.0.0.1; stop() always ends its whole process group."""

    def __init__(self, worker_class: str, workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        self.worker_class = worker_class
        self.workers = workers
        self.threads = threads if worker_class == "gthread" else 1
        gunicorn = Path(sys.executable).with_name("gunicorn")
        cmd = [str(gunicorn) if gunicorn.exists() else "gunicorn"]
        self.config_file = ROOT / "gunicorn.conf.py"
        if self.config_file.is_file():
            cmd += ["-c", str(self.config_file)]
        cmd += [
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", worker_class,
            "--threads", str(self.threads),
            "--max-requests", "0",  # no recycling: memory before/after is about the same processes
            "--timeout", "60",
            "service.http:create_app()",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("TALLY_")}
        env["PYTHONUNBUFFERED"] = "1"
        self.command = cmd
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                ok = conn.getresponse().status == 200
                conn.close()
                if ok and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f} s; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(p) for p in children)

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and RssAnon (MiB) of one process."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "RssAnon"):
                out[key] = round(int(value.split()[0]) / 1024, 1)
    except OSError:
        pass
    return out


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:8]]
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - fields[3] - fields[4]) / tick, sum(fields) / tick


def memory(server: Gunicorn) -> dict[str, dict[str, float]]:
    return {str(pid): proc_status(pid) for pid in server.worker_pids()}


# --------------------------------------------------------------------------- clients

WRK_SCRIPT = r"""
-- written by bench/load.py: one connection per wrk thread, so request() and response()
-- pair up exactly and each sample gets its document kind and its own latency.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } tally_timespec;
int clock_gettime(int clk, tally_timespec *tp);
]]
local ts = ffi.new("tally_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local limit = tonumber(os.getenv("TALLY_LOAD_MAX_PER_CLIENT") or "0")
local out_path = os.getenv("TALLY_LOAD_SAMPLES")
kinds, reqs, schedule = {}, {}, {}
local index = {}
for line in io.lines(os.getenv("TALLY_LOAD_MANIFEST")) do
  local kind, weight, path = line:match("^(%S+)\t(%d+)\t(.+)$")
  if index[kind] == nil then
    table.insert(kinds, kind)
    index[kind] = #kinds
    reqs[#kinds] = {}
    for _ = 1, tonumber(weight) do table.insert(schedule, #kinds) end
  end
  local f = assert(io.open(path, "rb"))
  local body = f:read("*a")
  f:close()
  table.insert(reqs[index[kind]], wrk.format("POST", "/v1/check",
    {["Content-Type"] = "text/plain; charset=utf-8"}, body))
end

local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  pos, current, started, n = id, 0, 0, 0
  next_body, lat, kin, sta = {}, {}, {}, {}
  for k = 1, #kinds do next_body[k] = id end
end

function request()
  pos = pos % #schedule + 1
  current = schedule[pos]
  local list = reqs[current]
  next_body[current] = next_body[current] % #list + 1
  started = now_us()
  return list[next_body[current]]
end

function response(status, headers, body)
  n = n + 1
  lat[n] = now_us() - started
  kin[n] = current
  sta[n] = status
  if limit > 0 and n >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local f = assert(io.open(out_path, "w"))
  local e = summary.errors
  f:write(string.format("summary\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", summary.duration, summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout))
  for i, k in ipairs(kinds) do f:write(string.format("kind\t%d\t%s\n", i, k)) end
  for _, t in ipairs(threads) do
    local tl, tk, tsx = t:get("lat"), t:get("kin"), t:get("sta")
    for i = 1, #tl do f:write(string.format("%d\t%d\t%d\n", tk[i], tsx[i], tl[i])) end
  end
  f:close()
end
"""


class Samples:
    """What one client run saw: (kind, status, latency in µs) per response, plus connection errors."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, float]] = []
        self.connection_errors: dict[str, int] = {}
        self.duration_s = 0.0
        self.client_cpu_s = 0.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(port: int, mix: dict[str, int], kinds: dict[str, list[str]], clients: int,
            duration: float, max_requests: int, work: Path) -> Samples:  # fmt: skip
    work.mkdir(parents=True, exist_ok=True)
    manifest = work / "manifest.tsv"
    lines = []
    for kind, weight in mix.items():
        for i, body in enumerate(kinds[kind]):
            path = work / f"{kind}_{i:03d}.txt"
            path.write_text(body, encoding="utf-8")
            lines.append(f"{kind}\t{weight}\t{path}")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = work / "load.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    samples_path = work / "samples.tsv"
    samples_path.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        TALLY_LOAD_MANIFEST=str(manifest),
        TALLY_LOAD_SAMPLES=str(samples_path),
        TALLY_LOAD_MAX_PER_CLIENT=str(max(1, max_requests // clients)) if max_requests else "0",
    )
    seconds = max(1, round(duration))
    cmd = ["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "30s",
           "-s", str(script), f"http://127.0.0.1:{port}/"]  # fmt: skip
    cpu0 = children_cpu()
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 60)
    out = Samples()
    out.client_cpu_s = children_cpu() - cpu0
    if result.returncode != 0 or not samples_path.exists():
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    names: dict[int, str] = {}
    for line in samples_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] == "summary":
            duration_us, _requests, connect, read, write, _status, timeout = map(int, fields[1:])
            out.duration_s = duration_us / 1e6
            out.connection_errors = {"connect": connect, "read": read, "write": write, "timeout": timeout}
        elif fields[0] == "kind":
            names[int(fields[1])] = fields[2]
        else:
            out.rows.append((names[int(fields[0])], int(fields[1]), float(fields[2])))
    return out


def run_python(port: int, mix: dict[str, int], kinds: dict[str, list[str]], clients: int,
               duration: float, max_requests: int, work: Path) -> Samples:  # fmt: skip
    """Fallback without wrk: one thread per client, http.client with keep-alive."""
    schedule = [kind for kind, weight in mix.items() for _ in range(weight)]
    bodies = {kind: [b.encode("utf-8") for b in kinds[kind]] for kind in mix}
    out = Samples()
    lock = threading.Lock()
    per_client = max(1, max_requests // clients) if max_requests else None
    deadline = time.monotonic() + duration
    headers = {"Content-Type": "text/plain; charset=utf-8"}

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rows: list[tuple[str, int, float]] = []
        errors: dict[str, int] = {}
        i = n
        while time.monotonic() < deadline and (per_client is None or len(rows) < per_client):
            kind = schedule[i % len(schedule)]
            body = bodies[kind][(i // len(schedule)) % len(bodies[kind])]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/v1/check", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                rows.append((kind, response.status, (time.perf_counter() - t0) * 1e6))
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                conn.close()
        conn.close()
        with lock:
            out.rows.extend(rows)
            for key, value in errors.items():
                out.connection_errors[key] = out.connection_errors.get(key, 0) + value

    started = time.monotonic()
    cpu0 = time.process_time()
    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=duration + 60)
    out.duration_s = time.monotonic() - started
    out.client_cpu_s = time.process_time() - cpu0
    return out


# --------------------------------------------------------------------------- numbers


def percentile(ordered: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def stats(rows: list[tuple[str, int, float]], duration: float) -> dict:
    ms = sorted(r[2] / 1000 for r in rows)
    return {
        "requests": len(rows),
        "rps": round(len(rows) / duration, 1) if duration else 0.0,
        "non_2xx": sum(1 for r in rows if not 200 <= r[1] < 300),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(ms[-1], 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
    }


def summarise(samples: Samples) -> dict:
    overall = stats(samples.rows, samples.duration_s)
    by_kind = {}
    for kind in dict.fromkeys(r[0] for r in samples.rows):
        by_kind[kind] = stats([r for r in samples.rows if r[0] == kind], samples.duration_s)
    connection = sum(samples.connection_errors.values())
    return {
        "duration_s": round(samples.duration_s, 2),
        **overall,
        "errors": overall["non_2xx"] + connection,
        "connection_errors": samples.connection_errors,
        "kinds": by_kind,
        "client_cpu_s": round(samples.client_cpu_s, 1),
    }


def growth(before: dict[str, dict[str, float]], after: dict[str, dict[str, float]]) -> dict:
    """RSS change per worker; 'same_workers' false means a worker was replaced during the run."""
    same = before.keys() == after.keys()
    deltas = {pid: round(after[pid].get("VmRSS", 0) - before[pid].get("VmRSS", 0), 1) for pid in before if pid in after}
    return {"same_workers": same, "rss_delta_mib": deltas, "max_delta_mib": max(deltas.values(), default=None)}


# --------------------------------------------------------------------------- driver


def measure(server: Gunicorn, client, name: str, mix: dict[str, int], kinds, args, work: Path) -> dict:
    pids = server.worker_pids()
    before = memory(server)
    cpu_before = {pid: cpu_seconds(pid) for pid in pids}
    busy0, total0 = machine_cpu()
    samples = client(server.port, mix, kinds, args.clients, args.duration if name == "mix" else args.excerpt_duration,
                     args.max_requests, work / name)  # fmt: skip
    after = memory(server)
    busy1, total1 = machine_cpu()
    result = summarise(samples)
    result["mix"] = mix
    per_worker = {str(p): round(cpu_seconds(p) - cpu_before[p], 1) for p in pids}
    result["server_cpu_s"] = round(sum(per_worker.values()), 1)
    result["server_cpu_s_per_worker"] = per_worker
    # CPU that neither the server nor the client used: other work on the machine during the run
    result["machine_cpu_s"] = {"available": round(total1 - total0, 1), "busy": round(busy1 - busy0, 1)}
    result["other_processes_cpu_s"] = round(busy1 - busy0 - result["server_cpu_s"] - result["client_cpu_s"], 1)
    result["memory_mib"] = {"before": before, "after": after, **growth(before, after)}
    return result


def run_config(worker_class: str, threads: int, client, kinds, mix, args, work: Path) -> dict:
    name = f"{worker_class}-t{threads}" if worker_class == "gthread" else worker_class
    work = work / name
    server = Gunicorn(worker_class, args.workers, threads, work.parent / f"gunicorn-{name}.log")
    try:
        server.wait_ready()
        started = memory(server)
        # warm-up (not recorded): every worker sees every kind before the "before" memory reading
        client(server.port, mix, kinds, args.clients, args.warmup, args.max_requests, work / "warmup")
        config = {
            "worker_class": worker_class,
            "workers": args.workers,
            "threads": server.threads,
            "clients": args.clients,
            "config_file": str(server.config_file.relative_to(ROOT)) if server.config_file.is_file() else None,
            "command": " ".join(server.command[1:]),
        }
        out = {"config": config, "memory_mib_at_start": started}
        out["mix"] = measure(server, client, "mix", mix, kinds, args, work)
        if args.excerpt_duration > 0:
            out["excerpts"] = measure(server, client, "excerpts", {"excerpt1k": 1}, kinds, args, work)
        return out
    finally:
        server.stop()


def verdict(run: dict) -> dict:
    mix, ex = run["mix"], run.get("excerpts")
    errors = mix["errors"] + (ex["errors"] if ex else 0)
    p99 = max(mix["p99_ms"], ex["p99_ms"] if ex else 0)
    return {
        "zero_errors": errors == 0,
        "p99_under_250ms": p99 < TARGETS["p99_ms_under"],
        "excerpt_checks_per_s_150": bool(ex) and ex["rps"] >= TARGETS["excerpt_checks_per_s_at_least"],
    }


def table(runs: list[dict], client_name: str) -> str:
    lines = [f"client: {client_name}; note: {SHARED_CORES_NOTE}", ""]
    head = f"{'config':<22} {'run':<9} {'kind':<10} {'reqs':>7} {'rps':>7} "
    head += f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}"
    lines += [head, "-" * len(head)]
    for run in runs:
        c = run["config"]
        label = f"{c['worker_class']} w{c['workers']}" + (f" t{c['threads']}" if c["worker_class"] == "gthread" else "")
        for name in ("mix", "excerpts"):
            r = run.get(name)
            if not r:
                continue
            rows = [("all", r)] + (list(r["kinds"].items()) if name == "mix" else [])
            for kind, s in rows:
                errors = r["errors"] if kind == "all" else s["non_2xx"]
                lines.append(
                    f"{label:<22} {name:<9} {kind:<10} {s['requests']:>7} {s['rps']:>7.1f} {s['p50_ms']:>7.1f}"
                    f" {s['p99_ms']:>7.1f} {s['max_ms']:>7.1f} {errors:>6}"
                )
            mem = r["memory_mib"]
            rss = ", ".join(
                f"{mem['before'][p].get('VmRSS')}→{mem['after'].get(p, {}).get('VmRSS')}" for p in mem["before"]
            )
            per_worker = list(r["server_cpu_s_per_worker"].values())
            cpu = f"CPU s: server {r['server_cpu_s']} {per_worker}, client {r['client_cpu_s']}"
            cpu += f", other processes {r['other_processes_cpu_s']} of {r['machine_cpu_s']['available']}"
            lines.append(f"{'':<22} {'':<9} worker RSS MiB {rss}; {cpu}")
        v = run["targets_met"]
        lines.append(f"{'':<22} targets: " + ", ".join(f"{k}={'yes' if ok else 'NO'}" for k, ok in v.items()))
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the mixed run (max 600)")
    parser.add_argument(
        "--excerpt-duration", type=float, default=60.0, help="seconds of the excerpt-only run; 0 skips it"
    )
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of unrecorded load before measuring")
    parser.add_argument("--max-requests", type=int, default=200_000, help="upper bound on requests per run")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker when a config does not say")
    parser.add_argument(
        "--configs",
        default="gthread:4",
        help="worker classes, gthread:N for N threads: sync,gthread:1,gthread:4",
    )
    parser.add_argument(
        "--mix",
        default="seed000:1,seed004:1,excerpt1k:2",
        help="kind:weight,… (seed000, seed004, excerpt1k; report)",
    )
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "load.json")
    args = parser.parse_args()
    for name in ("duration", "excerpt_duration", "warmup"):
        if not 0 <= getattr(args, name) <= 600:
            parser.error(f"--{name.replace('_', '-')} must be between 0 and 600 seconds")
    if args.duration <= 0 or args.max_requests <= 0 or args.clients <= 0:
        parser.error("--duration, --max-requests and --clients must be positive")

    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk"))
    if args.client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (Debian: apt-get install wrk)")
    client = run_wrk if use_wrk else run_python
    client_name = (
        subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip() + " + Lua script"
        if use_wrk
        else "Python threads + http.client keep-alive"
    )
    kinds = documents()
    mix = parse_mix(args.mix, kinds)
    work = Path(tempfile.mkdtemp(prefix="tally-load-"))
    runs = []
    try:
        for item in [c.strip() for c in args.configs.split(",") if c.strip()]:
            worker_class, _, threads = item.partition(":")
            excerpts = f", {args.excerpt_duration:.0f} s excerpts" if args.excerpt_duration else ""
            print(f"{item}: {args.warmup:.0f} s warm-up, {args.duration:.0f} s mix{excerpts}", flush=True)
            run = run_config(worker_class, int(threads or args.threads), client, kinds, mix, args, work)
            run["targets_met"] = verdict(run)
            runs.append(run)
    finally:
        logs = args.out.parent
        logs.mkdir(parents=True, exist_ok=True)
        for log in work.glob("gunicorn-*.log"):
            shutil.copy(log, logs / log.name)
        shutil.rmtree(work, ignore_errors=True)
    result = {
        "client": client_name,
        "note": SHARED_CORES_NOTE,
        "machine": {"cpus": os.cpu_count()},
        "documents": {k: {"count": len(v), "characters": [len(t) for t in v][:3]} for k, v in kinds.items()},
        "excerpt_characters": EXCERPT_CHARS,
        "targets": TARGETS,
        "runs": runs,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(table(runs, client_name))
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0 if runs and all(all(r["targets_met"].values()) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
