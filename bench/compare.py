"""Two versions of the engine side by side in one run: milliseconds per document, interleaved.

    .venv/bin/python bench/compare.py [BASE [HEAD]] [--rounds 15] [--repeat 5] [--clock cpu]

BASE and HEAD are git revisions (default: HEAD~1 and the work tree). Each is checked out in a
temporary worktree and imported in its own process; the two processes check the same inputs
in alternating rounds, so that a noisy machine (a shared 2-core VM) slows both alike. Prints
the median per input for each and their ratio. Inputs: the seeds (../shared/seeds, when
present), 1,000-character excerpts of seed 000, and seed 000 repeated 32 times once at the end
(cost linear in length: 32 copies should cost at most 1.2 × 32 single checks).

``--clock cpu`` times the CPU the worker process spent (``time.process_time``) instead of the
wall clock, and ``--best`` reports each input's fastest round instead of the median: on a
machine that other work keeps busy, both leave out more of the time a worker waits for a core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import inputs  # bench/bench.py, beside this script

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
clock = time.process_time if sys.argv[2] == "cpu" else time.perf_counter
from service import check
inputs = json.loads(sys.stdin.readline())
for text in inputs.values():
    check(text)  # warm up: patterns, spaCy, caches
print("ready", flush=True)
for line in sys.stdin:
    name, repeat = json.loads(line)
    text = inputs[name]
    best = []
    for _ in range(repeat):
        start = clock()
        check(text)
        best.append(clock() - start)
    print(json.dumps(sorted(best)[len(best) // 2] * 1000), flush=True)
"""


def worktree(rev: str | None, into: Path) -> Path:
    if rev is None:
        return ROOT
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(into), rev], check=True)
    return into


def start(path: Path, docs: dict[str, str], clock: str = "wall") -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(path), clock], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    proc.stdin.write(json.dumps(docs, ensure_ascii=False) + "\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "ready"
    return proc


def ask(proc: subprocess.Popen, name: str, repeat: int) -> float:
    proc.stdin.write(json.dumps([name, repeat]) + "\n")
    proc.stdin.flush()
    return json.loads(proc.stdout.readline())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="HEAD~1")
    parser.add_argument("head", nargs="?", default=None, help="a revision (default: the work tree)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="what a check's time is")
    parser.add_argument("--best", action="store_true", help="the fastest round of each input, not the median")
    args = parser.parse_args()
    docs = inputs(corpora=False)
    if not docs:
        sys.exit("no inputs: ../shared/seeds is absent")
    seed = docs.get("seed 000")
    if seed:
        docs["seed 000 × 32"] = "\n".join([seed] * 32)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {
            "base": worktree(args.base, Path(tmp) / "base"),
            "head": worktree(args.head, Path(tmp) / "head"),
        }
        try:
            procs = {label: start(path, docs, args.clock) for label, path in paths.items()}
            times: dict[str, dict[str, list[float]]] = {label: {n: [] for n in docs} for label in procs}
            for r in range(args.rounds):
                order = list(procs) if r % 2 == 0 else list(reversed(procs))
                for name in docs:
                    if name.endswith("× 32") and r > 1:
                        continue  # the long one twice is enough
                    for label in order:
                        times[label][name].append(ask(procs[label], name, 1 if name.endswith("× 32") else args.repeat))
            for proc in procs.values():
                proc.stdin.close()
                proc.wait()
        finally:
            for path in paths.values():
                if path != ROOT:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False)
    head = args.head or "work tree"
    clock = (", CPU time" if args.clock == "cpu" else "") + (", fastest round" if args.best else "")
    print(f"{'input':34s} {'base ms':>9s} {'head ms':>9s} {'head/base':>9s}   (base {args.base}, head {head}{clock})")
    pick = min if args.best else statistics.median
    medians = {label: {n: pick(v) for n, v in t.items()} for label, t in times.items()}
    for name in docs:
        b, h = medians["base"][name], medians["head"][name]
        print(f"{name:34s} {b:9.2f} {h:9.2f} {h / b:9.2f}")
    if seed:
        for label in ("base", "head"):
            ratio = medians[label]["seed 000 × 32"] / (32 * medians[label]["seed 000"])
            print(f"linearity ({label}): seed 000 × 32 costs {ratio:.2f} × 32 single checks")


if __name__ == "__main__":
    main()
