"""Quantity corpora: one value, many spellings, each parsed whole; and a list that is no amount.

``corpora/quantities/positive.tsv``: each ``input`` must yield exactly one figure, whose text
is ``span`` and whose kind, value (as written), unit and bound are the row's. Bound words
before the number (约, 近, 超过, 不低于) are context: they set the bound and stay outside the
span. ``corpora/quantities/negative.txt``: document numbers, dates, article and phone
numbers, codes and names that must yield no money, percentage or count.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from service import Options, check
from service.patterns import load, load_toml, resolve

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "quantities"
COLUMNS = ["input", "span", "kind", "value", "unit", "bound"]
KINDS = {"money", "percent", "ppoint", "count", "score", "bare"}
BOUNDS = {"", "about", "min", "max", "range"}
AMOUNT_KINDS = {"money", "percent", "ppoint", "count"}
QUANTITIES = Options(include=frozenset({"quantities"}))


def read_positive() -> list[dict[str, str]]:
    lines = [ln for ln in (CORPUS / "positive.tsv").read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    header, rows = lines[0].split("\t"), lines[1:]
    assert header == COLUMNS, f"positive.tsv columns are {header}, not {COLUMNS}"
    out = []
    for n, line in enumerate(rows, start=2):
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), f"positive.tsv row {n} has {len(cells)} columns: {line!r}"
        out.append(dict(zip(COLUMNS, cells, strict=True)))
    return out


def read_negative() -> list[str]:
    lines = (CORPUS / "negative.txt").read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


POSITIVE = read_positive()
NEGATIVE = read_negative()
# pytest escapes non-ASCII ids; number the rows instead (the messages quote the text)
POSITIVE_IDS = [f"{n:02d}-{row['kind']}" for n, row in enumerate(POSITIVE, start=1)]
NEGATIVE_IDS = [f"{n:02d}" for n, _ in enumerate(NEGATIVE, start=1)]


def test_corpora_are_large_enough():
    assert len(POSITIVE) >= 40
    assert len(NEGATIVE) >= 20


@pytest.mark.parametrize("row", POSITIVE, ids=POSITIVE_IDS)
def test_positive_row_is_well_formed(row):
    assert row["kind"] in KINDS
    assert row["bound"] in BOUNDS
    float(row["value"])
    assert row["span"] and row["span"] in row["input"]
    assert (row["unit"] == "") == (row["kind"] == "bare")


@pytest.mark.parametrize("row", POSITIVE, ids=POSITIVE_IDS)
def test_spelling_parses_whole(row):
    text = row["input"]
    found = check(text, QUANTITIES).to_dict()["quantities"]
    shown = [(q["text"], q["kind"], q["value"], q["unit"], q["bound"]) for q in found]
    assert len(found) == 1, f"{text!r}: expected one figure {row['span']!r}, got {shown}"
    q = found[0]
    assert q["text"] == row["span"], f"{text!r}: span {q['text']!r}, expected {row['span']!r}"
    assert text[q["start"] : q["end"]] == q["text"]
    assert q["kind"] == row["kind"], f"{text!r}: kind {q['kind']}, expected {row['kind']}"
    assert q["value"] == pytest.approx(float(row["value"]), abs=1e-9), f"{text!r}: value {q['value']}"
    assert (q["unit"] or "") == row["unit"], f"{text!r}: unit {q['unit']!r}, expected {row['unit']!r}"
    assert (q["bound"] or "") == row["bound"], f"{text!r}: bound {q['bound']!r}, expected {row['bound']!r}"


@pytest.mark.parametrize("text", NEGATIVE, ids=NEGATIVE_IDS)
def test_negative_yields_no_amount(text):
    found = check(text, QUANTITIES).to_dict()["quantities"]
    amounts = [(q["text"], q["kind"]) for q in found if q["kind"] in AMOUNT_KINDS]
    assert not amounts, f"{text!r} is not an amount, but tagged {amounts}"


SPEC = load_toml("quantities.toml")
NAMED = [(section, name) for section in ("patterns", "negative") for name in SPEC[section]]


@pytest.mark.parametrize(("section", "name"), NAMED, ids=[f"{s}.{n}" for s, n in NAMED])
def test_pattern_compiles(section, name):
    source = resolve(SPEC[section][name], SPEC["fragments"])
    assert "{" not in regex.sub(r"\{\d*,?\d*\}", "", source), f"{section}.{name} has an unresolved fragment"
    regex.compile(source, regex.V1)


def test_patterns_load():
    patterns = load()
    assert patterns.quantity.pattern and patterns.negative.pattern
    assert patterns.metrics and patterns.identities
