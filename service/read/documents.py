"""Word, PDF and plain-text files in, one text out, with where each stretch of it came from.

``extract(data, filename, media_type)`` returns the text the engine checks and a map from its
offsets back to the file: a page of a PDF, a paragraph or a table cell of a Word document, a
line of a text file. The kind is read from the bytes first (``PK`` zip holding
``word/document.xml`` → docx, ``%PDF`` → pdf, else text as UTF-8, else GB18030); the file name
or media type only confirms it, and a file whose name or type says otherwise is refused.

- Word: body paragraphs in document order, one a line; each table row one line of
  tab-separated cells, so that figures in tables reach the checks: a cell merged across columns
  once, a cell merged down from the row above empty, a row without text left out, as the PDF
  reader gives a ruled table.
  Headers, footers, footnotes and text boxes are left out.
- PDF: PDFium (pypdfium2), page by page, read by service/read/pdf.py from each character's box:
  lines by vertical overlap (figures set a few points below the Chinese text stay in their
  sentence), a line that runs to the right margin without ending a sentence joined to the
  next (also over a page break), each row of a ruled table one line of tab-separated cells,
  running headers, footers and page numbers left out. Pages are separated by a line break,
  unless a sentence runs on from one to the next. Each page keeps its size and the box of
  every code point that comes from a character of it (``PdfPage``), so that a stretch of the
  text has a place on the page: ``locate(start, end)`` gives ``page``, ``box`` (the union of
  its characters' boxes, [x0, y0, x1, y1] in PDF points, origin bottom-left) and ``boxes``
  (one such box a line the stretch covers on that page).

What a file may cost is looked at before it is read (service/read/limits.py: a .docx's parts
and a PDF's streams inflated, its XML elements, a PDF's pages; ``document_too_large``,
``too_many_pages``). Reading walks the pages of a PDF and the paragraphs and tables of a Word
document under the caller's deadline (``extract(..., deadline=)``, service/budget.py): when it
passes, what was read so far is the text, and ``Extracted.extent`` says how far reading went
(``unit``, ``read`` of ``total``); a file of which nothing could be read in time is refused
(``unread_in_time``).

Nothing here imports Flask: the HTTP layer and the CLI both call ``extract``.
"""

from __future__ import annotations

import bisect
import io
import zipfile
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import PurePath
from typing import Any

from ..budget import OutOfTime, paced, within
from . import limits as costs
from .limits import Limits

KINDS = ("txt", "docx", "pdf")
SUFFIXES = {".txt": "txt", ".docx": "docx", ".pdf": "pdf"}
MEDIA_TYPES = {
    "text/plain": "txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/pdf": "pdf",
}
GENERIC_MEDIA_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
NAMES = {"txt": "plain text", "docx": "a Word document (.docx)", "pdf": "a PDF"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and every password-protected Office file

UNREADABLE = 0.1  # a PDF is refused when this share of its characters are control or private-use codes
UNMAPPED_MESSAGE = (
    "a PDF whose fonts have no Unicode mapping (or whose encryption cannot be undone), so its text "
    "cannot be read; export it again, or send the .docx"
)


class DocumentError(Exception):
    """A file that cannot be checked; ``code`` names why, ``message`` says it for people.

    The message is a phrase about the file that reads after its name: ``report.pdf: encrypted …``.
    """

    def __init__(self, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}


@dataclass(frozen=True)
class Block:
    """A stretch ``[start, end)`` of the extracted text and where it sits in the file."""

    start: int
    end: int
    where: tuple[tuple[str, int], ...]


LINE_OVERLAP = 0.3  # two characters' boxes are on one line when they overlap by this share of the shorter


@dataclass(frozen=True, eq=False)
class PdfPage:
    """A PDF page: its number (1-based), size as shown (points), the stretch ``[start, end)`` of
    the text it gave, and what the reader kept of it (``read.box(i)``: the box of the page's
    code point ``i``, i.e. of the text's ``start + i``)."""

    number: int
    width: float
    height: float
    start: int
    end: int
    read: Any  # service.read.pdf.PageText

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "width": round(self.width, 2),
            "height": round(self.height, 2),
            "start": self.start,
            "end": self.end,
        }

    def lines(self, start: int, end: int) -> list[tuple[float, ...]]:
        """The boxes of the code points in ``[start, end)`` on this page, one a line they sit on
        as the page is shown (turned by /Rotate): a new line where a character does not overlap
        the line vertically or lies left of it."""
        out: list[list[float]] = []  # each line: its box (x0, y0, x1, y1), then as shown (x0, x1, top, bottom)
        read = self.read
        for i in range(max(start, self.start) - self.start, min(end, self.end) - self.start):
            char = read.box(i)
            if char is None or (char[2] - char[0] <= 0 and char[3] - char[1] <= 0):
                continue
            x0, x1, top, bottom = read.shown(char)
            if out:
                line = out[-1]
                overlap = min(line[7], bottom) - max(line[6], top)
                if overlap >= LINE_OVERLAP * min(line[7] - line[6], bottom - top) and x0 >= line[4] - 1:
                    line[:2] = min(line[0], char[0]), min(line[1], char[1])
                    line[2:4] = max(line[2], char[2]), max(line[3], char[3])
                    line[4:] = min(line[4], x0), max(line[5], x1), min(line[6], top), max(line[7], bottom)
                    continue
            out.append([*char, x0, x1, top, bottom])
        return [tuple(round(v, 2) for v in line[:4]) for line in out]


