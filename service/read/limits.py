"""What a file may cost before it is read: each limit is looked at before the expensive work.

A .docx is a zip: its parts are read from the central directory (their declared sizes) and
then inflated once as a stream, chunk by chunk, counting what comes out, so that a part whose
declared size lies is caught too (zipfile stops at the declared size and the CRC then fails).
The XML parts' elements are counted as they stream by (``<`` that opens no end tag): python-docx
holds every element as an lxml node and a Python object, ~30 times the bytes of a paragraph as
short as ``<w:p><w:r><w:t>x</w:t></w:r></w:p>``.

A PDF's streams are found in its bytes (``stream`` after a dictionary) and the Flate ones
inflated with zlib, in chunks and with a cap, without keeping what comes out: images are left
out (PDFium decodes no image to read text), every other stream counts (page contents, fonts,
object streams). One stream may expand to at most ``stream_bytes``: PDFium parses a page's
content whole, before any clock can be looked at (~30 MB/s of ``q Q``, twice its size in memory).
The page count is PDFium's, read when the document opens, before any page is.

Each limit refused is a ``DocumentError`` (``document_too_large``, ``too_many_pages``) with
``details`` saying what was found and the limit; the HTTP layer answers 413.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .documents import DocumentError

MIB = 1024 * 1024
CHUNK = 1 << 20  # bytes inflated at a time
SETTING = "TALLY_MAX_EXPANDED_BYTES"
PARTS = "its parts, uncompressed,"
READ_SHARE = 0.5  # the share of a request's time budget reading a file may take: the rest checks what was read


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what reading one file may expand to (``TALLY_<NAME>`` in the environment
    for the first two)."""

    max_pages: int = 2000  # pages of a PDF (a 决算 runs to 20-40)
    max_expanded_bytes: int = 128 * MIB  # a .docx's parts, a PDF's streams (images aside), inflated
    stream_bytes: int = 8 * MIB  # one PDF stream inflated (a page's content is parsed whole)
    max_parts: int = 10_000  # entries of a .docx's zip (a report has 10-100: its images among them)
    max_elements: int = 400_000  # XML elements in a .docx's parts (each one an lxml node, ~320 bytes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        environ = os.environ if environ is None else environ
        values = {}
        for name in ("max_pages", "max_expanded_bytes"):
            raw = environ.get(f"TALLY_{name.upper()}", "").strip()
            if raw:
                values[name] = int(raw)
        return cls(**values)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{f.name} must be a positive whole number, not {value!r}")


DEFAULT = Limits()


def _too_large(what: str, found: int, limit: int, unit: str = "bytes", setting: str = "") -> DocumentError:
    from .documents import DocumentError

    size = f"{found:,} {unit}" if unit != "bytes" else f"{found / MIB:,.1f} MiB"
    cap = f"{limit:,} {unit}" if unit != "bytes" else f"{limit / MIB:,.1f} MiB"
    return DocumentError(
        "document_too_large",
        f"{what} {'is' if unit == 'bytes' else 'are'} at least {size}, over the {cap} one check reads"
        f"{f' ({setting})' if setting else ''}; split the report",
        {"found": found, "limit": limit, "unit": unit},
    )


# ---- .docx ------------------------------------------------------------------------------------------


def check_entries(data: bytes, limits: Limits = DEFAULT) -> None:
    """Refuse a zip of more entries than a .docx has before its directory is read (zipfile
    makes an object of each): its central directory's headers, counted in the bytes."""
    entries = data.count(b"PK\x01\x02")
    if entries > limits.max_parts:
        raise _too_large("its zip entries", entries, limits.max_parts, "entries")


