"""A PDF's pages as the lines a reader sees, from PDFium's characters and their boxes.

PDFium (through pypdfium2) gives each character of a page with its box and inserts a space
or a line break where it sees a gap. Those breaks cut the characters into runs (a word, a
figure, a clause set without a gap); each run keeps the box of its first and last character,
which is all the layout needs, and costs two calls instead of one a character.

- Lines are runs that overlap vertically (by ``OVERLAP`` of the shorter), not runs on one
  baseline: office-suite exports set figures in another font a few points below the Chinese
  text, and a line made by equal baselines would move every figure to a line of its own.
- Inside a line, runs are joined as the page shows them: nothing between two runs that touch
  (no space inside a Chinese word), a space where there is a gap (``SPACE_GAP`` of the line's
  height), and a tab between cells of a table that has no ruling lines (a line with two gaps
  of ``TAB_GAP`` or one of ``WIDE_GAP`` is a row; in it every gap of ``CELL_GAP`` parts cells).
- A table drawn with ruling lines (paths that are thin horizontal or vertical strokes, or the
  edges of rectangles) is read by its grid: each run goes to the cell whose lines enclose it,
  a cell's lines are joined into one, and each row comes out as one line of tab-separated
  cells, an empty cell kept, as the .docx reader gives them.
- A line that runs to the right margin without ending a sentence is joined to the next
  (within a page and across a page break), unless the next opens an item (一、 （二） 3、) or
  either is a table row.
- Lines in the top or bottom margin that are page numbers, or that repeat on several pages
  (a running header or footer, digits aside), are left out.

Every code point of a page's text that comes from a character of the page keeps the number of
that character (``PageText.chars``, -1 for a space, tab or line break the reader put in), and the
page keeps every character's box as PDFium gives it (``PageText.char_boxes``, four floats a
character, PDF user space, y up): where a finding sits on the page.

A PDF whose fonts map most characters to no Unicode (PDFium flags them) is refused.
Pages are read under the caller's deadline (service/budget.py, looked at before each page and
every few thousand characters or drawings of one): ``read_some`` gives the pages read by then
and the page count; a PDF of more pages than the caller allows is refused before any is read.
PDFium is not thread-safe: a process reads one PDF at a time (``_LOCK``), and a thread waits
for it no longer than its deadline.

Not read: ruling lines drawn inside a form XObject (such a table is read by its gaps), and
text PDFium itself leaves out: a text object of one character in a font that is not embedded
and that no font on the machine stands in for (its box has no width).
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
import struct
import threading
from array import array
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from time import perf_counter

from ..budget import OutOfTime, deadline_now, tick
from .text import _ITEM as ITEM

OVERLAP = 0.3  # two runs are on one line when their boxes overlap by this share of the shorter
SPACE_GAP = 0.3  # a gap of this many line heights shows as a space: wider than the quarter em that
# office suites set between Chinese and Latin text or figures (上海市XX局, 2024年度, not 上海市 XX 局)
LATIN_GAP = 0.12  # … and between two Latin letters or figures, a gap this wide (a Latin space)
TAB_GAP = 2.0  # … and between the cells of a table without ruling lines, as a tab (see _line)
WIDE_GAP = 4.0  # … one gap this wide makes a line a row of cells on its own
CELL_GAP = 1.0  # … and in such a row, every gap of a line height or more is between two cells
WRAP_SLACK = 1.5  # a line ending within this many of its heights of the right margin wraps on
WRAP_WIDTH = 0.6  # … if it fills at least this share of the page's width
WRAP_LEADING = 1.2  # … and the next line starts within this many heights below it
THIN = 2.5  # a path at most this thick (points) is a ruling line
MIN_RULE = 4.0  # … if it is at least this long
SNAP = 1.5  # rules this close (points) are one line; a rule ends this close to another meets it
MARGIN = 0.1  # the top and bottom tenth of a page hold its running header and footer
UNMAPPED = 0.1  # a PDF is refused when this share of its runs starts with a character no font maps to Unicode
SENTENCE_END = "。！？!?"
_CLOSERS = "”’」』）)】]"
_BREAKS = frozenset(" \t\r\n\x00\x01\x02\x03\xa0\u3000\ufffe\uffff")
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd\ue000-\uf8ff]")
_PAGE_NUMBER = re.compile(
    r"[-—–－~·•]*(?:\d{1,4}|[ivxlc]{1,7})[-—–－~·•]*|第\d{1,4}页(?:[,，]?共\d{1,4}页)?|共\d{1,4}页第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|page\d{1,4}(?:of\d{1,4})?",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
# what PDFium's load errors (FPDF_ERR_FILE, FPDF_ERR_FORMAT, FPDF_ERR_PAGE) say about a file
_LOAD_ERRORS = {2: "it cannot be opened", 3: "not in PDF format, or corrupted", 6: "a page cannot be read"}
_LOCK = threading.Lock()
_FOUR = struct.Struct("4f")  # a box as PDFium writes it: four floats


class _Fast:
    """The few PDFium calls made once a character or a drawing, declared with plain pointers and ints:
    pypdfium2's declarations wrap every handle in a ctypes object, which costs more than the call."""

    def __init__(self, raw) -> None:
        p, i, f = ctypes.c_void_p, ctypes.c_int, ctypes.CFUNCTYPE

        def fast(function, restype, *argtypes):
            return f(restype, *argtypes)(ctypes.cast(function, p).value)

        self.char_box = fast(raw.FPDFText_GetLooseCharBox, i, p, i, p)
        self.unmapped = fast(raw.FPDFText_HasUnicodeMapError, i, p, i)
        self.get_object = fast(raw.FPDFPage_GetObject, p, p, i)
        self.get_type = fast(raw.FPDFPageObj_GetType, i, p)
        self.get_bounds = fast(raw.FPDFPageObj_GetBounds, i, p, p, p, p, p)
        self.box = (ctypes.c_float * 4)()  # left, top, right, bottom of a char box (FS_RECTF)
        self.box_ref = ctypes.addressof(self.box)
        self.bounds = (ctypes.c_float * 4)()  # left, bottom, right, top of an object
        at = ctypes.addressof(self.bounds)
        self.bounds_refs = (at, at + 4, at + 8, at + 12)


