"""The standard tables of a 决算 / 预算 (patterns/tables.toml), read from the document's lines.

A table starts at a line whose text (spaces left out) ends with one of a kind's titles and
that a ``单位：万元`` line follows within a few lines (a 目录 entry has none). Its rows are the
lines after the header that hold figures, up to its note (注：), prose or the next title:

- ``subjects``: ``[code] name figure…`` (``2080505 机关事业单位基本养老保险缴 446.11 446.11``,
  its name wrapping onto the next line, or a 合计 row). Cells are split by tabs when the
  line has them (an empty cell kept: every column is known), else by spaces (PDF text:
  empty cells are lost, so only the first figure's column is known, unless the row has one
  figure for every column).
- ``economic``: the 基本支出 table's (code, name, figure) triples, two or three a row, and
  ``人员经费合计 X 公用经费合计 Y``.
- ``sangong``: the row of 预算数/决算数 pairs.

Every figure is a ``Figure`` whose span points into the document's text, in the table's unit.
Nothing here checks anything: checks/tables.py reads the tables; their cells also become
statements (``statements``) that the other families compare with the narrative.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cache

import regex

from ..model import CellView, Figure, Mention, Quantity, Statement, TableView
from ..patterns import PatternError, load_toml
from ..tag.document import Document
from ..tag.scope import names_scope, scope_of

LAYOUTS = ("subjects", "economic", "pairs", "sangong")
KEYS = {"key", "titles", "layout", "columns", "first_is_total", "totals", "scope", "left", "right"}
MONEY_SCALE = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}


@dataclass(frozen=True)
class Kind:
    key: str
    titles: tuple[str, ...]
    layout: str
    columns: tuple[str, ...] = ()
    first_is_total: bool = False
    totals: dict = field(default_factory=dict)
    scope: str = ""
    sides: tuple[dict, dict] = ({}, {})  # pairs: label -> metric on the income side, the spending side


@dataclass(frozen=True)
class Row:
    label: str  # the subject's name, 合计, or an economic class's name (spaces left out)
    code: str  # 2080505, 301, or "" (合计)
    cells: tuple[Figure | None, ...]  # by column; None where the column is empty or not known
    figures: tuple[Figure, ...]  # as written, left to right
    start: int
    end: int
    aligned: bool  # every column is known (tabs, or one figure a column)

    @property
    def name(self) -> str:
        """How a location names the row: its code and name (2080505 …), or a 总表 pair's label."""
        return self.label if self.code in ("L", "R") else f"{self.code} {self.label}".strip()

    @property
    def level(self) -> int:
        """类 1, 款 2, 项 3 (by the code's length), 0 for a total row."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code), 0)


@dataclass(frozen=True)
class Table:
    kind: Kind
    title: str
    start: int  # the title line's start
    end: int
    unit: str  # 万元 …; "" when the table has no 单位 line
    rows: tuple[Row, ...]
    complete: bool = False  # read from cells (tabs): no row or cell was lost to PDF text

    @property
    def scale(self) -> float:
        return MONEY_SCALE.get(self.unit, 1.0)

    @property
    def total_row(self) -> Row | None:
        return next((r for r in self.rows if not r.code and r.label in ("合计", "总计")), None)


@cache
def kinds() -> tuple[tuple[Kind, ...], dict]:
    spec = load_toml("tables.toml")
    out = []
    for i, entry in enumerate(spec.get("table", [])):
        where = f"patterns/tables.toml [[table]] #{i + 1}"
        unknown = set(entry) - KEYS
        if unknown or "key" not in entry or "titles" not in entry or entry.get("layout") not in LAYOUTS:
            raise PatternError(f"{where}: needs key, titles and a layout of {LAYOUTS}; unknown keys {sorted(unknown)}")
        columns = tuple(entry.get("columns", ()))
        totals = dict(entry.get("totals", {}))
        if set(totals) - set(columns):
            raise PatternError(f"{where}: totals name columns it does not have: {sorted(set(totals) - set(columns))}")
        titles = tuple(t.replace(" ", "") for t in entry["titles"])
        sides = (dict(entry.get("left", {})), dict(entry.get("right", {})))
        out.append(Kind(entry["key"], titles, entry["layout"], columns, bool(entry.get("first_is_total")), totals,
                        entry.get("scope", ""), sides))  # fmt: skip
    reading = {k: regex.compile(v) if k.endswith("pattern") else v for k, v in spec["reading"].items()}
    return tuple(out), reading


def _title_kind(key: str) -> tuple[Kind, str] | None:
    """The kind whose longest title the line (spaces left out) ends with."""
    best = None
    for kind in kinds()[0]:
        for title in kind.titles:
            if key.endswith(title) and len(key) <= len(title) + 30 and (best is None or len(title) > len(best[1])):
                best = (kind, title)
    return best


def read(doc: Document) -> list[Table]:
    """Every standard table in the document, in order."""
    if "表" not in doc.norm:
        return []
    _, reading = kinds()
    lines = doc.lines
    out: list[Table] = []
    i = 0
    norm = doc.norm
    while i < len(lines):
        ln = lines[i]
        line = norm[ln.start : ln.end]
        found = None
        if "表" in line:
            key = "".join(line.split())
            found = _title_kind(key) if key.endswith("表") else None
        if found is None:
            i += 1
            continue
        kind, _title = found
        unit = None
        for j in range(i + 1, min(len(lines), i + 1 + reading["unit_reach"])):
            m = reading["unit_pattern"].match(doc.norm[lines[j].start : lines[j].end])
            if m:
                unit = m.group("unit")
                break
        end = _table_end(doc, i + 1)
        if unit is None:
            # a 目录 entry, or a title quoted in prose; or a table printed without its 单位 line,
            # whose rows are read (for TBL006) but whose figures state nothing
            rows = _rows(doc, kind, i + 1, end) if end - i > 2 else []
            if sum(len(r.figures) for r in rows) < 2:
                i += 1
                continue
            unit = ""
        else:
            rows = _rows(doc, kind, i + 1, end)
        tabbed = any("\t" in norm[x.start : x.end] for x in lines[i + 1 : end])
        out.append(Table(kind, key, ln.start, lines[end - 1].end, unit, tuple(rows), complete=tabbed))
        i = end
    return out


def _table_end(doc: Document, first: int) -> int:
    """The index of the line after the table's last: its note, prose, or the next title."""
    _, reading = kinds()
    lines = doc.lines
    for j in range(first, len(lines)):
        text = doc.norm[lines[j].start : lines[j].end]
        if reading["end_pattern"].search(text):
            return j
        key = "".join(text.split())
        if key.endswith("表") and _title_kind(key) is not None:
            return j
    return len(lines)


