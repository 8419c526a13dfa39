"""Completion rates: ``完成预算X%`` / ``完成目标任务的X%`` / ``执行率X%`` / ``支付率X%``, with the
budget the rate names (完成年初预算的X%), the target the phrase writes (完成预算27万元的74.1%) and
the rate's own word (支付率). ``target_words`` and ``actual_words`` label the figures linking pairs
with the rate; ``pairs`` (patterns/words.toml ``[[completion.pairs]]``) label the part done and the
part remaining that make a rate's base (已支付X万元，未支付Y万元，支付率Z%)."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..budget import paced
from ..patterns import Patterns, words_regex
from ..tag.document import Document
from .base import CompletionClaim, Found


@dataclass(frozen=True)
class Pair:
    """The words of one rate (支付率) and of its part done and part remaining."""

    rates: frozenset[str]
    done: regex.Pattern  # searched in the done figure's clause
    remaining: frozenset[str]  # the word of the remaining figure's clause (remaining_clause_pattern)


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
        self.remaining_clause = regex.compile(w["completion"]["remaining_clause_pattern"])
        self.pairs = tuple(
            Pair(frozenset(p["rates"]), regex.compile(words_regex(p["done"])), frozenset(p["remaining"]))
            for p in w["completion"]["pairs"]
        )
        self.rate_words = regex.compile(words_regex([r for p in w["completion"]["pairs"] for r in p["rates"]]))

    def pair(self, word: str) -> Pair | None:
        """The words of the part done and the part remaining for a rate's own word (支付率)."""
        return next((p for p in self.pairs if word in p.rates), None)

    def remaining(self, pair: Pair, clause: str) -> bool:
        """The clause before a figure is nothing but one of the pair's remaining words (未支 /
        结余资金为 / 尚有未支付资金)."""
        m = self.remaining_clause.fullmatch(clause)
        return m is not None and m.group("word") in pair.remaining

    def find(self, doc: Document, found: Found) -> list[CompletionClaim]:
        out = []
        qs = doc.quantities
        for i, q in enumerate(paced(qs)):
            if q.kind not in ("percent", "bare"):
                continue
            m = self.completion.search(doc.before(q.start, 16))
            if m:
                base = self.completion_bases.search(m.group())
                word = self.rate_words.search(m.group())
                out.append(
                    CompletionClaim(q, q.start, q.end, base.group() if base else "", word=word.group() if word else "")
                )
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
