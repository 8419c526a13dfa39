"""Direction statements: 决算数小于预算数, 决算数与全年预算数持平, 决算数较上年减少的主要原因,
与上年持平 / 无增减, and template alternatives left in the text (下降（增长）27.78%).

``find(doc)`` reads the analysed document and returns plain claims; ``label(doc, q)``
tells whether a figure is stated as a budget (and which: 年初 / 全年 / 调整) or as an
actual. Which figures a claim is checked against is decided in ``checks/directions``.

The words are in patterns/directions.toml. Each is matched with white space (a PDF line
break) or a pinyin gloss allowed between any two characters, and with the traditional
form of its characters, so 决算\\n数小于预算数 and 決算數與預算數持平 read alike.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import regex

from ..budget import paced
from ..model import Quantity
from ..patterns import Patterns, load_toml
from ..tag.document import Document
from .base import Found

SPACE = regex.compile(r"\s+")
# where a label or a clause stops when read backwards (a line break does not stop it)
CLAUSE_BREAK = regex.compile(r"[，,；;。！？!?\t|]")
SEGMENT_BREAK = regex.compile(r"[；;。！？!?]")
LABEL_REACH = 24  # characters before a figure in which its label is read
# a form reaches this far before and after the anchor word it holds (on the flattened text)
FORM_BEFORE, FORM_AFTER = 40, 24
# the relation a table slot's key stands for
FAMILIES = ("budget", "prior", "unchanged")
RELATION = {"greater": ">", "less": "<", "equal": "=", "up": "up", "down": "down"}


@dataclass(frozen=True)
class DirectionClaim:
    """One direction statement.

    ``kind`` is ``budget`` (the actual against the budget), ``prior`` (against last year, in
    words, with no figure after it), ``unchanged`` (持平 / 无增减 in a clause) or
    ``alternative`` (a template's two directions both left in)."""

    kind: str
    start: int
    end: int
    text: str
    relation: str  # > < = for budget; up down same for prior and unchanged; "" for alternative
    budget_kind: str | None = None  # initial | full | adjusted, when the statement names one
    bare: bool = False  # unchanged without a comparison word (持平, 无变化): the clause's predicate
    figure: Quantity | None = None  # the figure an alternative is written before


@dataclass(frozen=True)
class Label:
    role: str  # budget | actual
    kind: str | None  # initial | full | adjusted for a budget that says which


class _Grammar:
    def __init__(self, spec: dict) -> None:
        self.spec = spec
        self.variants = spec["script"]["traditional"]
        # the forms are matched on the text with white space and glosses taken out (Flat); a
        # gloss is looked for only in a text that has one (most have none, and the scan for
        # white space alone is twice as fast)
        self.gloss = re.compile(spec["fragments"]["gloss"])
        self.space = re.compile(r"\s+")
        self.space_or_gloss = re.compile(rf"\s+|{spec['fragments']['gloss']}")
        slots = spec["slots"]
        self.forms = {
            family: [self._form(form, slots) for form in spec["forms"][family]]
            for family in ("budget", "prior", "unchanged")
        }
        alt = spec["alternatives"]
        pair_slots = {"open": slots["open"], "close": slots["close"], "slash": alt["slash"]}
        # one pattern for every pair both ways round, the longer words first
        pairs = sorted(
            {(a, b) for first, second in alt["pairs"] for a, b in ((first, second), (second, first))},
            key=lambda p: -len(p[0] + p[1]),
        )
        self.alternatives = regex.compile(
            "|".join(
                f"(?:{self._form(form, pair_slots | {'a': [a], 'b': [b]})})" for a, b in pairs for form in alt["forms"]
            )
        )
        self.alternative_context = regex.compile(self._words(alt["context"]))

        every = slots | {"slash": alt["slash"]}

        def words_of(slot: str) -> list[str]:
            value = every[slot]
            return [w for ws in value.values() for w in ws] if isinstance(value, dict) else value

        # one scan for the anchor words of every family
        self.anchors = regex.compile(
            "|".join(
                f"(?P<{family}>{self._words([w for slot in names for w in words_of(slot)])})"
                for family, names in spec["anchors"].items()
            )
        )
        self.alternative_tails = self._alternative_tails(alt, spec["anchors"], words_of)
        self.alternative_label = regex.compile(rf"\s*(?:{self._words(alt['label_after'])})")
        un = spec["unchanged"]
        self.roughly = regex.compile(f"(?:{self._words(un['roughly'])})$")
        self.between_stop = regex.compile(self._words(un["between_stop"]))
        self.filler = set(un["filler"])
        labels = spec["labels"]
        kinds = slots["kind"]
        kind_rx = "|".join(f"(?P<{k}>{self._words(ws)})" for k, ws in kinds.items())
        link = f"(?:{self._words(labels['link'])})?"
        not_after = f"(?<!{'|'.join(self._words([w]) for w in labels['not_after'])})"
        # a budget named by its kind (年初预算, 调整后预算数): which one a statement or a rate is of
        self.named_budget = regex.compile(rf"(?:{kind_rx})(?:{self._words(slots['budget'])})")
        self.budget_label = regex.compile(rf"{not_after}(?:{kind_rx})?(?:{self._words(labels['budget'])}){link}$")
        self.actual_label = regex.compile(rf"{not_after}(?:{self._words(labels['actual'])}){link}$")

    def _alternative_tails(self, alt: dict, anchors: dict, words_of) -> frozenset[str] | None:
        """The last characters of what stands right before an alternative's bracket or slash in
        every form (增加 before （减少）): an alternative's window with no such pair holds none.
        None where that test would not be sure: a form with nothing fixed before its bracket, a
        mark longer than one character, or another family's anchor word holding one (it would
        hide the mark from the anchor scan)."""
        names = anchors["alternatives"]
        marks = {w for name in names for w in words_of(name)}
        others = [w for fam, slots in anchors.items() if fam != "alternatives" for n in slots for w in words_of(n)]
        if any(len(m) != 1 for m in marks) or any(m in w for m in marks for w in others):
            return None
        for form in alt["forms"]:
            slots = regex.findall(r"\{([a-z_]+)(\??)\}", form)
            at = next((i for i, (name, _) in enumerate(slots) if name in names), None)
            if at is None or at == 0 or slots[at - 1][1] or slots[at - 1][0] not in ("a", "b"):
                return None
        words = [w for pair in alt["pairs"] for w in pair]
        return frozenset(c for w in words for c in (w[-1], self.variants.get(w[-1], w[-1])))

    def _char(self, c: str) -> str:
        alt = self.variants.get(c)
        return f"[{regex.escape(c)}{regex.escape(alt)}]" if alt else regex.escape(c)

    def _word(self, word: str) -> str:
        return "".join(self._char(c) for c in word)

    def _words(self, words: list[str]) -> str:
        return "|".join(self._word(w) for w in sorted(set(words), key=len, reverse=True))

    def _slot(self, name: str, slots: dict) -> str:
        if name in self.spec["fragments"]:
            return f"(?P<{name}>{self.spec['fragments'][name]})"
        value = slots[name]
        if isinstance(value, dict):
            return "(?:" + "|".join(f"(?P<{name}_{key}>{self._words(ws)})" for key, ws in value.items()) + ")"
        return f"(?P<{name}>{self._words(value)})"

    def _form(self, form: str, slots: dict) -> str:
        """``{a}{b?}{c}``: the slots one after the other (on the flattened text)."""
        out = []
        for m in regex.finditer(r"\{([a-z_]+)(\??)\}", form):
            piece = self._slot(m.group(1), slots)
            out.append(f"(?:{piece})?" if m.group(2) else piece)
        return "".join(out)


@cache
def grammar() -> _Grammar:
    return _Grammar(load_toml("directions.toml"))


def patterns() -> dict[str, str]:
    """Every compiled form, by name (for the backtracking tests)."""
    g = grammar()
    out = {f"directions.{family}.{i}": rx for family, forms in g.forms.items() for i, rx in enumerate(forms)}
    out["directions.alternatives"] = g.alternatives.pattern
    out["directions.label.budget"] = g.budget_label.pattern
    out["directions.label.actual"] = g.actual_label.pattern
    out["directions.named_budget"] = g.named_budget.pattern
    return out


@cache
def _compiled() -> dict[str, regex.Pattern]:
    # one pattern a family: its forms as alternatives, in the order the file gives them
    return {family: regex.compile("|".join(f"(?:{rx})" for rx in forms)) for family, forms in grammar().forms.items()}


def _key(m: regex.Match, slot: str) -> str | None:
    prefix = slot + "_"
    for name, value in m.groupdict().items():
        if value is not None and name.startswith(prefix):
            return name[len(prefix) :]
    return None


def figure_after(doc: Document, pos: int, reach: int = 4) -> Quantity | None:
    """A figure that starts right after ``pos`` (only white space, 了 or 为 between)."""
    for q in doc.quantities_in(pos, pos + reach + 40):
        gap = doc.norm[pos : q.start]
        return q if len(gap) <= reach and not SPACE.sub("", gap).strip("了为") else None
    return None


def _clause_prefix(doc: Document, pos: int, floor: int) -> str:
    """The text of the clause before ``pos`` (back to a comma or stronger), white space removed."""
    window = doc.norm[max(floor, pos - LABEL_REACH * 2) : pos]
    cut = list(CLAUSE_BREAK.finditer(window))
    return SPACE.sub("", window[cut[-1].end() :] if cut else window)


class Flat:
    """The text with white space and pinyin glosses taken out, and the way back to offsets in
    it: 决算\n数小于预 算数 reads 决算数小于预算数 (a PDF breaks lines inside words)."""

    def __init__(self, norm: str) -> None:
        g = grammar()
        self.norm = norm
        self.squeeze = g.space_or_gloss if g.gloss.search(norm) else g.space
        # without a gloss, the text less its white space (str.split reads white space as \s does)
        self.text = self.squeeze.sub("", norm) if self.squeeze is g.space_or_gloss else "".join(norm.split())
        self._table: tuple[list[int], list[int]] | None = None

    def _cuts(self) -> tuple[list[int], list[int]]:
        """Built on the first offset asked for: most texts hold no statement at all."""
        if self._table is None:
            cuts = [m.span() for m in self.squeeze.finditer(self.norm)]
            lengths = [b - a for a, b in cuts]
            shift = list(itertools.accumulate(lengths))  # characters taken out up to each cut
            # the flat offset of the first character kept after each cut
            at = [a - (s - n) for (a, _), s, n in zip(cuts, shift, lengths, strict=True)]
            self._table = (at, shift)
        return self._table

    def offset(self, i: int) -> int:
        at, shift = self._cuts()
        k = bisect.bisect_right(at, i)
        return i + (shift[k - 1] if k else 0)

    def span(self, a: int, b: int) -> tuple[int, int]:
        return self.offset(a), self.offset(b - 1) + 1


def find(doc: Document) -> list[DirectionClaim]:
    """Every direction statement in the document, in text order."""
    g = grammar()
    flat = Flat(doc.norm)
    # the spans claimed so far, in text order and never overlapping: only the last one that starts
    # before b can overlap [a, b) (a bisection, not a scan of every span: a report can hold thousands)
    starts: list[int] = []
    ends: list[int] = []
    out: list[DirectionClaim] = []

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_left(starts, b)
        return i == 0 or ends[i - 1] <= a

    def take(a: int, b: int) -> None:
        i = bisect.bisect_left(starts, a)
        starts.insert(i, a)
        ends.insert(i, b)

    windows, marks = _windows(flat.text)
    for family, rx in _compiled().items():
        for m, lo in paced(_around(rx, windows.get(family, []), flat.text)):
            a, b = flat.span(lo + m.start(), lo + m.end())
            if not free(a, b):
                continue
            claim = _claim(doc, family, m, a, b)
            if claim is None:
                continue
            take(a, b)
            out.append(claim)
    alternatives = _alternative_windows(windows.get("alternatives", []), marks.get("alternatives", []), flat.text)
    for m, lo in _around(g.alternatives, alternatives, flat.text):
        a, b = flat.span(lo + m.start(), lo + m.end())
        figure = figure_after(doc, b)
        if figure is None and (
            g.alternative_label.match(flat.text, lo + m.end())
            or not g.alternative_context.search(_clause_prefix(doc, a, 0))
        ):
            continue  # alone, as a column header (增加（减少）额): a label, not a choice left open
        end = figure.end if figure is not None else b
        out.append(DirectionClaim("alternative", a, end, doc.text[a:end], "", figure=figure))
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _windows(text: str) -> tuple[dict[str, list[list[int]]], dict[str, list[int]]]:
    """For each family, the windows of the text around its anchor words (those that touch merged),
    and where each anchor word starts."""
    out: dict[str, list[list[int]]] = {}
    starts: dict[str, list[int]] = {}
    for m in paced(grammar().anchors.finditer(text)):
        windows = out.setdefault(m.lastgroup, [])
        starts.setdefault(m.lastgroup, []).append(m.start())
        lo, hi = max(0, m.start() - FORM_BEFORE), m.end() + FORM_AFTER
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return out, starts


def _alternative_windows(windows: list[list[int]], marks: list[int], text: str) -> list[list[int]]:
    """The windows in which an alternative can stand: around a bracket or slash (``marks``, where
    the alternatives' anchors were found) with the end of a pair's word right before it, inside
    the window (the cheap test before the long pattern)."""
    tails = grammar().alternative_tails
    if tails is None:
        return windows
    good = [p for p in marks if p > 0 and text[p - 1] in tails]
    return [[lo, hi] for lo, hi in windows if (k := bisect.bisect_right(good, lo)) < len(good) and good[k] < hi]


def _around(rx: regex.Pattern, windows: list[list[int]], text: str) -> Iterator[tuple[regex.Match, int]]:
    """``rx``'s matches in the windows, each with the offset of its window (a window is searched
    as a string of its own)."""
    for lo, hi in windows:
        for m in rx.finditer(text[lo:hi]):
            yield m, lo


def _claim(doc: Document, family: str, m: regex.Match, a: int, b: int) -> DirectionClaim | None:
    g = grammar()
    text = doc.text[a:b]
    if family == "budget":
        relation = RELATION[_key(m, "compare") or "equal"]
        return DirectionClaim("budget", a, b, text, relation, _key(m, "kind"))
    if family == "prior":
        if figure_after(doc, b) is not None:
            return None  # 决算数比上年增加0.5万元: a change with its figure, read by the change finder
        move = _key(m, "move") or {"greater": "up", "less": "down"}.get(_key(m, "compare") or "")
        relation = RELATION[move] if move else "same"
        return DirectionClaim("prior", a, b, text, relation)
    # unchanged
    if g.roughly.search(SPACE.sub("", doc.norm[max(0, a - 4) : a])):
        return None  # 基本持平: a small change is allowed
    found = m.groupdict()
    bare = found.get("with") is None and found.get("prior") is None and found.get("year") is None
    return DirectionClaim("unchanged", a, b, text, "same", bare=bare)


def label(doc: Document, q: Quantity) -> Label | None:
    """预算为3万元 → a budget; 支出决算为1.71万元 → an actual; read on the words just before
    the figure in its clause, white space removed (支\\n出决算为 is 支出决算为)."""
    g = grammar()
    window = _clause_prefix(doc, q.start, max(0, q.start - LABEL_REACH))
    m = g.budget_label.search(window)
    if m is not None:
        kind = next((k for k in ("initial", "full", "adjusted") if m.group(k) is not None), None)
        return Label("budget", kind)
    if g.actual_label.search(window):
        return Label("actual", None)
    return None


def budget_kinds(text: str) -> set[str]:
    """The budgets ``text`` names by their kind: 年初预算 → initial, 全年预算 → full, 调整后预算 →
    adjusted (white space ignored: 年初\n预算)."""
    g = grammar()
    found = g.named_budget.finditer(SPACE.sub("", text))
    return {k for m in found for k in ("initial", "full", "adjusted") if m.group(k) is not None}


def segment_bounds(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The part of the sentence between the ；/。 around ``start``…``end``."""
    sentence = doc.sentence_of(start)
    lo = sentence.start
    for m in SEGMENT_BREAK.finditer(doc.norm, sentence.start, start):
        lo = m.end()
    nxt = SEGMENT_BREAK.search(doc.norm, end, max(end, sentence.end))
    return lo, nxt.start() if nxt else max(end, sentence.end)


def between_stop(doc: Document, a: int, b: int) -> bool:
    return bool(grammar().between_stop.search(SPACE.sub("", doc.norm[a:b])))


def clause_prefix(doc: Document, pos: int) -> str:
    """The clause before ``pos`` with the filler words (主要原因是) removed."""
    prefix = _clause_prefix(doc, pos, doc.sentence_of(pos).start)
    for word in sorted(grammar().filler, key=len, reverse=True):
        prefix = prefix.replace(word, "")
    return prefix


class DirectionFinder:
    kind = "directions"

    def __init__(self, patterns: Patterns | None = None) -> None:
        pass

    def find(self, doc: Document, found: Found | None = None) -> list[DirectionClaim]:
        return find(doc)