@dataclass(frozen=True)
class Extent:
    """How far reading a file went: ``read`` of its ``total`` pages (a PDF) or blocks (a Word
    document's body paragraphs and tables); fewer when the deadline passed while reading."""

    unit: str  # "page" or "block"
    read: int
    total: int

    @property
    def complete(self) -> bool:
        return self.read >= self.total

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "read": self.read, "total": self.total, "complete": self.complete}


@dataclass(frozen=True)
class Extracted:
    text: str
    kind: str  # one of KINDS
    blocks: tuple[Block, ...]
    encoding: str | None = None  # for text that was not UTF-8: the encoding it was read with
    pages: tuple[PdfPage, ...] = ()  # a PDF's pages, with the box of each code point
    extent: Extent | None = None  # a PDF's or Word document's: how far reading went

    @cached_property
    def _starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    def locate(self, offset: int, end: int | None = None) -> dict[str, Any]:
        """Where ``offset`` sits: ``{"page"}``, ``{"paragraph"}``, ``{"table", "row", "cell"}`` or ``{"line"}``.

        An offset on a separator (the line break between paragraphs, the tab between cells)
        belongs to the stretch before it. For a PDF and a stretch ``[offset, end)``, also
        ``box`` and ``boxes`` (see ``box``) when any of its code points has one.
        """
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        where: dict[str, Any] = dict(self.blocks[index].where) if self.blocks else {}
        if end is not None and self.pages and "page" in where:
            where.update(self.box(where["page"], offset, end))
        return where

    def box(self, number: int, start: int, end: int) -> dict[str, Any]:
        """``{"box", "boxes"}`` of the stretch ``[start, end)`` on page ``number``: ``boxes`` one
        a line it covers there, ``box`` their union; ``{}`` when none of it has a box (a stretch
        on the next page is not boxed: the location is the page where the stretch starts)."""
        if not 1 <= number <= len(self.pages):
            return {}
        lines = self.pages[number - 1].lines(start, max(end, start + 1))
        if not lines:
            return {}
        union = (min(b[0] for b in lines), min(b[1] for b in lines), max(b[2] for b in lines), max(b[3] for b in lines))
        return {"box": union, "boxes": tuple(lines)}


