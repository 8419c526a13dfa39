"""spaCy as the document container.

``spacy.blank("zh")`` with a tokenizer that cuts the text at line ends and at the
edges of every figure and metric name, so that the spans found by the regex pass
(quantities) and the Aho-Corasick pass (metric names) sit on token boundaries. The
components ``tally_quantities`` and ``tally_metrics`` place them with
``doc.char_span`` into ``doc.spans`` and attach the parsed data as ``span._.tally``.
No model is loaded: no trained Chinese pipeline can be installed offline, and none
is needed for rule-based tagging.
"""

from __future__ import annotations

import itertools
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from .metrics import MetricFinder
from .patterns import load
from .quantities import Tagger
from .text import normalize

if not Span.has_extension("tally"):
    Span.set_extension("tally", default=None)
if not Doc.has_extension("norm"):
    Doc.set_extension("norm", default=None)


class TallyTokenizer:
    """Cut at line ends and at the edges of every figure and metric name."""

    def __init__(self, vocab, tagger: Tagger, finder: MetricFinder) -> None:
        self.vocab = vocab
        self.tagger = tagger
        self.finder = finder

    def __call__(self, text: str) -> Doc:
        norm = normalize(text)
        quantities = self.tagger.tag(norm, text)
        mentions = self.finder.find(norm, text)
        cuts = {0, len(text)}
        for item in (*quantities, *mentions):
            cuts.add(item.start)
            cuts.add(item.end)
        pos = text.find("\n")
        while pos >= 0:
            cuts.add(pos)
            cuts.add(pos + 1)
            pos = text.find("\n", pos + 1)
        edges = sorted(cuts)
        words = [text[a:b] for a, b in itertools.pairwise(edges) if b > a]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words)) if words else Doc(self.vocab)
        doc._.norm = norm
        doc.user_data["tally.scan"] = (quantities, mentions)
        return doc


def _place(doc: Doc, items, group: str) -> Doc:
    spans = []
    for item in items:
        span = doc.char_span(item.start, item.end, label=group, alignment_mode="strict")
        if span is None:  # cannot happen: the tokenizer cut at every edge
            raise AssertionError(f"{group} span {item.start}:{item.end} is off token edges")
        span._.tally = item
        spans.append(span)
    doc.spans[group] = spans
    return doc


@Language.component("tally_quantities")
def tally_quantities(doc: Doc) -> Doc:
    """Money, percentages, counts, scores and bare figures as ``doc.spans["quantities"]``."""
    return _place(doc, doc.user_data["tally.scan"][0], "quantities")


@Language.component("tally_metrics")
def tally_metrics(doc: Doc) -> Doc:
    """Fiscal metric names (with their canonical metric) as ``doc.spans["metrics"]``."""
    return _place(doc, doc.user_data["tally.scan"][1], "metrics")


@cache
def nlp() -> Language:
    """The one pipeline, built once; read-only afterwards, so safe to share across threads."""
    patterns = load()
    pipeline = spacy.blank("zh")
    pipeline.tokenizer = TallyTokenizer(pipeline.vocab, Tagger(patterns), MetricFinder(patterns.metrics))
    pipeline.add_pipe("tally_quantities")
    pipeline.add_pipe("tally_metrics")
    return pipeline