_FAST: _Fast | None = None


@contextmanager
def _held(lock: threading.Lock):
    """A lock already acquired, released on the way out."""
    try:
        yield
    finally:
        lock.release()


def _handle(obj) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


EVERY = 4096  # characters or drawings of a page between two looks at the clock


class TooManyPages(Exception):
    """More pages than the caller reads (``count``)."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} pages")
        self.count = count


class PdfError(Exception):
    """The PDF cannot be read; ``reason`` is ``encrypted`` (a password), ``unmapped`` (fonts
    without a Unicode mapping) or ``damaged``."""

    def __init__(self, message: str, reason: str = "damaged") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(slots=True)
class Run:
    """Characters ``first``…``last`` of a page, set without a gap; y grows down the page.
    ``index``: the character of each code point of ``text`` when they are not ``first``…``last``
    one for one (a character without a box left out)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first: int
    last: int
    index: list[int] | None = None

    def chars(self):
        return range(self.first, self.last + 1) if self.index is None else self.index


@dataclass(slots=True)
class Line:
    """A line as the page shows it, or a table row (``row``: cells joined by tabs; ``ruled``:
    a row of a table drawn with ruling lines)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    row: bool = False
    ruled: bool = False
    chars: array | None = None  # the page's character of each code point of ``text``, -1 for one put in

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float
    top: float  # y of the page's top edge, in the lines' coordinates
    runs: int = 0
    unmapped: int = 0  # runs whose first character PDFium could not map to Unicode
    boxes: ctypes.Array | None = None  # each character's loose box as PDFium gives it (left, top, right, bottom)
    turn: int = 0


@dataclass(frozen=True, slots=True)
class PageText:
    """A page's text, what joins it to the next page, its size as shown (points), the character
    each code point of ``text`` comes from (-1: one the reader put in) and the characters' boxes."""

    text: str
    joint: str
    width: float
    height: float
    chars: array  # array("i"), one a code point of text
    char_boxes: bytes  # 16 bytes a character: left, top, right, bottom (floats), PDF user space
    turn: int = 0  # quarter turns clockwise the page is shown at (/Rotate)

    def box(self, i: int) -> tuple[float, float, float, float] | None:
        """The box of code point ``i`` as (x0, y0, x1, y1), origin bottom-left, or None."""
        k = self.chars[i]
        if k < 0:
            return None
        left, top, right, bottom = _FOUR.unpack_from(self.char_boxes, 16 * k)
        return left, bottom, right, top

    def shown(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box of ``box``'s form as the page is shown: (x0, x1, top, bottom), y growing down."""
        return _shown(*box, self.turn)


def read(data: bytes) -> list[tuple[str, str]]:
    """Each page's text and what joins it to the next page: ``""`` when its last line wraps
    into the next page's first, else ``"\\n"``."""
    return [(page.text, page.joint) for page in read_pages(data)]


def read_pages(data: bytes) -> list[PageText]:
    """Each page's text with the box of each of its code points (see ``PageText``)."""
    return read_some(data)[0]


def read_some(data: bytes, max_pages: int | None = None) -> tuple[list[PageText], int]:
    """The pages read before the deadline (service/budget.py; all of them without one), each
    with the box of each of its code points (see ``PageText``), and how many the PDF has.
    ``TooManyPages`` when it has more than ``max_pages``; ``OutOfTime`` when the deadline passes
    while another thread holds PDFium."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    global _FAST
    wait = deadline_now() - perf_counter()
    if not _LOCK.acquire(timeout=-1 if wait == math.inf else max(0.0, wait)):
        raise OutOfTime
    with _held(_LOCK):
        if _FAST is None:
            _FAST = _Fast(raw)
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
                raise PdfError("encrypted", "encrypted") from e
            raise PdfError(_LOAD_ERRORS.get(code, "PDFium cannot open it")) from e
        try:
            total = len(document)
            if max_pages is not None and total > max_pages:
                raise TooManyPages(total)
            pages: list[Page] = []
            try:
                for i in range(total):
                    tick()
                    pages.append(_page(raw, _FAST, document.raw, i))
            except OutOfTime:
                pass  # the pages read so far are the text; the caller says how far it went
        finally:
            document.close()
    runs = sum(page.runs for page in pages)
    if runs and sum(page.unmapped for page in pages) > UNMAPPED * runs:
        raise PdfError("its fonts have no Unicode mapping", "unmapped")
    _drop_furniture(pages)
    out = []
    for i, page in enumerate(pages):
        nxt = pages[i + 1] if i + 1 < len(pages) else None
        runs_on = bool(nxt and page.lines and nxt.lines and _wraps(page, page.lines[-1], nxt.lines[0], False))
        text, chars = _page_text(page)
        boxes = bytes(page.boxes) if page.boxes is not None else b""
        out.append(PageText(text, "" if runs_on else "\n", page.width, page.height, chars, boxes, page.turn))
        page.boxes = None
    return out, total


def unreadable_share(text: str) -> float:
    """The share of a text's visible characters that no font mapped to Unicode."""
    visible = sum(1 for c in text if not c.isspace())
    return len(_UNREADABLE.findall(text)) / visible if visible else 0.0


# ---- one page ------------------------------------------------------------------------------------


def _page(raw, fast: _Fast, document, index: int) -> Page:
    page = raw.FPDF_LoadPage(document, index)
    if not page:
        return Page([], 0.0, 0.0, 0.0)
    try:
        box = raw.FS_RECTF()
        raw.FPDF_GetPageBoundingBox(page, ctypes.byref(box))
        turn = raw.FPDFPage_GetRotation(page) % 4  # quarter turns clockwise the page is shown at
        width, height = box.right - box.left, box.top - box.bottom
        top = (-box.top, box.left, box.bottom, -box.right)[turn]
        if turn % 2:
            width, height = height, width
        textpage = raw.FPDFText_LoadPage(page)
        try:
            text_handle = _handle(textpage)
            boxes = (ctypes.c_float * (4 * max(0, raw.FPDFText_CountChars(textpage))))()  # filled by _runs
            runs = _runs(raw, fast, textpage, text_handle, boxes, turn)
            unmapped = sum(1 for run in runs if fast.unmapped(text_handle, run.first) == 1)
            tables = _tables(_rules(raw, fast, page, turn)) if _may_hold_a_table(runs) else []
            lines = _with_tables(boxes, runs, tables, turn) if tables else _lines(runs)
        finally:
            raw.FPDFText_ClosePage(textpage)
    finally:
        raw.FPDF_ClosePage(page)
    return Page(lines, width, height, top, len(runs), unmapped, boxes, turn)


def _shown(left: float, bottom: float, right: float, top: float, turn: int) -> tuple[float, float, float, float]:
    """A box of the page's own space (y up) as the page is shown, turned ``turn`` quarters
    clockwise: (x0, x1, top, bottom), with y growing down the page."""
    if turn == 0:
        return left, right, -top, -bottom
    if turn == 1:
        return bottom, top, left, right
    if turn == 2:
        return -right, -left, bottom, top
    return -top, -bottom, -right, -left


def _runs(raw, fast: _Fast, textpage, handle: int, boxes: ctypes.Array, turn: int) -> list[Run]:
    """The page's runs, in PDFium's order, in the coordinates of the page as shown; ``boxes``
    gets the box of every character that is not a break (four floats, as PDFium gives them)."""
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    buffer = ctypes.create_string_buffer(2 * (n + 1))
    raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * n].decode("utf-16-le", errors="replace")
    if len(text) != n:  # a character outside the BMP took two code units: read them one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n))
    unpack, char_box, at = _FOUR.unpack_from, fast.char_box, ctypes.addressof(boxes)
    runs: list[Run] = []
    start = -1
    deadline = deadline_now()
    for i, c in enumerate(text + " "):
        if not i % EVERY and perf_counter() >= deadline:
            raise OutOfTime
        if c not in _BREAKS:
            char_box(handle, i, at + 16 * i)
            if start < 0:
                start = i
        else:
            if start >= 0:
                last = i - 1
                left, top, right, bottom = unpack(boxes, 16 * start)
                if last > start:
                    left2, top2, right2, bottom2 = unpack(boxes, 16 * last)
                    if min(top, top2) - max(bottom, bottom2) < OVERLAP * min(top - bottom, top2 - bottom2):
                        # PDFium set characters of two lines without a break: cut them by their boxes
                        runs.extend(_by_chars(boxes, text, start, last, turn))
                        start = -1
                        continue
                    left, right = min(left, left2), max(right, right2)
                    top, bottom = max(top, top2), min(bottom, bottom2)
                if turn == 0:
                    x0, x1, y0, y1 = left, right, -top, -bottom
                else:
                    x0, x1, y0, y1 = _shown(left, bottom, right, top, turn)
                if y1 - y0 > 0.1:
                    runs.append(Run(text[start:i], x0, x1, y0, y1, start, last))
                start = -1
    return runs