def _tokens(doc: Document, start: int, end: int) -> list[tuple[int, int, str]]:
    """The cells of a line: split by tabs when it has them (empty cells kept), else by spaces."""
    text = doc.norm[start:end]
    sep = r"\t" if "\t" in text else r"\s+"
    out = []
    pos = start
    for m in regex.finditer(sep, doc.norm, pos=start, endpos=end):
        out.append((pos, m.start(), doc.norm[pos : m.start()].strip()))
        pos = m.end()
    out.append((pos, end, doc.norm[pos:end].strip()))
    if sep != r"\t":
        out = [t for t in out if t[2]]
    return out


def _figure(doc: Document, a: int, b: int, text: str) -> Figure | None:
    _, reading = kinds()
    # the cell's span without the whitespace around it
    while a < b and doc.norm[a].isspace():
        a += 1
    while b > a and doc.norm[b - 1].isspace():
        b -= 1
    if not reading["figure_pattern"].match(text):
        return None
    plain = text.replace(",", "")
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    return Figure(a, b, doc.text[a:b], float(plain), decimals)


def _rows(doc: Document, kind: Kind, first: int, end: int) -> list[Row]:
    if kind.layout == "subjects":
        return _subject_rows(doc, kind, first, end)
    if kind.layout == "economic":
        return _economic_rows(doc, first, end)
    if kind.layout == "sangong":
        return _sangong_rows(doc, kind, first, end)
    return _pair_rows(doc, kind, first, end)


NUMBERING = regex.compile(r"^[一二三四五六七八九十]{1,3}[、.．]")


