"""Completion rates: ``完成预算X%`` / ``完成目标任务的X%`` / ``执行率X%``, with the budget the
rate names (完成年初预算的X%), or the target the phrase writes (完成预算27万元的74.1%).
``target_words`` and ``actual_words`` label the figures linking pairs with the rate."""

from __future__ import annotations

import regex

from ..document import Document
from ..patterns import Patterns, words_regex
from .base import CompletionClaim, Found


class CompletionFinder:
    kind = "completions"

    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        self.completion = regex.compile(w["completion"]["rate_pattern"])
        self.target_words = regex.compile(words_regex(w["completion"]["target"]))
        self.completion_bases = regex.compile(words_regex(w["completion"]["bases"]))
        self.actual_words = regex.compile(words_regex(w["completion"]["actual"]))
        self.lead = regex.compile(w["completion"]["lead_pattern"])
        self.of = regex.compile(w["completion"]["of_pattern"])

    def find(self, doc: Document, found: Found) -> list[CompletionClaim]:
        out = []
        qs = doc.quantities
        for i, q in enumerate(qs):
            if q.kind not in ("percent", "bare"):
                continue
            m = self.completion.search(doc.before(q.start, 16))
            if m:
                base = self.completion_bases.search(m.group())
                out.append(CompletionClaim(q, q.start, q.end, base.group() if base else ""))
                continue
            target = qs[i - 1] if i else None
            if (
                q.kind == "percent"
                and target is not None
                and target.kind in ("money", "count")
                and self.of.fullmatch(doc.norm, target.end, q.start)
            ):
                lead = self.lead.search(doc.norm, max(0, target.start - 14), target.start)
                if lead:
                    base = self.completion_bases.search(lead.group())
                    out.append(CompletionClaim(q, lead.start(), q.end, base.group() if base else "", target))
        return out
