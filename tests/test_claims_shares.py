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
