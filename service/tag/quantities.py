"""Tag figures: numerals first, then money / percent / count / score built on them.

One pass of one compiled pattern (patterns/quantities.toml): at each position the
blocked forms are tried first, so dates, document numbers (川财建〔2018〕32号), article
numbers, phone numbers and classification codes are consumed before any figure can
be read inside them. Every figure is parsed once, here.
"""

from __future__ import annotations

from dataclasses import replace

import cn2an
import regex

from ..budget import paced, tick
from ..model import Period, Quantity
from ..patterns import Patterns, words_regex

MONEY_SCALE = {None: 1.0, "千": 1e3, "万": 1e4, "亿": 1e8}
COUNT_SCALE = {None: 1.0, "万": 1e4, "亿": 1e8}
POST_BOUND = {"以上": "min", "以下": "max", "以内": "max", "左右": "about"}
_CN_TAIL_SCALE = regex.compile(r"[万萬亿億]$")
_YEAR = regex.compile(r"(?:19|20)\d{2}")
# 单位：万元 / 预算执行情况（万元）: the unit of the table cells that follow
_UNIT_DECL = regex.compile(r"单位\s*[:：]\s*(?P<unit>[万亿千]?元)|[（(]\s*(?P<unit2>[万亿千]?元)\s*[)）]")
SCALE_ONLY_REACH = 16  # characters before a figure ending in 万 (no 元) read for the word that makes it money
TABLE_REACH = 2000  # characters after a unit declaration in which bare cells take its unit


