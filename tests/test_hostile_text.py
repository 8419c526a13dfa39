"""The crafted texts of bench/hostile_text.py, at the benchmark's larger size (4 × its n).

At that size the quadratic steps this suite found took from 17 s to over two minutes each (a
look through every sentence, span or statement once per claim); linear, each takes 0.3–3 s on
a busy 2-core VM. Each case gets a budget of 20 s and must finish inside it (``stopped_in`` is
None), so a step that turns quadratic again fails here rather than in production. The benchmark
itself (times, growth, memory, the budget held) is bench/hostile_text.py.
"""

from __future__ import annotations

import runpy
from pathlib import Path
from time import perf_counter

import pytest

from service import check

CASES = runpy.run_path(str(Path(__file__).resolve().parents[1] / "bench" / "hostile_text.py"))["CASES"]
BUDGET_S = 20.0


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_crafted_text_is_checked_well_inside_the_budget(name):
    build, n = CASES[name]
    text = build(4 * n)
    report = check(text, deadline=perf_counter() + BUDGET_S)
    assert report.coverage["stopped_in"] is None, f"{name}: {len(text):,} characters did not finish in {BUDGET_S} s"
    assert report.coverage["characters"] == len(text)


def test_a_budget_stops_a_long_text_inside_a_stage_and_says_where():
    text = "增加1万元，增长1%，" * 40_000  # about 2 s of work here, given 0.2 s
    start = perf_counter()
    report = check(text, deadline=start + 0.2)
    assert report.coverage["incomplete"] is True
    assert report.coverage["stopped_in"] in ("tag", "claims", "checks")
    assert report.coverage["skipped"]  # the families not run are named


@pytest.mark.parametrize("text", ["\n" * 1_000_000, "一、\n" * 300_000], ids=["empty lines", "heading lines"])
def test_a_budget_holds_while_the_text_is_cut_into_lines(text):
    """A million lines took 2.4 s to segment, outside every budget; now the segmenter looks at the
    clock too, and a text it could not finish is answered as read no further than its lines."""
    report = check(text, deadline=perf_counter() + 0.05)
    assert report.coverage["stopped_in"] == "tag"
    assert report.findings == () and report.coverage["checked_total"] == 0


def test_the_vocabulary_a_serving_process_keeps_is_bounded(monkeypatch):
    """spaCy keeps a lexeme for every distinct token it has seen; past the limit the next check
    gets a fresh pipeline, and one already held stays usable."""
    from service.tag import nlp as tagging

    monkeypatch.setattr(tagging, "VOCAB_LIMIT", 500)
    held = tagging.nlp()
    check("".join(f"2019年基本支出{i}万元。" for i in range(600)))  # 600 distinct figures at least
    fresh = tagging.nlp()
    assert fresh is not held and len(fresh.vocab) < 500
    assert held("2019年本年支出合计100万元。").spans["quantities"]  # the old one still works
    report = check("2019年本年支出合计100万元，其中：基本支出25万元，占30%。")
    assert [f.code for f in report.findings] == ["SHR001"]


def test_one_rule_lists_at_most_a_thousand_findings_and_counts_the_rest(monkeypatch):
    from service.report import build

    monkeypatch.setattr(build, "PER_RULE", 3)
    report = check("2019年本年支出合计100万元，其中：基本支出25万元，占30%。" * 5)
    shares = [f for f in report.findings if f.code == "SHR001"]
    assert len(shares) == 3 and shares == sorted(shares, key=lambda f: f.start)  # the first three
    assert report.coverage["capped"] == {"SHR001": 2}
    assert check("2019年本年支出合计100万元，其中：基本支出25万元，占25%。").coverage["capped"] == {}


def test_the_stages_leave_the_finishing_steps_their_time():
    """Reading the view, mapping offsets back and writing the report run after the stages' last
    look at the clock; the stages stop that much earlier, so a long text answers inside its budget."""
    text = "2019年本年支出合计10万元，其中：基本支出6万元，项目支出4万元，比上年增加1万元，增长11\n" * 20_000
    start = perf_counter()
    report = check(text, deadline=start + 0.5)
    assert perf_counter() - start < 0.5 * 1.1 + 0.1  # within 10% (and the machine's jitter)
    assert report.coverage["incomplete"] is True
