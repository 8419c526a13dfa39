"""The product owner's acceptance on the two real seed reports (issue 2)."""

from __future__ import annotations

import pytest

from service import check


def located(text: str, finding) -> str:
    """The sentence around a finding, for readable assertions."""
    return text[max(0, finding.start - 30) : finding.end + 10]


@pytest.fixture(scope="module")
def report_000(seed_000):
    return check(seed_000)


@pytest.fixture(scope="module")
def report_004(seed_004):
    return check(seed_004)


def errors(report):
    return [f for f in report.findings if f.severity == "error"]


def find(report, code, text, context=None, source=None):
    hits = [f for f in report.findings if f.code == code and f.text == text]
    if context is not None:
        hits = [f for f in hits if context in located(source, f)]
    return hits


def test_every_offset_points_into_the_text(seed_000, report_000):
    for f in report_000.findings:
        assert seed_000[f.start : f.end] == f.text
        for e in f.evidence:
            assert seed_000[e.start : e.end] == e.text


def test_income_total_stated_twice(report_000):
    [f] = find(report_000, "EQV001", "888.73万元")
    assert f.severity == "error"
    assert f.expected == pytest.approx(2054.73)
    assert "2054.73" in f.message and "本年收入合计" in f.message


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("52.17%", 109.10), ("22.22%", 28.57)],
)
def test_growth_on_the_wrong_base(report_000, rate, expected):
    [f] = find(report_000, "CHG001", rate)
    assert f.severity == "error"
    assert f.expected == pytest.approx(expected, abs=0.005)
    assert {e.role for e in f.evidence} >= {"current", "change", "rate"}


def test_share_off(report_000):
    [f] = find(report_000, "SHR001", "0.87%")
    assert f.severity == "error"
    assert f.expected == pytest.approx(0.85, abs=0.005)
    assert "12.78 ÷ 1504.31" in f.message


def test_training_breakdown(report_000):
    [f] = find(report_000, "SUM001", "6000人次")
    assert f.severity == "error"
    assert f.expected == 6020
    assert "1700+1000+300+320+2700" in f.message


@pytest.mark.parametrize(
    "figure",
    ["17%", "83%", "14%", "1.32%", "1.17%", "21.75%", "95%", "5%", "52％", "48％", "85%", "33.77%", "45.69％"],
)
def test_consistent_figures_are_not_errors(report_000, figure):
    assert not [f for f in errors(report_000) if f.text == figure]


@pytest.mark.parametrize("figure", ["60.89%", "39%"])
def test_truncation_is_at_most_info(report_000, figure):
    hits = [f for f in report_000.findings if f.text == figure]
    assert hits, f"{figure} should get a truncation note"
    assert all(f.severity == "info" and f.code == "RND001" for f in hits)


def test_seed_000_error_set_is_exact(report_000):
    """Nothing beyond the known errors: each extra error is a false positive to explain."""
    got = sorted((f.code, f.text) for f in errors(report_000))
    assert got == sorted(
        [
            ("EQV001", "888.73万元"),
            ("CHG001", "52.17%"),
            ("CHG001", "22.22%"),
            ("SHR001", "0.87%"),
            ("SUM001", "6000人次"),
            ("ENT001", "黄龙乡人民政府"),
            ("ENT002", "本乡"),
            ("ENT004", "四川好亦同信息科技有限公司"),
            ("ENT006", "规划局"),
        ]
    )


def test_seed_000_coverage_says_what_was_checked(report_000):
    cov = report_000.coverage
    assert cov["quantities"]["total"] > 300
    assert cov["claims"]["share"]["checked"] >= 20
    assert cov["claims"]["breakdown"]["checked"] >= 10
    assert cov["checked_total"] >= 60


def test_seed_004_has_no_arithmetic_error(report_004):
    assert [f for f in errors(report_004) if f.code[:3] not in ("ENT", "PER")] == []


def test_seed_004_names_only_the_fund_variant(report_004):
    """55 companies, 市财政局, 市人民政府, 商务部 and 京东 all pass; only the fund is called two ways."""
    named = [(f.code, f.severity, f.text) for f in report_004.findings if f.code[:3] in ("ENT", "PER")]
    assert named == [("ENT005", "error", "电子商务服务外包产业发展资金")]
    [fund] = [f for f in report_004.findings if f.code == "ENT005"]
    assert "电子商务发展引导资金" in fund.message


def test_seed_004_was_checked(report_004):
    """No findings must not mean nothing was checked: the 490 = 450 + 40 split is."""
    assert report_004.coverage["claims"]["breakdown"]["checked"] >= 2
    assert report_004.coverage["quantities"]["money"] >= 55


def test_seed_004_grants_add_up_to_the_announced_total(seed_004):
    """向55家企业分配资金450万元: the 55 numbered grants are linked by their count, and add up."""
    from service import Options

    report = check(seed_004, Options(include=frozenset({"claims"})))
    [grants] = [c for c in report.claims if c.kind == "breakdown" and c.link.reason == "item-count"]
    assert grants.link.target.text == "450万元"
    assert len(grants.quantities) == 1 + 55
    assert sum(q.value for q in grants.quantities[1:]) == 450


def test_seed_004_a_slip_in_the_grants_is_noted(seed_004):
    report = check(seed_004.replace("12万元主要用于芙蓉兴盛", "13万元主要用于芙蓉兴盛"))
    [note] = [f for f in report.findings if f.code.startswith("RND")]
    assert (note.code, note.severity, note.text, note.expected) == ("RND002", "info", "450万元", 451)


def test_seed_000_reporting_unit_and_its_short_forms(report_000):
    unit = report_000.coverage["names"]["reporting_unit"]
    assert unit["name"] == "松潘县经济商务和信息化局"
    assert {"县经信局", "经信局", "经济商务和信息化局"} <= set(unit["also_written"])


@pytest.mark.parametrize(
    ("code", "text", "words"),
    [
        ("ENT001", "黄龙乡人民政府", "县级"),
        ("ENT002", "本乡", "松潘县经济商务和信息化局"),
        ("ENT006", "规划局", "项目"),
        ("ENT004", "四川好亦同信息科技有限公司", "四川好亦同有限公司"),
    ],
)
def test_seed_000_names_left_from_other_reports(report_000, code, text, words):
    [f] = find(report_000, code, text)
    assert f.severity == "error" and words in f.message


def test_seed_000_names_that_belong_there_pass(report_000):
    """Supervisors, partners and the county government are context, not leftovers."""
    named = {f.text for f in report_000.findings if f.code[:3] == "ENT"}
    for legit in ("县财政局", "省商务厅", "县政府", "松潘县人民政府", "北京京东叁佰陆拾度电子商务有限公司", "商务部"):
        assert not any(legit in n for n in named)


def test_seed_000_tender_dates_are_a_warning(report_000):
    [f] = [f for f in report_000.findings if f.code == "PER002"]
    assert (f.severity, f.text) == ("warning", "2018年7月6日")
