"""Tables flattened into text: their cells, with spans, and rows of cells under a header.

Pages copied from document sites and PDFs flatten a table in one of four ways:

- ``pipe``: every cell ends with ``|``; a long cell wraps over lines and a row spans lines,
  so rows are told apart by counting cells (the flattener pads a row whose merged cells it
  left out with empty cells at its end: every row has the header's number of cells);
- ``tab``: one row a line, cells between tabs (an empty cell is kept);
- ``spaces``: one row a line, cells between runs of two or more spaces (an empty cell is lost);
- ``lines``: one cell a line.

A merged cell that spans rows (一级指标 beside its five 三级指标) is written once, in the
first row it spans; the rows below it lack that cell. Which cells a row lacks is read by
``align``: the merged columns are given, and a row is read only where exactly one way of
leaving some of them out makes the row fit (the caller says what fits).

Nothing here knows what a table is about: the score tables of performance reports
(service/claims/scores.py) are the first reader; any table of figures can use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import regex

_SPACES = regex.compile(r"[ \t]{2,}")
_WS = regex.compile(r"\s+")


@dataclass(frozen=True)
class Cell:
    """One cell: its span in the text (whitespace around it left out) and its text."""

    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """The text with every space and line break taken out (一级 指标 → 一级指标)."""
        return _WS.sub("", self.text)

    @property
    def empty(self) -> bool:
        return not self.text


def _cell(norm: str, start: int, end: int) -> Cell:
    """The cell in ``norm[start:end]``, its span shrunk to its text."""
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return Cell(start, end, norm[start:end])


def style_of(line: str) -> str:
    """How a line of a flattened table separates its cells."""
    if "|" in line:
        return "pipe"
    if "\t" in line.strip():
        return "tab"
    if _SPACES.search(line.strip()):
        return "spaces"
    return "lines"


def pipe_cells(norm: str, start: int, end: int) -> tuple[list[Cell], Cell | None]:
    """The cells of ``norm[start:end]`` each ended by ``|``, and the text after the last
    ``|`` (a cell that is not ended: the table was cut off there) or None."""
    cells = []
    pos = start
    while True:
        bar = norm.find("|", pos, end)
        if bar < 0:
            break
        cells.append(_cell(norm, pos, bar))
        pos = bar + 1
    rest = _cell(norm, pos, end)
    return cells, (None if rest.empty else rest)


def line_cells(norm: str, start: int, end: int, style: str) -> list[Cell]:
    """The cells of one line ``norm[start:end]`` split by tabs or by runs of spaces."""
    if style == "tab":
        cells, pos = [], start
        while True:
            tab = norm.find("\t", pos, end)
            if tab < 0:
                cells.append(_cell(norm, pos, end))
                return cells
            cells.append(_cell(norm, pos, tab))
            pos = tab + 1
    if style == "spaces":
        cells, pos = [], start
        for m in _SPACES.finditer(norm, start, end):
            if m.start() > pos:
                cells.append(_cell(norm, pos, m.start()))
            pos = m.end()
        if pos < end:
            cells.append(_cell(norm, pos, end))
        return [c for c in cells if not c.empty]
    return [_cell(norm, start, end)]


def chunk(cells: Sequence[Cell], width: int) -> tuple[list[list[Cell]], list[Cell]]:
    """Cells of a pipe table after its header, in rows of ``width``; and the cells left over."""
    full = len(cells) - len(cells) % width
    rows = [list(cells[i : i + width]) for i in range(0, full, width)]
    return rows, list(cells[full:])


def align(
    cells: Sequence[Cell],
    width: int,
    merged: Sequence[int],
    fits: Callable[[list[Cell | None]], bool],
) -> list[Cell | None] | None:
    """The row ``cells`` laid out on the header's ``width`` columns, with None in the columns
    it lacks; None when no layout, or more than one, ``fits``.

    ``merged`` are the columns that a merged cell may leave out, outermost first (the
    rows below a merged 一级指标 lack it; rows below a merged 二级指标 lack both). A row
    shorter than the header lacks that many of them; empty cells at a row's end may be
    the padding a flattener adds after leaving cells out."""
    n = len(cells)
    trailing = 0
    while trailing < n and cells[n - 1 - trailing].empty:
        trailing += 1
    layouts = []
    for missing in range(len(merged) + 1):
        used = width - missing
        if used > n or n - used > trailing or used <= 0:
            continue
        lacked = set(merged[:missing])
        it = iter(cells[:used])
        row = [None if col in lacked else next(it) for col in range(width)]
        if fits(row):
            layouts.append(row)
    return layouts[0] if len(layouts) == 1 else None
