"""The document's look-ups answer as their plain definitions do: the figures and names inside a
stretch, where a clause starts and ends. They are bisections over indexes built once (speed);
these tests hold them to the character-by-character reading, on invented text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service.model import Mention, Quantity, once
from service.pipeline import analyse
from service.tag.document import CLAUSE_SEP, Document

SETTINGS = settings(derandomize=True, database=None, deadline=None, max_examples=200)


def _separates(norm: str, i: int) -> bool:
    c = norm[i]
    if c not in CLAUSE_SEP:
        return False
    if c in ",:" and 0 < i < len(norm) - 1:
        return not (norm[i - 1].isdigit() and norm[i + 1].isdigit())
    return True


def clause_start(norm: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and not _separates(norm, i):
        i -= 1
    return i + 1


def clause_end(norm: str, pos: int, ceiling: int) -> int:
    i = pos
    while i < ceiling and not _separates(norm, i):
        i += 1
    return i


def _quantity(start: int, end: int) -> Quantity:
    return Quantity(start, end, "1", 1.0, "万元", "money", 0, 1e4)


def _document(norm: str, spans: list[tuple[int, int]]) -> Document:
    spans = sorted(spans)
    quantities = [_quantity(a, b) for a, b in spans]
    mentions = [Mention(a, b, norm[a:b], "基本支出") for a, b in spans]
    return Document(norm, norm, [], [], quantities, mentions)


TEXT = st.text(alphabet="1,:：，。；\n支出a 0", max_size=40)


@SETTINGS
@given(TEXT, st.data())
def test_clause_edges_are_the_nearest_separators(norm, data):
    doc = _document(norm, [])
    pos = data.draw(st.integers(-1, len(norm)))
    floor = data.draw(st.integers(0, len(norm)))
    ceiling = data.draw(st.integers(0, len(norm)))
    assert doc.clause_start(pos, floor) == clause_start(norm, pos, floor)
    assert doc.clause_end(max(pos, 0), ceiling) == clause_end(norm, max(pos, 0), ceiling)
    assert doc.clause_end(max(pos, 0)) == clause_end(norm, max(pos, 0), len(norm))


SPANS = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)).map(lambda t: (t[0], t[0] + t[1])), max_size=12)


@SETTINGS
@given(SPANS, st.integers(0, 40), st.integers(0, 40))
def test_items_in_a_stretch_start_and_end_inside_it(spans, start, end):
    # overlapping spans (an end that falls) take the plain reading; the others the bisection
    doc = _document("x" * 40, spans)
    assert doc.quantities_in(start, end) == [q for q in doc.quantities if start <= q.start < end and q.end <= end]
    assert doc.mentions_in(start, end) == [m for m in doc.mentions if start <= m.start < end and m.end <= end]


def test_clauses_of_an_invented_report():
    text = "2019年本年支出合计1,068.45万元，其中：基本支出25万元；项目支出75万元。会议于10:30开始"
    doc = analyse(text).doc
    for pos in range(len(text) + 1):
        assert doc.clause_start(pos) == clause_start(doc.norm, pos, 0)
        assert doc.clause_end(pos) == clause_end(doc.norm, pos, len(doc.norm))
    assert doc.norm[doc.clause_start(text.index("68.45")) :].startswith("2019年本年支出合计1,068.45")


def test_once_computes_on_the_first_read_and_keeps_the_value():
    calls = []

    class Figure:
        @once
        def base(self) -> float:
            calls.append(1)
            return 2.5

    f = Figure()
    assert (f.base, f.base, len(calls)) == (2.5, 2.5, 1)
    assert isinstance(Figure.base, once)
    q = _quantity(0, 1)
    assert (q.base, q.interval) == (1e4, (5e3, 1.5e4))
