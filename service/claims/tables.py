"""The standard tables (service/fiscal_tables.py) as a kind of claim: each table asserts its
rows add up, and each of its cells states a metric's figure (``statements``)."""

from __future__ import annotations

from ..document import Document
from ..fiscal_tables import Table, read
from ..patterns import Patterns
from .base import Found


class TableFinder:
    kind = "tables"

    def __init__(self, patterns: Patterns) -> None:
        pass  # the table kinds are read once by fiscal_tables.kinds()

    def find(self, doc: Document, found: Found) -> list[Table]:
        return read(doc)
