"""Two years' rows of a flattened table and the row of their changes in percent.

    项目 | 合计 | 公务接待费 | 车辆购置 |
    2015年 | 2840 | 1400 | 73 |
    2016年 | 2364 | 1356 | 37 |
    2016年比2015年增减% | -16.77 | -3.14 | -47.95 |

Read from the cells of the table however it was flattened (``|``, tabs, runs of spaces, one
cell a line; service/read/tables.py): a row is a label and the figures after it. The words of
the labels are in patterns/words.toml ``[table_change]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..model import Figure
from ..patterns import load
from ..tag.document import Document
from ..tag.quantities import parse_number

_WORDS = load().words["table_change"]
YEAR_LABEL = regex.compile(_WORDS["year_label_pattern"])
CHANGE_LABEL = regex.compile(_WORDS["change_label_pattern"])
CELL = regex.compile(r"[^|\t\n]+?(?=[ \t]{2,}|[|\t\n]|$)")
NUMBER = regex.compile(r"[-−–]?\s?\d+(?:\.\d+)?")


@dataclass(frozen=True)
class ColumnChange:
    """One column: last year's and this year's figure and the change stated in percent."""

    earlier: Figure
    later: Figure
    rate: Figure


def _cells(norm: str) -> list[tuple[int, int, str]]:
    out = []
    for m in CELL.finditer(norm):
        text = m.group().strip()
        if text:
            start = m.start() + m.group().index(text)
            out.append((start, start + len(text), text))
    return out


def _figure(cell: tuple[int, int, str]) -> Figure | None:
    start, end, text = cell
    if NUMBER.fullmatch(text) is None:
        return None
    negative = text[0] in "-−–"
    parsed = parse_number(text.lstrip("-−– "))
    if parsed is None:
        return None
    value, decimals = parsed
    return Figure(start, end, text, -value if negative else value, decimals)


def _row(cells, i: int) -> list[Figure]:
    """The figures right after the label at ``i``."""
    out = []
    for cell in cells[i + 1 :]:
        f = _figure(cell)
        if f is None:
            break
        out.append(f)
    return out


def find(doc: Document) -> list[ColumnChange]:
    """Every column of a two-years table with its change row."""
    if not CHANGE_LABEL.search(doc.norm):
        return []
    cells = _cells(doc.norm)
    out: list[ColumnChange] = []
    for i, (_, _, text) in enumerate(cells):
        if not CHANGE_LABEL.search(text):
            continue
        rates = _row(cells, i)
        # the two year rows just before it, each with as many figures as the change row
        j = i - len(rates) - 1
        k = j - len(rates) - 1
        if len(rates) < 2 or k < 0:
            continue
        if not (YEAR_LABEL.fullmatch(cells[j][2]) and YEAR_LABEL.fullmatch(cells[k][2])):
            continue
        earlier, later = _row(cells, k), _row(cells, j)
        if len(earlier) < len(rates) or len(later) < len(rates):
            continue
        out.extend(ColumnChange(a, b, r) for a, b, r in zip(earlier, later, rates, strict=False))
    return out


class TableChangeFinder:
    """The ``table_changes`` kind behind the claims interface (service/claims/__init__.py)."""

    kind = "table_changes"

    def __init__(self, patterns) -> None:
        self.patterns = patterns

    def find(self, doc: Document, found) -> list:
        return find(doc)
