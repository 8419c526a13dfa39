"""Template identities (patterns/identities.toml), names inside longer names
(patterns/metric_edges.toml) and fund scopes (service/tag/scope.py), on invented sentences."""

from __future__ import annotations

import pytest

from service import check
from service.patterns import PatternError, load, load_edges, load_identities
from service.pipeline import analyse
from service.tag.nlp import nlp


def metrics_of(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.metric) for m in nlp()(text).spans["metrics"].attrs["tally"]]


def codes(text: str, code: str = "EQV") -> list[tuple[str, str]]:
    return [(f.code, f.text) for f in check(text).findings if f.code.startswith(code)]


# -- the schema -------------------------------------------------------------------------------
METRICS = {"收入总计", "支出总计", "本年收入合计", "年初结转和结余"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"identity": [{"total": "收入总计", "parts": ["本年收入合计"], "strict": False}]}, "unknown key"),
        ({"identity": [{"total": "收入总计", "parts": ["本年收入合计"], "relation": "<"}]}, "relation '<'"),
        ({"identity": [{"total": "收入总计", "parts": ["本年收入合讨"]}]}, "'本年收入合讨' is not a canonical"),
        ({"identity": [{"total": "收入总计"}]}, "needs both 'total' and 'parts'"),
        ({"identity": [{"total": "收入总计", "parts": []}]}, "non-empty list"),
        ({"identity": [{"total": "收入总计", "parts": ["收入总计"]}]}, "is the total itself"),
        ({"same": [{"names": ["收入总计"]}]}, "two or more"),
        ({"same": [{"names": ["收入总计", "支出总计"], "relation": "="}]}, "exactly one key"),
        ({"identities": []}, "unknown table"),
    ],
)
def test_identity_schema_errors_name_the_entry_and_the_fix(spec, message):
    with pytest.raises(PatternError, match=r"patterns/identities\.toml") as err:
        load_identities(spec, METRICS)
    assert message in str(err.value)


def test_identity_schema_reads_relations_and_same_groups():
    spec = {
        "identity": [{"total": "收入总计", "parts": ["本年收入合计", "年初结转和结余"], "relation": ">="}],
        "same": [{"names": ["收入总计", "支出总计"]}],
    }
    ge, same = load_identities(spec, METRICS)
    assert (ge.relation, ge.strict, ge.same) == (">=", False, False)
    assert (same.total, same.parts, same.same) == ("收入总计", ("支出总计",), True)


def test_edges_schema_error():
    with pytest.raises(PatternError, match=r"\[prefixes\] needs 'words'"):
        load_edges({"prefixes": {"words": [""]}, "suffixes": {"words": []}})


def test_shipped_patterns_pass_their_schema():
    patterns = load()
    assert any(i.relation == ">=" for i in patterns.identities)
    assert any(i.same for i in patterns.identities)
    assert "政府性基金" in patterns.edges.scopes


# -- names inside longer names -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("学前教育支出80万元", []),
        ("高等教育支出80万元，教育支出90万元", [("教育支出", "教育支出")]),
        ("其他工资福利支出3万元，工资福利支出30万元", [("工资福利支出", "工资福利支出")]),
        ("国有资本经营收入15万元", []),
        ("生均公用经费0.8万元", []),
        ("其中项目支出结转和结余12.3万元", []),
        ("乡村道路建设项目支出40万元", []),
        ("财政拨款收入总计812.3万元", [("财政拨款收入总计", "财政拨款收入总计")]),
        ("一般公共预算财政拨款收入700万元", [("一般公共预算财政拨款收入", "一般公共预算财政拨款收入")]),
        ("其中：人员\n经费650万元", [("人员\n经费", "人员经费")]),
        ("授予中小企业合同金额70万元", [("授予中小企业合同金额", "授予中小企业合同金额")]),
    ],
)
def test_a_name_inside_a_longer_name_is_not_that_name(text, expected):
    assert metrics_of(text) == expected


