"""A report's findings as a Word document a reviewer can send back to the reporting unit.

``to_docx(report, dismissed, filename, text)`` takes the ``/v1/check`` response body (a dict),
the fingerprints the reviewer dismissed, the checked file's name and, when the body has no
``document``, the text that was checked; it returns the bytes of a .docx (python-docx):

- the title 审核意见, the report's name (its title line, read the way the engine reads the
  report's year: the opening's lines before the first sentence, page furniture left out) and
  the reporting unit (``coverage.names.reporting_unit``, the engine's; else read from the text
  with the engine's finder), the file, the date;
- a summary: problems by severity, how many the reviewer dismissed, how much was checked and
  how much could not be;
- each error and warning grouped by section: its title and code, its location (第 N 页, 第 N 段,
  表格的行与格, a standard table's 表/行/列, else 第 N 行), the sentence quoted with the flagged
  figure in bold on yellow and the figures it was checked against underlined, the arithmetic
  (``message``) and the suggestion;
- info findings (hints that need no correction) in a short list at the end, one line each.

Dismissed findings are left out. Nothing here imports Flask: the CLI and the HTTP endpoint
both call ``to_docx``.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from importlib.metadata import version
from itertools import groupby
from pathlib import PurePath
from typing import Any

import regex

from . import wording

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "宋体"
QUOTE_WIDTH = 160  # a sentence up to this many characters is quoted whole …
QUOTE_CONTEXT = 60  # … a longer one is cut to this many characters either side of the finding
TITLE_LINES = 3  # a title wraps over at most this many lines
TITLE_MAX = 100
TITLE_MIN = 8  # a shorter line is a table's header (预算数), not a report's title
# what XML 1.0 cannot hold (python-docx refuses it): control characters, lone surrogates
_NOT_XML = regex.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = regex.compile(r"\s+")
_UNSAFE_NAME = regex.compile(r'[\x00-\x1f\x7f"*:<>?|\\/\ud800-\udfff]')
_CELL_SEP = regex.compile(r"\t|\|")
# where a title ends: a line that ends so does not wrap onto the next (…说明, …说明(2))
TITLE_END = regex.compile(r"(?:决算|预算|说明|报告|表|情况|草案|结果|评价|公开|自评)\s*(?:[（(][^）)]{0,20}[)）])?\s*$")
TITLE_GOES_ON = regex.compile(r"\s*[及和与暨、“]")  # …2018年部门预算 / 及“三公”经费预算编制说明
# the styles of python-docx's template by their ids (tests/test_export_docx.py reads them back by name)
STYLE_IDS = {"Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "List Bullet": "ListBullet"}
SEVERITY_ORDER = ("error", "warning", "info")


def to_docx(
    report: Mapping[str, Any],
    dismissed: Iterable[str] = (),
    filename: str | None = None,
    text: str | None = None,
    *,
    today: date | None = None,
) -> bytes:
    """The .docx for ``report`` (a ``/v1/check`` body), without the ``dismissed`` fingerprints."""
    import docx  # imported here: a run that exports nothing never pays for python-docx

    document = _dict(report.get("document"))
    if isinstance(document.get("text"), str):
        text = document["text"]  # the offsets index the file's text
    filename = filename or _str(document.get("filename")) or None
    coverage = _dict(report.get("coverage"))
    dismissed = set(dismissed)
    every = [f for f in report.get("findings") or [] if isinstance(f, Mapping)]
    findings = [f for f in every if f.get("fingerprint") not in dismissed]
    left_out = len(every) - len(findings) + _int(coverage.get("ignored"))
    reading = Reading(text) if text else None
    pages = _pages(document)
    names = _dict(coverage.get("names"))
    unit = _str(_dict(names.get("reporting_unit")).get("name")) or (reading.unit() if reading else "")
    title = (reading.title() if reading else "") or _composed_name(unit, coverage, names) or _stem(filename)

    out = docx.Document()
    _fonts(out)
    _heading(out, f"关于《{title}》的审核意见" if title else "审核意见", 0)
    facts = [("报告", title), ("报送单位", unit), ("文件", PurePath(filename).name if filename else "")]
    facts.append(("审核日期", (today or date.today()).isoformat()))
    tool = _str(_dict(report.get("provenance")).get("version")) or version("tally")
    facts.append(("生成", f"Tally {tool}"))
    for label, value in facts:
        if value:
            _labelled(out, label, str(value))

    shown = [f for f in findings if f.get("severity") in ("error", "warning")]
    hints = [f for f in findings if f.get("severity") == "info"]
    _summary(out, findings, left_out, coverage)

    _heading(out, "二、问题清单", 1)
    if not shown:
        out.add_paragraph("未发现需要更正的问题。")
    number = 0
    for section, group in groupby(shown, key=lambda f: f.get("section") or ""):
        _heading(out, str(section) or "（首个标题之前）", 2)
        for f in group:
            number += 1
            _problem(out, number, f, text, reading, pages)
    if hints:
        _heading(out, "三、提示（无需更正，供参考）", 1)
        for i, f in enumerate(hints, start=1):
            where = wording.location(_location(f, pages), f.get("line"))
            line = f"{i}. {wording.finding_title(f)}（{f.get('code', '')}）"
            if where:
                line += f"，{where}"
            out.add_paragraph(_clean(f"{line}：{f.get('message', '')}"))
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def download_name(filename: str | None) -> str:
    """The file name to save the export as: the checked file's stem, then 审核意见 (what a file
    name or a Content-Disposition header cannot hold left out)."""
    stem = _safe_stem(filename)
    return f"{stem}-审核意见.docx" if stem else "审核意见.docx"


def ascii_download_name(filename: str | None) -> str:
    """The same in ASCII, for a client that reads no ``filename*`` (RFC 6266): report-review.docx."""
    stem = _safe_stem(filename).encode("ascii", "ignore").decode().strip(" .-_")
    return f"{stem}-review.docx" if stem else "review.docx"


def _safe_stem(filename: str | None) -> str:
    return _UNSAFE_NAME.sub("", _stem(PurePath((filename or "").replace("\\", "/")).name))[:100].strip(" .")


def _summary(out, findings: Sequence[Mapping[str, Any]], left_out: int, coverage: Mapping[str, Any]) -> None:
    _heading(out, "一、总体情况", 1)
    counts = {s: sum(f.get("severity") == s for f in findings) for s in SEVERITY_ORDER}
    problems = counts["error"] + counts["warning"]
    line = f"共列出问题 {problems} 个：错误 {counts['error']} 个，警告 {counts['warning']} 个"
    line += f"；另有提示 {counts['info']} 个，列于文末。" if counts["info"] else "。"
    out.add_paragraph(line)
    table = out.add_table(rows=2, cols=len(SEVERITY_ORDER) + 1)
    table.style = "Table Grid"
    for column, (label, value) in enumerate(
        [("级别", "数量"), *((wording.severity(s), str(counts[s])) for s in SEVERITY_ORDER)]
    ):
        table.cell(0, column).text = label
        table.cell(1, column).text = value
    if left_out:
        out.add_paragraph(f"审核人已排除 {left_out} 个（误报、已知或已改），未列入本意见。")
    checked = _int(coverage.get("checked_total"))
    unchecked = coverage.get("unchecked") or {}
    if isinstance(unchecked, Mapping) and unchecked:
        total = sum(_int(n) for n in unchecked.values())
        out.add_paragraph(f"已核对计算与表述 {checked} 处；另有 {total} 处因条件不足未能核对：")
        for key, n in sorted(unchecked.items(), key=lambda kv: (-_int(kv[1]), kv[0])):
            _styled(out.add_paragraph(_clean(f"{wording.unchecked(str(key))}，{_int(n)} 处")), "List Bullet")
    elif "checked_total" in coverage:
        out.add_paragraph(f"已核对计算与表述 {checked} 处。")
    if coverage.get("incomplete"):
        skipped = "、".join(str(s) for s in coverage.get("skipped") or [])
        out.add_paragraph(_clean(f"注意：检查时间用尽，以下规则族未检查：{skipped or '（未列出）'}。"))


def _problem(
    out, number: int, f: Mapping[str, Any], text: str | None, reading: Reading | None, pages: Sequence
) -> None:
    head = out.add_paragraph()
    head.add_run(_clean(f"{number}. 【{wording.severity(str(f.get('severity')))}】{wording.finding_title(f)}"))
    head.add_run(_clean(f"（{f.get('code', '')}）"))
    for run in head.runs:
        run.bold = True
    where = wording.location(_location(f, pages), f.get("line"))
    if where:
        _labelled(out, "位置", where)
    quote = out.add_paragraph()
    quote.add_run("原文：").bold = True
    for piece, style in _quoted(f, text, reading):
        run = quote.add_run(_clean(piece))
        if style == "flagged":
            run.bold = True
            run.font.highlight_color = 7  # WD_COLOR_INDEX.YELLOW
        elif style == "evidence":
            run.underline = True
    _labelled(out, "说明", str(f.get("message") or ""))
    if f.get("suggestion"):
        _labelled(out, "建议", str(f["suggestion"]))


def _quoted(f: Mapping[str, Any], text: str | None, reading: Reading | None) -> list[tuple[str, str]]:
    """The finding's sentence in pieces, each ``plain``, ``flagged`` or ``evidence``."""
    start, end = _int(f.get("start")), _int(f.get("end"))
    if not text or not reading or not 0 <= start <= end <= len(text):
        return [(_oneline(str(f.get("text") or "")), "flagged")]
    lo, hi = reading.sentence(start, end)
    cut_lo, cut_hi = lo, hi
    if hi - lo > QUOTE_WIDTH:
        cut_lo, cut_hi = max(lo, start - QUOTE_CONTEXT), min(hi, end + QUOTE_CONTEXT)
    marks = ["plain"] * (cut_hi - cut_lo)
    for e in f.get("evidence") or []:
        if not isinstance(e, Mapping):
            continue
        a, b = max(cut_lo, _int(e.get("start"))), min(cut_hi, _int(e.get("end")))
        for i in range(a, b):
            marks[i - cut_lo] = "evidence"
    for i in range(start, end):
        marks[i - cut_lo] = "flagged"
    pieces: list[tuple[str, str]] = [("…", "plain")] if cut_lo > lo else []
    i = 0
    for style, run in groupby(marks):
        n = len(list(run))
        pieces.append((_oneline(text[cut_lo + i : cut_lo + i + n]), style))
        i += n
    if cut_hi < hi:
        pieces.append(("…", "plain"))
    return pieces


