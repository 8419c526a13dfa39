"""Findings into a report: order, fingerprints, what was checked, and offsets into the text sent."""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from dataclasses import replace

import regex

from ..checks import Context
from ..model import Claim, Evidence, Finding, Fix, Link, Options, Period, Quantity, Report, severity_rank
from ..read.text import Offsets
from ..vocab import ClaimKind, Severity

_SPACE = regex.compile(r"\s+")
# the claim kinds coverage counts found, linked and checked
COUNTED = tuple(k.value for k in (ClaimKind.BREAKDOWN, ClaimKind.SHARE, ClaimKind.CHANGE, ClaimKind.COMPLETION))


PER_RULE = 1_000  # findings of one rule a report lists at most; the rest are counted (coverage.capped)


def fingerprint(f: Finding, occurrence: int, sentence: str | None = None) -> str:
    """Stable across runs and across edits elsewhere: the rule, the sentence, the figure.

    ``sentence``: the finding's sentence with its white space taken out, when the caller has it."""
    squeezed = _SPACE.sub("", f.sentence) if sentence is None else sentence
    basis = "\x1f".join((f.code, squeezed, f.text, str(occurrence)))
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def finalize(findings: list[Finding], options: Options) -> tuple[tuple[Finding, ...], dict[str, int]]:
    """The findings wanted, in text order, without duplicates, each with its fingerprint; and how
    many of each rule were left out past ``PER_RULE`` (a text no unit wrote: 45,000 names of
    other units, each an ENT003, took seven seconds to list)."""
    floor = severity_rank(options.min_severity)
    kept = [f for f in findings if options.wants(f.code) and severity_rank(f.severity) >= floor]
    kept.sort(key=lambda f: (f.start, f.end, f.code))
    unique: list[Finding] = []
    seen: set[tuple] = set()
    per_rule: Counter = Counter()
    for f in kept:
        key = (f.code, f.start, f.end)
        if key not in seen:
            seen.add(key)
            per_rule[f.code] += 1
            if per_rule[f.code] <= PER_RULE:
                unique.append(f)
    capped = {code: n - PER_RULE for code, n in sorted(per_rule.items()) if n > PER_RULE}
    counts: Counter = Counter()
    out = []
    for f in unique:
        sentence = _SPACE.sub("", f.sentence)
        base = (f.code, sentence, f.text)
        out.append(_with_fingerprint(f, fingerprint(f, counts[base], sentence)))
        counts[base] += 1
    return tuple(out), capped


def _with_fingerprint(f: Finding, fp: str) -> Finding:
    return replace(f, fingerprint=fp)


def coverage(ctx: Context, findings: tuple[Finding, ...], skipped: tuple[str, ...] = (), ignored: int = 0) -> dict:
    """What was found and checked, so that "no findings" never reads as "nothing checked".

    ``skipped``: the rule families left unchecked because the time budget ran out; ``ignored``:
    the findings left out because the caller named their fingerprints."""
    by_kind = Counter(q.kind for q in ctx.doc.quantities)
    claim_kinds = Counter(
        breakdown=len(ctx.breakdowns),
        share=len(ctx.shares),
        change=len(ctx.changes),
        completion=len(ctx.completions),
    )
    linked = Counter(
        breakdown=len(ctx.breakdowns),
        share=sum(s.whole is not None for s in ctx.shares),
        change=sum(c.current is not None or c.claim.prior is not None for c in ctx.changes),
        completion=sum(c.target is not None or c.remaining is not None for c in ctx.completions),
    )
    severities = Counter(f.severity for f in findings)
    return {
        "characters": len(ctx.doc.source),
        "script": ctx.doc.script,
        "sentences": len(ctx.doc.sentences),
        "sentences_cut": sum(s.cut for s in ctx.doc.sentences),
        "report_year": ctx.doc.report_year,
        "quantities": {"total": len(ctx.doc.quantities), **dict(sorted(by_kind.items()))},
        "metric_mentions": len(ctx.doc.mentions),
        "statements": len(ctx.statements.all),
        "claims": {
            kind: {
                "found": claim_kinds[kind],
                "linked": linked[kind],
                "checked": ctx.checked[kind],
            }
            for kind in COUNTED
        }
        | {
            "statement": {"checked": ctx.checked["statement"]},
            "identity": {"checked": ctx.checked["identity"]},
            "share-sum": {"checked": ctx.checked["share-sum"]},
            "score-table": {"checked": ctx.checked["score-table"]},
        },
        "checked_total": sum(ctx.checked.values()),
        "names": names(ctx),
        "unchecked": dict(sorted(ctx.unchecked.items())),
        "findings": {s.value: severities[s] for s in reversed(Severity)},
        "incomplete": bool(skipped) or ctx.stopped_in is not None,
        "skipped": list(skipped),
        "stopped_in": ctx.stopped_in,
        "ignored": ignored,
    }


