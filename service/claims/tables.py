"""The standard tables (service/claims/fiscal_tables.py) as a kind of claim: each table asserts its
rows add up, and each of its cells states a metric's figure (``statements``)."""

from __future__ import annotations

from ..patterns import Patterns
from ..tag.document import Document
from .base import Found
from .fiscal_tables import Table, read


class TableFinder:
    kind = "tables"

    def __init__(self, patterns: Patterns) -> None:
        pass  # the table kinds are read once by fiscal_tables.kinds()

    def find(self, doc: Document, found: Found) -> list[Table]:
        return read(doc)
