"""Shares: ``<part>，占X%`` / ``占<whole>的X%``; which whole is meant is decided in linking."""

from __future__ import annotations

from ..document import Document
from ..patterns import Patterns
from .base import Found, ShareClaim


class ShareFinder:
    kind = "shares"

    def __init__(self, patterns: Patterns) -> None:
        # 占X% / 占<whole>的X%: patterns/claims.toml
        self.share_of = patterns.claims["shares"]["share_of_pattern"]

    def find(self, doc: Document, found: Found) -> list[ShareClaim]:
        out = []
        for q in doc.quantities:
            if q.kind != "percent" or q.bound == "range":
                continue
            sentence = doc.sentence_of(q.start)
            window = doc.norm[max(sentence.start, q.start - 24) : q.start]
            m = self.share_of.search(window)
            if not m:
                continue
            at = q.start - len(window) + m.start()
            figures = [f for f in doc.quantities_in(sentence.start, at) if f.kind in ("money", "count")]
            if not figures:
                continue
            part = figures[-1]
            if at - part.end > 14 or doc.quantities_in(part.end, at):
                continue
            out.append(ShareClaim(q, part, (m.group("whole") or "").strip(), part.start, q.end))
        return out
