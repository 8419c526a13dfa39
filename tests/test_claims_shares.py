"""Shares (service/claims/shares.py) on invented sentences: ``<part>，占X%``."""

from __future__ import annotations

from service.claims import finders
from service.pipeline import analyse


def shares(text: str) -> list[tuple[str, str, str]]:
    return [(c.part.text, c.share.text, c.whole_name) for c in finders()["shares"].find(analyse(text).doc, {})]


def test_a_share_names_its_part_and_the_whole_when_written():
    assert shares("2020年基本支出60万元，占本年支出的60%。") == [("60万元", "60%", "本年支出")]


def test_each_part_of_a_list_takes_its_own_share():
    assert shares("其中：基本支出60万元，占60%；项目支出40万元，占40%。") == [
        ("60万元", "60%", ""),
        ("40万元", "40%", ""),
    ]


def test_a_share_without_an_amount_before_it_is_not_read():
    assert shares("培训覆盖率占60%。") == []
    assert shares("2020年基本支出占60%。") == []


def test_a_share_of_a_named_part_takes_the_figure_stated_for_it_before():
    ctx = analyse("2020年本年支出合计100万元，其中：基本支出60万元，项目支出40万元。\n项目支出占本年支出合计的40%。")
    (link,) = ctx.shares
    assert (link.claim.part.text, link.claim.part_name.text, link.claim.whole_name) == (
        "40万元",
        "项目支出",
        "本年支出合计",
    )
    assert (link.whole.text, link.reason) == ("100万元", "breakdown-total")
    # a name with no figure stated before it is no part
    assert analyse("项目支出占本年支出合计的40%。项目支出40万元。").shares == []


def test_shares_of_named_parts_in_several_paragraphs_close_at_100():
    from service import check

    text = (
        "2020年本年支出合计100.00万元，其中：基本支出60.00万元，项目支出40.00万元。\n"
        "一、基本支出占本年支出合计的60%。\n二、项目支出占本年支出合计的45%。"
    )
    codes = sorted(f.code for f in check(text).findings)
    assert codes == ["SHR001", "SHR002"]
