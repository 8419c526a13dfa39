"""``check(text, options)``: the one call the HTTP service, the CLI and Python share.

text → spaCy Doc of its reading view (figures and metric names as spans) → Document
(sentences, look-ups) → claims → links → checks → report, whose offsets are mapped back
from the view to the text sent (``report.to_source``). No I/O.

A caller with a time budget passes ``deadline`` (a ``time.perf_counter()`` value): the clock
is read between stages and between rule families, a stage already running is finished, and
once the deadline has passed every later family is skipped and named in
``coverage.skipped`` (``coverage.incomplete`` is then true).
"""

from __future__ import annotations

import gc
import math
from dataclasses import replace
from time import perf_counter

import regex

from .budget import OutOfTime, abandoned, within
from .checks import CHECKED, FAMILY_ORDER, Context, to_run
from .claims import find_all, finders
from .claims.fiscal_tables import Cells
from .claims.fiscal_tables import statements as table_statements
from .claims.fiscal_tables import views as table_views
from .link.linking import Statements, link_changes, link_completions, link_shares
from .model import Claim, Link, Options, Report
from .patterns import load
from .read.documents import Extracted
from .read.text import segment
from .report.build import build, to_source
from .report.provenance import provenance, text_bytes
from .tag.document import Document
from .tag.entities import finder as entity_finder
from .tag.nlp import MAX_CHARACTERS, nlp
from .vocab import Stage


def warm_up() -> None:
    """Load patterns and build the pipeline now rather than on the first request.

    Then the garbage collector is told to leave what was built alone (``gc.freeze``: the
    patterns, automata and spaCy's vocabulary are never garbage) and to collect the youngest
    objects less often: a check makes tens of thousands of small acyclic objects, and with the
    default threshold (700) the collections made a long text cost more than its length (seed 000
    × 32: 1.15 × 32 single checks; 1.03 after this). For a process that serves checks (the HTTP
    service, the CLI's workers), not for a library caller's own process."""
    check("2019年本年支出合计10万元，其中：基本支出10万元。")
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


# what reading the view, mapping offsets back and writing the report cost a character of text
# (about 0.3 s for a million: measured on a 1,000-page PDF's text), outside any stage's loop
FINISH_PER_CHARACTER = 3e-7
GC_YOUNG = 10_000  # allocations between two collections of the youngest generation (CPython: 700)


# spaCy cannot hold a lone surrogate (it encodes to UTF-8): the tagger reads U+FFFD in its
# place, one code point for one, so offsets into the text as given stay right (the regex
# module scans for the class several times faster than the standard library)
SURROGATE = regex.compile("[\ud800-\udfff]")


def expired(deadline: float | None) -> bool:
    """The deadline has passed, or the caller has gone (service/budget.py ``watching``)."""
    return (deadline is not None and perf_counter() >= deadline) or abandoned()


def analyse(text: str, deadline: float | None = None) -> Context:
    """Everything up to the checks: the document, its claims and their links.

    When the budget runs out while tagging, the document has no figures; while finding claims,
    linking them or reading names, claims, links and names are all left empty."""
    with within(deadline):
        spacy_doc = nlp()(SURROGATE.sub("\ufffd", text))
    # a figure past the range of a float (1 followed by 400 zeros) is not one that can be checked
    quantities = [q for q in spacy_doc.spans["quantities"].attrs["tally"] if math.isfinite(q.base)]
    mentions = spacy_doc.spans["metrics"].attrs["tally"]
    view = spacy_doc.user_data["tally.view"]
    stopped = spacy_doc.user_data.get("tally.stopped")
    try:
        with within(deadline):
            lines, sentences = segment(view.norm)
    except OutOfTime:  # a text of a million lines: no line read, no figure kept
        lines, sentences, quantities, mentions, stopped = [], [], [], [], Stage.TAG
    # with nothing left out the view is the text sent (the tagger read U+FFFD for a lone surrogate)
    doc = Document(
        text if view.offsets is None else view.text, view.norm, lines, sentences, quantities, mentions,
        source=text, offsets=view.offsets, script=view.script,
    )  # fmt: skip
    if stopped is None and expired(deadline):
        stopped = Stage.CLAIMS
    if stopped is None:
        try:
            with within(deadline):
                return _claims_and_links(doc)
        except OutOfTime:
            stopped = Stage.CLAIMS
    empty = Statements([])
    return Context(doc=doc, statements=empty, breakdowns=[], shares=[], changes=[], completions=[], stopped_in=stopped)


def _claims_and_links(doc: Document) -> Context:
    found = find_all(doc)
    breakdowns = found["breakdowns"]
    # a table's cells state figures too: the narrative is read against them
    tabled = table_statements(doc, found["tables"], load().metrics)
    statements = Statements(
        sorted(found["statements"] + tabled, key=lambda s: s.quantity.start) if tabled else found["statements"]
    )
    completion = finders()["completions"]
    return Context(
        doc=doc,
        statements=statements,
        breakdowns=breakdowns,
        shares=link_shares(doc, found["shares"], breakdowns, statements),
        changes=link_changes(doc, found["changes"], statements),
        completions=link_completions(
            doc, found["completions"], breakdowns, completion, found["directions"], found["changes"]
        ),
        found=found,
        entities=entity_finder().find(doc),
        identities=load().identities,
    )