def extract(
    data: bytes,
    filename: str | None = None,
    media_type: str | None = None,
    *,
    limits: Limits | None = None,
    deadline: float | None = None,
) -> Extracted:
    """The text of a .txt, .docx or .pdf file, or ``DocumentError`` saying why there is none.

    ``limits``: what the file may expand to (default ``limits.DEFAULT``); ``deadline`` (a
    ``time.perf_counter()`` value): when reading stops, what was read by then is the text."""
    limits = limits or costs.DEFAULT
    kind = sniff(data)
    claimed = claimed_kind(filename, media_type)
    if claimed is not None and claimed != kind:
        raise DocumentError(
            "mislabelled_document",
            f"labelled as {NAMES[claimed]} but its content is {NAMES[kind]}; rename it or send the right type",
        )
    with within(deadline):
        extracted = _text(data) if kind == "txt" else _docx(data, limits) if kind == "docx" else _pdf(data, limits)
    extent = extracted.extent
    if extent is not None and extent.read == 0 and extent.total:
        raise DocumentError(
            "unread_in_time",
            f"not one of its {extent.total:,} {extent.unit}s could be read within the time budget "
            "(TALLY_TIME_BUDGET_MS); split the report",
            extent.to_dict(),
        )
    if not extracted.text.strip():
        hint = " (a scanned PDF has no text layer; run OCR first)" if kind == "pdf" else ""
        raise DocumentError("empty_document", f"no text to check in this {kind} file{hint}")
    return extracted


def sniff(data: bytes) -> str:
    """The kind of file the bytes are, whatever its name says."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        costs.check_entries(data)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                members = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError) as e:
            raise DocumentError("unreadable_document", f"a damaged zip archive ({e})") from e
        if "word/document.xml" in members:
            return "docx"
        raise DocumentError(
            "unsupported_document",
            "a zip archive but not a Word document (no word/document.xml); send .docx, .pdf or .txt",
        )
    if data.startswith(OLE_MAGIC):
        raise DocumentError(
            "unsupported_document",
            "a legacy Office file (.doc) or a password-protected Office document; save it as .docx without a password",
        )
    return "txt"


def claimed_kind(filename: str | None, media_type: str | None) -> str | None:
    """The kind the name or media type claims, or None when they claim nothing we know."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    media = (media_type or "").split(";")[0].strip().lower()
    if media in GENERIC_MEDIA_TYPES:
        return None
    if media in MEDIA_TYPES:
        return MEDIA_TYPES[media]
    raise DocumentError(
        "unsupported_document", f"sent as {media}, a type this service does not read; send .docx, .pdf or .txt"
    )


