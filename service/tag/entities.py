"""Who the report is about, and every other organisation, self-reference and fund it names.

Names are found from their ends: a government type word (局, 人民政府, 委员会 …) or a
company suffix (有限公司 …) is located first, then the name is read backwards over a
short window through its field (财政, 经济商务和信息化 …) and its place (松潘县, 上海市普陀区).
A name with neither a place nor a known field before its type word is not a unit, so
布局, 格局 and 承办局 are never read as one. Lexicons: patterns/organisations.toml.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from functools import cache

import ahocorasick
import regex

from ..budget import paced
from ..model import Span
from ..patterns import load_toml, words_regex
from .document import Document

WINDOW = 24  # how far back from its type word a name may start
# single characters that do not occur in place names but often stand just before a name
# (对规划局…, 按照县财政局…, 与四川…): a place is read back no further than one of them
STOP = "的了与和及、向对由为将在给按照据把被是等各全本我其该以从于至到施担实落届称设立年配过拨付"
TYPE_CHARS = "局厅委办府心"
SELF_NOT_FOLLOWED_BY = set("村土亲里情况")
# what stands before a name that opens a list item, a cell or a line
LIST_OPENERS = {"、", "：", ":", "\n", "\t", " ", ""}
# where a report names itself (预算单位：…, a title, a signature) a name may contain 和 or 与
# (教育和体育局); only these end it
NAME_BREAK = "的了是在对为"


_SPACE = regex.compile(r"\s+")
TITLE_YEAR = regex.compile(r"\s*(?:19|20)\d{2}\s*年")  # the year after a title's place


def squeeze(name: str) -> str:
    """A name without the white space a PDF line break or a web page put inside it."""
    if name.isalnum():  # letters and digits only (a Han character is one): no white space in it
        return name
    return _SPACE.sub("", name) if _SPACE.search(name) else name


@dataclass(frozen=True)
class Organisation:
    start: int
    end: int
    text: str
    kind: str  # government | company
    type: str  # the type word or company suffix: 局, 人民政府, 有限公司 …
    level: int | None  # 0 province … 3 township; None when the name has no place
    core: str  # the name without its place: 经济商务和信息化局, 好亦同信息科技有限公司

    @property
    def unit_type(self) -> str:
        """The kind of unit a self-reference word would name: 局, 委, 乡, 镇, 街道 …"""
        if self.type in ("人民政府", "政府"):
            return {3: "乡镇"}.get(self.level or -1, "政府") if self.level != 3 else self.township
        return {"厅": "局", "委员会": "委", "办公室": "办", "街道办事处": "街道"}.get(self.type, self.type)

    @property
    def township(self) -> str:
        place = self.text[: len(self.text) - len(self.core)]
        return "镇" if place.endswith("镇") else "街道" if place.endswith("街道") else "乡"


@dataclass(frozen=True)
class SelfReference:
    start: int
    end: int
    text: str
    type: str  # the unit type the word implies: 乡 for 本乡


@dataclass(frozen=True)
class ReportingUnit:
    organisation: Organisation
    how: str  # 预算单位 | 简称 | title | signature
    names: frozenset[str]  # every name that means this unit: full, short, without place

    def is_self(self, org: Organisation) -> bool:
        return org.text in self.names or org.core in self.names or squeeze(org.text) in self.names

    @property
    def place(self) -> str:
        """The unit's place as written before its field: 上海市普陀区 (white space dropped)."""
        org = self.organisation
        return squeeze(org.text[: len(org.text) - len(org.core)])

    @property
    def core(self) -> str:
        return squeeze(self.organisation.core)

    @property
    def type(self) -> str:
        return self.organisation.unit_type

    @property
    def level(self) -> int | None:
        return self.organisation.level


@dataclass(frozen=True)
class Entities:
    organisations: tuple[Organisation, ...]
    self_references: tuple[SelfReference, ...]
    placeholders: tuple[Span, ...]
    unit: ReportingUnit | None
    kind: str  # 决算 | 预算 | 绩效 | ""
    title_fund: Span | None  # the fund the title names
    subject_funds: tuple[Span, ...]  # 对…资金使用情况…绩效: the fund the body says it reports on
    title_place: Span | None = None  # the place a title opens with (施甸县2016年…决算): whose report it is
    title_level: int | None = None  # that place's level: 0 province … 3 township

    @property
    def level(self) -> int | None:
        """The administrative level the report speaks for: its unit's, else its title's place's."""
        if self.unit is not None and self.unit.level is not None:
            return self.unit.level
        return self.title_level