def _by_chars(boxes: ctypes.Array, text: str, first: int, last: int, turn: int) -> list[Run]:
    """Characters ``first``…``last`` as runs of their own boxes, a new run where one does not
    overlap the one before it vertically or does not follow it."""
    runs: list[Run] = []
    for i in range(first, last + 1):
        left, top, right, bottom = _FOUR.unpack_from(boxes, 16 * i)
        x0, x1, y0, y1 = _shown(left, bottom, right, top, turn)
        if y1 - y0 <= 0.1:
            continue
        if runs:
            p = runs[-1]
            if min(p.bottom, y1) - max(p.top, y0) >= OVERLAP * min(p.bottom - p.top, y1 - y0) and x0 >= p.x1 - 1:
                if p.index is None and i != p.last + 1:
                    p.index = list(range(p.first, p.last + 1))
                if p.index is not None:
                    p.index.append(i)
                p.text += text[i]
                p.x1, p.top, p.bottom, p.last = max(p.x1, x1), min(p.top, y0), max(p.bottom, y1), i
                continue
        runs.append(Run(text[i], x0, x1, y0, y1, i, i))
    return runs


@dataclass(slots=True)
class _Open:
    top: float  # the band of the line's tallest run
    bottom: float
    runs: list[Run] = field(default_factory=list)