def decode(data: bytes) -> tuple[str, str | None]:
    """Strict UTF-8, else GB18030 (common for government documents); the text and the fallback used."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            raise DocumentError(
                "undecodable_text",
                f"not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) nor GB18030",
            ) from utf8_error


def _text(data: bytes) -> Extracted:
    text, encoding = decode(data)
    if "\x00" in text:
        raise DocumentError("unsupported_document", "binary data (NUL bytes), not text; send .docx, .pdf or .txt")
    blocks, pos = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        blocks.append(Block(pos, pos + len(line), (("line", number),)))
        pos += len(line) + 1
    return Extracted(text, "txt", tuple(blocks), encoding)


def _docx(data: bytes, limits: Limits = costs.DEFAULT) -> Extracted:
    import docx  # imported here: a text-only run never pays for lxml and python-docx
    from docx.oxml.text.paragraph import CT_P
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    costs.check_zip(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document._body
        content = body._element.inner_content_elements
    except Exception as e:  # python-docx raises KeyError, lxml errors, BadZipFile… for a damaged file
        raise DocumentError("unreadable_document", f"a damaged Word document ({e})") from e
    builder = _Builder()
    paragraph = table = read = 0
    try:
        for element in paced(content):
            mark = len(builder.blocks), len(builder.parts), builder.pos
            try:
                if not isinstance(element, CT_P):
                    table += 1
                    for row_number, row in enumerate(paced(Table(element, body).rows), start=1):
                        cells = _row_cells(row)
                        if not any(cells):
                            continue  # a row with no text is no line (nor is it in a PDF)
                        for cell_number, text in enumerate(cells, start=1):
                            where = (("table", table), ("row", row_number), ("cell", cell_number))
                            builder.add(text, where, "\t" if cell_number < len(cells) else "\n")
                else:
                    paragraph += 1
                    builder.add(_oneline(Paragraph(element, body).text), (("paragraph", paragraph),), "\n")
            except OutOfTime:  # a table read in part is left out whole
                del builder.blocks[mark[0] :], builder.parts[mark[1] :]
                builder.pos = mark[2]
                raise
            read += 1
    except OutOfTime:
        pass
    return replace(builder.build("docx"), extent=Extent("block", read, len(content)))


def _row_cells(row) -> list[str]:
    """A table row's cells as a PDF of it reads: a cell merged across columns once, a cell merged
    down from a row above empty (its text is in the row where it starts), so that the cells of a
    row line up with its header's. python-docx's ``row.cells`` repeats both."""
    from docx.table import _Cell

    return ["" if tc.vMerge == "continue" else _oneline(_Cell(tc, row.table).text) for tc in row._tr.tc_lst]


def _pdf(data: bytes, limits: Limits = costs.DEFAULT) -> Extracted:
    from . import pdf

    costs.check_pdf(data, limits)
    try:
        pages, total = pdf.read_some(data, limits.max_pages)
    except pdf.TooManyPages as e:
        raise costs.too_many_pages(e.count, limits) from e
    except OutOfTime as e:  # other files held the reader all the time there was
        raise DocumentError(
            "unread_in_time",
            "the PDF reader was busy with other files for all of the time budget (TALLY_TIME_BUDGET_MS); send it again",
        ) from e
    except pdf.PdfError as e:
        if e.reason == "encrypted":
            raise DocumentError(
                "encrypted_document", "encrypted (password-protected); send a copy without a password"
            ) from e
        if e.reason == "unmapped":
            raise DocumentError("unreadable_document", UNMAPPED_MESSAGE) from e
        raise DocumentError("unreadable_document", f"a damaged PDF ({e})") from e
    except Exception as e:  # PDFium is lenient, but a damaged file may still fail in many ways
        raise DocumentError("unreadable_document", f"a damaged PDF ({e})") from e
    builder = _Builder()
    for number, page in enumerate(pages, start=1):
        builder.add(page.text, (("page", number),), page.joint)
    extracted = builder.build("pdf")
    if pdf.unreadable_share(extracted.text) > UNREADABLE:
        raise DocumentError("unreadable_document", UNMAPPED_MESSAGE)
    geometry = tuple(
        PdfPage(number, page.width, page.height, block.start, block.end, page)
        for number, (page, block) in enumerate(zip(pages, builder.blocks, strict=True), start=1)
    )
    return replace(extracted, pages=geometry, extent=Extent("page", len(pages), total))


class _Builder:
    """Joins stretches of text with their separators and records where each one sits."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.blocks: list[Block] = []
        self.pos = 0

    def add(self, text: str, where: tuple[tuple[str, int], ...], separator: str) -> None:
        self.blocks.append(Block(self.pos, self.pos + len(text), where))
        self.parts.extend((text, separator))
        self.pos += len(text) + len(separator)

    def build(self, kind: str) -> Extracted:
        text = "".join(self.parts)
        return Extracted(text[:-1] if text.endswith("\n") else text, kind, tuple(self.blocks))


def _oneline(s: str) -> str:
    """A paragraph or cell on one line: its inner breaks and tabs become spaces."""
    return s.replace("\r", " ").replace("\n", " ").replace("\t", " ").replace("\v", " ")


def with_locations(body: dict[str, Any], extracted: Extracted, filename: str | None) -> dict[str, Any]:
    """A ``/v1/check`` body of ``check(extracted)`` plus ``document`` (the file's kind, name and
    text; for a PDF its ``pages``), and a ``location`` on every finding and evidence item that lacks one."""
    findings = [
        {
            **finding,
            "location": finding.get("location") or extracted.locate(finding["start"], finding["end"]),
            "evidence": [
                {**item, "location": item.get("location") or extracted.locate(item["start"], item["end"])}
                for item in finding["evidence"]
            ],
        }
        for finding in body["findings"]
    ]
    document = {"kind": extracted.kind, "filename": filename, "text": extracted.text}
    if extracted.pages:
        document["pages"] = [page.to_dict() for page in extracted.pages]
    return {**body, "findings": findings, "document": document}
