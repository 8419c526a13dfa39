"""Rule families are declared once (``FAMILY = Family(...)`` in their module) and everything
else is derived: the registry, the order of the checks, what each emits, which run for a
caller's select/ignore."""

from __future__ import annotations

import runpy
from dataclasses import replace
from pathlib import Path

import pytest

from service import Options, check, checks, pipeline
from service.checks import CHECKED, FAMILIES, FAMILY_ORDER, MODULES, RULES, RULES_BY_CODE, to_run
from service.checks.base import Family, Rule, unmark

REPORTS = sorted((Path(__file__).resolve().parent.parent / "corpora" / "reports").glob("*.txt"))
# SUM001 (parts 120 ≠ 100), SHR001 (30% ≠ 25 ÷ 100), SHR002 above 100% and, on a total the sums
# check added up, below it; RND001, EQV002; a consistent change
PLANTED = (
    "2020年本年支出合计100万元，其中：基本支出25万元，占20%；项目支出75万元，占70%。"
    "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出95万元，占75%。"
    "2019年一般公共预算财政拨款支出1504.31万元，主要用于以下方面：资源勘探信息支出588.23万元，"
    "占39.1%；商业服务业等支出916.08万元，占60.89%。"
    "收入总计比上年增加20万元，增长25%，上年收入总计80万元，本年收入总计100万元。"
)


def test_every_module_declares_its_family_once():
    assert len(FAMILIES) == len(MODULES) == len(set(FAMILY_ORDER))
    for module, family in zip(MODULES, FAMILIES, strict=True):
        assert module.__doc__.startswith(f"{family.prefix}: "), f"{module.__name__} docstring names another family"
        assert family.rules == module.RULES
        assert all(rule.family == family.prefix for rule in family.rules)
    assert [rule.code for rule in RULES] == [rule.code for family in FAMILIES for rule in family.rules]
    assert len(RULES_BY_CODE) == len(RULES)


def test_checks_run_in_declaration_order_each_after_what_it_reads():
    order = [family.prefix for family in CHECKED]
    assert order == [f.prefix for f in FAMILIES if f.check is not None]
    for family in CHECKED:
        for before in family.after:
            assert order.index(before) < order.index(family.prefix)
    assert set(checks.EMITS) == set(checks.CHECKS) == {f.check for f in CHECKED}


def _rule(code: str) -> Rule:
    return Rule(code, code.lower(), "error", "", "", (), ())


def test_the_check_order_puts_dependencies_first_and_refuses_circles_and_unknown_names():
    def run(ctx):
        return []

    late = Family(prefix="AAA", rules=(_rule("AAA001"),), check=run, after=("BBB",))
    early = Family(prefix="BBB", rules=(_rule("BBB001"),), check=run)
    assert [f.prefix for f in checks._check_order((late, early))] == ["BBB", "AAA"]
    with pytest.raises(ValueError, match="circle"):
        checks._check_order((late, replace(early, after=("AAA",))))
    with pytest.raises(ValueError, match="unknown"):
        checks._check_order((late,))
    with pytest.raises(ValueError, match="another family"):
        Family(prefix="AAA", rules=(_rule("BBB001"),), check=run)
    assert early.emits == ("BBB",) and Family(prefix="CCC", rules=()).emits == ()