def check(
    text: str | Extracted, options: Options | None = None, *, deadline: float | None = None, data: bytes | None = None
) -> Report:
    """Check one report and return every contradiction found, with its figures.

    ``text`` is the text itself, or a file's extracted document (service/read/documents.py: its
    text and where each stretch of it sits in the file): then every finding's and evidence
    item's ``location`` also says where in the file (page, paragraph, Word table cell).
    ``deadline`` (a ``time.perf_counter()`` value) bounds the time spent: see the module doc.
    ``data``: the bytes the caller was sent (a file's, a body's), whose digest the report's
    ``provenance`` carries; by default the UTF-8 of the text."""
    options = options or Options()
    document = text if isinstance(text, Extracted) else None
    text = document.text if document is not None else text
    if len(text) > MAX_CHARACTERS:
        raise ValueError(f"cannot check a text of {len(text):,} characters: the limit is {MAX_CHARACTERS:,}")
    if deadline is not None:  # the stages stop early by what the steps after them need
        deadline -= FINISH_PER_CHARACTER * len(text)
    report = _check(text, options, deadline)
    report = replace(report, provenance=provenance(text_bytes(text) if data is None else data))
    if document is not None and document.extent is not None:
        report = read_in_part(report, document)
    # a text file's place is its line, which every finding has already
    return report if document is None or document.kind == "txt" or not document.blocks else in_file(report, document)


def _check(text: str, options: Options, deadline: float | None) -> Report:
    ctx = analyse(text, deadline)
    findings = []
    skipped: set[str] = set()
    # a family that select/ignore leaves out is not run, unless a wanted one runs after it
    wanted = to_run(options)
    with within(deadline):
        for family in CHECKED:
            if ctx.stopped_in is not None:
                skipped.update(family.emits)
                continue
            if family not in wanted:
                continue
            try:
                findings.extend(family.check(ctx))
            except OutOfTime:  # the family's findings so far are dropped with it
                ctx.stopped_in = Stage.CHECKS
                skipped.update(family.emits)
            else:
                if expired(deadline):
                    ctx.stopped_in = Stage.CHECKS
    tables = ctx.found.get("tables") or []
    if tables:
        findings = located(findings, Cells(tables))
    claims = claims_of(ctx) if "claims" in options.include else []
    # periods are read only for a caller who asks for them: no check pays for them otherwise
    periods = nlp().tokenizer.tagger.periods(ctx.doc.norm, ctx.doc.text) if "periods" in options.include else []
    report = build(ctx, findings, options, claims, tuple(f for f in FAMILY_ORDER if f in skipped), tuple(periods))
    if "tables" in options.include and tables:
        report = replace(report, tables=table_views(ctx.doc, tables))
    return report if ctx.doc.offsets is None else to_source(report, text, ctx.doc.offsets)


def read_in_part(report: Report, document: Extracted) -> Report:
    """The report of a PDF or Word document with how far reading it went (``coverage.extraction``);
    a file read in part is an incomplete check, stopped in ``read`` unless a later stage stopped too."""
    extent = document.extent
    coverage = {**report.coverage, "extraction": extent.to_dict()}
    if not extent.complete:
        coverage["incomplete"] = True
        coverage["stopped_in"] = coverage.get("stopped_in") or Stage.READ
    return replace(report, coverage=coverage)


def claims_of(ctx: Context) -> list[Claim]:
    """The claims as reported to callers, each with its link and whether it was checkable."""
    text = ctx.doc.text
    out = [
        _claim(text, "breakdown", b, (b.total, *(p.quantity for p in b.parts)), b.total,
               "item-count" if b.counted else "breakdown-total")
        for b in ctx.breakdowns
    ]  # fmt: skip
    out += [_claim(text, "share", s.claim, (s.claim.part, s.claim.share), s.whole, s.reason) for s in ctx.shares]
    out += [
        _claim(text, "change", ch.claim, (ch.claim.delta, ch.claim.rate, ch.claim.prior), ch.current, ch.reason,
               checked=ch.current is not None or ch.claim.prior is not None)
        for ch in ctx.changes
    ]  # fmt: skip
    out += [
        # done-and-remaining: linked to the part remaining (the base is the part done plus it);
        # actual-and-difference: to the difference from the budget (the base is the actual less it)
        _claim(
            text,
            "completion",
            cp.claim,
            (cp.claim.rate, cp.actual, cp.remaining, cp.target, cp.difference),
            cp.remaining or cp.target or cp.difference,
            cp.reason,
        )
        for cp in ctx.completions
    ]
    # a linked claim a check then left unchecked (approximate figures, …) says why, in the words
    # coverage.unchecked counts it under
    skipped = ctx.skipped_claims
    out = [
        replace(c, checked=False, note=skipped[(c.kind, c.start)]) if (c.kind, c.start) in skipped else c for c in out
    ]
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _claim(text, kind, span, quantities, target, reason, checked=None) -> Claim:
    """A claim over ``span``'s text, linked to ``target`` for ``reason`` (or unlinked, with it)."""
    link = Link(target, reason) if target is not None else None
    return Claim(
        kind,
        span.start,
        span.end,
        text[span.start : span.end],
        tuple(q for q in quantities if q is not None),
        link,
        checked=link is not None if checked is None else checked,
        note="" if link else reason,
    )


def located(findings, cells: Cells):
    """Each finding and evidence item that sits in a table cell, with its table, row and column."""
    out = []
    for f in findings:
        evidence = tuple(replace(e, location=cells.at(e.start, e.end)) for e in f.evidence)
        out.append(replace(f, location=cells.at(f.start, f.end), evidence=evidence))
    return out


def in_file(report: Report, document: Extracted) -> Report:
    """The report with the file's place of each finding and evidence item (page, paragraph …)
    before the table cell it sits in, in ``location`` (offsets are the text sent's)."""

    def where(item):
        return tuple(document.locate(item.start, item.end).items()) + tuple(item.location)

    findings = tuple(
        replace(f, location=where(f), evidence=tuple(replace(e, location=where(e)) for e in f.evidence))
        for f in report.findings
    )
    return replace(report, findings=findings)
