"""Find fiscal metric names (patterns/metrics.tsv) and map each alias to its canonical metric.

An Aho-Corasick automaton finds every alias in one pass; overlapping hits resolve
leftmost-longest, so 一般公共预算财政拨款基本支出 wins over 基本支出 inside it.
"""

from __future__ import annotations

import ahocorasick

from .model import Mention

# an alias that does not end like a fiscal figure's name (一般公共服务, 卫生健康) is
# "weak": it names a metric only where a list item or a colon makes it a label
STRONG_ENDINGS = (
    "支出",
    "收入",
    "费",
    "经费",
    "合计",
    "总计",
    "结余",
    "差额",
    "分配",
    "总额",
    "费用",
)


class MetricFinder:
    def __init__(self, aliases: dict[str, str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for alias, canonical in aliases.items():
            self.automaton.add_word(alias, (len(alias), canonical, alias.endswith(STRONG_ENDINGS)))
        self.automaton.make_automaton()

    def find(self, norm: str, text: str) -> list[Mention]:
        hits = []
        for end, (length, canonical, strong) in self.automaton.iter(norm):
            start = end + 1 - length
            if not strong and not _labelled(norm, start, end + 1):
                continue
            hits.append((start, -length, canonical))
        hits.sort()
        out: list[Mention] = []
        last_end = -1
        for start, neg_length, canonical in hits:
            end = start - neg_length
            if start < last_end:
                continue
            out.append(Mention(start, end, text[start:end], canonical))
            last_end = end
        return out


def _labelled(norm: str, start: int, end: int) -> bool:
    """A weak alias counts as a label: before a colon or (类), or after a list number."""
    after = norm[end : end + 3].lstrip()
    if after[:1] in (":", "：") or after.startswith(("（类", "(类", "类")):
        return True
    before = norm[max(0, start - 4) : start].rstrip()
    return bool(before) and (before[-1] in "、.．:：" or before[-1].isdigit())
