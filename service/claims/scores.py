"""Score tables of performance reports (绩效自评表): their items, groups and totals.

A score table has a header naming the indicator levels (一级指标 / 二级指标 / 三级指标), a
weight column (分值) and a score column (得分), rows of items, and often a total row (合计)
or a total score stated beside the table (自评得分98). Group weights are written in the
level cells (项目决策（10分）) or in a row of their own (产出指标 | | 40 | 38 above its items).

The table is read with service/read/tables.py, and only where its structure is unambiguous:
a header that names one weight and one score column, rows that fit it in exactly one
way (numbers in the weight and score columns, words in the level columns). Where a row
does not fit, the table ends there; a table that ends in a cut-off row is not closed,
and its last groups are not known to be complete. A page that names 得分 in a table
whose cells are not separated at all (OCR text run together) is counted as unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ..model import Figure
from ..patterns import Patterns, load_toml, words_regex
from ..read.tables import Cell, align, chunk, line_cells, pipe_cells, style_of
from ..tag.document import Document
from .base import Found

_NUMBER = regex.compile(r"(?P<num>\d+(?:\.\d+)?)\s*分?")
_LABEL_WEIGHT = regex.compile(r"[（(]\s*(?P<num>\d+(?:\.\d+)?)\s*分\s*[)）]")
_SEQ = regex.compile(r"\d{1,3}")
_STATES = regex.compile(r"\s*(?:为|是|[:：])?\s*\d")
TEXT_REACH = 600  # characters before a table's header in which its total score may be stated
TEXT_AFTER = 300  # and after its last row
NEAR = 300  # characters around 得分 in which 一级指标 … says a table is meant


@dataclass(frozen=True)
class ScoreRow:
    cells: tuple[Cell | None, ...]  # on the header's columns; None where a merged cell is left out
    levels: tuple[Cell | None, ...]  # the level columns, outermost first
    weight: Figure | None
    score: Figure | None
    subtotal: bool = False  # a group's own row (产出指标 | | 40 | 38) above its items


@dataclass(frozen=True)
class Group:
    """A group of items with its stated weight: 项目决策（10分）, or a subtotal row."""

    label: Cell
    weight: Figure
    score: Figure | None
    items: tuple[ScoreRow, ...]  # the items (not subtotals) under it


@dataclass
class ScoreTable:
    start: int
    end: int
    style: str
    header: list[Cell]
    rows: list[ScoreRow]  # items and subtotal rows, in order
    total: ScoreRow | None = None
    closed: bool = False  # the table ends in a total row or before text that is not a table
    groups: list[Group] = field(default_factory=list)
    stated_total: Figure | None = None  # the total score stated in a sentence beside the table

    @property
    def items(self) -> list[ScoreRow]:
        return [r for r in self.rows if not r.subtotal]


@dataclass
class ScoreTables:
    tables: list[ScoreTable]
    unread: list[str]  # why a score table the page names could not be read


@dataclass(frozen=True)
class Words:
    weight: frozenset[str]
    score: frozenset[str]
    levels: tuple[frozenset[str], ...]
    other: frozenset[str]
    total_row: frozenset[str]
    total_score: regex.Pattern
    header_cell: regex.Pattern  # a score column's word standing as a cell (not inside 不得分)
    tails: tuple[str, ...]  # the last two characters of every score word (得分, 评分): found with str.find
    longest: int  # the longest score word
    near: regex.Pattern  # an indicator level (一级指标): prose that says 满分 is not a table

    def column(self, key: str) -> str | None:
        if key in self.weight:
            return "weight"
        if key in self.score:
            return "score"
        for i, words in enumerate(self.levels):
            if key in words:
                return f"level{i}"
        return "other" if key in self.other else None


@cache
def words() -> Words:
    spec = load_toml("scores.toml")
    head, total = spec["header"], spec["total"]
    strip = regex.compile(r"\s+")
    total_score = regex.compile(
        f"(?:{words_regex(total['score'])})\\s*(?:为|是|[:：])?\\s*(?P<num>\\d+(?:\\.\\d+)?)(?![\\d.])\\s*分?"
    )
    return Words(
        weight=frozenset(head["weight"]),
        score=frozenset(head["score"]),
        levels=tuple(frozenset(ws) for ws in head["levels"]),
        other=frozenset(head["other"]),
        total_row=frozenset(strip.sub("", w) for w in total["row"]),
        total_score=total_score,
        tails=tuple(sorted({w[-2:] for w in head["score"]})),
        longest=max(len(w) for w in head["score"]),
        header_cell=regex.compile(f"(?<!\\p{{Han}})(?:{words_regex(head['score'])})(?!\\p{{Han}})"),
        near=regex.compile(words_regex([level[0] for level in head["levels"]])),
    )


def figure(cell: Cell | None) -> Figure | None:
    """The number a cell holds (3, 2.5, 10分), or None when it holds anything else."""
    if cell is None or cell.empty:
        return None
    m = _NUMBER.fullmatch(cell.text)
    if m is None:
        return None
    return Figure.written(cell.start + m.start("num"), m.group("num"))


def label_weight(cell: Cell | None) -> Figure | None:
    """The weight written in a level cell: 项目决策（10分） → 10."""
    if cell is None or cell.empty:
        return None
    m = _LABEL_WEIGHT.search(cell.text)
    if m is None:
        return None
    return Figure.written(cell.start + m.start("num"), m.group("num"))


class Layout:
    """Which column is which, from a header's cells."""

    def __init__(self, header: list[Cell], w: Words) -> None:
        self.width = len(header)
        kinds = [w.column(c.key) for c in header]
        self.weight = kinds.index("weight")
        self.score = kinds.index("score")
        self.levels = [i for i, k in enumerate(kinds) if k and k.startswith("level")]
        self.seq = 0 if header[0].key in ("序号", "编号") else None

    def item_fits(self, row: list[Cell | None]) -> bool:
        weight, score = row[self.weight], row[self.score]
        if weight is None or score is None:
            return False
        if weight.empty and score.empty:
            # a row without figures (指标1： with nothing scored) fits only with its labels in words
            return any(row[i] is not None and not row[i].empty and figure(row[i]) is None for i in self.levels)
        if figure(weight) is None or not (score.empty or figure(score) is not None):
            return False
        if any(row[i] is not None and figure(row[i]) is not None for i in self.levels):
            return False  # a number in a level column: the cells are shifted
        seq = row[self.seq] if self.seq is not None else None
        return seq is None or seq.empty or _SEQ.fullmatch(seq.text) is not None

    def total_fits(self, row: list[Cell | None]) -> bool:
        weight, score = row[self.weight], row[self.score]
        return (
            weight is not None
            and score is not None
            and (weight.empty or figure(weight) is not None)
            and figure(score) is not None
            # a total row has its figures in the weight and score columns and nowhere else
            and not any(figure(c) is not None for i, c in enumerate(row) if i not in (self.weight, self.score))
        )