def _lines(runs: list[Run], tab: bool = True) -> list[Line]:
    """Runs grouped into lines by vertical overlap, each line's runs left to right."""
    open_: list[_Open] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        h = run.bottom - run.top
        for line in reversed(open_[-4:]):
            overlap = min(line.bottom, run.bottom) - max(line.top, run.top)
            if overlap >= OVERLAP * min(h, line.bottom - line.top):
                line.runs.append(run)
                if h > line.bottom - line.top:
                    line.top, line.bottom = run.top, run.bottom
                break
        else:
            open_.append(_Open(run.top, run.bottom, [run]))
    lines = [_line(o.runs, o.top, o.bottom, tab) for o in open_]
    lines.sort(key=lambda ln: ln.top)
    return lines


def _line(runs: list[Run], top: float, bottom: float, tab: bool) -> Line:
    runs.sort(key=lambda r: r.x0)
    h = bottom - top
    gaps = [b.x0 - a.x1 for a, b in pairwise(runs)]
    cells = tab and (sum(g >= TAB_GAP * h for g in gaps) >= 2 or any(g >= WIDE_GAP * h for g in gaps))
    parts = [runs[0].text]
    chars = array("i", runs[0].chars())
    for (a, b), g in zip(pairwise(runs), gaps, strict=True):
        separator = _separator(a.text, b.text, g, h, cells)
        parts.append(separator)
        parts.append(b.text)
        chars.extend([-1] * len(separator))
        chars.extend(b.chars())
    return Line("".join(parts), runs[0].x0, max(r.x1 for r in runs), top, bottom, cells, chars=chars)


