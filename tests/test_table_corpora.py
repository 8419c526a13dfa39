"""Invented 部门决算 reports with the nine standard tables, as Word and PDF files, against the
exact set of findings each must give.

scripts/make-table-corpora writes them from one data spec (corpora/tables/spec.toml): the
consistent report and variants with planted errors of every table rule (TBL001–TBL004), of the
narrative against the tables (EQV001) and of subject names (ENT011), each as .docx
(python-docx, real Word tables with merged cells), .pdf (reportlab, STSong-Light, ruled
tables) and .shifted.pdf (every figure in a smaller font a few points below the Chinese
baseline, as office suites export them). The files are made here into a temporary folder;
corpora/tables/NAME.expected.json says what each must give (the corpora/reports form, its
findings located by quote and occurrence or context in the text the readers give).

Each file is read back (it must give the spec's text, exactly, whatever its format), then
checked: every expected finding is reported, with its numbers, and nothing else at error or
warning level. ``KNOWN`` lists where today's engine departs from an expectation, each with its
cause: the test fails when one is no longer so, so that the list shrinks as they are fixed.
"""

from __future__ import annotations

import copy
import json
import runpy
from functools import cache
from pathlib import Path

import pytest

from service import check
from service.checks import RULES_BY_CODE
from service.model import SEVERITIES
from service.read.documents import extract

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = runpy.run_path(str(ROOT / "scripts" / "make-table-corpora"))
RESOLVE = runpy.run_path(str(ROOT / "scripts" / "corpus-expect"))["resolve"]
SPEC = GENERATOR["load_spec"]()
VARIANTS = {v["name"]: v for v in GENERATOR["variants"](SPEC)}
FORMATS = ("docx", "pdf", "shifted.pdf")
FIELDS = {"code", "quote", "context", "occurrence", "severity", "stated", "expected", "note"}

# (code, the finding's text): why today's engine misses it, or reports it though nothing planted it
KNOWN: dict[str, dict[str, dict[tuple[str, str], str]]] = {
    "errors-narrative": {
        "missed": {
            ("EQV001", "8.60万元"): (
                "“三公”经费财政拨款支出年初预算为8.60万元 states no figure: patterns/claims.toml "
                "filler_bad_pattern refuses the 年 of 年初预算 between the name and its figure"
            ),
            ("EQV001", "646.18万元"): (
                "a 项's figure in the narrative (行政运行（项）…支出决算为) is not compared with its row: "
                "the tables state only their 合计 rows' figures (fiscal_tables.statements)"
            ),
        },
    },
    "errors-sangong": {
        "missed": {
            ("EQV001", "7.28万元"): "the narrative's 支出决算为7.28万元 is no statement (年 of 年初预算, as above)",
        },
        "extra": {
            ("SHR001", "74.45%"): (
                "the share's whole is the table's 7.82, not the narrative's 7.28: with that statement lost, "
                "and table statements appended after the text's (pipeline.analyse), Statements.latest, "
                "which assumes text order, returns the table cell"
            ),
            ("SHR001", "25.55%"): "as 74.45%",
            ("CHG005", "8.50"): (
                "the table's 预算数 against its mistyped 决算数 合计 and the items: the consequence of 7.82, "
                "pinned on 8.50"
            ),
        },
    },
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tables")
    for variant in VARIANTS.values():
        for name, data in GENERATOR["files"](SPEC, variant).items():
            (folder / name).write_bytes(data)
    return folder


@cache
def _read(path: Path) -> str:
    return extract(path.read_bytes(), path.name).text


@cache
def checked(text: str):
    return check(text)


def expectation(name: str) -> dict:
    return json.loads((ROOT / "corpora" / "tables" / f"{name}.expected.json").read_text(encoding="utf-8"))


def spec_text(name: str) -> str:
    return GENERATOR["text_of"](GENERATOR["document"](SPEC, VARIANTS[name]))[0]


def read(made: Path, name: str, fmt: str) -> str:
    return _read(made / f"{name}.{fmt}")


CASES = [(name, fmt) for name in VARIANTS for fmt in FORMATS]
IDS = [f"{name}.{fmt}" for name, fmt in CASES]


def test_the_corpus_plants_every_table_rule():
    planted = {f["code"] for name in VARIANTS for f in expectation(name)["findings"]}
    assert {"TBL001", "TBL002", "TBL003", "TBL004", "EQV001", "ENT011"} <= planted
    assert expectation("clean")["findings"] == []


@pytest.mark.parametrize("name", list(VARIANTS))
def test_expectations_are_the_spec_s(name):
    """NAME.expected.json is what the spec plants (scripts/make-table-corpora --expect writes it)."""
    assert expectation(name) == GENERATOR["expectation"](SPEC, VARIANTS[name])


@pytest.mark.parametrize("name", list(VARIANTS))
def test_expectation_schema(name):
    data = expectation(name)
    text = spec_text(name)
    assert data["description"].strip()
    for f in data["findings"]:
        assert set(f) <= FIELDS and {"code", "quote", "occurrence", "severity"} <= set(f), f
        assert f["code"] in RULES_BY_CODE and f["severity"] in SEVERITIES, f
        start, end = RESOLVE(text, f)
        assert text[start:end] == f["quote"]


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=IDS)
def test_the_file_reads_as_the_spec_wrote_it(made, name, fmt):
    """Paragraphs one a line, each table row one line of tab-separated cells (a merged cell
    once, empty below its first row), the PDF's wrapped lines joined, its shifted figures in
    their sentences."""
    assert read(made, name, fmt) == spec_text(name)


