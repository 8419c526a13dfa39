"""The kinds of claim (service/claims/__init__.py): one finder a kind, run in the listed order."""

from __future__ import annotations

from service.claims import KINDS, finders
from service.pipeline import analyse


def test_every_kind_is_listed_once_in_the_order_its_inputs_allow():
    kinds = [k.kind for k in KINDS]
    assert len(set(kinds)) == len(kinds)
    assert list(finders()) == kinds
    # statements read the breakdowns (a budget total's parts are budget figures)
    assert kinds.index("breakdowns") < kinds.index("statements")


def test_analyse_keeps_what_every_kind_found():
    ctx = analyse("2020年本年支出合计100.00万元，其中：基本支出60.00万元，项目支出40.00万元，决算数与预算数持平。")
    assert set(ctx.found) == set(finders())
    assert ctx.found["breakdowns"] == ctx.breakdowns
    assert [c.kind for c in ctx.found["directions"]] == ["budget"]
    assert ctx.found["scores"].tables == []