def _separator(a: str, b: str, gap: float, h: float, cells: bool) -> str:
    if cells and gap >= CELL_GAP * h:
        return "\t"
    if gap >= SPACE_GAP * h or (gap >= LATIN_GAP * h and a[-1].isascii() and b[0].isascii()):
        return " "
    return ""


def _may_hold_a_table(runs: list[Run]) -> bool:
    """Whether a page is worth reading its drawings for (a page of prose is not): two gaps of a
    line's height or more between runs that follow each other on a line."""
    wide = 0
    for a, b in pairwise(runs):
        h = a.bottom - a.top
        if abs(b.top - a.top) < 0.5 * h and b.x0 - a.x1 >= h:
            wide += 1
            if wide >= 2:
                return True
    return False


# ---- ruling lines and tables -----------------------------------------------------------------------


# a ruling line: (y, x0, x1) when horizontal, (x, y0, y1) when vertical, as the page is shown
Rule = tuple[float, float, float]


def _rules(raw, fast: _Fast, page, turn: int) -> tuple[list[Rule], list[Rule]]:
    """The page's horizontal and vertical ruling lines as shown, collinear pieces merged."""
    get_object, get_type, get_bounds = fast.get_object, fast.get_type, fast.get_bounds
    bounds, refs, unpack = fast.bounds, fast.bounds_refs, _FOUR.unpack_from
    path = raw.FPDF_PAGEOBJ_PATH
    handle = _handle(page)
    boxes = []  # (left, bottom, right, top, object) of every path
    deadline = deadline_now()
    for k in range(raw.FPDFPage_CountObjects(page)):
        if not k % EVERY and perf_counter() >= deadline:
            raise OutOfTime
        obj = get_object(handle, k)
        if get_type(obj) == path:
            get_bounds(obj, *refs)
            boxes.append((*unpack(bounds), obj))
    hs: list[Rule] = []
    vs: list[Rule] = []
    for left, bottom, right, top, obj in boxes:
        x0, x1, y0, y1 = (left, right, -top, -bottom) if turn == 0 else _shown(left, bottom, right, top, turn)
        w, h = x1 - x0, y1 - y0
        if h <= THIN:
            if w >= MIN_RULE:
                hs.append(((y0 + y1) / 2, x0, x1))
        elif w <= THIN:
            if h >= MIN_RULE:
                vs.append(((x0 + x1) / 2, y0, y1))
        else:
            _segments(raw, ctypes.cast(obj, raw.FPDF_PAGEOBJECT), turn, hs, vs)
    return _merged(hs), _merged(vs)