def _pair_rows(doc: Document, kind: Kind, first: int, end: int) -> list[Row]:
    """A 总表's rows: a label and its figure on the income side, then the same on the spending
    side. Each pair is a row whose ``code`` is the side (``L`` / ``R``) and whose label is the
    label without its numbering; only the labels the kind names are kept."""
    rows: list[Row] = []
    seen: set[tuple[int, str]] = set()
    for ln in doc.lines[first:end]:
        tokens = _tokens(doc, ln.start, ln.end)
        tabbed = "\t" in doc.norm[ln.start : ln.end]
        side = 0
        k = 0
        while k < len(tokens) and side < 2:
            text = tokens[k][2]
            if tabbed and not text:
                # an empty label cell: its side has nothing, the next non-empty label is the other side's
                if k + 1 < len(tokens) and not tokens[k + 1][2]:
                    side += 1
                    k += 2
                    continue
                k += 1
                continue
            if _figure(doc, *tokens[k]) is not None:
                k += 1
                continue
            label = NUMBERING.sub("", "".join(text.split()))
            f = _figure(doc, *tokens[k + 1]) if k + 1 < len(tokens) else None
            # a label met again is a part of another row (the 财政拨款 总表 lists 一般公共预算财政拨款
            # under 本年收入合计 and again under 年初财政拨款结转和结余): the first is the one it names
            if label in kind.sides[side] and f is not None and (side, label) not in seen:
                rows.append(Row(label, "LR"[side], (f,), (f,), tokens[k][0], tokens[k + 1][1], True))
            seen.add((side, label))
            side += 1
            k += 2
    return rows


def _subject_rows(doc: Document, kind: Kind, first: int, end: int) -> list[Row]:
    _, reading = kinds()
    rows: list[Row] = []
    pending_name = ""  # a name printed on a line of its own before its code line
    width = len(kind.columns)
    for ln in doc.lines[first:end]:
        tokens = _tokens(doc, ln.start, ln.end)
        if not tokens:
            continue
        tabbed = "\t" in doc.norm[ln.start : ln.end]
        code = ""
        k = 0
        if reading["code_pattern"].match(tokens[0][2]):
            code = tokens[0][2]
            k = 1
        name_parts = []
        while k < len(tokens) and (not tokens[k][2] or _figure(doc, *tokens[k]) is None):
            if tokens[k][2]:
                name_parts.append(tokens[k][2])
            k += 1
        cells = tokens[k:]
        figures = [_figure(doc, *t) for t in cells]
        if not cells or any(f is None and t[2] for f, t in zip(figures, cells, strict=True)):
            # a line without figures: a wrapped name (险缴费支出), or a header line
            if rows and not code and name_parts and rows[-1].code and len("".join(name_parts)) <= 12:
                last = rows[-1]
                rows[-1] = Row(last.label + "".join(name_parts), last.code, last.cells, last.figures, last.start,
                               last.end, last.aligned)  # fmt: skip
            elif not code and name_parts:
                pending_name = "".join(name_parts)
            continue
        label = "".join(name_parts)
        if code and not label and pending_name:
            label = pending_name
        pending_name = ""
        if not code and not reading["total_row_pattern"].match(label):
            continue  # a figure line that is no subject (a header's year, a page number)
        present = [f for f in figures if f is not None]
        if tabbed:
            by_column = list(figures[:width]) + [None] * (width - len(figures[:width]))
            aligned = len(figures) == width
        elif len(present) == width:
            by_column, aligned = list(present), True
        else:
            # PDF text loses empty cells: the first figure is the first column's, the rest unknown
            by_column, aligned = [present[0]] + [None] * (width - 1), False
        if not code:
            label = "合计" if "合" in label else "总计"
        rows.append(Row(label, code, tuple(by_column), tuple(present), ln.start, ln.end, aligned))
    return rows


def _economic_rows(doc: Document, first: int, end: int) -> list[Row]:
    """(code, name, figure) triples: ``301 工资福利支出 4816.14 302 商品和服务支出 440.90``; the
    totals row ``人员经费合计 4884.09 公用经费合计 480.66``."""
    _, reading = kinds()
    rows: list[Row] = []
    for ln in doc.lines[first:end]:
        for m in reading["triple_pattern"].finditer(doc.norm, ln.start, ln.end):
            f = _figure(doc, *m.span("value"), m.group("value"))
            if f is not None:
                name = "".join((m.group("name") or "").split())
                rows.append(Row(name, m.group("code"), (f,), (f,), m.start(), m.end(), True))
        for m in reading["economic_totals_pattern"].finditer(doc.norm, ln.start, ln.end):
            f = _figure(doc, *m.span("value"), m.group("value"))
            if f is not None:
                rows.append(Row(m.group("label"), "", (f,), (f,), m.start(), m.end(), True))
    return rows


