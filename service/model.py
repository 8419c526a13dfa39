"""Plain data carried between the pipeline's steps.

Every offset is a code-point offset into the exact text the caller passed to
``check``; ``text`` fields always equal ``input[start:end]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .vocab import Severity, values

SEVERITIES = values(Severity)
# what a caller may ask to have returned beside the findings (Options.include)
INCLUDES = ("quantities", "claims", "periods", "tables")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


class once:
    """``functools.cached_property`` without its lock: Python 3.11 takes one on every first read,
    and a long report reads the base and interval of hundreds of figures once each. Two threads
    reading the same figure at once may both compute its value, which is the same."""

    def __init__(self, fn) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


@dataclass(frozen=True, init=False)
class Quantity:
    """A tagged figure: money, percent, percentage points, count, score or bare number."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None  # as written: 万元, 元, %, 人次 … (None for a bare number)
    kind: str  # money | percent | ppoint | count | score | bare
    decimals: int  # digits after the decimal point as written
    scale: float = 1.0  # value * scale is in the kind's base unit (元 for money)
    bound: str | None = None  # None exact | about | min | max | range
    num_start: int = 0
    num_end: int = 0

    def __init__(
        self, start: int, end: int, text: str, value: float, unit: str | None, kind: str, decimals: int,
        scale: float = 1.0, bound: str | None = None, num_start: int = 0, num_end: int = 0,
    ) -> None:  # fmt: skip
        # the fields in one write, not one frozen setattr each: a long report has hundreds of figures
        self.__dict__.update(
            start=start, end=end, text=text, value=value, unit=unit, kind=kind, decimals=decimals,
            scale=scale, bound=bound, num_start=num_start, num_end=num_end,
        )  # fmt: skip

    @once
    def base(self) -> float:
        return self.value * self.scale

    @once
    def interval(self) -> tuple[float, float]:
        """The values the figure stands for, in base units: ± half a unit of its last digit."""
        return self.base - self.half_unit, self.base + self.half_unit

    @property
    def half_unit(self) -> float:
        """Half a unit of the last written digit, in base units (the rounding radius).

        A stated zero (0万元, 0%) is taken as exactly nothing, not as "less than 0.5"."""
        if self.value == 0:
            return 0.0
        return 0.5 * 10 ** (-self.decimals) * self.scale

    @property
    def exact(self) -> bool:
        return self.bound is None


@dataclass(frozen=True)
class Figure:
    """A number read from a cell or a sentence: its span, value and written decimals."""

    start: int
    end: int
    text: str
    value: float
    decimals: int

    @property
    def half(self) -> float:
        return 0.5 * 10 ** (-self.decimals) if self.value else 0.0

    def interval(self, scale: float = 1.0) -> tuple[float, float]:
        """The values the figure stands for (± half a unit of its last digit), times ``scale``."""
        return (self.value - self.half) * scale, (self.value + self.half) * scale

    @classmethod
    def written(cls, start: int, num: str) -> Figure:
        """The figure a number as written at ``start`` reads as (3, 2.5)."""
        return cls(start, start + len(num), num, float(num), len(num.split(".")[1]) if "." in num else 0)


