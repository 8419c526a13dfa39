"""Invariants of the pipeline: offsets, fingerprints, odd input, options."""

from __future__ import annotations

import random

import pytest

from service import Options, check
from service.read.text import normalize

WRONG = "2019年本年支出合计100万元，其中：基本支出25万元，占30%；项目支出75万元，占75%。"


def assert_offsets(text, report):
    for f in report.findings:
        assert text[f.start : f.end] == f.text
        for e in f.evidence:
            assert text[e.start : e.end] == e.text
    for q in report.quantities:
        assert text[q.start : q.end] == q.text
    for c in report.claims:
        assert text[c.start : c.end] == c.text


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "。。。", "%%%", "0", "占%", "其中：", "比2018（）年减少"])
def test_degenerate_input(text):
    report = check(text)
    assert report.findings == ()
    assert report.coverage["characters"] == len(text)


def test_normalisation_keeps_offsets():
    text = "本年支出合计１００万元，其中：基本支出２５万元，占３０％；项目支出７５万元，占７５％。"
    assert len(normalize(text)) == len(text)
    report = check(text)
    [f] = [f for f in report.findings if f.code == "SHR001"]
    assert f.text == "３０％"
    assert text[f.start : f.end] == "３０％"


def test_crlf_and_astral_characters_before_a_finding():
    text = "𠀀𠀁说明\r\n" + WRONG.replace("。", "。\r\n")
    report = check(text)
    assert_offsets(text, report)
    assert any(f.text == "30%" for f in report.findings)


def test_fingerprint_is_stable_under_edits_elsewhere():
    before = check(WRONG).findings
    after = check("第一部分 部门概况\n本部门负责若干工作。\n" + WRONG + "\n附件略。").findings
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]
    assert len({f.fingerprint for f in before}) == len(before)


def test_repeated_sentence_gets_distinct_fingerprints():
    report = check(WRONG + "\n" + WRONG)
    prints = [f.fingerprint for f in report.findings if f.code == "SHR001"]
    assert len(prints) == 2 and len(set(prints)) == 2


def test_options_select_ignore_and_severity():
    assert {f.code for f in check(WRONG, Options(select=("SHR001",))).findings} == {"SHR001"}
    assert "SHR001" not in {f.code for f in check(WRONG, Options(ignore=("SHR",))).findings}
    text = "2019年一般公共预算支出决算数为1504.31，完成预算100%。"
    assert [f.code for f in check(text).findings] == ["UNIT001"]
    assert check(text, Options(min_severity="error")).findings == ()


def test_include_quantities_and_claims():
    report = check(WRONG, Options(include=frozenset({"quantities", "claims"})))
    body = report.to_dict()
    assert [q["text"] for q in body["quantities"]] == ["100万元", "25万元", "30%", "75万元", "75%"]
    kinds = {c["kind"] for c in body["claims"]}
    assert kinds == {"breakdown", "share"}
    shares = [c for c in body["claims"] if c["kind"] == "share"]
    assert all(c["link"]["reason"] == "breakdown-total" and c["link"]["target"]["text"] == "100万元" for c in shares)
    assert_offsets(WRONG, report)
    assert "quantities" not in check(WRONG).to_dict()


def test_unlinked_claims_are_counted_not_guessed():
    text = "2019年社会消费品零售总额完成31874万元，增长5.2%。全年完成培训计划的70.5%。"
    report = check(text)
    assert report.findings == ()
    unchecked = report.coverage["unchecked"]
    assert unchecked.get("change: rate without an amount of change") == 1
    assert unchecked.get("completion: target not stated in the sentence") == 1


def test_unit_declared_for_a_table():
    text = "预算执行情况（万元）\n\t预算数：\n\t628.18\n\t执行数：\n\t1247.31\n"
    report = check(text, Options(include=frozenset({"quantities"})))
    assert [(q.text, q.kind, q.unit) for q in report.quantities] == [
        ("628.18", "money", "万元"),
        ("1247.31", "money", "万元"),
    ]


def test_unit_declared_for_a_table_row_of_pdf_text():
    text = (
        "收入支出决算总表\n单位：万元\n本年收入合计 120.50 本年支出合计 120.50\n"
        "说明：本年收入合计120.50万元，与上年持平。\n"
    )
    report = check(text, Options(include=frozenset({"quantities"})))
    kinds = [(q.text, q.kind, q.unit) for q in report.quantities]
    assert ("120.50", "money", "万元") in kinds  # the row's last cell
    assert not [f for f in report.findings if f.code == "UNIT001"]
    # a sentence is not a row: its bare figure keeps its warning
    prose = check("单位：万元\n2020年一般公共预算支出决算数为1504.31，完成预算100%。")
    assert [f.text for f in prose.findings if f.code == "UNIT001"] == ["1504.31"]


@pytest.mark.parametrize("seed", range(5))
def test_mutated_reports_never_break(seed_000, seed):
    """Shuffled and mutated fiscal fragments: no exception, every offset in range."""
    rng = random.Random(seed)
    sentences = seed_000.split("。")
    rng.shuffle(sentences)
    text = "。".join(sentences[:200])
    chars = list(text)
    for _ in range(300):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("0123456789.,，%％万元占增加减少其中：；。\n（）１２３")
    text = "".join(chars)
    report = check(text, Options(include=frozenset({"quantities", "claims"})))
    assert_offsets(text, report)


def test_periods_are_tagged_with_their_kind_and_year():
    text = (
        "2019年一般公共预算财政拨款支出1504.31万元，与2018年相比增加784.88万元。1-10月产值下降6.4%。"
        "截至2019年12月31日共有车辆1辆。上年同期为零。比2018（70.14）年减少23.69万元。“8.8”九寨沟地震。"
    )
    report = check(text, Options(include=frozenset({"periods"})))
    got = [(p["text"], p["kind"], p["year"]) for p in report.to_dict()["periods"]]
    assert got == [
        ("2019年", "year", 2019),
        ("2018年", "year", 2018),
        ("1-10月", "months", None),
        ("2019年12月31日", "date", 2019),
        ("上年", "relative", None),
        ("同期", "relative", None),
        ("2018（70.14）年", "year", 2018),
        ("“8.8”", "date", None),
    ]
    assert all(text[p.start : p.end] == p.text for p in report.periods)
    # a period is never a figure, and tagging it leaves the change claim and its prior value intact
    assert {q.text for q in check(text, Options(include=frozenset({"quantities"}))).quantities}.isdisjoint(got)
    assert "periods" not in check(text).to_dict()
