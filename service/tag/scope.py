"""Whose figure a statement gives: the department's own, or a fund's.

The same name labels figures of different scope: a 决算's 收入总计 and the 收入总计 of its
政府性基金 section; a budget report's 一般公共预算 收入合计 and 政府性基金 收入合计. A
statement carries the scope of the fund (patterns/metric_edges.toml ``[scopes]``) that the
lead of its sentence names (``全镇政府性基金收入…，收入总计0万元``), else the one the heading
over it names (``（二）政府性基金预算收支情况``, ``一般公共预算财政拨款基本支出决算表``).
A metric whose own name names a fund (政府性基金预算财政拨款收入) is not scoped: its name
already says whose it is. ``""`` is the document's own scope.
"""

from __future__ import annotations

import bisect
from functools import cache, lru_cache

import regex

from ..model import Mention
from ..patterns import load, words_regex
from .document import Document

# a heading's numbering, by level: 第三部分 0, 一、1, （一）2, 1. / 1、3, （1）4
NUMBERING = regex.compile(
    r"\s*(?:(?P<l0>第[一二三四五六七八九十\d]+部分)|(?P<l1>[一二三四五六七八九十]+\s*[、.．])"
    r"|(?P<l2>[（(]\s*[一二三四五六七八九十]+\s*[)）])|(?P<l3>\d{1,2}\s*[、.．](?!\d))"
    r"|(?P<l4>[（(]\s*\d{1,2}\s*[)）]))"
)
HEADING_MAX = 60
# what a heading opens with (its numbering), unless it is a table's title ending in 表
HEADING_FIRST = frozenset("第一二三四五六七八九十（(0123456789")
TABLE_TITLE = regex.compile(r"表\s*$")
FIGURE_KINDS = ("money", "percent", "count")
NEGATED = ("无", "没有", "未")


@cache
def _scope_words() -> tuple[regex.Pattern, dict[str, str]]:
    scopes = load().edges.scopes
    of = {w: name for name, words in scopes.items() for w in words}
    return regex.compile(words_regex(list(of))), of


@lru_cache(maxsize=4096)
def names_scope(metric: str) -> bool:
    """The metric's own name names a fund (政府性基金预算财政拨款收入): it is stated unscoped
    (the metrics are the lexicon's few hundred names: each is read once)."""
    return _scope_words()[0].search(metric) is not None


def scope_of(doc: Document, mention: Mention) -> str:
    """The scope of a statement of ``mention``: a fund's name, or "" for the document's own."""
    if names_scope(mention.metric):
        return ""
    lead = _sentence_lead(doc, mention.start)
    if lead:
        return lead
    starts, scopes = _headings(doc)
    i = bisect.bisect_right(starts, mention.start) - 1
    return scopes[i] if i >= 0 else ""


def _cached(doc: Document, key: str, build):
    # computed once per document, kept on it (Document is a plain dataclass without slots)
    store = doc.__dict__.setdefault("_scope_cache", {})
    if key not in store:
        store[key] = build()
    return store[key]


def _headings(doc: Document) -> tuple[list[int], list[str]]:
    """Where each heading's scope starts: the fund the innermost heading naming one names."""
    return _cached(doc, "headings", lambda: _read_headings(doc))


def _read_headings(doc: Document) -> tuple[list[int], list[str]]:
    pattern, of = _scope_words()
    stack: list[tuple[int, str]] = []
    starts: list[int] = []
    scopes: list[str] = []
    norm = doc.norm
    for line in doc.lines:
        start, end = line.start, line.end
        if end - start > HEADING_MAX + 8:
            continue
        body = norm[start:end].strip()
        if not body or len(body) > HEADING_MAX or (body[0] not in HEADING_FIRST and body[-1] != "表"):
            continue
        if "。" in body[:-1]:
            continue
        m = NUMBERING.match(body)
        if m:
            level = int(m.lastgroup[1])
        elif TABLE_TITLE.search(body):
            level = 1
        else:
            continue
        if any(q.kind in FIGURE_KINDS for q in doc.quantities_in(start, end)):
            continue  # a numbered item with a figure (1.财政拨款收入36万元) is not a heading
        named = pattern.search(body)
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, of[named.group()] if named else ""))
        scope = next((s for _, s in reversed(stack) if s), "")
        if not scopes or scopes[-1] != scope:
            starts.append(start)
            scopes.append(scope)
    return starts, scopes


def _sentence_lead(doc: Document, pos: int) -> str:
    """The fund named before the first figure of the sentence at ``pos``, outside any metric name."""
    si = doc.sentence_index(pos)
    leads = _cached(doc, "leads", dict)
    if si not in leads:
        leads[si] = _lead(doc, si)
    return leads[si]


def _lead(doc: Document, si: int) -> str:
    pattern, of = _scope_words()
    sentence = doc.sentences[si]
    figures = [q for q in doc.quantities_in(sentence.start, sentence.end) if q.kind in FIGURE_KINDS]
    end = figures[0].start if figures else sentence.end
    names = doc.mentions_in(sentence.start, end)
    for m in pattern.finditer(doc.norm, sentence.start, end):
        if any(n.start <= m.start() < n.end for n in names):
            continue
        if doc.norm[max(sentence.start, m.start() - 2) : m.start()].endswith(NEGATED):
            continue  # 本单位无政府性基金预算收入：the sentence is not about the fund
        return of[m.group()]
    return ""
