"""Milliseconds per document, in-process and over HTTP on loopback.

    .venv/bin/python bench/bench.py [--runs 50] [--http-runs 30] [--out bench/out/results.json]

Inputs: the two seed reports (../shared/seeds, when present), every corpus report, and
1,000-character excerpts of the seeds. Prints a table of medians (and p90) and writes
the numbers as JSON. Targets (issue 2, 2-core machine): seed 000 ≤ 15 ms median
in-process, a 1,000-character excerpt ≤ 1.5 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from pathlib import Path

from service import check
from service.pipeline import warm_up

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def inputs(corpora: bool = True) -> dict[str, str]:
    """The seeds, the corpus reports (unless ``corpora`` is false) and 1,000-character excerpts of seed 000."""
    docs: dict[str, str] = {}
    if SEEDS.is_dir():
        for path in sorted(SEEDS.glob("*.txt")):
            docs[f"seed {path.stem[:3]}"] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "corpora" / "reports").glob("*.txt")) if corpora else ():
        docs[f"corpus {path.stem}"] = path.read_text(encoding="utf-8")
    seed = docs.get("seed 000")
    if seed:
        for start in (7000, 10000, 20000):
            docs[f"excerpt 000[{start}:+1000]"] = seed[start : start + 1000]
    return docs


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "median_ms": round(statistics.median(ordered), 3),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 3),
        "runs": len(ordered),
    }


def serve() -> tuple[object, int]:
    from werkzeug.serving import make_server

    from service.http import create_app

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_port


def post(port: int, body: bytes) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/v1/check", body=body, headers={"Content-Type": "text/plain; charset=utf-8"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--http-runs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "results.json")
    args = parser.parse_args()

    warm_up()
    docs = inputs()
    results: dict[str, dict] = {}
    for name, text in docs.items():
        check(text)
        runs = args.runs * (5 if len(text) <= 2000 else 1)
        results[name] = {"characters": len(text), "in_process": summary(timed(lambda t=text: check(t), runs))}

    try:
        server, port = serve()
    except ImportError as exc:  # the HTTP shell is not installed
        print(f"HTTP benchmark skipped: {exc}")
    else:
        for name, text in docs.items():
            body = text.encode("utf-8")
            post(port, body)
            results[name]["http"] = summary(timed(lambda b=body: post(port, b), args.http_runs))
        server.shutdown()

    width = max(len(n) for n in results)
    print(f"{'input':<{width}}  chars   in-process median / p90 (ms)   HTTP median / p90 (ms)")
    for name, r in results.items():
        ip, hp = r["in_process"], r.get("http")
        http_cell = f"{hp['median_ms']:8.2f} / {hp['p90_ms']:.2f}" if hp else "       -"
        print(
            f"{name:<{width}}  {r['characters']:5d}   {ip['median_ms']:8.2f} / {ip['p90_ms']:.2f}           {http_cell}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