def _segments(raw, obj, turn: int, hs: list[Rule], vs: list[Rule]) -> None:
    """The straight horizontal and vertical pieces of a path that draws more than one line
    (a rectangle, a grid drawn in one path)."""
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    rx, ry = ctypes.byref(x), ctypes.byref(y)
    start = prev = None
    for i in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, i)
        if not raw.FPDFPathSegment_GetPoint(segment, rx, ry):
            continue
        px, py = a * x.value + c * y.value + e, b * x.value + d * y.value + f
        sx, _, sy, _ = _shown(px, py, px, py, turn)
        point = (sx, sy)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = prev = point
            continue
        if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            _add_segment(prev, point, hs, vs)
        prev = point
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_segment(point, start, hs, vs)
            prev = start


def _add_segment(p: tuple[float, float], q: tuple[float, float], hs: list[Rule], vs: list[Rule]) -> None:
    (x0, y0), (x1, y1) = p, q
    if abs(y1 - y0) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
        hs.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
    elif abs(x1 - x0) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
        vs.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))


def _merged(rules: list[Rule]) -> list[Rule]:
    """Pieces of one line (a grid drawn cell by cell, a thin rectangle's two edges) as one rule."""
    rules.sort()
    rows: list[list[Rule]] = []
    for rule in rules:
        if rows and rule[0] - rows[-1][0][0] <= SNAP:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    out = []
    for row in rows:
        at = sum(r[0] for r in row) / len(row)
        row.sort(key=lambda r: r[1])
        a, b = row[0][1], row[0][2]
        for _, ra, rb in row[1:]:
            if ra <= b + SNAP:
                b = max(b, rb)
            else:
                out.append((at, a, b))
                a, b = ra, rb
        out.append((at, a, b))
    return out


@dataclass
class _Table:
    """A grid of ruling lines: the y of each horizontal line with its pieces, the x of each vertical."""

    x0: float
    x1: float
    top: float
    bottom: float
    hs: dict[float, list[tuple[float, float]]]
    vs: dict[float, list[tuple[float, float]]]
    ys: list[float] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ys = sorted(self.hs)
        self.xs = sorted(self.vs)

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - SNAP <= x <= self.x1 + SNAP and self.top - SNAP <= y <= self.bottom + SNAP

    def cell(self, x: float, y: float) -> tuple[float, float, float, float] | None:
        """The lines around the point: (top, bottom, left, right), or None outside the grid."""
        top = _nearest(self.ys, self.hs, y, x, -1)
        bottom = _nearest(self.ys, self.hs, y, x, 1)
        left = _nearest(self.xs, self.vs, x, y, -1)
        right = _nearest(self.xs, self.vs, x, y, 1)
        if top is None or bottom is None or left is None or right is None:
            return None
        return top, bottom, left, right

    def slots(self, top: float, bottom: float) -> list[tuple[float, float]]:
        """The cells of a row between ``top`` and ``bottom``: between the vertical lines that cross it."""
        middle = (top + bottom) / 2
        xs = [x for x in self.xs if any(a - SNAP <= middle <= b + SNAP for a, b in self.vs[x])]
        return list(pairwise(xs))


def _nearest(keys: list[float], pieces: dict[float, list[tuple[float, float]]], at: float, across: float, step: int):
    """The first line from ``at`` in direction ``step`` that has a piece over ``across``."""
    i = bisect.bisect_right(keys, at) - 1 if step < 0 else bisect.bisect_left(keys, at)
    while 0 <= i < len(keys):
        for a, b in pieces[keys[i]]:
            if a - SNAP <= across <= b + SNAP:
                return keys[i]
        i += step
    return None