class Reading:
    """A text's sentences and title, read with the engine's own segmenter (service/read/text.py)."""

    def __init__(self, text: str) -> None:
        from ..read.text import read, segment
        from ..tag.document import Document

        self.text = text
        view = read(text)
        lines, sentences = segment(view.norm)
        self.doc = Document(
            view.text, view.norm, lines, sentences, [], [], source=text, offsets=view.offsets, script=view.script
        )
        spans = [(s.start, s.end) for s in sentences]
        if view.offsets is not None:
            spans = [view.offsets.span(a, b) for a, b in spans]
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The sentence ``[start, end)`` sits in (as offsets into the text), else its line."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0:
            a, b = self.spans[i]
            if a <= start and end <= b:
                return a, b
        lo = self.text.rfind("\n", 0, start) + 1
        hi = self.text.find("\n", end)
        return lo, len(self.text) if hi < 0 else hi

    def title(self) -> str:
        """The report's title: the opening's lines before its first sentence and first heading
        (page furniture and a table of contents left out, as for the report's year), from the
        one that names a report (决算, 预算, 绩效 …) and, best, its year; a line that wraps it goes
        on until the title ends (…决算情况说明), a repeated line does not. In a table's row
        (a title set in a cell) the cell that names the report."""
        from ..tag.document import PROSE, TITLE, TITLE_YEAR

        doc = self.doc
        block: list[tuple[str, str]] = []  # (text, norm) of each line
        for ln in doc.opening:
            norm = doc.norm[ln.start : ln.end]
            if PROSE.search(norm):
                break
            if ln.is_heading:
                if block:
                    break
                continue
            cells = _cells(doc.text[ln.start : ln.end], norm)
            if len(cells) > 1:  # a row: its cell that names a report ends the block
                block.extend(c for c in cells if TITLE.search(c[1]) and len(c[1]) >= TITLE_MIN)
                break
            block.extend(cells)
            if len(block) >= TITLE_LINES:
                break
        # a line that names a report and its year, else a long enough one that names a report
        # (not a table's 预算数 header, not a site's slogan 深化司法公开)
        named = [i for i, (_, norm) in enumerate(block) if TITLE.search(norm) and len(norm) >= TITLE_MIN]
        first = next((i for i in named if TITLE_YEAR.search(block[i][1])), named[0] if named else None)
        if first is None:
            return ""
        if first and block[first - 1][1].startswith("关于"):  # 关于某区2021年财政 / 预算执行情况的报告
            first -= 1
        title, seen = [block[first]], {_SPACE.sub("", block[first][1])}
        for text, norm in block[first + 1 :]:
            key = _SPACE.sub("", norm)
            ended = TITLE_END.search("".join(n for _, n in title)) and not TITLE_GOES_ON.match(norm)
            if key in seen or ended:
                break
            seen.add(key)
            title.append((text, norm))
        return _SPACE.sub(" ", "".join(text for text, _ in title))[:TITLE_MAX]

    def unit(self) -> str:
        """The reporting unit, as the engine's name rules find it (service/tag/entities.py)."""
        from ..tag.entities import finder

        try:
            found = finder().reporting_unit(self.doc)
        except Exception:  # a text the finder cannot read gives no unit, not a failed export
            return ""
        return found.organisation.text if found is not None else ""