def parse_number(s: str) -> tuple[float, int] | None:
    """Value and number of decimals of an ASCII or Chinese numeral, or None."""
    s = s.replace(",", "").replace("，", "").strip()
    if not s:
        return None
    if s[0].isdigit():
        decimals = len(s.split(".", 1)[1]) if "." in s else 0
        return float(s), decimals
    if s[0] in "百佰千仟":
        s = "一" + s  # 百分之百: a leading 百 or 千 means one hundred / thousand
    try:
        value = cn2an.cn2an(s, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    decimals = len(s.split("点", 1)[1]) if "点" in s else 0
    return float(value), decimals


_PROSE = regex.compile(r"[，。；;：:、！？]|,(?!\d)")


def _is_cell(norm: str, start: int, end: int) -> bool:
    """The figure stands alone on its line (a table cell), or ends a line with no clause
    punctuation (a table row as PDF text gives it: 本年收入合计 307.82 本年支出合计 307.82)."""
    line_start = norm.rfind("\n", 0, start) + 1
    line_end = norm.find("\n", end)
    line_end = len(norm) if line_end < 0 else line_end
    if norm[end:line_end].strip():
        return False
    return not norm[line_start:start].strip() or _PROSE.search(norm, line_start, line_end) is None


STRETCH = 1 << 16  # characters searched between two looks at the clock (about 0.2 s at worst)


def _stretch_end(norm: str, pos: int) -> int:
    """Where a stretch that starts at ``pos`` ends: after the first line break past ``STRETCH``
    characters, else after a 。 or ；, else at twice ``STRETCH``."""
    lo = pos + STRETCH
    if lo >= len(norm):
        return len(norm)
    hi = min(len(norm), lo + STRETCH)
    for stop in ("\n", "。", "；"):
        at = norm.find(stop, lo, hi)
        if at >= 0:
            return at + 1
    return hi


# the groups of the figure pattern (patterns/quantities.toml), read with one call per match
FIELDS = (
    "cnum", "lo", "num", "approx", "scale", "approx2", "money", "money_post",
    "percent", "percent_post", "ppoint", "count_approx", "count_scale", "count", "count_post",
    "scale_approx", "scale_only", "score", "bare",
)  # fmt: skip


class Tagger:
    def __init__(self, patterns: Patterns) -> None:
        self.rx = patterns.quantity
        self.fields = tuple(self.rx.groupindex[f] for f in FIELDS)
        self.cnum_group, self.num_group = self.rx.groupindex["cnum"], self.rx.groupindex["num"]
        self.negative = patterns.negative
        self.period_kinds = {f"neg_{name}": kind for name, kind in patterns.periods.items()}
        self.relative_periods = patterns.relative_periods
        self.distributive = patterns.distributive
        self.distributive_lead = patterns.distributive_lead
        self.scale_only_context = patterns.scale_only_context
        # the last characters of those words: only a figure after one of them can be a bound
        self.before_tail = {w[-1] for ws in patterns.words["approx_before"].values() for w in ws} | {" ", "\t"}
        self.before = regex.compile(
            "(?:"
            + "|".join(f"(?P<{bound}>{words_regex(ws)})" for bound, ws in patterns.words["approx_before"].items())
            + ")\\s*$"
        )

    def tag(self, norm: str, text: str) -> list[Quantity]:
        """All figures in ``norm`` (the normalised text), spans pointing into ``text``."""
        out = []
        bare = False
        for m in paced(self._matches(norm)):
            if m.lastgroup == "blocked":  # a date, a document number …: consumed, not a figure
                continue
            q = self._build(m, norm, text)
            if q is not None:
                out.append(q)
                bare = bare or q.kind == "bare"
        if bare:
            out = self._declared_units(out, norm)
        return self._distributed(out, norm, text)

    def _matches(self, norm: str):
        """The figure pattern's matches, found a stretch of lines at a time with a look at the clock
        between stretches: on a text with few figures one search runs far in a single call, which
        no look between matches could interrupt. Stretches end after a line break (else after
        。；, else anywhere), where no figure runs on."""
        pos, n = 0, len(norm)
        while pos < n:
            end = _stretch_end(norm, pos)
            yield from self.rx.finditer(norm, pos, end)
            pos = end
            tick()

    def _distributed(self, quantities: list[Quantity], norm: str, text: str) -> list[Quantity]:
        """收、支总计分别为356.10、360.40万元: after 分别为 / 各是, the numbers listed before a figure
        are figures of its kind and unit (356.10 is 万元 too)."""
        if "分别" not in norm and "各" not in norm and "依次" not in norm:
            return quantities  # no lead word anywhere: nothing to distribute
        added = []
        for q in quantities:
            if q.kind not in ("money", "percent", "count") or q.bound is not None:
                continue
            before = norm[max(0, q.num_start - 4) : q.num_start].rstrip(" \t")
            if not before or before[-1] not in "、，,":
                continue  # the cheap test first: a listed figure follows a separator
            m = self.distributive.search(norm, max(0, q.num_start - 200), q.num_start)
            if m is None or not self.distributive_lead.search(norm, max(0, m.start() - 8), m.start()):
                continue
            for a, b in m.spans("n"):
                parsed = parse_number(norm[a:b])
                if parsed is None:
                    continue
                added.append(replace(q, start=a, end=b, text=text[a:b], value=parsed[0], decimals=parsed[1],
                                     num_start=a, num_end=b))  # fmt: skip
        if not added:
            return quantities
        taken = {(x.start, x.end) for x in quantities}
        return sorted([*quantities, *(x for x in added if (x.start, x.end) not in taken)], key=lambda x: x.start)

    def periods(self, norm: str, text: str) -> list[Period]:
        """Years, dates, month ranges (the blocked forms that name a time) and 上年 / 本年 …"""
        found = []
        for m in self.negative.finditer(norm):
            kind = self.period_kinds.get(m.lastgroup)
            if kind is not None:
                year = _YEAR.match(m.group())
                found.append(
                    Period(m.start(), m.end(), text[m.start() : m.end()], kind, int(year.group()) if year else None)
                )
        taken = [(p.start, p.end) for p in found]
        for m in self.relative_periods.finditer(norm):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                found.append(Period(m.start(), m.end(), text[m.start() : m.end()], "relative", None))
        found.sort(key=lambda p: p.start)
        return found

    def _declared_units(self, quantities: list[Quantity], norm: str) -> list[Quantity]:
        """Bare table cells under a unit declaration are amounts in that unit."""
        cells = {id(q) for q in quantities if q.kind == "bare" and _is_cell(norm, q.start, q.end)}
        if not cells:
            return quantities  # no cell to give a unit to: the declarations need not be looked for
        declarations = [(m.start(), m.group("unit") or m.group("unit2")) for m in _UNIT_DECL.finditer(norm)]
        if not declarations:
            return quantities
        out = []
        for q in quantities:
            unit = None
            if id(q) in cells:
                unit = next((u for pos, u in reversed(declarations) if q.start - TABLE_REACH < pos < q.start), None)
            if unit is None:
                out.append(q)
                continue
            scale = MONEY_SCALE[unit[0] if len(unit) == 2 else None]
            out.append(replace(q, kind="money", unit=unit, scale=scale))
        return out

    def _bound_before(self, norm: str, start: int) -> str | None:
        if start == 0 or norm[start - 1] not in self.before_tail:
            return None
        m = self.before.search(norm[max(0, start - 4) : start])
        return m.lastgroup if m else None

    def _build(self, m: regex.Match, norm: str, text: str) -> Quantity | None:
        (cnum, lo, num, approx, scale_word, approx2, money, money_post, percent, percent_post,
         ppoint, count_approx, count_scale, count, count_post, scale_approx, scale_only, score,
         bare) = m.group(*self.fields)  # fmt: skip
        if cnum is not None:  # 百分之十七
            num, num_span, kind, unit, post = cnum, m.span(self.cnum_group), "percent", "%", None
        else:
            num_span = m.span(self.num_group)
            written = num[0].isdigit()
            if money is not None:
                kind, unit, post = "money", money, money_post
            elif ppoint is not None:
                kind, unit, post = "ppoint", ppoint, None
            elif not written:
                return None  # a Chinese numeral is read only as money, 百分之… or 个百分点
            elif percent is not None:
                kind, unit, post = "percent", "‰" if percent == "‰" else "%", percent_post
            elif count is not None:
                kind, unit, post = "count", count, count_post
                approx, scale_word = count_approx, count_scale
            elif scale_only is not None:
                # 安排资金19204.096万。: money in 万元 after an amount's word, else no figure
                if self.scale_only_context.search(norm, max(0, m.start() - SCALE_ONLY_REACH), m.start()) is None:
                    return None
                kind, unit, post = "money", "元", None
                approx, scale_word = scale_approx, scale_only
            elif score is not None:
                kind, unit, post = "score", score, None
            elif bare is not None and lo is None:
                kind, unit, post = "bare", None, None
            else:
                return None
        if kind != "money" and kind != "count":
            scale_word = None
        if num and not num[0].isdigit() and scale_word is None and _CN_TAIL_SCALE.search(num):
            # 三百六十万元: the trailing 万 is the unit's scale, not part of the numeral
            scale_word = {"萬": "万", "億": "亿"}.get(num[-1], num[-1])
            num = num[:-1]
        parsed = parse_number(num or "")
        if parsed is None:
            return None
        value, decimals = parsed
        bound = self._bound_before(norm, m.start()) if kind != "bare" else None
        if approx or approx2:  # 2000余万元 / 3万余元
            bound = bound or "about"
        if post:
            bound = POST_BOUND[post]
        if lo is not None:
            bound = "range"
        scale = 1.0
        if kind == "money":
            scale = MONEY_SCALE[scale_word]
            unit = (scale_word or "") + "元"
        elif kind == "count":
            scale = COUNT_SCALE[scale_word]
        start, end = m.span()
        return Quantity(start, end, text[start:end], value, unit, kind, decimals, scale, bound, *num_span)
