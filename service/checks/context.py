"""What every check reads: the document, its claims and their links, and a tally of
what was checked."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..claims import Breakdown
from ..link.linking import LinkedChange, LinkedCompletion, LinkedShare, Statements
from ..model import Quantity
from ..patterns import Identity
from ..tag.document import Document
from ..tag.entities import Entities


@dataclass
class Context:
    doc: Document
    statements: Statements
    breakdowns: list[Breakdown]
    shares: list[LinkedShare]
    changes: list[LinkedChange]
    completions: list[LinkedCompletion]
    entities: Entities | None = None
    identities: tuple[Identity, ...] = ()
    found: dict = field(default_factory=dict)  # every kind's claims as found, by kind (service/claims)
    checked: Counter = field(default_factory=Counter)
    unchecked: Counter = field(default_factory=Counter)  # reason -> count
    summed_totals: set[int] = field(default_factory=set)  # id() of totals SUM checked
    # id() of a total SUM found its parts do not add up to -> those parts (the total's other value)
    listed_parts: dict[int, tuple[Quantity, ...]] = field(default_factory=dict)
    skipped_claims: dict[tuple[str, int], str] = field(default_factory=dict)  # (kind, start) -> reason
    stopped_in: str | None = None  # the stage the time budget ran out in (service/budget.py)

    _grouped: dict | None = field(default=None, repr=False)
    # what a check derives from the whole context once, not once per claim (by the check's own key)
    memo: dict = field(default_factory=dict, repr=False)

    def skip(self, kind: str, reason: str, claim=None) -> None:
        """Count a claim left unchecked, and, given the claim, remember why for its entry in
        ``include=claims`` (so the claims list and ``coverage.unchecked`` say the same)."""
        self.unchecked[f"{kind}: {reason}"] += 1
        if claim is not None:
            self.skipped_claims[(kind, claim.start)] = reason