def test_a_wrapped_name_keeps_its_offsets():
    text = "2022年度一般公共预算\n财政拨款收入700.00万元，人员\n经费\n650.00万元。"
    for m in nlp()(text).spans["metrics"].attrs["tally"]:
        assert text[m.start : m.end] == m.text


def test_a_shorter_name_in_a_longer_one_makes_no_false_equality():
    assert codes("2022年学前教育支出80.00万元。2022年教育支出600.00万元。") == []
    assert codes("2022年项目支出380.00万元。其中项目支出结转和结余12.30万元。") == []


# -- scopes ---------------------------------------------------------------------------------------
def scopes(text: str) -> list[tuple[str, str]]:
    return [(s.mention.metric, s.scope) for s in analyse(text).statements.all]


def test_a_fund_heading_scopes_the_figures_under_it():
    text = (
        "（一）一般公共预算收支情况\n本级收入80.00万元，加上补助收入20.00万元，收入总计100.00万元。\n"
        "（二）政府性基金预算收支情况\n基金收入0万元，收入总计0万元。\n"
        "二、其他情况\n年末结转和结余5.00万元。\n"
    )
    assert scopes(text) == [("收入总计", "一般公共预算"), ("收入总计", "政府性基金"), ("年末结转和结余", "")]
    assert codes(text) == []


def test_a_fund_in_the_lead_of_a_sentence_scopes_it():
    text = (
        "2022年度年末结转和结余80.00万元。"
        "2022年度一般公共预算收入总计700.00万元，本年支出680.00万元，年末结转和结余20.00万元。"
    )
    assert scopes(text) == [("年末结转和结余", ""), ("收入总计", "一般公共预算"),
                            ("本年支出合计", "一般公共预算"), ("年末结转和结余", "一般公共预算")]  # fmt: skip
    assert codes(text) == []


def test_a_negated_fund_and_a_name_that_names_its_fund_are_not_scopes():
    text = "本单位无政府性基金预算收入，年末结转和结余8.00万元。政府性基金预算财政拨款收入0万元。"
    assert scopes(text) == [("年末结转和结余", ""), ("政府性基金预算财政拨款收入", "")]


def test_one_fund_stated_twice_with_two_values_is_still_flagged():
    text = (
        "（一）一般公共预算收支情况\n2022年度一般公共预算支出200.00万元，支出总计200.00万元。\n"
        "（二）一般公共预算平衡情况\n2022年度支出总计20.00万元。\n"
        "（三）一般公共预算结余情况\n2022年度支出总计200.00万元。\n"
    )
    assert codes(text) == [("EQV001", "20.00万元")]


# -- identities -------------------------------------------------------------------------------------
def test_fiscal_total_is_carry_over_plus_this_years_grant():
    ok = "2022年度财政拨款收入支出总计150.00万元。年初财政拨款结转和结余50.00万元，本年财政拨款收入100.00万元。"
    assert codes(ok) == []
    bad = ok.replace("年初财政拨款结转和结余50.00", "年初财政拨款结转和结余40.00")
    assert codes(bad) == [("EQV002", "150.00万元")]


def test_fiscal_total_is_never_below_this_years_grant():
    text = "2022年度财政拨款收入支出总计90.00万元。2022年度本年财政拨款收入100.00万元。"
    assert codes(text) == [("EQV002", "90.00万元")]


def test_fiscal_income_total_and_expenditure_total_are_one_quantity():
    text = "2022年度财政拨款收入总计812.30万元。2022年度财政拨款支出总计845.10万元。"
    assert codes(text) == [("EQV002", "845.10万元")]
    assert codes(text.replace("845.10", "812.30")) == []


def test_basic_expenditure_covers_its_economic_classes():
    text = (
        "一般公共预算财政拨款基本支出100.00万元。工资福利支出70.00万元，商品和服务支出20.00万元，"
        "对个人和家庭的补助15.00万元。"
    )
    assert codes(text) == [("EQV002", "100.00万元")]
    assert codes(text.replace("15.00", "5.00")) == []  # 资本性支出 and 399 may be missing


