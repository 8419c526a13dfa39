"""Crafted texts against the engine: seconds and peak memory per case, and how both grow with size.

    .venv/bin/python bench/hostile_text.py [--base REV] [--scale 1] [--budget-ms 5000] [--timeout 120]

Each case is one form repeated (a long run of one kind of claim, a metric stated thousands of
times, nested 其中 lists …), built here at two sizes, n and 4n. Every run is a fresh process (its
peak RSS above what the engine costs after import and warm-up is the case's own), checked with
no budget and then with the budget the service gives a request (``--budget-ms``, as
TALLY_TIME_BUDGET_MS): with no budget, 4n should cost about 4 × n (linear: the column ``×4n``),
and with one, the answer should come within 10% of it whatever the size, saying where it
stopped (``stopped_in``).

``--base REV`` runs the same cases on another revision (a temporary git worktree) in the same
run, side by side: a quadratic step shows there as ×16. A run that takes longer than
``--timeout`` seconds is killed and reported as such. Add a case to CASES: a name, a function of
n that builds the text, and the n to start from.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _nested(n: int) -> str:
    return "".join(f"{i}支出{i}万元，其中：" for i in range(1, n))


# name -> (text of size n, n): each a form a unit could not write a thousand times, repeated
CASES = {
    "change pairs 增加X万元，增长Y%": (lambda n: "增加1万元，增长1%，" * n, 5_000),
    "比上年增加 in one sentence": (lambda n: "比上年增加1万元，" * n, 5_000),
    "完成预算X% in one sentence": (lambda n: "完成预算90%，" * n, 5_000),
    "占X% in one sentence": (lambda n: "占10%，" * n, 5_000),
    "nested 其中 lists": (_nested, 3_000),
    "决算数大于预算数 run": (lambda n: "决算数大于预算数，" * n, 5_000),
    "budget statements and directions": (lambda n: "支出决算100万元，预算90万元，决算数大于预算数10万元。" * n, 2_000),
    "one list of parts": (lambda n: "支出合计100万元，其中：" + "；".join(f"基本支出{i}万元" for i in range(n)), 2_000),
    "one metric stated n times": (lambda n: "".join(f"2019年基本支出{i}万元。" for i in range(n)), 5_000),
    "share sentences": (lambda n: "支出合计100万元，其中基本支出25万元，占25%。" * n, 2_500),
    "organisation names": (lambda n: "某某县财政局某某县教育局某某县卫生健康委员会" * n, 2_500),
    "digits": (lambda n: "1" * (n * 100), 5_000),
    "Chinese numeral 一": (lambda n: "一" * (n * 100), 2_000),
    "tab-separated rows": (lambda n: "1\t2\t3\t4\n" * n, 25_000),
}

WORKER = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from service import check
check("2019年本年支出合计10万元，其中：基本支出10万元。")  # warm up
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
text = sys.stdin.read()
budget = float(sys.argv[2])
start = time.perf_counter()
try:
    report = check(text, deadline=None if budget <= 0 else start + budget)
    status = "stopped in " + report.coverage["stopped_in"] if report.coverage.get("stopped_in") else "complete"
except Exception as e:
    status = f"{type(e).__name__}: {e}"[:60]
seconds = time.perf_counter() - start
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({"seconds": seconds, "mib": peak, "status": status}))
"""


LINEARITY = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from service import pipeline
try:
    pipeline.warm_up()  # as the service and the CLI's workers run: the collector settled
except Exception:
    pass
text = sys.stdin.read()
def best(f, n):
    out = []
    for _ in range(n):
        start = time.process_time(); f(); out.append(time.process_time() - start)
    return min(out)
single = best(lambda: pipeline.check(text), 9)
many = best(lambda: pipeline.check(text * 32), 3)
print(json.dumps({"single": single, "many": many}))
"""


def linearity(tree: Path) -> str:
    """seed 000 × 32 against 32 single checks of it, CPU time, best of rounds (target: ≤ 1.2)."""
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("000_*.txt"))
    if not seeds:
        return "seed 000 × 32: skipped (../shared/seeds is absent)"
    text = seeds[0].read_text(encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", LINEARITY, str(tree)], input=text, capture_output=True, text=True)
    if out.returncode:
        return f"seed 000 × 32: failed ({out.stderr.strip().splitlines()[-1][:80]})"
    r = json.loads(out.stdout)
    return (f"seed 000 × 32: {r['many'] * 1000:.0f} ms, single {r['single'] * 1000:.1f} ms: "
            f"{r['many'] / (32 * r['single']):.2f} × 32 single checks")  # fmt: skip


def run(tree: Path, text: str, budget: float, timeout: float) -> dict:
    try:
        out = subprocess.run(
            [sys.executable, "-c", WORKER, str(tree), str(budget)],
            input=text, capture_output=True, text=True, timeout=timeout, check=True,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"seconds": timeout, "mib": float("nan"), "status": f"killed after {timeout:.0f} s"}
    except subprocess.CalledProcessError as e:
        return {"seconds": float("nan"), "mib": float("nan"), "status": e.stderr.strip().splitlines()[-1][:60]}
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="a git revision to run side by side")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case's n")
    parser.add_argument("--budget-ms", type=float, default=5000)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", help="cases whose name contains this")
    args = parser.parse_args()
    trees = {"head": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        if args.base:
            base = Path(tmp) / "base"
            add = ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(base), args.base]
            subprocess.run(add, check=True)
            trees = {f"base {args.base}": base, "head": ROOT}
        try:
            print(f"{'case':34} {'tree':>14} {'chars':>9} {'n s':>7} {'4n s':>7} {'×4n':>5} {'MiB':>5}"
                  f"  {'budget s':>8}  status with budget")  # fmt: skip
            for name, (build, n) in CASES.items():
                if args.only and args.only not in name:
                    continue
                n = max(1, int(n * args.scale))
                small, large = build(n), build(4 * n)
                for label, tree in trees.items():
                    a = run(tree, small, 0, args.timeout)
                    b = run(tree, large, 0, args.timeout)
                    c = run(tree, large, args.budget_ms / 1000, args.timeout)
                    growth = b["seconds"] / a["seconds"] if a["seconds"] > 0 else float("nan")
                    print(f"{name[:34]:34} {label[:14]:>14} {len(large):>9,} {a['seconds']:7.2f} {b['seconds']:7.2f} "
                          f"{growth:5.1f} {b['mib']:5.0f}  {c['seconds']:8.2f}  {c['status']}", flush=True)  # fmt: skip
            for label, tree in trees.items():
                print(f"{label}: {linearity(tree)}", flush=True)
        finally:
            if args.base:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