def _cells(text: str, norm: str) -> list[tuple[str, str]]:
    """A line's cells (tab or | separated) as (text, norm) pairs, blank ones left out."""
    out, at = [], 0
    for m in [*_CELL_SEP.finditer(norm), None]:
        end = m.start() if m is not None else len(norm)
        if norm[at:end].strip():
            out.append((text[at:end].strip(), norm[at:end].strip()))
        at = m.end() if m is not None else end
    return out


def _composed_name(unit: str, coverage: Mapping[str, Any], names: Mapping[str, Any]) -> str:
    """某单位2018年度决算, when the text has no title line but the engine read the unit and the year."""
    year, kind = coverage.get("report_year"), _str(names.get("report_kind"))
    if not unit or not isinstance(year, int):
        return ""
    return f"{unit}{year}年度{kind or '报告'}"


def _heading(out, text: str, level: int):
    """A heading (the Title at level 0), its style set by id: python-docx's look-up by name
    reads every style of the document each time."""
    return _styled(out.add_paragraph(_clean(text)), "Title" if level == 0 else f"Heading {level}")


def _styled(paragraph, name: str):
    paragraph._p.style = STYLE_IDS[name]
    return paragraph


def _fonts(out) -> None:
    """A Chinese font for every style the export uses (Word takes East Asian text from eastAsia)."""
    from docx.oxml.ns import qn

    for name in ("Normal", *STYLE_IDS):
        style = out.styles[name]
        style.font.name = FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), FONT)


