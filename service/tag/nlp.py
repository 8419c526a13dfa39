"""spaCy as the document container.

``spacy.blank("zh")`` with a tokenizer that reads the text (``text.read``: the view that
leaves out bracketed pinyin and line breaks inside sentences, with Traditional folded to
Simplified; the Doc's text is the view, ``user_data["tally.view"]`` maps back) and cuts it
at the edges of every figure and metric name, so that the spans found by the regex pass
(quantities) and the Aho-Corasick pass (metric names) sit on token boundaries. The
components ``tally_quantities`` and ``tally_metrics`` place them on their token
edges as ``doc.spans["quantities"]`` and ``doc.spans["metrics"]``; each group's
``attrs["tally"]`` holds the parsed items in the same order (reading them back
through a ``Span._`` extension cost more than building the spans).
No model is loaded: no trained Chinese pipeline can be installed offline, and none
is needed for rule-based tagging.
"""

from __future__ import annotations

import itertools
import threading

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..budget import OutOfTime, paced
from ..patterns import load
from ..read.text import read
from ..vocab import Stage
from .metrics import MetricFinder
from .quantities import Tagger

if not Doc.has_extension("norm"):
    Doc.set_extension("norm", default=None)


class TallyTokenizer:
    """Cut at the edges of every figure and metric name, and nowhere else."""

    def __init__(self, vocab, tagger: Tagger, finder: MetricFinder) -> None:
        self.vocab = vocab
        self.tagger = tagger
        self.finder = finder

    def __call__(self, text: str) -> Doc:
        view = read(text)
        text, norm = view.text, view.norm
        try:
            quantities = self.tagger.tag(norm, text)
            mentions = self.finder.find(norm, text)
            cuts = {0, len(text)}
            for item in (*quantities, *mentions):
                cuts.add(item.start)
                cuts.add(item.end)
            edges = sorted(cuts)
            words = [text[a:b] for a, b in itertools.pairwise(edges)]
            # spaCy makes a lexeme for every word it has not seen (about 25 µs each: 120,000 distinct
            # figures took 6 s inside Doc()); made here first, a few at a time, the budget holds
            vocab = self.vocab
            for word in paced(words):
                if word not in vocab:
                    vocab[word]
            stopped = None
        except OutOfTime:  # the budget ran out while tagging: a document of no figures, no token
            quantities, mentions, edges, words, stopped = [], [], [0, len(text)], [], Stage.TAG
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words)) if words else Doc(self.vocab)
        doc._.norm = norm
        doc.user_data["tally.view"] = view
        doc.user_data["tally.stopped"] = stopped
        # token index of every cut, so components place spans without searching
        doc.user_data["tally.scan"] = (quantities, mentions, {pos: i for i, pos in enumerate(edges)})
        return doc


def _place(doc: Doc, items, group: str) -> Doc:
    token_at = doc.user_data["tally.scan"][2]
    label = doc.vocab.strings.add(group)  # the label's hash once, not a string look-up per span
    # the tokenizer cut at both edges of every item, so both are token boundaries
    spans = [Span(doc, token_at[item.start], token_at[item.end], label=label) for item in items]
    doc.spans[group] = SpanGroup(doc, name=group, attrs={"tally": list(items)}, spans=spans)
    return doc


MAX_CHARACTERS = 4_000_000  # what one check reads: twice what the 2 MB text body can hold


@Language.component("tally_quantities")
def tally_quantities(doc: Doc) -> Doc:
    """Money, percentages, counts, scores and bare figures as ``doc.spans["quantities"]``."""
    return _place(doc, doc.user_data["tally.scan"][0], "quantities")


@Language.component("tally_metrics")
def tally_metrics(doc: Doc) -> Doc:
    """Fiscal metric names (with their canonical metric) as ``doc.spans["metrics"]``."""
    return _place(doc, doc.user_data["tally.scan"][1], "metrics")


VOCAB_LIMIT = 200_000  # lexemes one pipeline keeps (about 80 MB) before a fresh one replaces it
_pipeline: Language | None = None
_building = threading.Lock()


def nlp() -> Language:
    """The pipeline: read-only once built, so safe to share across threads.

    spaCy keeps a lexeme for every distinct token it has seen, for good: every figure and every
    stretch between two figures of every report, about 400 bytes each, so a serving process would
    grow by megabytes a report. Once the vocabulary passes ``VOCAB_LIMIT`` the next caller gets a
    fresh pipeline; checks still running keep the one they hold, which is freed after them.
    (spaCy's own remedy, ``memory_zone``, swaps the shared vocabulary's allocator and is not safe
    with threads.)"""
    global _pipeline
    current = _pipeline
    if current is None or len(current.vocab) > VOCAB_LIMIT:
        with _building:
            if _pipeline is None or len(_pipeline.vocab) > VOCAB_LIMIT:
                _pipeline = _build()
            current = _pipeline
    return current


def _build() -> Language:
    patterns = load()
    pipeline = spacy.blank("zh")
    # no step reads a token's lexical attributes (shape, like_num, like_url …): computing them was
    # half of what a new lexeme cost
    pipeline.vocab.lex_attr_getters = {}
    # spaCy refuses texts over a million characters to spare its parser's memory; this pipeline has
    # no parser, and the caller bounds what it sends (pipeline.MAX_CHARACTERS)
    pipeline.max_length = MAX_CHARACTERS + 1
    finder = MetricFinder(patterns.metrics, patterns.edges)
    pipeline.tokenizer = TallyTokenizer(pipeline.vocab, Tagger(patterns), finder)
    pipeline.add_pipe("tally_quantities")
    pipeline.add_pipe("tally_metrics")
    return pipeline