class ScoreTableFinder:
    def __init__(self) -> None:
        self.w = words()

    def _mentions(self, norm: str) -> list[int]:
        """Where a score word ends its last two characters (得分, 评分): plain substring search,
        far cheaper on a long report than a regular expression over all of it."""
        hits = []
        for tail in self.w.tails:
            i = norm.find(tail)
            while i >= 0:
                hits.append(i)
                i = norm.find(tail, i + 1)
        return sorted(hits)

    def find(self, norm: str) -> ScoreTables:
        hits = self._mentions(norm)
        if not hits:
            return ScoreTables([], [])
        tables: list[ScoreTable] = []
        unread: list[str] = []
        found = (self.w.header_cell.search(norm, max(0, h + 2 - self.w.longest), h + 3) for h in hits)
        for m in {m.span(): m for m in found if m is not None}.values():
            if any(t.start <= m.start() < t.end for t in tables) or _STATES.match(norm, m.end(), m.end() + 200):
                continue  # inside a table read, or a total stated (自评得分98), not a header
            line_start = norm.rfind("\n", 0, m.start()) + 1
            line_end = norm.find("\n", m.end())
            line_end = len(norm) if line_end < 0 else line_end
            style = style_of(norm[line_start:line_end])
            table, reason = self._read(norm, line_start, line_end, m.start(), style)
            if table is not None:
                tables.append(table)
            elif self._near_header_words(norm, m.start()):
                unread.append(reason)
        named = any(self._near_header_words(norm, h) for h in hits)
        if not tables and not unread and named:
            unread.append("score table: cells not separated")
        for t in tables:
            t.stated_total = None if t.total is not None else self._stated_total(norm, t, tables)
        return ScoreTables(tables, sorted(set(unread)))

    def _near_header_words(self, norm: str, pos: int) -> bool:
        """An indicator level (一级指标 …) near 得分: a table is meant, read or not."""
        return self.w.near.search(norm, max(0, pos - NEAR), min(len(norm), pos + NEAR)) is not None

    # -- reading ----------------------------------------------------------------------
    def _read(self, norm, line_start, line_end, at, style) -> tuple[ScoreTable | None, str]:
        if style == "pipe":
            return self._read_pipe(norm, line_start, line_end, at)
        if style in ("tab", "spaces"):
            return self._read_lines(norm, line_start, line_end, at, style)
        return self._read_cell_lines(norm, line_start, line_end)

    def _header(self, cells: list[Cell], at: int) -> tuple[int, int] | None:
        """The run of header cells around the one at ``at``: (first, past the last)."""
        hit = next((i for i, c in enumerate(cells) if c.start <= at < c.end), None)
        if hit is None or self.w.column(cells[hit].key) != "score":
            return None
        i = hit
        while i > 0 and self.w.column(cells[i - 1].key) is not None:
            i -= 1
        j = hit + 1
        while j < len(cells) and self.w.column(cells[j].key) is not None:
            j += 1
        kinds = [self.w.column(c.key) for c in cells[i:j]]
        if kinds.count("weight") != 1 or kinds.count("score") != 1:
            return None
        return i, j

    def _read_pipe(self, norm, line_start, line_end, at) -> tuple[ScoreTable | None, str]:
        # the run of lines that hold a |, around the header's line
        start = line_start
        while start > 0:
            prev = norm.rfind("\n", 0, start - 1) + 1
            if "|" not in norm[prev : start - 1]:
                break
            start = prev
        end = line_end  # the end of the last line in the run
        while end < len(norm):
            nl = norm.find("\n", end + 1)
            nl = len(norm) if nl < 0 else nl
            if "|" not in norm[end + 1 : nl]:
                break
            end = nl
        last_bar = norm.rfind("|", start, end)
        cells, _ = pipe_cells(norm, start, last_bar + 1)
        span = self._header(cells, at)
        if span is None:
            return None, "score table: header not read"
        header = cells[span[0] : span[1]]
        layout = Layout(header, self.w)
        rows, rest = chunk(cells[span[1] :], layout.width)
        # the table ends where it shows: its last row full, its last line ended by |, text after it
        ended = not rest and not norm[last_bar + 1 : end].strip() and bool(norm[end:].strip())
        return self._build(norm, "pipe", header, layout, rows, ended)

    def _read_lines(self, norm, line_start, line_end, at, style) -> tuple[ScoreTable | None, str]:
        cells = line_cells(norm, line_start, line_end, style)
        span = self._header(cells, at)
        if span is None or span != (0, len(cells)):
            return None, "score table: header not read"
        header = cells
        layout = Layout(header, self.w)
        rows = []
        pos = line_end + 1
        ended = False
        while pos < len(norm):
            nl = norm.find("\n", pos)
            nl = len(norm) if nl < 0 else nl
            line = norm[pos:nl]
            if not line.strip() or style_of(line) != style:
                ended = bool(norm[pos:].strip())
                break
            rows.append(line_cells(norm, pos, nl, style))
            pos = nl + 1
        return self._build(norm, style, header, layout, rows, ended)

    def _read_cell_lines(self, norm, line_start, line_end) -> tuple[ScoreTable | None, str]:
        """One cell a line: the header is a run of lines each a header word."""
        cell = line_cells(norm, line_start, line_end, "lines")[0]
        if self.w.column(cell.key) != "score":
            return None, "score table: cells not separated"
        lines = []  # (start, end) of the lines around, while each is a header cell
        pos = line_start
        while pos > 0:
            prev = norm.rfind("\n", 0, pos - 1) + 1
            c = line_cells(norm, prev, pos - 1, "lines")[0]
            if self.w.column(c.key) is None:
                break
            lines.insert(0, c)
            pos = prev
        lines.append(cell)
        pos = line_end + 1
        while pos < len(norm):
            nl = norm.find("\n", pos)
            nl = len(norm) if nl < 0 else nl
            c = line_cells(norm, pos, nl, "lines")[0]
            if self.w.column(c.key) is None:
                break
            lines.append(c)
            pos = nl + 1
        header = lines
        span = self._header(header, cell.start)
        if span is None or span != (0, len(header)):
            return None, "score table: header not read"
        layout = Layout(header, self.w)
        body = []
        while pos < len(norm):
            nl = norm.find("\n", pos)
            nl = len(norm) if nl < 0 else nl
            c = line_cells(norm, pos, nl, "lines")[0]
            if c.empty:
                break
            body.append(c)
            pos = nl + 1
        rows, rest = chunk(body, layout.width)
        ended = not rest and pos < len(norm)
        # one cell a line keeps no trace of a merged cell: only rows with every cell are read
        return self._build(norm, "lines", header, layout, rows, ended, merged=False)

    def _build(self, norm, style, header, layout, rows, ended, merged=True) -> tuple[ScoreTable | None, str]:
        read: list[ScoreRow] = []
        total = None
        complete = True
        mergeable = layout.levels if merged else []
        for cells in rows:
            first = next((c for c in cells if not c.empty), None)
            if first is not None and first.key in self.w.total_row:
                laid = align(cells, layout.width, list(range(1, layout.weight)) if merged else [], layout.total_fits)
                if laid is not None:
                    total = ScoreRow(tuple(laid), (), figure(laid[layout.weight]), figure(laid[layout.score]))
                complete = laid is not None
                break
            laid = align(cells, layout.width, mergeable, layout.item_fits)
            if laid is None:
                complete = False
                break
            read.append(
                ScoreRow(
                    tuple(laid),
                    tuple(laid[i] for i in layout.levels),
                    figure(laid[layout.weight]),
                    figure(laid[layout.score]),
                )
            )
        if not any(r.weight is not None for r in read):
            return None, "score table: no row fits its header"
        ends = [c.end for r in read for c in r.cells if c is not None]
        if total is not None:
            ends += [c.end for c in total.cells if c is not None]
        table = ScoreTable(
            start=header[0].start,
            end=max(ends),
            style=style,
            header=header,
            rows=_mark_subtotals(read),
            total=total,
            closed=total is not None or (complete and ended),
        )
        table.groups = _groups(table)
        return table, ""

    def _stated_total(self, norm: str, table: ScoreTable, tables: list[ScoreTable]) -> Figure | None:
        """The one total score stated next to the table (自评得分98 / 综合评价得分为99.8分)."""
        lo = max(0, table.start - TEXT_REACH)
        hi = min(len(norm), table.end + TEXT_AFTER)
        for other in tables:  # the text next to another table is that table's
            if other is not table:
                if other.end <= table.start:
                    lo = max(lo, other.end)
                elif other.start >= table.end:
                    hi = min(hi, other.start)
        found = []
        for m in self.w.total_score.finditer(norm, lo, hi):
            if table.start <= m.start() < table.end:
                continue
            num = m.group("num")
            s = m.start("num")
            found.append(Figure(s, s + len(num), num, float(num), len(num.split(".")[1]) if "." in num else 0))
        if len({f.value for f in found}) != 1:
            return None
        return found[0]