@dataclass(frozen=True)
class Span:
    """A stretch of the text a finding or a name sits on (anything with start, end and text)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Period:
    """A time the text names: a year (2019年, 比2018（70.14）年), a date, a month range, 上年 …"""

    start: int
    end: int
    text: str
    kind: str  # year | date | months | relative
    year: int | None  # the year written, when one is


class Mention(NamedTuple):
    """A fiscal metric name found through the lexicon, with its canonical metric (a named
    tuple: a report has hundreds, and a tuple is built several times faster than a frozen
    dataclass)."""

    start: int
    end: int
    text: str
    metric: str


@dataclass(frozen=True)
class Statement:
    """``<metric> … <amount>``: the text asserts that a metric has a value."""

    mention: Mention
    quantity: Quantity
    period: str  # "2019", "prior", or "" when the report's own year is meant
    measure: str  # actual | budget
    scope: str = ""  # the fund whose figure it is (政府性基金 …), "" for the document's own (service/tag/scope.py)
    # text | table: a table's cell (service/claims/fiscal_tables.py), which the narrative is read against
    source: str = "text"


@dataclass(frozen=True)
class Link:
    """Which figure a claim was checked against, and why that one."""

    target: Quantity
    reason: str  # same-sentence | breakdown-total | paragraph-subject | same-metric-earlier …


@dataclass(frozen=True)
class Claim:
    """Something a sentence asserts that can be recomputed."""

    kind: str  # breakdown | share | change | completion | statement | identity
    start: int
    end: int
    text: str
    quantities: tuple[Quantity, ...] = ()
    link: Link | None = None
    checked: bool = False
    note: str = ""  # why a claim was left unchecked


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str
    value: float | None
    unit: str | None
    role: str
    location: tuple[tuple[str, str], ...] = ()  # a table cell: (("table", title), ("row", label), ("column", header))

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "location"}
        if self.location:
            out["location"] = dict(self.location)
        return out

    @classmethod
    def of(cls, q: Quantity, role: str) -> Evidence:
        return cls(q.start, q.end, q.text, q.value, q.unit, role)

    @classmethod
    def at(cls, span: Any, role: str, value: float | None = None, unit: str | None = None) -> Evidence:
        """Evidence for anything with start, end and text: a name, a date."""
        return cls(span.start, span.end, span.text, value, unit, role)


@dataclass(frozen=True)
class Fix:
    """A replacement that can stand in place: ``text[start:end]`` becomes ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    message: str
    start: int
    end: int
    text: str
    stated: float | None = None
    expected: float | None = None
    suggestion: str | None = None
    evidence: tuple[Evidence, ...] = ()
    fingerprint: str = ""
    section: str = ""
    line: int = 0  # 1-based line of ``start``
    sentence: str = ""
    location: tuple[tuple[str, str], ...] = ()  # a table cell, as Evidence.location
    title: str = ""  # the rule's, in Chinese
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "stated": self.stated,
            "expected": self.expected,
            "suggestion": self.suggestion,
            "fix": None if self.fix is None else self.fix.__dict__.copy(),
            "evidence": [e.to_dict() for e in self.evidence],
            "fingerprint": self.fingerprint,
            "section": self.section,
            "line": self.line,
            **({"location": dict(self.location)} if self.location else {}),
        }


@dataclass(frozen=True)
class Options:
    """What the caller asked for.

    ``include`` adds ``quantities`` and/or ``claims`` to the response; ``select`` and
    ``ignore`` take rule codes or family prefixes (``SHR``, ``CHG002``). A family none of
    whose findings is wanted is not run (``checks.to_run``), unless a wanted one reads
    what it leaves on the Context; findings are then filtered with ``wants``.
    """

    include: frozenset[str] = frozenset()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str = "info"
    # findings with these fingerprints are left out (a reviewer's dismissals), counted in coverage.ignored
    ignore_fingerprints: frozenset[str] = frozenset()

    def wants(self, code: str) -> bool:
        if self.select and not any(code.startswith(s) for s in self.select):
            return False
        return not any(code.startswith(s) for s in self.ignore)


@dataclass(frozen=True)
class CellView:
    """A table cell as reported: its span in the text sent, its figure, and where it sits."""

    start: int
    end: int
    text: str
    value: float
    row: str
    column: str


@dataclass(frozen=True)
class TableView:
    """A standard table as reported (``include=tables``): its kind, title, unit and cells."""

    kind: str
    title: str
    start: int
    end: int
    unit: str
    cells: tuple[CellView, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in self.__dict__.items() if k != "cells"},
            "cells": [c.__dict__.copy() for c in self.cells],
        }


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    coverage: dict[str, Any]
    quantities: tuple[Quantity, ...] = ()
    claims: tuple[Claim, ...] = ()
    include: frozenset[str] = field(default_factory=frozenset)
    periods: tuple[Period, ...] = ()
    tables: tuple[TableView, ...] = ()
    provenance: dict[str, Any] | None = None  # service/report/provenance.py

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "api_version": "1",
            "findings": [f.to_dict() for f in self.findings],
            "coverage": self.coverage,
        }
        if self.provenance is not None:
            out["provenance"] = self.provenance
        if "quantities" in self.include:
            out["quantities"] = [quantity_dict(q) for q in self.quantities]
        if "claims" in self.include:
            out["claims"] = [claim_dict(c) for c in self.claims]
        if "periods" in self.include:
            out["periods"] = [p.__dict__.copy() for p in self.periods]
        if "tables" in self.include:
            out["tables"] = [t.to_dict() for t in self.tables]
        return out


def quantity_dict(q: Quantity) -> dict[str, Any]:
    return {
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "value": q.value,
        "unit": q.unit,
        "kind": q.kind,
        "bound": q.bound,
    }


def claim_dict(c: Claim) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "quantities": [quantity_dict(q) for q in c.quantities],
        "link": None if c.link is None else {"target": quantity_dict(c.link.target), "reason": c.link.reason},
        "checked": c.checked,
        "note": c.note,
    }
