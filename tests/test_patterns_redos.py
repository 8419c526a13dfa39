"""Every regular expression in patterns/ against input built to make it backtrack.

Each pattern runs with the regex module's own timeout, so a pattern that went
super-linear fails this test instead of hanging it. The inputs are long runs of the
characters each pattern is made of (digits, Chinese numerals, separators, units, white
space), alone and interleaved: the shapes that made 一一一… and tab runs quadratic before.
"""

from __future__ import annotations

import itertools

import pytest
import regex

from service.claims.directions import patterns as direction_patterns
from service.patterns import PATTERNS_DIR, load_toml, resolve

TIMEOUT = 2.0  # seconds for one pattern over one 20,000-character input; today each takes milliseconds
PIECES = ["1", "1,", "1，", "1.", "一", "万", "百分之", "%", "元", "人次", " ", "\t", "\n", "：", "年", "月",
          "〔", "第", "X", "某", "资金", "完成", "预算", "的", "局", "（", "）", "-", "余", "以上",
          "决算", "预算数", "上年", "与", "持平", "增加", "(yù)", "无增减", "小于"]  # fmt: skip


def _keyed_patterns(prefix: str, table: dict) -> dict[str, str]:
    """Every string under a key ending in ``pattern`` (the convention for a regular expression
    in patterns/*.toml), at any depth."""
    found = {}
    for key, value in table.items():
        if isinstance(value, dict):
            found |= _keyed_patterns(f"{prefix}.{key}", value)
        elif isinstance(value, str) and key.endswith("pattern"):
            found[f"{prefix}.{key}"] = value
    return found


def _patterns() -> dict[str, str]:
    spec = load_toml("quantities.toml")
    found = {f"quantities.{name}": resolve(src, spec["fragments"]) for name, src in spec["patterns"].items()}
    found |= {f"quantities.negative.{n}": resolve(src, spec["fragments"]) for n, src in spec["negative"].items()}
    for path in sorted(PATTERNS_DIR.glob("*.toml")):
        table = load_toml(path.name)
        keyed = _keyed_patterns(path.stem, table)
        # a file's own [fragments] (patterns/claims.toml: {year}) before those of quantities.toml
        fragments = spec["fragments"] | (table.get("fragments", {}) if path.name != "quantities.toml" else {})
        found |= {name: resolve(src, fragments) for name, src in keyed.items()}
    found |= direction_patterns()
    return found


def test_every_toml_regex_is_covered():
    # the keyed patterns this file knows must include those that the engine is known to read
    assert {"words.completion.rate_pattern", "organisations.placeholder.pattern",
            "claims.linking.bare_change_clause_pattern",
            "claims.breakdowns.numbered_pattern"} <= set(PATTERNS)  # fmt: skip


def _inputs() -> dict[str, str]:
    out = {f"run of {p!r}": p * (20000 // len(p)) for p in PIECES}
    for a, b in itertools.combinations(["1", "一", " ", "\t", "万", "元", "%", "，"], 2):
        out[f"{a!r}{b!r} alternating"] = (a + b) * 10000
    return out


PATTERNS = _patterns()
INPUTS = _inputs()


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_stays_linear_on_adversarial_input(name):
    rx = regex.compile(PATTERNS[name], regex.V1)
    for label, text in INPUTS.items():
        try:
            for _ in rx.finditer(text, timeout=TIMEOUT):
                pass
        except TimeoutError:
            pytest.fail(f"{name} took over {TIMEOUT} s on {label} ({len(text)} characters)")
