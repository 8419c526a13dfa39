"""Files per second for ``tally batch`` on a local Dask cluster, beside ``tally check DIR`` in the same run.

    .venv/bin/python bench/cluster.py [--files 1000] [--workers N]

Writes ``--files`` reports into a temporary folder, a third each .txt, .docx and .pdf (the corpus
reports with their figures and years varied, as bench/batch.py does; the PDFs set with reportlab's
built-in CID font, wrapped at the page's margin), then times, start-up included and one after the
other on the same files:

- ``tally check DIR --format json`` (its process pool, one process per CPU), output to /dev/null;
- ``tally batch DIR --out OUT`` (a local cluster, one thread and check process per CPU);
- ``tally batch DIR --out OUT`` again: the resumed run, which checks nothing.

Needs the dev extras (reportlab).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from batch import SOURCES, vary

FONT = "STSong-Light"
PER_LINE = 36  # characters a PDF line holds at 12 points between the margins


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pdf(text: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    y = 800
    page.setFont(FONT, 12)
    for line in text.splitlines():
        for start in range(0, max(len(line), 1), PER_LINE):
            if y < 60:
                page.showPage()
                page.setFont(FONT, 12)
                y = 800
            page.drawString(50, y, line[start : start + PER_LINE])
            y -= 18
    page.save()
    return out.getvalue()


def generate(folder: Path, count: int, seed: int = 11) -> dict[str, int]:
    rng = random.Random(seed)
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    kinds = {"txt": 0, "docx": 0, "pdf": 0}
    for i in range(count):
        sub = folder / f"{i // 10:03d}"
        sub.mkdir(exist_ok=True)
        text = vary(texts[i % len(texts)], rng)
        kind = ("txt", "docx", "pdf")[i % 3]
        path = sub / f"report-{i:04d}.{kind}"
        if kind == "txt":
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(make_docx(text) if kind == "docx" else make_pdf(text))
        kinds[kind] += 1
    return kinds


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    with open(os.devnull, "w") as null:
        result = subprocess.run(command, stdout=null, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return elapsed, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU, for both commands")
    args = parser.parse_args()
    tally = [sys.executable, "-m", "service"]
    with tempfile.TemporaryDirectory(prefix="tally-cluster-") as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        made = time.perf_counter()
        kinds = generate(folder, args.files)
        made = time.perf_counter() - made
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        print(
            f"{args.files} reports ({kinds['txt']} .txt, {kinds['docx']} .docx, {kinds['pdf']} .pdf), "
            f"{size / 1e6:.1f} MB, generated in {made:.1f} s; {os.cpu_count()} CPUs"
        )
        jobs = ["--jobs", str(args.workers)] if args.workers else []
        workers = ["--workers", str(args.workers)] if args.workers else []
        runs = [
            ("tally check DIR --format json", [*tally, "check", "--format", "json", *jobs, str(folder)]),
            ("tally batch DIR --out OUT", [*tally, "batch", str(folder), "--out", str(out), *workers]),
            ("tally batch (resumed: all done)", [*tally, "batch", str(folder), "--out", str(out), *workers]),
        ]
        for label, command in runs:
            elapsed, _ = timed(command)
            print(f"  {label:<34} {elapsed:7.2f} s  {args.files / elapsed:7.1f} files/s")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        shards = len(list(out.glob("results-*.jsonl")))
        failed = f" {summary['failures_by_code']}" if summary["failures_by_code"] else ""
        print(
            f"  batch output: {summary['files']} records in {shards} shards, {summary['failed']} failed{failed}, "
            f"{summary['files_with_errors']} files with errors"
        )


if __name__ == "__main__":
    main()