def names(ctx: Context) -> dict:
    """What the name and period rules compared against (ENT, PER)."""
    ents = ctx.entities
    unit = ents.unit if ents is not None else None
    orgs = ents.organisations if ents is not None else ()
    return {
        "reporting_unit": None
        if unit is None
        else {
            "name": unit.organisation.text,
            "start": unit.organisation.start,
            "end": unit.organisation.end,
            "found_by": unit.how,
            "also_written": sorted(unit.names - {unit.organisation.text}),
        },
        "report_kind": ents.kind if ents is not None else "",
        "government_units": sum(o.kind == "government" for o in orgs),
        "companies": sum(o.kind == "company" for o in orgs),
        "self_references": len(ents.self_references) if ents is not None else 0,
    }


def build(
    ctx: Context,
    findings: list[Finding],
    options: Options,
    claims: list[Claim],
    skipped: tuple[str, ...] = (),
    periods: tuple[Period, ...] = (),
) -> Report:
    final, capped = finalize(findings, options)
    ignored = 0
    if options.ignore_fingerprints:
        # after the fingerprints are given, so that leaving one out changes no other's
        kept = tuple(f for f in final if f.fingerprint not in options.ignore_fingerprints)
        final, ignored = kept, len(final) - len(kept)
    return Report(
        findings=final,
        coverage=coverage(ctx, final, skipped, ignored) | {"capped": capped},
        quantities=tuple(ctx.doc.quantities),
        periods=tuple(periods),
        claims=tuple(claims),
        include=options.include,
    )


def to_source(report: Report, source: str, offsets: Offsets) -> Report:
    """The report with every offset mapped from the reading view back to ``source``, the text sent.

    Each ``text`` becomes ``source[start:end]`` (so it holds the pinyin or the line break that
    reading left out), each finding's ``line`` the line of ``source`` its start is on. Names
    (``coverage.names``) keep their clean spelling; their offsets are mapped. Fingerprints stay
    as computed on the view."""
    newlines = [i for i, c in enumerate(source) if c == "\n"] if "\n" in source else []
    memo: dict[int, Quantity] = {}

    def quantity(q: Quantity) -> Quantity:
        out = memo.get(id(q))
        if out is None:
            start, end = offsets.span(q.start, q.end)
            num_start, num_end = offsets.span(q.num_start, q.num_end)
            out = memo[id(q)] = replace(
                q, start=start, end=end, text=source[start:end], num_start=num_start, num_end=num_end
            )
        return out

    def evidence(e: Evidence) -> Evidence:
        start, end = offsets.span(e.start, e.end)
        return replace(e, start=start, end=end, text=source[start:end])

    def finding(f: Finding) -> Finding:
        start, end = offsets.span(f.start, f.end)
        return replace(
            f,
            start=start,
            end=end,
            text=source[start:end],
            evidence=tuple(evidence(e) for e in f.evidence),
            line=bisect.bisect_left(newlines, start) + 1,
            fix=fix(f.fix),
        )

    def fix(x: Fix | None) -> Fix | None:
        if x is None:
            return None
        start, end = offsets.span(x.start, x.end)
        return replace(x, start=start, end=end)

    def claim(c: Claim) -> Claim:
        start, end = offsets.span(c.start, c.end)
        link = None if c.link is None else Link(quantity(c.link.target), c.link.reason)
        quantities = tuple(quantity(q) for q in c.quantities)
        return replace(c, start=start, end=end, text=source[start:end], quantities=quantities, link=link)

    def table(t):
        start, end = offsets.span(t.start, t.end)
        cells = []
        for c in t.cells:
            a, b = offsets.span(c.start, c.end)
            cells.append(replace(c, start=a, end=b, text=source[a:b]))
        return replace(t, start=start, end=end, title=t.title, cells=tuple(cells))

    def period(p: Period) -> Period:
        start, end = offsets.span(p.start, p.end)
        return replace(p, start=start, end=end, text=source[start:end])

    coverage = report.coverage
    unit = coverage.get("names", {}).get("reporting_unit")
    if unit is not None:
        start, end = offsets.span(unit["start"], unit["end"])
        coverage = {**coverage, "names": {**coverage["names"], "reporting_unit": {**unit, "start": start, "end": end}}}
    return replace(
        report,
        findings=tuple(finding(f) for f in report.findings),
        coverage=coverage,
        quantities=tuple(quantity(q) for q in report.quantities),
        claims=tuple(claim(c) for c in report.claims),
        periods=tuple(period(p) for p in report.periods),
        tables=tuple(table(t) for t in report.tables),
    )
