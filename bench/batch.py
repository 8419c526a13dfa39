"""Files per second for ``tally check DIR --format json`` on a folder of generated reports.

    .venv/bin/python bench/batch.py [--files 1000] [--jobs N]

Writes ``--files`` reports into a temporary folder (ten per sub-folder), each a corpus report
(corpora/reports/, and the seeds in ../shared/seeds when present) with its figures and year
varied so that no two files are alike, then times the whole command, start-up included, with
the default ``--jobs`` (one process per CPU) and with ``--jobs 1``, output to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "corpora" / "reports").glob("*.txt")),
    *sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")),
]
FIGURE = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?(?=万元|元|人|个|项)")
YEAR = regex.compile(r"20(1\d|2[0-2])年")


def vary(text: str, rng: random.Random) -> str:
    """The report with some figures nudged and its years shifted: new errors, same shape."""
    shift = rng.choice((-1, 0, 1))
    text = YEAR.sub(lambda m: f"20{int(m.group(1)) + shift:02d}年", text)
    return FIGURE.sub(lambda m: str(int(float(m.group()) * rng.choice((1, 1, 1, 2)) + rng.choice((0, 0, 1)))), text)


def generate(folder: Path, count: int, seed: int = 4) -> None:
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    for i in range(count):
        sub = folder / f"{i // 10:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"report-{i:04d}.txt").write_text(vary(texts[i % len(texts)], rng), encoding="utf-8")


def timed(folder: Path, jobs: int | None) -> float:
    command = [sys.executable, "-m", "service", "check", "--format", "json", str(folder)]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    with open(os.devnull, "w") as null:
        result = subprocess.run(command, stdout=null, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"tally check exited {result.returncode}:\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=None, help="default: tally's own (one per CPU)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tally-batch-") as tmp:
        folder = Path(tmp)
        generate(folder, args.files)
        size = sum(p.stat().st_size for p in folder.rglob("*.txt"))
        print(f"{args.files} reports, {size / 1e6:.1f} MB, from {len(SOURCES)} sources; {os.cpu_count()} CPUs")
        for label, jobs in ((f"--jobs {args.jobs or os.cpu_count()}", args.jobs), ("--jobs 1", 1)):
            elapsed = timed(folder, jobs)
            print(f"  {label:<10} {elapsed:7.2f} s  {args.files / elapsed:7.1f} files/s")


if __name__ == "__main__":
    main()