@pytest.mark.parametrize(
    ("options", "run"),
    [
        (Options(), ["SUM", "SHR", "CHG", "CMP", "EQV", "UNIT", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"]),
        (Options(select=("SUM",)), ["SUM"]),
        # SHR and EQV read the totals SUM added up: SUM runs for them, unselected
        (Options(select=("SHR001",)), ["SUM", "SHR"]),
        (Options(select=("EQV",)), ["SUM", "EQV"]),
        (Options(select=("ENT", "PER")), ["ENT", "PER"]),
        # RND comes from the arithmetic checks
        (Options(select=("RND001",)), ["SUM", "SHR", "CHG", "CMP"]),
        (Options(ignore=("ENT", "PER", "UNIT")), ["SUM", "SHR", "CHG", "CMP", "EQV", "SCO", "DIR", "ACT", "TBL"]),
        # CHG also emits RND: ignoring CHG alone still needs the changes check
        (
            Options(ignore=("CHG",)),
            ["SUM", "SHR", "CHG", "CMP", "EQV", "UNIT", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"],
        ),
        (
            Options(ignore=("CHG", "RND")),
            ["SUM", "SHR", "CMP", "EQV", "UNIT", "ENT", "PER", "SCO", "DIR", "ACT", "TBL"],
        ),
        (Options(select=("SHR",), ignore=("SHR",)), []),
    ],
)
def test_select_and_ignore_choose_the_families_to_run(options, run):
    assert [family.prefix for family in to_run(options)] == run


@pytest.fixture
def ran(monkeypatch):
    """The prefixes of the families whose check a call to check() actually ran."""
    calls: list[str] = []

    def spy(family: Family) -> Family:
        def run(ctx):
            calls.append(family.prefix)
            return family.check(ctx)

        return replace(family, check=run)

    spied = tuple(spy(family) for family in CHECKED)
    monkeypatch.setattr(checks, "CHECKED", spied)
    monkeypatch.setattr(pipeline, "CHECKED", spied)
    return calls


def test_a_family_not_selected_is_not_run(ran):
    report = check(PLANTED, Options(select=("SHR",)))
    assert ran == ["SUM", "SHR"]  # SUM for the totals SHR002 reads; its SUM001 is not reported
    assert {f.code for f in report.findings} == {"SHR001", "SHR002"}
    assert report.coverage["claims"]["change"]["checked"] == 0
    ran.clear()
    check(PLANTED, Options(ignore=("SUM", "SHR", "CHG", "CMP", "RND", "EQV", "UNIT")))
    assert ran == ["ENT", "PER", "SCO", "DIR", "ACT", "TBL"]
    ran.clear()
    check(PLANTED)
    assert ran == [family.prefix for family in CHECKED]


SELECTORS = [*FAMILY_ORDER, "SHR002", "RND001", "CHG001", "EQV002"]
TEXTS = {"planted": PLANTED} | {p.name.split(".")[0]: p.read_text(encoding="utf-8") for p in REPORTS}


@pytest.mark.parametrize("name", TEXTS)
def test_skipping_families_finds_exactly_what_filtering_a_full_run_finds(name):
    text = TEXTS[name]
    full = check(text).findings
    for selector in SELECTORS:
        for options in (Options(select=(selector,)), Options(ignore=(selector,))):
            want = tuple(f for f in full if options.wants(f.code))
            assert check(text, options).findings == want, options


ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def rules_table():
    """scripts/rules-table as a module (it regenerates README's rule table)."""
    return runpy.run_path(str(ROOT / "scripts" / "rules-table"))


def test_readme_rule_table_is_the_registry(rules_table):
    readme = README.read_text(encoding="utf-8")
    rows = rules_table["rows"](readme)
    hint = "README.md's rule table is not the registry: run scripts/rules-table --write"
    assert [row[:4] for row in rows] == [[r.code, r.name, r.title, r.severity] for r in RULES], hint
    assert all(len(row) == 5 and row[4] for row in rows), "every row says what the rule flags"
    assert rules_table["regenerated"](readme, RULES) == readme, hint


def test_rules_table_adds_a_new_rule_from_its_summary_and_drops_a_removed_one(rules_table):
    readme = README.read_text(encoding="utf-8")
    new = Rule("ZZZ001", "new-rule", "warning", "Something new is flagged.", "", (), (), title="新规则")
    out = rules_table["regenerated"](readme, (*RULES[1:], new))
    rows = rules_table["rows"](out)
    assert rows[-1] == ["ZZZ001", "new-rule", "新规则", "warning", "Something new is flagged"]
    assert RULES[0].code not in [row[0] for row in rows]
    assert rows[0] == rules_table["rows"](readme)[1]  # the prose of the rows kept is kept
    assert out.split("## Rules")[0] == readme.split("## Rules")[0]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_a_rule_selected_alone_still_flags_its_examples(rule):
    """Every check declares what it emits: selecting one rule runs whatever check reports it."""
    for example in rule.flagged:
        text, marked = unmark(example)
        found = {(f.start, f.end) for f in check(text, Options(select=(rule.code,))).findings}
        assert found == set(marked), f"{rule.code}: is it in the emits of the check that reports it?"
