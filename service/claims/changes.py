"""Changes: ``比上年增加X万元，增长Y%`` or ``同比增长Y%，增收X万元`` (or one of the two), against
last year or the budget, with the prior figure when the text writes it (比2018（70.14）年)."""

from __future__ import annotations

import regex

from ..budget import paced
from ..model import Quantity
from ..patterns import Patterns, words_regex
from ..tag.document import Document
from .base import ChangeClaim, Found, SignReader


class ChangeFinder:
    kind = "changes"

    def __init__(self, patterns: Patterns) -> None:
        w = patterns.words
        self.signs = SignReader(patterns)
        own = patterns.claims["changes"]  # patterns/claims.toml
        self.stop = own["stop_pattern"]
        self.rate_then_amount_gap = own["rate_then_amount_gap_pattern"]
        self.bare_rate_end = frozenset(own["bare_rate_end"])
        self.prior = own["prior_pattern"]
        self.against_budget = regex.compile("(?:" + words_regex(w["change"]["against_budget"]) + r")[^，,。；;]{0,12}$")
        self.rate_word = regex.compile(f"(?:{words_regex(w['change']['rate'])})\\s*$")

    def find(self, doc: Document, found: Found) -> list[ChangeClaim]:
        out = []
        used: set[int] = set()
        qs = doc.quantities
        for i, q in enumerate(paced(qs)):
            if i in used or (q.kind == "bare" and not self._bare_rate(doc, q)):
                continue
            sign = self.signs.sign(doc, q)
            if sign == 0:
                continue
            delta = rate = None
            delta_sign = rate_sign = 0
            if q.kind in ("percent", "bare"):
                rate, rate_sign = q, sign
                # the amount right after the rate: 同比增长10.85%，增收2,798万元
                if i + 1 < len(qs) and qs[i + 1].kind in ("money", "count"):
                    nxt = qs[i + 1]
                    if self.rate_then_amount_gap.fullmatch(doc.norm, q.end, nxt.start):
                        s2 = self.signs.sign(doc, nxt)
                        if s2:
                            delta, delta_sign = nxt, s2
                            used.add(i + 1)
            else:
                delta, delta_sign = q, sign
                # a rate right after the amount: 增加784.88万元，增长52.17%
                if i + 1 < len(qs):
                    nxt = qs[i + 1]
                    gap = doc.norm[q.end : nxt.start]
                    if (
                        (nxt.kind == "percent" or self._bare_rate(doc, nxt))
                        and len(gap) <= 8
                        and not self.stop.search(gap)
                    ):
                        s2 = self.signs.sign(doc, nxt)
                        if s2:
                            rate, rate_sign = nxt, s2
                            used.add(i + 1)
            sentence = doc.sentence_of(q.start)
            prior = self._prior_value(doc, sentence.start, q.start, delta)
            # a name inside brackets before the change (…2712万元（其中：公务用车运行维护费2712万元），
            # 比预算数减少107万元) is a sub-item's, not the changed figure's
            mentions = [m for m in doc.mentions_in(sentence.start, q.start) if not doc.bracketed(m.start, q.start)]
            mention = mentions[-1] if mentions else None
            written = [x for x in (delta, rate) if x is not None]
            first = min(written, key=lambda x: x.start)
            end = max(x.end for x in written)
            against = "budget" if self.against_budget.search(doc.norm, sentence.start, first.start) else "prior"
            out.append(ChangeClaim(delta, rate, delta_sign, rate_sign, prior, mention, first.start, end, against))
        return out

    def _bare_rate(self, doc: Document, q: Quantity) -> bool:
        """增长 13.95。: a bare figure right after a rate word, ending its clause, is a rate without
        its % (a figure cut off where a page excerpt ends, …下降7, is not read)."""
        return (
            q.kind == "bare"
            and doc.norm[q.end : q.end + 1] in self.bare_rate_end
            and self.rate_word.search(doc.before(q.start, 6)) is not None
        )

    def _prior_value(self, doc, floor, pos, delta) -> Quantity | None:
        """The prior figure the change writes: 比2018（70.14）年 in brackets, or 较上年 5.16 right
        before the change; a bare one takes the delta's unit, one with its unit is the tagged
        figure (较上年5.16万元下降6.98%: there for a rate alone too)."""
        found = list(self.prior.finditer(doc.norm, floor, pos))
        m = found[-1] if found else None
        if m is None or m.group("value") is None:
            return None
        a, b = m.span("value")
        tagged = next((q for q in doc.quantities_in(a, pos) if q.start == a and q.kind == "money"), None)
        if tagged is not None:
            return tagged
        if delta is None:
            return None
        text = doc.norm[a:b]
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        return Quantity(a, b, doc.text[a:b], float(text), delta.unit, delta.kind, decimals, delta.scale, None, a, b)