class EntityFinder:
    def __init__(self) -> None:
        spec = load_toml("organisations.toml")
        places, gov, comp = spec["places"], spec["government"], spec["companies"]
        self.levels = {word: i for i, words in enumerate(places["levels"]) for word in words}
        self._level_cache: dict[str, int | None] = {}
        han = f"[\\p{{Han}}--[{STOP}{TYPE_CHARS}]]"
        # inside a place, the characters before a level word are not level words themselves
        # (上海市普陀区 is 上海市 + 普陀区, not 上 + 海市普陀区)
        place_han = f"[\\p{{Han}}--[{STOP}{TYPE_CHARS}省市州县区乡镇旗]]"
        # names are read backwards from their type word, so these match the reversed text:
        # a place is one or more (province [level]) or (up to four characters + level word)
        rev_levels = words_regex([w[::-1] for w in self.levels])
        rev_provinces = words_regex([p[::-1] for p in places["provinces"]])
        self.place_rev = regex.compile(
            f"(?:(?:{rev_levels})?(?:{rev_provinces})|(?:{rev_levels}){place_han}{{0,4}})+", regex.V1
        )
        self.street_rev = regex.compile(f"{place_han}{{2,4}}", regex.V1)
        # a field may join two fields (规划和自然资源, 规划与自然资源): read back through 和/与/及
        rev_domains = words_regex([d[::-1] for d in gov["domains"]])
        self.domain_rev = regex.compile(
            f"(?:{rev_domains})(?:[{gov['joining']}](?:{rev_domains}))*"
            f"|(?:{words_regex([e[::-1] for e in gov['field_endings']])}){place_han}{{0,6}}?(?=(?:{rev_levels}))",
            regex.V1,
        )
        # the last character of a field or a place: anything else before a type word ends the search
        self.name_tail = (
            {d[-1] for d in gov["domains"]}
            | {e[-1] for e in gov["field_endings"]}
            | {w[-1] for w in self.levels}
            | {p[-1] for p in places["provinces"]}
        )
        # where a company's name starts: a province, or a two-character city or county name
        # (移交河阳县自来水有限公司 starts at 河阳县, not at 交河阳县)
        # (…拨付给县农业投资发展有限公司: a bare level word after a joining word starts it too)
        self.province_start = regex.compile(
            f"(?:{words_regex(places['provinces'])}|{han}{{2}}(?:市|县|州|区)|(?<=[{STOP}])(?:县|市|区|州|省))",
            regex.V1,
        )
        self.self_types = list(spec["self_reference"])
        # the anchors are literal words, found in one leftmost-longest Aho-Corasick pass (four
        # times faster than a regex alternation here); 本局 wins over the type word 局 inside it
        self.anchors = ahocorasick.Automaton()
        for word in gov["types"]:
            self.anchors.add_word(word, (len(word), "type", word))
        for word in comp["suffixes"]:
            self.anchors.add_word(word, (len(word), "suffix", word))
        for unit_type, words in spec["self_reference"].items():
            for word in words:
                self.anchors.add_word(word, (len(word), "self", unit_type))
        self.anchors.make_automaton()
        self.placeholder = regex.compile(spec["placeholder"]["pattern"])
        self.company_run = regex.compile(r"\p{Han}+")  # matched on the reversed text
        self.short_form = regex.compile(r"[（(]\s*简称\s*(?P<short>\p{Han}{2,12})\s*[)）]")
        self.unit_label = regex.compile(r"(?:预算单位|单位名称|部门名称|填报单位|编制单位)[:：]?")
        # where a report names itself, a unit is any run of characters ending in a type word
        self.unit_name = regex.compile(
            f"[\\p{{Han}}--[{NAME_BREAK}]]{{1,22}}?(?P<type>{words_regex(gov['types'] + gov['self_types'])})"
            "(?![\\p{Han}])",
            regex.V1,
        )
        # the rest of a name a line break cut off (… / 社会工作部 2024 年度): it may be its type word alone
        self.name_rest = regex.compile(
            f"[\\p{{Han}}--[{NAME_BREAK}]]{{0,10}}?(?P<type>{words_regex(gov['types'] + gov['self_types'])})"
            "(?![\\p{Han}])",
            regex.V1,
        )
        self.type_ends = {w[-1] for w in [*gov["types"], *gov["self_types"]]}
        # a title's name is not followed by what goes on in a sentence (根据国务院、省政府关于…)
        self.title_follow = regex.compile(r"(?!\s*[、，,。；;：:的和与及])")
        self.title_lead = regex.compile(r"[\s（(]*(?:(?:19|20)\d{2}\s*年度?\s*)?")
        self.report_word = regex.compile(r"决算|预算|绩效|报告|说明|自评|決算|預算|績效|報告|說明")
        furniture = spec["furniture"]
        self.furniture = regex.compile(
            f"^[\\s|•·\\[【]*(?:{furniture['opening']})|{furniture['anywhere']}|^[\\s|•·\\-—:：.\\d/\\[\\]]*$",
            regex.M,
        )
        self.furniture_key = regex.compile(f"[\\s|•·\\[【]*(?:{furniture['opening']})[\\s:：\\]】|]*$")
        self.verb_lead = regex.compile(r"(?:设立|成立|组建|更名为|为|是|由)")
        levels_alt = words_regex(list(self.levels))
        self.place_prefix = regex.compile(
            f"(?:(?:{words_regex(places['provinces'])})(?:{levels_alt})?|\\p{{Han}}{{1,4}}?(?:{levels_alt}))+"
        )
        fund_endings = words_regex(spec["funds"]["endings"])
        self.subject_fund = regex.compile(
            rf"对(?:\d{{4}}年度?)?(?P<fund>\p{{Han}}{{4,24}}?(?:{fund_endings}))(?:的)?"
            r"(?:使用情况|(?:开展了?|进行了?|组织了?)?(?:绩效|自评|评价))"
        )
        self.fund_lead = regex.compile(r"(?:\d{4}\s*)?(?:年度?)?(?:\p{Han}{1,4}?(?:省|市|州|县|区))?")
        self.title_fund = regex.compile(rf"\p{{Han}}{{4,30}}?(?:{fund_endings})")

    # -- names ---------------------------------------------------------------------------
    def _merge(self, found: list[Organisation]) -> list[Organisation]:
        """In text order; a unit's type word inside a longer company name (…局有限公司) is not a unit."""
        found.sort(key=lambda o: (o.start, -o.end))
        out: list[Organisation] = []
        for org in found:
            if out and org.start < out[-1].end:
                if org.end > out[-1].end and org.kind == "company":
                    out[-1] = org
                continue
            out.append(org)
        return out

    def _government(self, norm: str, text: str, at: int, end: int, type_word: str) -> Organisation | None:
        if type_word == "街道办事处":  # 城南街道办事处: a street's name, then its office
            street = self.street_rev.match(norm[max(0, at - 4) : at][::-1])
            if street is None:
                return None
            start = at - len(street.group())
            return Organisation(start, end, text[start:end], "government", type_word, 3, norm[start:end])
        if at == 0 or norm[at - 1] not in self.name_tail:
            return None
        if type_word == "委" and norm[end : end + 1] in ("托", "员", "屈"):
            return None
        rev = norm[max(0, at - WINDOW) : at][::-1]
        domain = self.domain_rev.match(rev)
        domain_len = domain.end() if domain else 0
        place = self.place_rev.match(rev, domain_len)
        place_text = place.group()[::-1] if place else ""
        if not domain and not place_text:
            return None
        if not domain and type_word in ("局", "厅", "中心", "办公室", "站", "所"):
            return None  # 市局, 县中心: too short to name a unit
        start = at - domain_len - len(place_text)
        core = norm[start + len(place_text) : end]
        return Organisation(start, end, text[start:end], "government", type_word, self._level(place_text), core)

    def _level(self, place: str) -> int | None:
        """The level of the last level word in a place (松潘县 → county); places repeat, so cached."""
        if place not in self._level_cache:
            self._level_cache[place] = self._read_level(place)
        return self._level_cache[place]

    def _read_level(self, place: str) -> int | None:
        best = None
        for word, level in self.levels.items():
            if place.endswith(word):
                best = level if best is None or len(word) > 1 else best
        if best is not None:
            return best
        hits = [(place.rfind(word), level) for word, level in self.levels.items() if word in place]
        return max(hits)[1] if hits else None

    def _company(self, norm: str, text: str, at: int, end: int, suffix: str) -> Organisation | None:
        run = self.company_run.match(norm[max(0, at - WINDOW) : at][::-1])
        if run is None:
            return None
        name = run.group()[::-1]
        # the last previous company name ends the run: …有限公司和四川好亦同…
        if "公司" in name:
            name = name[name.rfind("公司") + 2 :]
        # …移交河阳县自来水…, 确定了成都市…, 与四川好亦同…: the name starts at its place; in
        # a list (1、益阳大森林…, a cell, a line of its own) the whole run is the name
        if norm[max(0, at - len(name) - 1) : at - len(name)] not in LIST_OPENERS:
            first = self.province_start.search(name)
            if first is not None and first.start() > 0:
                name = name[first.start() :]
        if len(name) < 2:
            return None
        start = at - len(name)
        return Organisation(start, end, text[start:end], "company", suffix, None, text[start:end])

    # -- the reporting unit ----------------------------------------------------------------
    def reporting_unit(self, doc: Document) -> ReportingUnit | None:
        """The unit the report is about, read where a report names itself: after 预算单位：,
        before （简称…）, at the start of the title, or alone on a (signature) line. At these
        places any field may stand before the type word (临溪县融媒体中心)."""
        norm, text = doc.norm, doc.text
        chosen: tuple[Organisation, str] | None = None
        for m in self.unit_label.finditer(norm):
            unit = self._named_at(norm, text, m.end())
            if unit is not None:
                chosen = (unit, "预算单位")
                break
        short = None
        for m in self.short_form.finditer(norm):
            before = norm[max(0, m.start() - WINDOW) : m.start()]
            cut = max(before.rfind(c) for c in "，,。；;：:、\n\t （(") + 1
            lead = self.verb_lead.match(before, cut)  # 设立松潘县…局（简称…）
            unit = self._named_at(norm, text, m.start() - len(before) + (lead.end() if lead else cut), m.start())
            if unit is not None:
                short = m.group("short")
                chosen = chosen or (unit, "简称")
                break
        lines = doc.filled_lines
        if chosen is None:
            titles = self.title_lines(doc)
            for i, ln in enumerate(titles[:3]):
                lead = self.title_lead.match(norm, ln.start, ln.end)  # 2023年广东省财政厅…
                unit = self._named_at(norm, text, lead.end(), ln.end)
                if unit is None or not self.title_follow.match(norm, unit.end, ln.end):
                    continue
                if i + 1 < len(titles) and not norm[unit.end : ln.end].strip():
                    unit = self._continued(norm, text, unit, titles[i + 1])
                chosen = (unit, "title")
                break
        if chosen is None:
            alone = [
                u
                for ln in lines
                if norm[ln.start : ln.end].rstrip()[-1:] in self.type_ends
                and (u := self._named_at(norm, text, ln.start, ln.end, whole=True)) is not None
            ]
            if alone:
                name = Counter(u.text for u in alone).most_common(1)[0][0]
                chosen = (next(u for u in alone if u.text == name), "signature")
        if chosen is None:
            return None
        unit, how = chosen
        names = {unit.text, squeeze(unit.text)}
        if unit.core != unit.type:  # 经济商务和信息化局 names the unit; a bare 人民政府 does not
            names.add(unit.core)
        if short:
            names |= {short, short.lstrip("省市州县区乡镇")}
        return ReportingUnit(unit, how, frozenset(n for n in names if len(n) >= 2))

    def title_lines(self, doc: Document) -> list:
        """The non-empty lines from the first one that is not page furniture (breadcrumbs,
        发布时间：, 浏览次数：, 字号：大 中 小, 来源：, a row of 索引号 cells) on (read once per
        document: the reporting unit and the title's place both ask; callers only read it)."""
        store = doc.__dict__.setdefault("_entity_cache", {})
        key = ("title_lines", id(self))
        if key not in store:
            store[key] = self._title_lines(doc)
        return store[key]

    def _title_lines(self, doc: Document) -> list:
        norm = doc.norm
        lines = doc.filled_lines
        kept, value = [], False
        for ln in lines[:15]:
            if self.furniture.search(norm, ln.start, ln.end):
                # a key on a line of its own (• 发布机构): the next line is its value
                value = bool(self.furniture_key.match(norm, ln.start, ln.end))
            elif value:
                value = False
            else:
                kept.append(ln)
        # a site's slogan or a column name may stand before the title: the title is the first
        # line that names what it discloses, with the two lines before it (a name broken off it)
        k = next((i for i, ln in enumerate(kept[:5]) if self.report_word.search(norm, ln.start, ln.end)), 0)
        return kept[max(0, k - 2) :] + lines[15:] if kept else lines

    def _continued(self, norm: str, text: str, unit: Organisation, nxt) -> Organisation:
        """A title broken inside the name (中共上海市普陀区委 / 社会工作部 2024 年度): the next
        line's opening name, when it is followed as a title goes on, completes it."""
        m = self.name_rest.match(norm, nxt.start, nxt.end)
        if m is None or not self.title_follow.match(norm, m.end(), nxt.end):
            return unit
        return Organisation(
            unit.start, m.end(), text[unit.start : m.end()], "government", m.group("type"), unit.level,
            unit.core + norm[unit.end : m.end()],
        )  # fmt: skip

    def _named_at(
        self, norm: str, text: str, start: int, end: int | None = None, whole: bool = False
    ) -> Organisation | None:
        """A unit's name starting at ``start`` (after white space), ending at a type word."""
        end = len(norm) if end is None else end
        while start < end and norm[start] in " \t\r\n　":
            start += 1
        m = self.unit_name.match(norm, start, end)
        if m is None or (whole and norm[m.end() : end].strip()):
            return None
        name, type_word = m.group(), m.group("type")
        place = self.place_prefix.match(name, 0, len(name) - len(type_word))
        place_text = place.group() if place else ""
        return Organisation(
            m.start(), m.end(), text[m.start() : m.end()], "government", type_word,
            self._level(place_text) if place_text else None, name[len(place_text) :],
        )  # fmt: skip

    # -- everything ------------------------------------------------------------------------
    def find(self, doc: Document) -> Entities:
        norm, text = doc.norm, doc.text
        found: list[Organisation] = []
        refs: list[SelfReference] = []
        for end, (length, anchor, word) in paced(self.anchors.iter_long(norm)):
            start, end = end + 1 - length, end + 1
            if anchor == "type":
                org = self._government(norm, text, start, end, word)
            elif anchor == "suffix":
                org = self._company(norm, text, start, end, word)
            else:
                if norm[end : end + 1] not in SELF_NOT_FOLLOWED_BY:  # 我乡村… is not 我乡
                    refs.append(SelfReference(start, end, text[start:end], word))
                continue
            if org is not None:
                found.append(org)
        placeholders = [Span(m.start(), m.end(), text[m.start() : m.end()]) for m in self.placeholder.finditer(norm)]
        if placeholders:  # 镇人民政府 inside XX镇人民政府 names no unit
            starts = [p.start for p in placeholders]  # in text order, never overlapping (one finditer)

            def inside(pos: int) -> bool:
                i = bisect.bisect_right(starts, pos) - 1
                return i >= 0 and pos < placeholders[i].end

            found = [o for o in found if not inside(o.start)]
        orgs = self._merge(found)
        place = self._title_place(doc)
        return Entities(
            organisations=tuple(orgs),
            self_references=tuple(refs),
            placeholders=tuple(placeholders),
            unit=self.reporting_unit(doc),
            kind=self._kind(doc),
            title_fund=self._title_fund(doc),
            subject_funds=tuple(self._fund_span(doc, m) for m in self.subject_fund.finditer(norm)),
            title_place=place,
            title_level=self._level(place.text) if place else None,
        )

    def _title_place(self, doc: Document) -> Span | None:
        """施甸县 in 施甸县2016年“三公”经费决算情况统计表: a place, then the year, opening the title."""
        for ln in self.title_lines(doc)[:3]:
            lead = self.title_lead.match(doc.norm, ln.start, ln.end)
            m = self.place_prefix.match(doc.norm, lead.end(), ln.end)
            if m and TITLE_YEAR.match(doc.norm, m.end(), ln.end):
                return Span(m.start(), m.end(), doc.text[m.start() : m.end()])
        return None

    def _kind(self, doc: Document) -> str:
        head = doc.norm[:300] + "\n".join(doc.norm[ln.start : ln.end] for ln in doc.lines if ln.is_heading)
        counts = {k: head.count(k) for k in ("决算", "预算", "绩效")}
        kind, n = max(counts.items(), key=lambda kv: kv[1])
        return kind if n else ""

    def _title_fund(self, doc: Document) -> Span | None:
        for ln in doc.filled_lines[:2]:
            # a title is a short line: a first "line" of a whole page of text is read no further
            m = self.title_fund.search(doc.norm, ln.start, min(ln.end, ln.start + TITLE_MAX))
            if m:
                return self._strip_lead(doc, m.start(), m.end())
        return None

    def _fund_span(self, doc: Document, m: regex.Match) -> Span:
        return self._strip_lead(doc, m.start("fund"), m.end("fund"))

    def _strip_lead(self, doc: Document, start: int, end: int) -> Span:
        """电子商务发展引导资金 from 2018年益阳市电子商务发展引导资金: no year, no place."""
        lead = self.fund_lead.match(doc.norm, start, end)
        if lead:
            start = lead.end()
        return Span(start, end, doc.text[start:end])


TITLE_MAX = 200  # characters of a first line read as the title


@cache
def finder() -> EntityFinder:
    return EntityFinder()