def _labelled(out, label: str, value: str):
    paragraph = out.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    paragraph.add_run(_clean(value))
    return paragraph


def _location(f: Mapping[str, Any], pages: Sequence[tuple[int, int, int]] = ()) -> Mapping[str, Any]:
    """A finding's location, with the PDF page its start is on when the location does not say
    (a standard table's cell names its table, row and column only)."""
    where = f.get("location")
    where = where if isinstance(where, Mapping) else {}
    if pages and "page" not in where:
        start = _int(f.get("start"))
        number = next((n for a, b, n in pages if a <= start <= b), None)
        if number is not None:
            where = {"page": number, **where}
    return where


def _pages(document: Mapping[str, Any]) -> list[tuple[int, int, int]]:
    """``document.pages`` of a PDF as (start, end, number)."""
    pages = document.get("pages")
    if not isinstance(pages, list):
        return []
    return [
        (_int(p.get("start")), _int(p.get("end")), _int(p.get("number")))
        for p in pages
        if isinstance(p, Mapping) and all(_is_int(p.get(k)) for k in ("start", "end", "number"))
    ]


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _stem(filename: str | None) -> str:
    return PurePath(filename).stem if filename else ""


def _int(value: Any) -> int:
    return value if _is_int(value) else 0


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _oneline(s: str) -> str:
    return _SPACE.sub(" ", s)


def _clean(s: str) -> str:
    return _NOT_XML.sub("\ufffd", s)
