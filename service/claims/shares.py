"""Shares: ``<part>，占X%`` / ``占<whole>的X%``, or ``<part's name>占<whole>的X%`` with the part's
figure stated before (项目支出占部门支出的40%); which whole is meant is decided in linking."""

from __future__ import annotations

from ..budget import paced
from ..patterns import Patterns
from ..tag.document import Document
from .base import Found, ShareClaim


class ShareFinder:
    kind = "shares"

    def __init__(self, patterns: Patterns) -> None:
        # 占X% / 占<whole>的X%: patterns/claims.toml
        self.share_of = patterns.claims["shares"]["share_of_pattern"]
        self.budget_whole = patterns.claims["shares"]["budget_whole_pattern"]

    def find(self, doc: Document, found: Found) -> list[ShareClaim]:
        out = []
        statements = found.get("statements", ())
        for q in paced(doc.quantities):
            if q.kind != "percent" or q.bound == "range":
                continue
            sentence = doc.sentence_of(q.start)
            window = doc.norm[max(sentence.start, q.start - 24) : q.start]
            m = self.share_of.search(window)
            if not m:
                continue
            at = q.start - len(window) + m.start()
            whole = (m.group("whole") or "").strip()
            if whole and self.budget_whole.match(whole):
                continue  # 占调整预算105.47%: a completion (claims/completions.py reads it)
            figures = [f for f in doc.quantities_in(sentence.start, at) if f.kind in ("money", "count")]
            part = figures[-1] if figures else None
            if part is not None and at - part.end <= 14 and not doc.quantities_in(part.end, at):
                out.append(ShareClaim(q, part, whole, part.start, q.end))
                continue
            named = self._named_part(doc, statements, sentence.start, at)
            if named is not None:
                mention, stated = named
                out.append(ShareClaim(q, stated, whole, mention.start, q.end, part_name=mention))
        return out

    def _named_part(self, doc: Document, statements, floor: int, at: int):
        """项目支出占部门支出的40%: the metric named right before 占, and its figure as last stated
        (this year's, in the scope the name is read in) before the share."""
        mentions = doc.mentions_in(floor, at)
        if not mentions or doc.norm[mentions[-1].end : at].strip():
            return None
        mention = mentions[-1]
        period = doc.period_at(mention.start, floor)
        stated = [
            s
            for s in statements
            if s.mention.metric == mention.metric
            and s.quantity.end <= mention.start
            and s.period == period
            and s.measure == "actual"
            and s.quantity.kind == "money"
        ]
        return (mention, stated[-1].quantity) if stated else None
