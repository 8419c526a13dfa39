"""Find fiscal metric names (patterns/metrics.tsv) and map each alias to its canonical metric.

An Aho-Corasick automaton finds every alias in one pass; overlapping hits resolve
leftmost-longest, so 一般公共预算财政拨款基本支出 wins over 基本支出 inside it. A hit that
only continues a longer name the lexicon does not hold is refused (patterns/metric_edges.toml):
学前教育支出 is not 教育支出, 项目支出结转和结余 not 项目支出. A name broken by a line
break between two Chinese characters (人员\\n经费, as PDF text wraps) is found whole.
"""

from __future__ import annotations

import bisect

import ahocorasick
import regex

from ..budget import paced
from ..model import Mention
from ..patterns import MetricEdges

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
    "金额",
    "补助",
)
# a line break inside a word: between two Han characters (the regex module scans for the line
# break; the standard library tries the lookbehind at every character, eight times slower)
WRAP = regex.compile(r"(?<=[\u4e00-\u9fff])\n(?=[\u4e00-\u9fff])")
NO_EDGES = MetricEdges((), (), {})


class MetricFinder:
    def __init__(self, aliases: dict[str, str], edges: MetricEdges = NO_EDGES) -> None:
        self.automaton = ahocorasick.Automaton()
        for alias, canonical in aliases.items():
            self.automaton.add_word(alias, (len(alias), canonical, alias.endswith(STRONG_ENDINGS)))
        self.automaton.make_automaton()
        self.prefixes = edges.prefixes
        self.suffixes = edges.suffixes

    def find(self, norm: str, text: str) -> list[Mention]:
        # the automaton reads the text with in-word line breaks taken out; ``breaks`` maps back
        breaks = [m.start() for m in WRAP.finditer(norm)] if "\n" in norm else []
        # (the text between the breaks, joined: one pass fewer than substituting them away)
        cuts = zip([-1, *breaks], [*breaks, len(norm)], strict=True)
        scan = "".join(norm[a + 1 : b] for a, b in cuts) if breaks else norm
        # the position in ``scan`` of each removed break: every one before a hit shifts it by one
        shifted = [b - i for i, b in enumerate(breaks)]
        hits = []
        for end, (length, canonical, strong) in paced(self.automaton.iter(scan)):
            start = end + 1 - length
            if not strong and not _labelled(scan, start, end + 1):
                continue
            if self._continues(scan, start, end + 1):
                continue
            hits.append((start, -length, canonical))
        hits.sort()
        out: list[Mention] = []
        last_end = -1
        for start, neg_length, canonical in hits:
            end = start - neg_length
            if start < last_end:
                continue
            last_end = end
            if breaks:
                start += bisect.bisect_right(shifted, start)
                end += bisect.bisect_left(shifted, end)
            out.append(Mention(start, end, text[start:end], canonical))
        return out

    def _continues(self, norm: str, start: int, end: int) -> bool:
        """The hit is the tail or the head of a longer name (学前 + 教育支出, 项目支出 + 结转)."""
        if self.suffixes and norm.startswith(self.suffixes, end):
            return True
        if not self.prefixes:
            return False
        i = start
        while i > 0 and norm[i - 1] in " \t" and start - i < 2:
            i -= 1
        return norm.endswith(self.prefixes, 0, i)


def _labelled(norm: str, start: int, end: int) -> bool:
    """A weak alias counts as a label: before a colon or (类), or after a list number."""
    after = norm[end : end + 3].lstrip()
    if after[:1] in (":", "：") or after.startswith(("（类", "(类", "类")):
        return True
    before = norm[max(0, start - 4) : start].rstrip()
    return bool(before) and (before[-1] in "、.．:：" or before[-1].isdigit())
