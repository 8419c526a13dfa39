"""What the name and period rules (ENT, PER) add to a full check (issue 3: at most 20%).

    .venv/bin/python bench/names_overhead.py [--runs 100]

Times check() with every rule and with ENT and PER removed from the pipeline
(entities not found, their checks not run), alternating run by run so that drift in
the machine's speed falls on both alike, on the seeds and the corpus reports.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from unittest import mock

from service import check, checks, pipeline

ROOT = Path(__file__).resolve().parents[1]


def timed(text: str) -> float:
    t0 = time.perf_counter()
    check(text)
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    docs = {
        p.stem[:24]: p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    }
    docs |= {p.stem[:24]: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "reports").glob("*.txt"))}
    without = tuple(f for f in checks.CHECKED if f.prefix not in ("ENT", "PER"))

    class NoEntities:
        def find(self, doc):
            return None

    print(f"{'input':<26}{'all rules (ms)':>16}{'without ENT/PER':>18}{'added':>9}")
    added = []
    for name, text in docs.items():
        check(text)
        fulls, bases = [], []
        for _ in range(args.runs):
            fulls.append(timed(text))
            with (
                mock.patch.object(pipeline, "CHECKED", without),
                mock.patch.object(pipeline, "entity_finder", NoEntities),
            ):
                bases.append(timed(text))
        full, base = statistics.median(fulls), statistics.median(bases)
        added.append(full / base - 1)
        print(f"{name:<26}{full:>16.2f}{base:>18.2f}{(full / base - 1) * 100:>8.1f}%")
    print(f"median added: {statistics.median(added) * 100:.1f}%")


if __name__ == "__main__":
    main()