def check_zip(data: bytes, limits: Limits = DEFAULT) -> None:
    """Refuse a .docx whose parts expand past the limits: by their declared sizes first, then by
    what inflating them actually gives (chunk by chunk, stopped at the cap)."""
    from .documents import DocumentError

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as e:
        raise DocumentError("unreadable_document", f"a damaged zip archive ({e})") from e
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > limits.max_expanded_bytes:
            raise _too_large(PARTS, declared, limits.max_expanded_bytes, setting=SETTING)
        total = elements = 0
        try:
            for member in members:
                xml = member.filename.endswith((".xml", ".rels"))
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        total += len(chunk)
                        if total > limits.max_expanded_bytes:
                            raise _too_large(PARTS, total, limits.max_expanded_bytes, setting=SETTING)
                        if xml:
                            elements += chunk.count(b"<") - chunk.count(b"</")  # start and empty tags
                            if elements > limits.max_elements:
                                raise _too_large("its XML elements", elements, limits.max_elements, "elements")
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as e:
            raise DocumentError("unreadable_document", f"a damaged zip archive ({e})") from e


# ---- PDF --------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"(?<![A-Za-z])stream\r?\n")
_DICT_BACK = 2048  # bytes before ``stream`` looked at for its dictionary
_OBJ = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_FLATE = re.compile(rb"/FlateDecode\b|/Fl\b")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_CONTENTS = re.compile(rb"/Contents\s*\[([^\]]*)\]")
_REF = re.compile(rb"(\d+)\s+\d+\s+R\b")


def check_pdf(data: bytes, limits: Limits = DEFAULT) -> int:
    """Refuse a PDF whose streams (images aside) inflate past the limits, one stream or one
    page's content (an array of streams, the same one named many times) past ``stream_bytes``;
    the bytes they all give."""
    total = 0
    sizes: dict[int, int] = {}  # object number → bytes its stream gives
    dictionaries = [data]  # where pages' /Contents arrays may be: the file, and its object streams
    for match in _STREAM.finditer(data):
        head = data[max(0, match.start() - _DICT_BACK) : match.start()]
        objects = list(_OBJ.finditer(head))
        if objects:
            head = head[objects[-1].end() :]
        if _IMAGE.search(head):
            continue
        if _FLATE.search(head):
            budget = min(limits.stream_bytes, limits.max_expanded_bytes - total)
            keep = [] if _OBJECT_STREAM.search(head) else None
            size = _inflated(data, match.end(), budget, keep)
            if keep is not None:
                dictionaries.append(b"".join(keep))
        else:  # as it is: up to its end
            end = data.find(b"endstream", match.end())
            size = (len(data) if end < 0 else end) - match.end()
        if size > limits.stream_bytes:
            raise _too_large("one of its streams, inflated,", size, limits.stream_bytes)
        total += size
        if total > limits.max_expanded_bytes:
            raise _too_large("its streams, inflated,", total, limits.max_expanded_bytes, setting=SETTING)
        if objects:
            sizes[int(objects[-1].group(1))] = size
    for text in dictionaries:
        for contents in _CONTENTS.finditer(text):
            page = sum(sizes.get(int(ref), 0) for ref in _REF.findall(contents.group(1)))
            if page > limits.stream_bytes:
                raise _too_large("one page's content, inflated,", page, limits.stream_bytes)
    return total


def _inflated(data: bytes, start: int, cap: int, keep: list[bytes] | None = None) -> int:
    """How many bytes the zlib stream at ``start`` inflates to, counting no further than just
    past ``cap`` (a stream that does not inflate counts nothing: PDFium will say what it makes of
    it); what it gives is appended to ``keep`` when one is passed."""
    inflate = zlib.decompressobj()
    size, pos, end = 0, start, len(data)
    try:
        while not inflate.eof and pos < end and size <= cap:
            out = inflate.decompress(data[pos : pos + CHUNK], CHUNK)
            pos += CHUNK
            while True:
                size += len(out)
                if keep is not None:
                    keep.append(out)
                if not inflate.unconsumed_tail or size > cap or inflate.eof:
                    break
                out = inflate.decompress(inflate.unconsumed_tail, CHUNK)
    except zlib.error:
        return size
    return size


def too_many_pages(count: int, limits: Limits) -> DocumentError:
    from .documents import DocumentError

    return DocumentError(
        "too_many_pages",
        f"{count:,} pages, over the {limits.max_pages:,} one check reads (TALLY_MAX_PAGES); split the report",
        {"found": count, "limit": limits.max_pages, "unit": "pages"},
    )