def _depth(row: ScoreRow) -> int | None:
    """The deepest level with a label written in this row (a merged cell left out is not)."""
    depth = None
    for i, c in enumerate(row.levels):
        if c is not None and not c.empty:
            depth = i
    return depth


def _mark_subtotals(rows: list[ScoreRow]) -> list[ScoreRow]:
    """A row labelled at an outer level whose next row is labelled deeper is its group's own row."""
    out = []
    for k, row in enumerate(rows):
        d = _depth(row)
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        deeper_empty = d is not None and all(c is None or c.empty for c in row.levels[d + 1 :])
        if (
            nxt is not None
            and d is not None
            and d < len(row.levels) - 1
            and deeper_empty
            and row.weight is not None
            and (_depth(nxt) or -1) > d
            and all(c is None or c.empty for c in nxt.levels[: d + 1])
        ):
            row = ScoreRow(row.cells, row.levels, row.weight, row.score, subtotal=True)
        out.append(row)
    return out


def _labelled(row: ScoreRow, level: int) -> bool:
    """The row writes a label at ``level`` or an outer one."""
    return any(c is not None and not c.empty for c in row.levels[: level + 1])


def _groups(table: ScoreTable) -> list[Group]:
    """Every group whose end the table shows, with its stated weight and its items."""
    rows = table.rows
    out = []
    for k, row in enumerate(rows):
        for level, cell in enumerate(row.levels):
            if cell is None or cell.empty:
                continue
            weight = row.weight if row.subtotal and level == _depth(row) else label_weight(cell)
            if weight is None:
                continue
            score = row.score if row.subtotal and level == _depth(row) else None
            # the group runs until a later row writes a label at this level or an outer one
            end = next((j for j in range(k + 1, len(rows)) if _labelled(rows[j], level)), None)
            if end is None and not table.closed:
                continue  # the table was cut off inside this group
            members = rows[k : len(rows) if end is None else end]
            items = tuple(r for r in members if not r.subtotal)
            out.append(Group(cell, weight, score, items))
    return out


class ScoreFinder:
    """The score tables of the document (with why a table it names could not be read)."""

    kind = "scores"

    def __init__(self, patterns: Patterns | None = None) -> None:
        self.tables = ScoreTableFinder()

    def find(self, doc: Document, found: Found | None = None) -> ScoreTables:
        return self.tables.find(doc.norm)
