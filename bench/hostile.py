"""Hostile input against the service: every case built here, each run in a process of its own.

    .venv/bin/python bench/hostile.py [--quick] [--case NAME ...] [--json]

A case is a row of ``CASES``: how to build its input (at full size, or small for ``--quick``
and for tests/test_hostile_uploads.py), the configuration the app runs with, and the answers
it may give (status and error code). Each case runs in a fresh subprocess: the app is created
(spaCy loaded, a small .docx and .pdf read once so that lazy imports are paid), the peak RSS
is reset (``/proc/self/clear_refs``), the input is POSTed through Flask's test client as a user
would send it, and the process reports the status, the seconds the request took and how far
its peak RSS grew over what it held before the request. Limits (issue 11): an answer within
the time budget plus 10%, at most ``MAX_GROWTH_MIB`` of growth, an expected status.

The bombs: a .docx whose paragraphs expand to 820 MB, one of 600 MB of tiny paragraphs, one
whose zip declares sizes that lie, one of too many XML elements, one of 200,000 zip entries, one
of the billion laughs, one of many paragraphs that reading cannot finish in time; a PDF whose one
stream inflates to 1.1 GB of ``q Q``, one whose streams add up past the limit, a page whose
content array names one stream 1,000 times, a page of 8 MB of path operators, a PDF of 1,000
pages of text, one of 2,500 pages; a truncated .docx and PDF.

To add a case (an engine text case too: ``kind="text"`` posts the bytes as text/plain), append
a ``Case`` to ``CASES``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIB = 1024 * 1024
MAX_GROWTH_MIB = 300
SLACK = 1.10  # an answer within the budget plus 10%
FONT = "STSong-Light"
SENTENCE = "2019年本年支出合计{a}万元，其中：基本支出{b}万元，项目支出{c}万元，比上年增加{d}万元，增长{e}%。"


# ---- building inputs --------------------------------------------------------------------------------


def _docx_parts() -> dict[str, bytes]:
    """The parts of an empty Word document (python-docx's template)."""
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def docx_of(body: Callable[[], Iterator[bytes]], *, level: int = 9) -> bytes:
    """A .docx whose body is the chunks ``body()`` yields, streamed into the zip (never held whole)."""
    parts = _docx_parts()
    head, _, rest = parts["word/document.xml"].partition(b"<w:body>")
    tail = rest[rest.index(b"<w:sectPr") :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(head + b"<w:body>")
            for chunk in body():
                stream.write(chunk)
            stream.write(tail)
    return out.getvalue()


def paragraphs(total_bytes: int, text: str) -> Callable[[], Iterator[bytes]]:
    """Paragraphs of ``text``, repeated until they make ``total_bytes`` of XML."""
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    per_chunk = max(1, MIB // len(paragraph))
    chunk = paragraph * per_chunk

    def body() -> Iterator[bytes]:
        for _ in range(max(1, total_bytes // len(chunk))):
            yield chunk

    return body


def docx_lying(actual: int) -> bytes:
    """A .docx whose central directory says its document.xml is 64 KiB, and it is ``actual`` bytes
    (zipfile reads the sizes of the central directory; the local header is not looked at)."""
    data = bytearray(docx_of(paragraphs(actual, "本年支出合计10万元。"), level=6))
    name = b"word/document.xml"
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name:
            data[at + 24 : at + 28] = (64 * 1024).to_bytes(4, "little")  # uncompressed size
            return bytes(data)
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError("no central directory entry for word/document.xml")


def docx_entries(count: int) -> bytes:
    """A .docx with ``count`` empty parts beside its own (each one an object when zipfile reads the directory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, data in _docx_parts().items():
            archive.writestr(name, data)
        for i in range(count):
            archive.writestr(f"customXml/item{i}.bin", b"")
    return out.getvalue()


def docx_entity_bomb() -> bytes:
    """A .docx whose document.xml declares the billion laughs (entities of ten entities, nine deep)."""
    parts = _docx_parts()
    lol = ['<!ENTITY lol0 "本年支出合计10万元。">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = f"<!DOCTYPE w:document [{''.join(lol)}]>".encode()
    head, _, rest = parts["word/document.xml"].partition(b"<w:document")
    body = rest.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", 1)
    parts["word/document.xml"] = head + doctype + b"<w:document" + body
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_small() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(SENTENCE.format(a=10, b=6, c=4, d=1, e=11.1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_of(contents: list[bytes], *, repeat: int = 0) -> bytes:
    """A PDF of one page per compressed content stream in ``contents``, Helvetica as /F1; with
    ``repeat``, each page's /Contents an array naming its stream that many times."""
    n = len(contents)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n)
    font_ref = 3 + 2 * n
    for i, stream in enumerate(contents):
        ref = b"%d 0 R" % (4 + 2 * i)
        named = b"[" + b" ".join([ref] * repeat) + b"]" if repeat else ref
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %s >>" % (font_ref, named)
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflated(unit: bytes, total: int, tail: bytes = b"BT /F1 12 Tf 72 770 Td (Total 10) Tj ET\n") -> bytes:
    """``unit`` repeated to ``total`` bytes, then ``tail``, deflated chunk by chunk."""
    compress = zlib.compressobj(9)
    chunk = unit * max(1, MIB // len(unit))
    out = [compress.compress(chunk) for _ in range(max(1, total // len(chunk)))]
    out.append(compress.compress(tail))
    out.append(compress.flush())
    return b"".join(out)


def pdf_pages(count: int, lines: int = 24) -> bytes:
    """``count`` pages of Chinese sentences with figures (reportlab, a CID font PDFium reads)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out)
    for number in range(count):
        page.setFont(FONT, 10)
        for line in range(lines):
            a = 10 + number + line
            page.drawString(40, 800 - 30 * line, SENTENCE.format(a=a, b=a - 4, c=4, d=1, e=11.1)[:48])
        page.showPage()
    page.save()
    return out.getvalue()


def pdf_small() -> bytes:
    return pdf_pages(1, lines=2)


# ---- the cases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    build: Callable[[bool], bytes]  # quick → the bytes
    filename: str
    expect: dict[int, str | None]  # status → error code (None: a 200, or any code)
    config: dict = field(default_factory=dict)  # the app's configuration, at full size
    quick_config: dict = field(default_factory=dict)  # … and for --quick
    kind: str = "upload"  # or "text": the bytes posted as text/plain


def half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _size(quick: bool, full: int, small: int) -> int:
    return small if quick else full


QUICK_LIMITS = {"MAX_EXPANDED_BYTES": 4 * MIB}

CASES: list[Case] = [
    Case(
        "docx-paragraph-bomb",
        "a .docx whose paragraphs expand to 820 MB",
        lambda q: docx_of(paragraphs(_size(q, 820 * 10**6, 8 * MIB), "本年支出合计10万元。" * 400)),
        "bomb.docx",
        {413: "document_too_large"},
        quick_config=QUICK_LIMITS,
    ),
    Case(
        "docx-tiny-paragraphs",
        "a .docx of 600 MB of tiny paragraphs",
        lambda q: docx_of(paragraphs(_size(q, 600 * 10**6, 6 * MIB), "x")),
        "tiny.docx",
        {413: "document_too_large"},
        quick_config=QUICK_LIMITS,
    ),
    Case(
        "docx-lying-sizes",
        "a .docx whose zip says its document is 64 KiB and inflates to 200 MB",
        lambda q: docx_lying(_size(q, 200 * 10**6, 2 * MIB)),
        "lying.docx",
        {422: "unreadable_document"},
        quick_config=QUICK_LIMITS,
    ),
    Case(
        "docx-many-elements",
        "a .docx of 24 MB of tiny paragraphs: under the bytes, over the 400,000 XML elements",
        lambda q: docx_of(paragraphs(24 * 10**6, "x")),  # full size in --quick too: ~0.2 s to refuse
        "elements.docx",
        {413: "document_too_large"},
    ),
    Case(
        "docx-many-entries",
        "a .docx zip of 200,000 empty entries (over 10,000)",
        lambda q: docx_entries(_size(q, 200_000, 12_000)),
        "entries.docx",
        {413: "document_too_large"},
    ),
    Case(
        "docx-entity-bomb",
        "a .docx whose XML declares the billion laughs (entities are not expanded)",
        lambda q: docx_entity_bomb(),
        "laughs.docx",
        {200: None, 422: None},
    ),
    Case(
        "docx-slow-to-read",
        "a .docx of 130,000 short paragraphs (390,000 elements): read in part, in time",
        lambda q: docx_of(paragraphs(_size(q, 130_000, 20_000) * 60, "本年支出合计10万元。")),
        "long.docx",
        {200: None},
        quick_config={"TIME_BUDGET_MS": 1200},
    ),
    Case(
        "pdf-qq-bomb",
        "a PDF whose one content stream inflates to 1.1 GB of q Q",
        lambda q: pdf_of([deflated(b"q Q ", _size(q, 1100 * 10**6, 10 * MIB))]),
        "qq.pdf",
        {413: "document_too_large"},
    ),
    Case(
        "pdf-streams-add-up",
        "a PDF of 20 pages of 7 MiB of q Q each: each stream under its limit, together over",
        lambda q: pdf_of([deflated(b"q Q ", _size(q, 7 * MIB, MIB))] * 20),
        "streams.pdf",
        {413: "document_too_large"},
        quick_config=QUICK_LIMITS,
    ),
    Case(
        "pdf-contents-array",
        "a PDF page whose /Contents names one 1 MiB stream of q Q 1,000 times (1 GiB to parse)",
        lambda q: pdf_of([deflated(b"q Q ", MIB)], repeat=_size(q, 1000, 20)),
        "array.pdf",
        {413: "document_too_large"},
    ),
    Case(
        "pdf-paths-page",
        "a PDF page of 8 MB of path operators (under the stream limit; 560,000 paths)",
        lambda q: pdf_of([deflated(b"0 0 m 1 1 l S\n", _size(q, 8 * 10**6, MIB))]),
        "paths.pdf",
        {200: None},
    ),
    Case(
        "pdf-1000-pages",
        "a PDF of 1,000 pages of text: read in part within half the budget, the rest checks it",
        lambda q: pdf_pages(_size(q, 1000, 200)),
        "pages.pdf",
        {200: None},
        quick_config={"TIME_BUDGET_MS": 400},
    ),
    Case(
        "pdf-too-many-pages",
        "a PDF of 2,500 pages (over TALLY_MAX_PAGES, 2,000)",
        lambda q: pdf_of([zlib.compress(b"BT /F1 12 Tf 72 770 Td (x) Tj ET")] * _size(q, 2500, 30)),
        "many.pdf",
        {413: "too_many_pages"},
        quick_config={"MAX_PAGES": 20},
    ),
    Case(
        "pdf-truncated",
        "a PDF of 40 pages cut at half its bytes",
        lambda q: half(pdf_pages(_size(q, 40, 4))),
        "truncated.pdf",
        {200: None, 422: None},
    ),
    Case(
        "docx-truncated",
        "a .docx cut at half its bytes",
        lambda q: half(docx_of(paragraphs(_size(q, 4 * MIB, 64 * 1024), "本年支出合计10万元。"), level=1)),
        "truncated.docx",
        {422: "unreadable_document"},
    ),
]
BY_NAME = {case.name: case for case in CASES}


# ---- running a case ---------------------------------------------------------------------------------


def _status_kib(field_name: str) -> int:
    return int(re.search(rf"{field_name}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def post(client, case: Case, data: bytes):
    if case.kind == "text":
        return client.post("/v1/check", data=data, content_type="text/plain; charset=utf-8")
    return client.post(
        "/v1/check", data={"file": (io.BytesIO(data), case.filename)}, content_type="multipart/form-data"
    )


def run_here(case: Case, data: bytes, config: dict) -> dict:
    """The case in this process (a fresh one: its peak RSS is the request's)."""
    from service.http import create_app

    app = create_app({"TESTING": True, **config})
    client = app.test_client()
    for name, warm in (("warm.docx", docx_small()), ("warm.pdf", pdf_small())):  # lazy imports paid
        client.post("/v1/check", data={"file": (io.BytesIO(warm), name)}, content_type="multipart/form-data")
    Path("/proc/self/clear_refs").write_text("5")  # peak RSS from here on
    before = _status_kib("VmRSS")
    started = time.perf_counter()
    response = post(client, case, data)
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM")
    read = None
    if response.status_code == 200 and case.kind == "upload":  # how much of it was reading the file
        from service.read.documents import extract
        from service.read.limits import READ_SHARE

        budget = app.config["TIME_BUDGET_MS"] / 1000
        start = time.perf_counter()
        extract(data, case.filename, deadline=start + READ_SHARE * budget)
        read = round(time.perf_counter() - start, 3)
    body = response.get_json(silent=True) or {}
    error = body.get("error", {})
    coverage = body.get("coverage", {})
    return {
        "case": case.name,
        "status": response.status_code,
        "code": error.get("code"),
        "message": error.get("message"),
        "seconds": round(seconds, 3),
        "read_s": read,
        "budget_s": app.config["TIME_BUDGET_MS"] / 1000,
        "growth_mib": round((peak - before) / 1024, 1),
        "extraction": coverage.get("extraction"),
        "stopped_in": coverage.get("stopped_in"),
        "checked": coverage.get("checked_total"),
    }


def run(case: Case, quick: bool) -> dict:
    """Build the case's input here, run it in a subprocess, and judge the answer."""
    started = time.perf_counter()
    data = case.build(quick)
    built = time.perf_counter() - started
    config = {**case.config, **(case.quick_config if quick else {})}
    with tempfile.NamedTemporaryFile(suffix=case.filename) as f:
        f.write(data)
        f.flush()
        child = subprocess.run(
            [sys.executable, __file__, "--child", case.name, f.name, json.dumps(config)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "TALLY_LOG_LEVEL": "WARNING"},
            timeout=600,
        )
    if child.returncode != 0:
        return {"case": case.name, "ok": False, "problem": child.stderr[-2000:], "bytes": len(data)}
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["bytes"] = len(data)
    result["built_s"] = round(built, 2)
    problems = []
    if result["status"] not in case.expect:
        problems.append(f"status {result['status']} not in {sorted(case.expect)}")
    elif case.expect[result["status"]] is not None and result["code"] != case.expect[result["status"]]:
        problems.append(f"code {result['code']} is not {case.expect[result['status']]}")
    if result["seconds"] > SLACK * result["budget_s"]:
        problems.append(f"{result['seconds']} s over {SLACK} × the {result['budget_s']} s budget")
    if result["growth_mib"] > MAX_GROWTH_MIB:
        problems.append(f"RSS grew {result['growth_mib']} MiB, over {MAX_GROWTH_MIB}")
    if result["status"] >= 500:
        problems.append("a server error")
    result["ok"] = not problems
    result["problems"] = problems
    return result


def table(results: list[dict]) -> str:
    lines = [
        "| case | input | status | code | seconds (reading) | peak RSS growth (MiB) | read | ok |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for r in results:
        extent = r.get("extraction")
        read = f"{extent['read']}/{extent['total']} {extent['unit']}s" if extent else ""
        if r.get("stopped_in"):
            read += f" (stopped in {r['stopped_in']}, {r.get('checked')} checked)"
        seconds = f"{r.get('seconds', '')}" + (f" ({r['read_s']})" if r.get("read_s") is not None else "")
        lines.append(
            f"| {r['case']} | {r['bytes'] / MIB:.2f} MiB | {r.get('status', '')} | {r.get('code') or ''} | "
            f"{seconds} | {r.get('growth_mib', '')} | {read} | "
            f"{'yes' if r['ok'] else 'NO: ' + '; '.join(r.get('problems') or [r.get('problem', '')])} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, limits set low (as the tests)")
    parser.add_argument("--case", action="append", choices=sorted(BY_NAME), help="run only these")
    parser.add_argument("--json", action="store_true", help="one JSON object a case instead of the table")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, path, config = args.child
        print(json.dumps(run_here(BY_NAME[name], Path(path).read_bytes(), json.loads(config))))
        return 0
    results = []
    for case in [BY_NAME[name] for name in args.case] if args.case else CASES:
        result = run(case, args.quick)
        results.append(result)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        else:
            verdict = "ok" if result["ok"] else result
            line = f"{case.name}: {result.get('status')} {result.get('seconds')} s +{result.get('growth_mib')} MiB"
            print(line, verdict, file=sys.stderr, flush=True)
    if not args.json:
        print(table(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
