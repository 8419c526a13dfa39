"""A stated number of things and the things listed (service/counts.py, SUM002)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# the characters the count patterns and their anchor turn on, and a few others (speed: the long
# patterns are read only in windows around their anchors, and must find there what a scan of the
# whole text finds)
COUNT_CHARACTERS = "0123456789一二两三四五十个类项家所支名科室等和及与、，：:（ \t\n设有置包括下内"
COUNT_TEXT = st.text(alphabet=COUNT_CHARACTERS, max_size=60)


@settings(derandomize=True, database=None, deadline=None, max_examples=400)
@given(COUNT_TEXT)
def test_the_windowed_reading_finds_what_the_whole_text_scan_finds(text):
    def spans(matches):
        return [(m.span(), m.span("n"), m.group("noun")) for m in matches]

    assert spans(counts.after_matches(text)) == spans(counts.AFTER.finditer(text))
    assert spans(counts.before_matches(text)) == spans(counts.BEFORE.finditer(text))


def test_the_windowed_reading_of_an_invented_list():
    text = "设内科、外科、妇科5个临床科室，另有 12 名医生和三类设备。" * 3
    assert [m.span() for m in counts.after_matches(text)] == [m.span() for m in counts.AFTER.finditer(text)]
    assert len(counts.after_matches(text)) == 9
    listed = "本局内设 12 个科室：办公室、财务科。设有三类设备：甲、乙、丙。" * 2
    assert [m.span() for m in counts.before_matches(listed)] == [m.span() for m in counts.BEFORE.finditer(listed)]
    assert len(counts.before_matches(listed)) == 4
