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


_SENT_END = regex.compile(r"[。！？!?]+|\n")
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
    number = 0
    paragraph = -1
    for raw in norm.split("\n"):
        number += 1
        start, end = pos, pos + len(raw)
        pos = end + 1
        body = raw.strip()
        heading = bool(body) and len(body) <= 80 and bool(_HEADING.match(raw)) and "。" not in body[:-1]
        if heading:
            section = clean_heading(raw)
        lines.append(Line(start, end, number, heading, section))
        if not body:
            continue
        paragraph += 1
        s = start
        for m in _SENT_END.finditer(norm, start, end):
            if m.end() > s:
                sentences.append(Sentence(s, m.end(), number, paragraph, section))
            s = m.end()
        if s < end and norm[s:end].strip():
            sentences.append(Sentence(s, end, number, paragraph, section))
    return lines, sentences
