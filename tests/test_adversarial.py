"""Input built to make the patterns backtrack must still be checked in linear time.

Each case is 4,000-32,000 characters; today each takes at most ~0.1 s. The bound is
deliberately loose (a regression to quadratic behaviour costs seconds to minutes, as
runs of 一一一… once did), so the test fails on a real regression and not on a slow
machine.
"""

from __future__ import annotations

import time

import pytest

from service import check

CASES = {
    "chinese-numeral-run": "一" * 8000,
    "scale-run": "万" * 8000,
    "tabs-before-figures": ("\t" * 5000 + "1\n") * 4,
    "spaces-before-figure": " " * 20000 + "1",
    "digit-run": "1" * 20000,
    "thousands-run": "1," * 8000,
    "percent-run": "%" * 20000,
    "breakdown-markers": "其中：" * 4000,
    "prior-year-openers": "比2018（" * 3000,
    "numbered-lines": "".join(f"{i}、甲：1万元\n" for i in range(1, 3000)),
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_pathological_input_is_linear(text):
    t0 = time.perf_counter()
    report = check(text)
    assert time.perf_counter() - t0 < 3.0
    assert report.coverage["characters"] == len(text)
