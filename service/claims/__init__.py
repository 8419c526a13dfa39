"""What sentences assert, one module a kind of claim. Each finder reads the analysed document
(and what the kinds before it found) and returns plain claims; which figure a claim is checked
against is decided in ``linking``.

``KINDS`` lists the finders in the order they run: a kind that reads another's claims comes
after it (statements read the breakdowns). Adding a kind is a module and one entry here.
"""

from __future__ import annotations

from functools import cache

from ..patterns import load
from ..tag.document import Document
from .activities import Activity, ActivityFinder
from .base import AMOUNT_KINDS, Breakdown, ChangeClaim, CompletionClaim, Finder, Found, Part, ShareClaim
from .breakdowns import BreakdownFinder
from .changes import ChangeFinder
from .completions import CompletionFinder
from .counts import CountFinder
from .directions import DirectionFinder
from .scores import ScoreFinder
from .shares import ShareFinder
from .statements import StatementFinder
from .table_changes import TableChangeFinder
from .tables import TableFinder

KINDS = (
    BreakdownFinder,
    StatementFinder,
    ShareFinder,
    ChangeFinder,
    CompletionFinder,
    DirectionFinder,
    ScoreFinder,
    CountFinder,
    TableChangeFinder,
    ActivityFinder,
    TableFinder,
)

__all__ = [
    "AMOUNT_KINDS",
    "KINDS",
    "Activity",
    "Breakdown",
    "ChangeClaim",
    "CompletionClaim",
    "Finder",
    "Found",
    "Part",
    "ShareClaim",
    "find_all",
    "finders",
]


@cache
def finders() -> dict[str, Finder]:
    """Each kind's finder, built once, by kind, in the order they run."""
    patterns = load()
    built = [k(patterns) for k in KINDS]
    return {f.kind: f for f in built}


def find_all(doc: Document) -> dict[str, object]:
    """Every kind's claims, by kind: each finder sees what the ones before it found."""
    found: dict[str, object] = {}
    for kind, finder in finders().items():
        found[kind] = finder.find(doc, found)
    return found
