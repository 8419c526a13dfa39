"""A stated number of things and the things listed (service/counts.py, SUM002)."""

from __future__ import annotations

import pytest

from service.claims import counts
from service.pipeline import analyse


def read(text: str) -> list[tuple[int, list[str]]]:
    return [(c.count, [i.text for i in c.items]) for c in counts.find(analyse(text).doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本局内设5个科室：办公室、财务科、规划科、执法科。", [(5, ["办公室", "财务科", "规划科", "执法科"])]),
        ("本单位内设三个科室：办公室、财务股、业务股。", [(3, ["办公室", "财务股", "业务股"])]),
        ("卫生院设内科、外科、妇科、儿科、中医科5个临床科室。", [(5, ["内科", "外科", "妇科", "儿科", "中医科"])]),
        ("本局设办公室、财务科和规划科四个科室。", [(4, ["办公室", "财务科", "规划科"])]),
    ],
)
def test_a_count_and_its_list(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "本局设办公室、财务科等5个科室。",  # 等: not all of them
        "开展甲村、乙村和丙村三个村的农田建设。",  # no verb introduces a list: a sentence's words
        "严格落实中央八项规定、省委九项规定。",  # a number inside a name
        "共有企业28家，其中规上企业4家。",  # no list
        "包括资金20万元、物资10万元3项。",  # items with figures
        "资金包括中央、省、市补助、地方财政资金共同投入到同一项目的资金。",  # a sentence's words, not names
    ],
)
def test_what_is_not_a_counted_list(text):
    assert read(text) == []