def test_small_firms_never_exceed_the_medium_and_the_total():
    text = "2022年度政府采购支出总额86.00万元。授予中小企业合同金额70.00万元，其中授予小微企业合同金额72.00万元。"
    assert codes(text) == [("EQV002", "70.00万元")]
    assert codes(text.replace("72.00", "52.00")) == []


def test_carry_over_is_not_last_years_figure():
    # 上年结转 names this year's carried-in money: 收入总计 stays the report's own period
    text = "2022年本级收入90.00万元，加上上年结转10.00万元，收入总计100.00万元。2022年度支出总计100.00万元。"
    assert [s.period for s in analyse(text).statements.all if s.mention.metric == "收入总计"] == [""]
    assert codes(text.replace("支出总计100.00", "支出总计90.00")) == [("EQV002", "100.00万元")]


# -- this year's spending against 收入总计 ------------------------------------------------------
INCOME = (
    "（一）收入决算情况\n2021年度，收入总计为{total}万元，其中：\n1.财政拨款收入250.00万元。\n2.事业收入40.00万元。\n"
)
SPENDING = "（二）支出决算情况\n2021年度，某卫生院单位支出为{spent}万元。"
PARTS = "其中：\n基本支出200.00万元。\n项目支出{project}万元。"


def findings(text: str, code: str = "EQV002"):
    return [(f.text, f.severity) for f in check(text).findings if f.code == code]


def test_spending_above_an_income_total_its_items_confirm_is_an_error_on_the_spending():
    text = INCOME.format(total="290.00") + SPENDING.format(spent="300.00")
    [f] = [f for f in check(text).findings if f.code == "EQV002"]
    assert (f.text, f.severity) == ("单位支出为300.00万元", "error")
    assert "单位支出（本年支出合计） 300.00万元 超过收入总计 290.00万元" in f.message
    assert "收入总计 = 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余" in f.message
    assert findings(INCOME.format(total="290.00") + SPENDING.format(spent="290.00")) == []


def test_spending_above_both_values_of_a_wrong_income_total_is_found_whichever_is_right():
    # 收入总计 280 is short of its items (290, SUM001); the spending exceeds both
    text = INCOME.format(total="280.00") + SPENDING.format(spent="295.00")
    [f] = [f for f in check(text).findings if f.code == "EQV002"]
    assert (f.text, f.severity) == ("单位支出为295.00万元", "error")
    assert "按收入总计所列各项合计 290.00万元（250.00 + 40.00）也小于 295.00万元" in f.message
    # by its items 收入总计 is 290: the spending fits it, and SUM001 alone says what is wrong
    fits = INCOME.format(total="280.00") + SPENDING.format(spent="285.00")
    assert findings(fits) == []
    assert findings(fits, "SUM001") == [("280.00万元", "error")]


def test_spending_that_adds_up_to_its_own_parts_gets_a_warning():
    # both sides add up internally (the spending to 基本支出 + 项目支出): the text contradicts
    # itself, but not at a figure it can name
    text = INCOME.format(total="280.00") + SPENDING.format(spent="295.00") + PARTS.format(project="95.00")
    [f] = [f for f in check(text).findings if f.code == "EQV002"]
    assert (f.text, f.severity) == ("单位支出为295.00万元", "warning")
    assert "本年支出合计与其构成相符" in f.message


def test_an_income_total_summed_with_its_items_is_not_checked_again_against_them():
    # 收入总计 = 本年收入合计 + … + 年初结转和结余: the carry-over is one of the items SUM001 added
    text = INCOME.format(total="298.00") + "3.上年结转和结余8.00万元。\n"
    report = check(text)
    assert report.coverage["claims"]["identity"]["checked"] == 0
    assert report.findings == ()
