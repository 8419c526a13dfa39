"""Findings into a report: order, fingerprints, and what was checked."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import replace

import regex

from .checks import Context
from .model import Claim, Finding, Options, Period, Report, severity_rank

_SPACE = regex.compile(r"\s+")


def fingerprint(f: Finding, occurrence: int) -> str:
    """Stable across runs and across edits elsewhere: the rule, the sentence, the figure."""
    basis = "\x1f".join((f.code, _SPACE.sub("", f.sentence), f.text, str(occurrence)))
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def finalize(findings: list[Finding], options: Options) -> tuple[Finding, ...]:
    floor = severity_rank(options.min_severity)
    kept = [f for f in findings if options.wants(f.code) and severity_rank(f.severity) >= floor]
    kept.sort(key=lambda f: (f.start, f.end, f.code))
    unique: list[Finding] = []
    seen: set[tuple] = set()
    for f in kept:
        key = (f.code, f.start, f.end)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    counts: Counter = Counter()
    out = []
    for f in unique:
        base = (f.code, _SPACE.sub("", f.sentence), f.text)
        out.append(_with_fingerprint(f, fingerprint(f, counts[base])))
        counts[base] += 1
    return tuple(out)


def _with_fingerprint(f: Finding, fp: str) -> Finding:
    return replace(f, fingerprint=fp)


def coverage(ctx: Context, findings: tuple[Finding, ...], skipped: tuple[str, ...] = ()) -> dict:
    """What was found and checked, so that "no findings" never reads as "nothing checked".

    ``skipped``: the rule families left unchecked because the time budget ran out."""
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
        completion=sum(c.target is not None for c in ctx.completions),
    )
    severities = Counter(f.severity for f in findings)
    return {
        "characters": len(ctx.doc.text),
        "sentences": len(ctx.doc.sentences),
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
            for kind in ("breakdown", "share", "change", "completion")
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
        "findings": {s: severities[s] for s in ("error", "warning", "info")},
        "incomplete": bool(skipped),
        "skipped": list(skipped),
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
    final = finalize(findings, options)
    return Report(
        findings=final,
        coverage=coverage(ctx, final, skipped),
        quantities=tuple(ctx.doc.quantities),
        periods=tuple(periods),
        claims=tuple(claims),
        include=options.include,
    )