def _sangong_rows(doc: Document, kind: Kind, first: int, end: int) -> list[Row]:
    """The one row of twelve figures: 预算数 and 决算数 of 合计, 出国, 车辆小计, 购置, 运行, 接待."""
    width = len(kind.columns)
    rows = []
    for ln in doc.lines[first:end]:
        tokens = _tokens(doc, ln.start, ln.end)
        figures = [_figure(doc, *t) for t in tokens]
        if len(tokens) == 2 * width and all(f is not None for f in figures):
            rows.append(Row("合计", "", tuple(figures), tuple(figures), ln.start, ln.end, True))
    return rows


def statements(doc: Document, tables: list[Table], metrics: dict[str, str]) -> list[Statement]:
    """The figures of the tables as statements of their metric, measure and scope, so that the
    narrative is compared with them (EQV001) and the template identities hold across both."""
    out: list[Statement] = []
    for t in tables:
        if not t.unit:
            continue  # without its 单位 line a cell states no amount
        scale = t.scale
        if t.kind.layout == "subjects":
            total = t.total_row
            if total is not None:
                for column, metric in t.kind.totals.items():
                    f = total.cells[t.kind.columns.index(column)]
                    if f is not None:
                        out.append(_statement(doc, f, metric, column, scale, t))
        elif t.kind.layout == "economic":
            for r in t.rows:
                metric = metrics.get(r.label)
                if metric is not None and not r.code:
                    out.append(_statement(doc, r.cells[0], metric, r.label, scale, t))
        elif t.kind.layout == "pairs":
            for r in t.rows:
                metric = t.kind.sides["LR".index(r.code)].get(r.label)
                if metric is not None:
                    out.append(_statement(doc, r.cells[0], metric, r.label, scale, t))
        elif t.kind.layout == "sangong" and t.rows:
            r = t.rows[0]
            for i, metric in enumerate(t.kind.columns):
                for j, measure in enumerate(("budget", "actual")):
                    out.append(_statement(doc, r.cells[2 * i + j], metric, metric, scale, t, measure))
    return out


def _statement(doc, f: Figure, metric: str, label: str, scale: float, t: Table, measure: str = "actual") -> Statement:
    unit = t.unit
    q = Quantity(f.start, f.end, f.text, f.value, unit, "money", f.decimals, scale, None, f.start, f.end)
    mention = Mention(f.start, f.start, label, metric)
    # a metric whose name names its fund (一般公共预算财政拨款支出) is unscoped, as in the text
    if names_scope(metric):
        scope = ""
    elif t.kind.layout == "subjects":
        scope = t.kind.scope
    else:
        scope = scope_of(doc, Mention(t.start, t.start, t.title, metric))
    return Statement(mention, q, "", measure, scope, source="table")


class Cells:
    """Which table cell an offset sits in: the table's title, the row's code and name, the
    column's header (for ``location`` on findings and evidence)."""

    def __init__(self, tables: list[Table]) -> None:
        spans = []
        for t in tables:
            for r in t.rows:
                for i, f in enumerate(r.cells):
                    if f is not None:
                        spans.append((f.start, f.end, (("table", t.title), ("row", r.name), ("column", _header(t, i)))))
        spans.sort()
        self._spans = spans
        self._starts = [s[0] for s in spans]

    def at(self, start: int, end: int) -> tuple[tuple[str, str], ...]:
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._spans[i][0] <= start and end <= self._spans[i][1]:
            return self._spans[i][2]
        return ()


def _header(t: Table, i: int) -> str:
    if t.kind.layout == "subjects":
        return t.kind.columns[i]
    if t.kind.layout == "sangong":
        return f"{t.kind.columns[i // 2]}{'预算数' if i % 2 == 0 else '决算数'}"
    return "决算数" if "决算" in t.title else "预算数"


def views(doc: Document, tables: list[Table]) -> tuple[TableView, ...]:
    """The tables as ``include=tables`` reports them (offsets into the reading view)."""
    out = []
    for t in tables:
        cells = []
        for r in t.rows:
            for i, f in enumerate(r.cells):
                if f is not None:
                    cells.append(CellView(f.start, f.end, f.text, f.value, r.name, _header(t, i)))
        out.append(TableView(t.kind.key, t.title, t.start, t.end, t.unit, tuple(cells)))
    return tuple(out)