def known(name: str, kind: str) -> dict[tuple[str, str], str]:
    return KNOWN.get(name, {}).get(kind, {})


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=IDS)
def test_findings_are_exactly_the_planted_ones(made, name, fmt):
    text = read(made, name, fmt)
    findings = checked(text).findings
    got = {(f.code, f.start, f.end, f.severity): f for f in findings if f.severity != "info"}
    want = {}
    for w in expectation(name)["findings"]:
        start, end = RESOLVE(text, w)
        want[(w["code"], start, end, w["severity"])] = w
    missed = {(k[0], text[k[1] : k[2]]) for k in set(want) - set(got)}
    extra = {(k[0], text[k[1] : k[2]]) for k in set(got) - set(want)}
    assert missed == set(known(name, "missed")), f"{name}.{fmt}: missed {sorted(missed)}"
    assert extra == set(known(name, "extra")), f"{name}.{fmt}: extra " + "; ".join(
        f"{f.code} {f.text!r} {f.message}" for k, f in got.items() if (k[0], text[k[1] : k[2]]) in extra
    )
    for k, w in want.items():
        f = got.get(k)
        for number in ("stated", "expected"):
            if f is not None and w.get(number) is not None:
                assert getattr(f, number) == pytest.approx(w[number]), f"{w['code']} {w['quote']}: {number}"


def test_the_consistent_report_gives_no_finding_at_all(made):
    """Not even an info note: every figure of the narrative is the tables' and rounds as written."""
    for fmt in FORMATS:
        assert not checked(read(made, "clean", fmt)).findings, fmt


@pytest.mark.parametrize("name", list(VARIANTS))
def test_figures_below_the_baseline_give_what_the_normal_pdf_gives(made, name):
    normal = checked(read(made, name, "pdf")).to_dict()["findings"]
    shifted = checked(read(made, name, "shifted.pdf")).to_dict()["findings"]
    assert shifted == normal


def test_every_table_of_the_template_is_read_with_its_rows(made):
    from service.pipeline import analyse

    ctx = analyse(read(made, "clean", "docx"))
    rows = {t.kind.key: len(t.rows) for t in ctx.found["tables"]}
    assert list(rows) == [
        "summary", "income", "spending", "appropriation-summary", "general-spending", "general-basic", "sangong",
        "fund", "capital",
    ]  # fmt: skip
    assert rows["income"] == rows["spending"] == rows["general-spending"] == 19  # 合计, 4 类, 5 款, 9 项
    assert rows["general-basic"] == 33 and rows["sangong"] == 1 and rows["fund"] == rows["capital"] == 0


def test_the_generator_refuses_a_spec_whose_tables_would_not_add_up():
    spec = copy.deepcopy(SPEC)
    spec["economic"]["item"][0]["amount"] = "211.36"  # 基本工资 one more than the 基本支出 it belongs to
    with pytest.raises(AssertionError, match="基本支出"):
        GENERATOR["build"](spec)
    spec = copy.deepcopy(SPEC)
    spec["report"]["carry"]["end"] = "13.00"
    with pytest.raises(AssertionError, match="收入总计"):
        GENERATOR["build"](spec)
