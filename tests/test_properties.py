"""Property-based tests: whatever text comes in, the pipeline answers, and every span it returns
is a slice of that text.

Hypothesis runs derandomized and without an example database, so a run is the same on every
machine; example counts are kept small so the file takes a few seconds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service import Options, check
from service.http import create_app

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "corpora" / "reports").glob("*.txt")),
    *sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")),
]
EVERYTHING = Options(include=frozenset({"quantities", "claims"}))
DETERMINISTIC = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fragments() -> list[str]:
    """Sentences with figures in them, from the report corpus and the seeds."""
    found: dict[str, None] = {}
    for path in SOURCES:
        for sentence in re.split(r"(?<=[。；])|\n", path.read_text(encoding="utf-8")):
            if re.search(r"\d", sentence) and 4 <= len(sentence) <= 300:
                found[sentence] = None
    return list(found)[:1500]


FRAGMENTS = fragments()
FULL_WIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")
UNIT_SWAPS = (("万元", "元"), ("元", "%"), ("%", "万元"), ("亿元", "万元"), ("%", "个百分点"))
ODD_FIGURES = ("1" + "0" * 30 + "万元", "0万元", "0%", "-25万元", "－3.5%", "0.00%", "9" * 400 + "元", "%" * 3000)


@st.composite
def mutated(draw: st.DrawFn, fragment: str) -> str:
    """One fragment, changed the way real and hostile reports change: digits, units, widths, figures."""
    text = fragment
    for _ in range(draw(st.integers(0, 3))):
        digits = [m.start() for m in re.finditer(r"\d", text)]
        if digits:
            i = draw(st.sampled_from(digits))
            text = text[:i] + str(draw(st.integers(0, 9))) + text[i + 1 :]
    if draw(st.booleans()):
        old, new = draw(st.sampled_from(UNIT_SWAPS))
        text = text.replace(old, new, draw(st.integers(1, 3)))
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    if draw(st.integers(0, 3)) == 0:
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(ODD_FIGURES)) + text[i:]
    if draw(st.integers(0, 4)) == 0:
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(("\x00", "\r\n", "\r", "\ufeff", "\u3000", "\t"))) + text[i:]
    return text


@st.composite
def fiscal_texts(draw: st.DrawFn) -> str:
    chosen = draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=12))
    parts = [draw(mutated(fragment)) for fragment in chosen]
    return draw(st.sampled_from(("\n", "\r\n", "", "。"))).join(parts)


def assert_spans_are_slices(text: str, report) -> None:
    """Every offset lies inside the text and every ``text`` field is exactly the slice it names."""
    n = len(text)

    def span(item) -> None:
        assert 0 <= item.start <= item.end <= n, (item.start, item.end, n)
        assert text[item.start : item.end] == item.text

    for finding in report.findings:
        span(finding)
        for evidence in finding.evidence:
            span(evidence)
    for quantity in report.quantities:
        span(quantity)
    for claim in report.claims:
        span(claim)
        for quantity in claim.quantities:
            span(quantity)
        if claim.link is not None:
            span(claim.link.target)
    json.dumps(report.to_dict(), allow_nan=False)  # what the service sends is valid JSON
    assert report.coverage["characters"] == n


def test_fragments_were_found():
    assert len(FRAGMENTS) > 200


@DETERMINISTIC
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=400))
def test_any_unicode_text(text):
    assert_spans_are_slices(text, check(text, EVERYTHING))


@settings(DETERMINISTIC, max_examples=150)
@given(fiscal_texts())
def test_fiscal_fragments_shuffled_and_mutated(text):
    assert_spans_are_slices(text, check(text, EVERYTHING))


@settings(DETERMINISTIC, max_examples=15)
@given(st.lists(st.sampled_from((*ODD_FIGURES, "合计", "其中：", "占", "增长", "比上年", "完成预算")), max_size=30))
def test_odd_figures_between_claim_words(pieces):
    text = "".join(pieces)
    assert_spans_are_slices(text, check(text, EVERYTHING))


# ---- the HTTP layer ---------------------------------------------------------------------------

CLIENT = create_app({"TESTING": True}).test_client()


@settings(DETERMINISTIC, max_examples=25)
@given(st.text(max_size=60), st.data())
def test_lone_surrogate_in_json_is_400_never_500(text, data):
    offset = data.draw(st.integers(0, len(text)))
    surrogate = chr(data.draw(st.integers(0xD800, 0xDFFF)))
    body = json.dumps({"text": text[:offset] + surrogate + text[offset:]})  # ASCII, the surrogate as \udxxx
    response = CLIENT.post("/v1/check", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_text"
    assert response.json["error"]["details"] == {"offset": offset}


@settings(DETERMINISTIC, max_examples=25)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(), st.lists, max_leaves=8))
def test_any_json_value_is_answered_without_a_500(value):
    for body in (value, {"text": value}, {"text": "", "options": value}, {"text": "", "options": {"include": value}}):
        response = CLIENT.post("/v1/check", data=json.dumps(body), content_type="application/json")
        assert response.status_code in (200, 400, 422), response.get_data(as_text=True)


@settings(DETERMINISTIC, max_examples=25)
@given(st.binary(max_size=200))
def test_any_bytes_as_text_plain_are_checked_or_refused_400(raw):
    response = CLIENT.post("/v1/check", data=raw, content_type="text/plain")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        text = raw.decode("utf-8")
        for finding in response.json["findings"]:
            assert text[finding["start"] : finding["end"]] == finding["text"]


# ---- text as conversion pages and PDFs give it: pinyin, Traditional, broken lines -----------------

PINYIN = ("yù", "jīng", "fèi", "shù", "wù", "xiàng", "jì", "wàn", "cái", "zhī")
TRADITIONAL = str.maketrans("万计预经费数务项总财拨决增长减占", "萬計預經費數務項總財撥決增長減佔")
HAN = re.compile(r"[\u4e00-\u9fff]")


@st.composite
def with_pinyin(draw: st.DrawFn, text: str) -> str:
    """``text`` with toned pinyin in brackets after some of its characters, as conversion pages write it."""
    places = [m.end() for m in HAN.finditer(text)]
    if not places:
        return text
    chosen = sorted(set(draw(st.lists(st.sampled_from(places), min_size=1, max_size=8))), reverse=True)
    for i in chosen:
        text = text[:i] + "(" + draw(st.sampled_from(PINYIN)) + ")" + text[i:]
    return text


@st.composite
def as_read_from_the_web(draw: st.DrawFn) -> str:
    text = draw(fiscal_texts())
    if draw(st.booleans()):
        text = text.translate(TRADITIONAL)
    text = draw(with_pinyin(text))
    for _ in range(draw(st.integers(0, 6))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(("\n", " \n", "\r\n", "\n ", "\n\n"))) + text[i:]
    return text


@settings(DETERMINISTIC, max_examples=120)
@given(as_read_from_the_web())
def test_pinyin_traditional_and_broken_lines_still_give_slices(text):
    report = check(text, Options(include=frozenset({"quantities", "claims", "periods"})))
    assert_spans_are_slices(text, report)
    for period in report.periods:
        assert text[period.start : period.end] == period.text
    for finding in report.findings:
        assert finding.line == text.count("\n", 0, finding.start) + 1


@settings(DETERMINISTIC, max_examples=60)
@given(st.sampled_from(FRAGMENTS), st.data())
def test_pinyin_changes_no_finding(fragment, data):
    """The view leaves the pinyin out, so the findings are those of the text without it, at mapped offsets."""
    if re.search(r"[(（][a-zü]{1,6}[)）]", fragment):
        return  # the fragment has a bracketed word of its own
    text = data.draw(with_pinyin(fragment))
    plain = [(f.code, f.severity, f.stated, f.expected, f.text) for f in check(fragment).findings]
    spelled = [
        (f.code, f.severity, f.stated, f.expected, re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔù]+\)", "", f.text))
        for f in check(text).findings
    ]
    assert spelled == plain
