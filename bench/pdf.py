"""PDF to text and PDF to findings: today's reader (PDFium) and the pdfplumber reader it replaced, side by side.

    .venv/bin/python bench/pdf.py [--runs 15] [FILE.pdf ...]

Default inputs: the two complete 决算 in ../shared/real/docs and the official template
(../shared/real/template), when present. Each run reads a file with both readers, one after
the other, so that a busy machine slows both alike; the table gives the medians of wall
time and of the process's CPU time (what the reading itself costs when other processes
share the cores). Targets (issue 9, 2-core machine): a 25-page 决算 to text in ≤ 100 ms,
to findings in ≤ 150 ms.

The pdfplumber reader is kept here, as it was in service/read/documents.py, only to be measured
against: pdfplumber is a dev dependency, the service does not use it.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from itertools import pairwise
from pathlib import Path

from service import check
from service.pipeline import warm_up
from service.read.documents import extract

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"
DEFAULT = [REAL / "docs" / "p02.pdf", REAL / "docs" / "p03.pdf", REAL / "template" / "juesuan-template.pdf"]

SENTENCE_END = "。！？!?"
WRAP_SLACK = 1.5
WRAP_WIDTH = 0.6


def pdfplumber_text(data: bytes) -> str:
    """The text as the pdfplumber reader gave it: page by page, lines in reading order, a line
    that runs to the right margin without ending a sentence joined to the next."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines(return_chars=False)
            if not lines:
                pages.append("")
                continue
            right = max(line["x1"] for line in lines)
            out = [lines[0]["text"]]
            for previous, line in pairwise(lines):
                wraps = (
                    right - previous["x1"] <= WRAP_SLACK * (previous["bottom"] - previous["top"])
                    and previous["x1"] - previous["x0"] >= WRAP_WIDTH * page.width
                    and not previous["text"].rstrip().endswith(tuple(SENTENCE_END))
                    and "  " not in previous["text"]
                    and " " not in previous["text"].strip()
                )
                out.append(line["text"] if wraps else "\n" + line["text"])
            pages.append("".join(out))
    return "\n".join(pages)


def pdfium_text(data: bytes) -> str:
    return extract(data, "r.pdf").text


def clocked(fn) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [f for f in DEFAULT if f.is_file()]
    if not files:
        raise SystemExit("no PDF to measure: pass files, or put ../shared/real beside the repository")

    warm_up()
    readers = {"pdfplumber": pdfplumber_text, "pdfium": pdfium_text}
    rows = []
    for path in files:
        data = path.read_bytes()
        texts = {name: read(data) for name, read in readers.items()}  # warm both up
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for name, read in readers.items():
                times.setdefault((name, "text"), []).append(clocked(lambda r=read, d=data: r(d)))
                times.setdefault((name, "findings"), []).append(clocked(lambda r=read, d=data: check(r(d))))
        for name in readers:
            text_ms = times[(name, "text")]
            findings_ms = times[(name, "findings")]
            rows.append(
                (
                    path.name,
                    pages(data),
                    name,
                    len(texts[name]),
                    statistics.median(w for w, _ in text_ms),
                    statistics.median(c for _, c in text_ms),
                    statistics.median(w for w, _ in findings_ms),
                    statistics.median(c for _, c in findings_ms),
                )
            )
    width = max(len(r[0]) for r in rows)
    print(f"median of {args.runs} runs, milliseconds (wall / CPU)")
    print(f"{'file':<{width}}  pages  reader      chars   to text (wall / cpu)   to findings (wall / cpu)")
    for name, count, reader, chars, tw, tc, fw, fc in rows:
        cells = f"{tw:8.1f} / {tc:6.1f}      {fw:8.1f} / {fc:6.1f}"
        print(f"{name:<{width}}  {count:5d}  {reader:<10}  {chars:5d}   {cells}")


if __name__ == "__main__":
    main()
