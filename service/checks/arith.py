"""Interval arithmetic for stated figures (the rounding rule of DOMAIN.md).

A figure written with d decimals stands for every value within half a unit of its
last digit. Two statements conflict only when no rounding of the stated figures can
reconcile them; when only truncation (cutting digits instead of rounding) can, the
difference is worth an info note and no more.
"""

from __future__ import annotations

from ..model import Quantity

EPS = 1e-9

Interval = tuple[float, float]


def interval(q: Quantity) -> Interval:
    """The values a stated figure stands for, in base units (元 for money)."""
    return q.interval


def add(*ivs: Interval) -> Interval:
    return sum(i[0] for i in ivs), sum(i[1] for i in ivs)


def sub(a: Interval, b: Interval) -> Interval:
    return a[0] - b[1], a[1] - b[0]


def ratio_percent(num: Interval, den: Interval) -> Interval | None:
    """num ÷ den × 100 over intervals; None when the denominator may be zero or negative."""
    if den[0] <= 0:
        return None
    lo, hi = max(num[0], 0.0), num[1]
    return lo / den[1] * 100, hi / den[0] * 100


def divide_percent(num: Interval, den: Interval) -> Interval | None:
    """num ÷ den × 100 for a numerator of either sign; None unless the denominator is positive."""
    if den[0] <= 0:
        return None
    ends = [n / d * 100 for n in num for d in den]
    return min(ends), max(ends)


def overlaps(a: Interval, b: Interval) -> bool:
    tol = EPS * max(1.0, abs(a[0]), abs(a[1]), abs(b[0]), abs(b[1]))
    return a[0] <= b[1] + tol and b[0] <= a[1] + tol


def judge(stated: Quantity, computed: Interval) -> str:
    """'ok' when rounding explains the stated figure, 'truncated' when only truncation
    does, 'off' otherwise. ``computed`` is in the stated figure's own unit."""
    s, unit = stated.value, 10 ** (-stated.decimals)
    if overlaps((s - unit / 2, s + unit / 2), computed):
        return "ok"
    # truncated: some value the others allow, cut to d decimals (toward zero), reads as stated
    window = (s, s + unit * (1 - EPS)) if s >= 0 else (s - unit * (1 - EPS), s)
    if overlaps(window, computed):
        return "truncated"
    return "off"


def fmt(value: float, decimals: int = 2) -> str:
    """A number the way a report writes it: fixed decimals, no trailing noise."""
    text = f"{value:,.{decimals}f}".replace(",", "")
    return text
