"""Normalisation and segmentation.

Normalisation is length-preserving: every character maps to exactly one character
(full-width digits and letters to ASCII, ％ to %, ideographic space to space), so an
offset into the normalised text is the same offset into the text the user sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

_FULLWIDTH = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "．": ".", "\u3000": " ", "\u00a0": " "})
# the characters are rare: finding them is faster than translating every character, and
# the standard library scans a plain character class several times faster than regex
_FOLD = re.compile("[" + "".join(re.escape(c) for c in _FULLWIDTH) + "]")


def normalize(text: str) -> str:
    """Map full-width forms to ASCII without changing the length of the text."""
    if _FOLD.search(text) is None:
        return text
    return _FOLD.sub(lambda m: _FULLWIDTH[m.group()], text)


_SENT_END_IN_LINE = regex.compile(r"[。！？!?]+")
# what a heading's first character can be: 第 一 … 十 （ ( a digit, or a [bookmark: …] residue
_HEADING_FIRST = frozenset("第一二三四五六七八九十（([0123456789")
_HEADING = regex.compile(
    r"^\s*(?:\[bookmark:[^\]]*\]\s*)*"
    r"(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[、]\s*(?:\[bookmark:[^\]]*\]\s*)*\S)"
)
_BOOKMARK = regex.compile(r"\[bookmark:[^\]]*\]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int  # exclusive; the terminator (。) is inside
    line: int  # 1-based line number
    paragraph: int  # index of the line among non-empty lines
    section: str


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    number: int
    is_heading: bool
    section: str


def clean_heading(s: str) -> str:
    return _BOOKMARK.sub("", s).strip()[:60]


def segment(norm: str) -> tuple[list[Line], list[Sentence]]:
    """Split into lines and sentences and name the section each belongs to."""
    lines: list[Line] = []
    sentences: list[Sentence] = []
    section = ""
    pos = 0
    paragraph = -1
    # sentence ends inside lines, found in one pass over the text
    ends = [m.end() for m in _SENT_END_IN_LINE.finditer(norm)]
    k = 0
    for number, raw in enumerate(norm.split("\n"), start=1):
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
        lines.append(Line(start, end, number, heading, section))
        while k < len(ends) and ends[k] <= start:
            k += 1
        if not body:
            continue
        paragraph += 1
        s = start
        while k < len(ends) and ends[k] <= end:
            if ends[k] > s:
                sentences.append(Sentence(s, ends[k], number, paragraph, section))
            s = ends[k]
            k += 1
        if s < end and norm[s:end].strip():
            sentences.append(Sentence(s, end, number, paragraph, section))
    return lines, sentences