def _tables(rules: tuple[list[Rule], list[Rule]]) -> list[_Table]:
    """Grids of ruling lines that meet: at least two rows and two columns, or two cells."""
    hs, vs = rules
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (hy, ha, hb) in enumerate(hs):
        for j, (vx, va, vb) in enumerate(vs):
            if ha - SNAP <= vx <= hb + SNAP and va - SNAP <= hy <= vb + SNAP:
                parent[find(i)] = find(len(hs) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    tables = []
    for group_hs, group_vs in groups.values():
        by_y: dict[float, list[tuple[float, float]]] = {}
        by_x: dict[float, list[tuple[float, float]]] = {}
        for at, a, b in group_hs:
            by_y.setdefault(at, []).append((a, b))
        for at, a, b in group_vs:
            by_x.setdefault(at, []).append((a, b))
        if len(by_y) < 2 or len(by_x) < 2 or (len(by_y) - 1) * (len(by_x) - 1) < 2:
            continue  # a frame around a page or a box around a paragraph is no table
        x0, x1 = min(a for _, a, _ in group_hs), max(b for _, _, b in group_hs)
        tables.append(_Table(x0, x1, min(by_y), max(by_y), by_y, by_x))
    return tables


def _with_tables(boxes: ctypes.Array, runs: list[Run], tables: list[_Table], turn: int) -> list[Line]:
    """The page's lines with every run inside a table's grid read as part of one of its rows."""
    loose: list[Run] = []
    cells: dict[int, dict[tuple[float, float, float, float], list[Run]]] = {}
    for run in runs:
        cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
        for t, table in enumerate(tables):
            if not table.contains(cx, cy):
                continue
            where = table.cell(cx, cy)
            if where is None:
                loose.append(run)
            elif run.last > run.first and (run.x0 < where[2] - SNAP or run.x1 > where[3] + SNAP):
                for piece in _split(boxes, run, table, turn):
                    spot = table.cell((piece.x0 + piece.x1) / 2, (piece.top + piece.bottom) / 2)
                    if spot is None:
                        loose.append(piece)
                    else:
                        cells.setdefault(t, {}).setdefault(spot, []).append(piece)
            else:
                cells.setdefault(t, {}).setdefault(where, []).append(run)
            break
        else:
            loose.append(run)
    lines = _lines(loose)
    for t, table_cells in cells.items():
        lines.extend(_rows(tables[t], table_cells))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _split(boxes: ctypes.Array, run: Run, table: _Table, turn: int) -> list[Run]:
    """A run that crosses a vertical line of a grid (two cells set without a gap), cut there."""
    pieces: list[Run] = []
    cut = None
    for i, c in zip(run.chars(), run.text, strict=True):
        left, upper, right, lower = _FOUR.unpack_from(boxes, 16 * i)
        x0, x1, top, bottom = _shown(left, lower, right, upper, turn)
        column = bisect.bisect_right(table.xs, (x0 + x1) / 2)
        if pieces and column == cut:
            p = pieces[-1]
            if p.index is None and i != p.last + 1:
                p.index = list(range(p.first, p.last + 1))
            if p.index is not None:
                p.index.append(i)
            p.text += c
            p.x0, p.x1, p.last = min(p.x0, x0), max(p.x1, x1), i
            p.top, p.bottom = min(p.top, top), max(p.bottom, bottom)
        else:
            pieces.append(Run(c, x0, x1, top, bottom, i, i))
            cut = column
    return pieces


def _rows(table: _Table, cells: dict[tuple[float, float, float, float], list[Run]]) -> list[Line]:
    """A grid's rows, each one line of tab-separated cells; a cell that spans rows is in its first."""
    by_top: dict[float, dict[tuple[float, float], tuple[str, array]]] = {}
    for (top, _bottom, left, right), runs in cells.items():
        text, chars = _cell_text(runs)
        if text:
            by_top.setdefault(top, {})[(left, right)] = (text, chars)
    rows = []
    for top, row_cells in sorted(by_top.items()):
        i = bisect.bisect_right(table.ys, top)
        bottom = table.ys[i] if i < len(table.ys) else table.bottom
        slots = table.slots(top, bottom) or sorted(row_cells)
        texts = [""] * len(slots)
        indices = [array("i") for _ in slots]
        lefts = [a for a, _ in slots]
        for (left, right), (text, chars) in sorted(row_cells.items()):
            k = max(0, bisect.bisect_right(lefts, (left + right) / 2) - 1)
            if texts[k]:
                indices[k].append(-1)
            texts[k] = f"{texts[k]} {text}" if texts[k] else text
            indices[k].extend(chars)
        chars = array("i")
        for k, part in enumerate(indices):
            if k:
                chars.append(-1)
            chars.extend(part)
        rows.append(Line("\t".join(texts), table.x0, table.x1, top, bottom, True, True, chars))
    return rows


def _cell_text(runs: list[Run]) -> tuple[str, array]:
    """A cell's lines joined into one (a label the cell wrapped, 社会保障和就 + 业支出), with the
    character of each code point."""
    out = ""
    chars = array("i")
    for line in _lines(runs, tab=False):
        text = line.text.strip()
        if out and text and out[-1].isascii() and out[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            out += " "
            chars.append(-1)
        out += text
        lead = len(line.text) - len(line.text.lstrip())
        chars.extend(line.chars[lead : lead + len(text)])
    return out.replace("\t", " "), chars


# ---- page furniture and paragraphs ------------------------------------------------------------------


def _key(text: str) -> str:
    return _DIGITS.sub("#", "".join(text.split()))


def _in_margin(page: Page, line: Line) -> bool:
    return line.bottom <= page.top + MARGIN * page.height or line.top >= page.top + (1 - MARGIN) * page.height


def _drop_furniture(pages: list[Page]) -> None:
    """Leave out page numbers and running headers and footers: lines in a page's top or bottom
    margin (the rows of a ruled table aside) that are a page number, or whose text (digits
    aside) is in the margin of other pages too."""
    count = len(pages)
    seen: dict[str, int] = {}
    for page in pages:
        for key in {_key(ln.text) for ln in page.lines if not ln.ruled and _in_margin(page, ln)}:
            seen[key] = seen.get(key, 0) + 1
    repeated = max(2, (count + 2) // 3)
    for page in pages:
        page.lines = [
            ln
            for ln in page.lines
            if ln.ruled
            or not _in_margin(page, ln)
            or not (_page_number(ln.text, count) or seen.get(_key(ln.text), 0) >= repeated)
        ]


def _page_number(text: str, count: int) -> bool:
    squeezed = "".join(text.split())
    if not _PAGE_NUMBER.fullmatch(squeezed):
        return False
    digits = _DIGITS.findall(squeezed)
    return all(int(d) <= count + 50 for d in digits)


def _wraps(page: Page, a: Line, b: Line, same_page: bool, right: float | None = None) -> bool:
    """Whether line ``a`` runs on into line ``b``, the next line on the page or the first of the next page."""
    if a.row or b.row or not a.text.strip() or not b.text.strip():
        return False
    if right is None:
        right = max((ln.x1 for ln in page.lines if not ln.row), default=a.x1)
    h = a.height
    if right - a.x1 > WRAP_SLACK * h or a.x1 - a.x0 < WRAP_WIDTH * page.width:
        return False
    tail = a.text.rstrip()
    if tail.rstrip(_CLOSERS)[-1:] in tuple(SENTENCE_END) or tail[-1] in ":：":
        return False
    if ITEM.match(b.text):
        return False
    return not same_page or (b.top > a.top and b.top - a.bottom <= WRAP_LEADING * h)


def _page_text(page: Page) -> tuple[str, array]:
    """The page's text and the character of each of its code points (-1 for one put in)."""
    if not page.lines:
        return "", array("i")
    right = max((ln.x1 for ln in page.lines if not ln.row), default=0.0)
    out = [page.lines[0].text]
    chars = array("i", page.lines[0].chars)
    for a, b in pairwise(page.lines):
        if _wraps(page, a, b, True, right):
            joint = " " if a.text[-1].isascii() and a.text[-1].isalpha() and b.text[0].isascii() else ""
        else:
            joint = "\n"
        out.append(joint + b.text)
        chars.extend([-1] * len(joint))
        chars.extend(b.chars)
    return "".join(out), chars
