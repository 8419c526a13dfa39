"""Marshmallow schemas: what ``/v1/check`` loads and what every endpoint dumps.

The OpenAPI document is generated from these same classes, so the published contract
and the code that enforces it cannot drift apart. Response fields are marked
``required`` so that the OpenAPI schema lists them as always present.
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from ..checks import FAMILY_ORDER, RULES_BY_CODE
from ..model import INCLUDES, SEVERITIES, Options
from ..read.documents import KINDS as DOCUMENT_KINDS
from ..vocab import ClaimKind, LinkReason, Role, Stage, values

QUANTITY_KINDS = ("money", "percent", "ppoint", "count", "score", "bare")
BOUNDS = ("about", "min", "max", "range")
CLAIM_KINDS = values(ClaimKind)
FAMILIES = FAMILY_ORDER
FINGERPRINT = r"^[0-9a-f]{16}$"
MAX_IGNORED = 100_000


def rule_selector(value: str) -> None:
    """A ``select`` / ``ignore`` entry must be a rule code or a family prefix."""
    if value not in RULES_BY_CODE and value not in FAMILIES:
        families = ", ".join(FAMILIES)
        raise ValidationError(
            f"Unknown rule code or family {value!r}; families are {families} (GET /v1/rules lists codes)."
        )


class OptionsSchema(Schema):
    error_messages: ClassVar[dict[str, str]] = {
        "type": "Expected an object with include, select, ignore, min_severity and/or ignore_fingerprints."
    }

    include = fields.List(
        fields.String(validate=validate.OneOf(INCLUDES)),
        metadata={"description": "Add these lists to the response."},
    )
    select = fields.List(
        fields.String(validate=rule_selector),
        metadata={"description": "Report only these rule codes or families (e.g. SHR, CHG002)."},
    )
    ignore = fields.List(
        fields.String(validate=rule_selector),
        metadata={"description": "Leave out these rule codes or families."},
    )
    min_severity = fields.String(
        validate=validate.OneOf(SEVERITIES),
        metadata={"description": "Leave out findings below this severity (default info)."},
    )
    ignore_fingerprints = fields.List(
        fields.String(
            validate=validate.Regexp(FINGERPRINT, error="Not a finding fingerprint (16 hex digits): {input!r}.")
        ),
        validate=validate.Length(max=MAX_IGNORED),
        metadata={
            "description": "Leave out the findings with these fingerprints (a reviewer's dismissals, a "
            f"baseline's findings); they are counted in coverage.ignored. At most {MAX_IGNORED}."
        },
    )

    @post_load
    def to_options(self, data: dict[str, Any], **kwargs: Any) -> Options:
        return Options(
            include=frozenset(data.get("include", ())),
            select=tuple(data.get("select", ())),
            ignore=tuple(data.get("ignore", ())),
            min_severity=data.get("min_severity", Options.min_severity),
            ignore_fingerprints=frozenset(data.get("ignore_fingerprints", ())),
        )


class CheckRequestSchema(Schema):
    error_messages: ClassVar[dict[str, str]] = {"type": 'Expected a JSON object with "text" and optional "options".'}

    text = fields.String(required=True, metadata={"description": "The report's text; may be empty."})
    options = fields.Nested(OptionsSchema, load_default=Options)


def _location() -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={
            "description": "Where start sits. For an uploaded file: {page} (PDF), {paragraph} or "
            "{table, row, cell} (Word), or {line} (text); 1-based. For a PDF also where [start, end) "
            "is drawn on that page: box [x0, y0, x1, y1], the union of its characters' boxes, and boxes, "
            "one such box a line it covers there (a figure or sentence that wraps has two or more); PDF "
            "points, origin bottom-left (PDF user space, as PDFium gives them); absent when none of its "
            "characters has a box (the page is where start is). In a standard table (收入决算表 …), "
            "for any input: table (its title), row (code and name) and column (its header), as text."
        },
    )


class EvidenceSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    value = fields.Float(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(values(Role)))
    location = _location()


class FixSchema(Schema):
    start = fields.Integer(required=True, metadata={"description": "Code-point offset into the text sent."})
    end = fields.Integer(required=True)
    replacement = fields.String(required=True, metadata={"example": "25%"})


class FindingSchema(Schema):
    code = fields.String(required=True, metadata={"example": "SHR001"})
    name = fields.String(required=True, metadata={"example": "share-mismatch"})
    title = fields.String(
        required=True, metadata={"description": "The rule's title, in Chinese.", "example": "占比与所列数字不符"}
    )
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    message = fields.String(required=True, metadata={"description": "In Chinese, with the arithmetic."})
    start = fields.Integer(required=True, metadata={"description": "Code-point offset into the text sent."})
    end = fields.Integer(required=True)
    text = fields.String(required=True, metadata={"description": "Equals the sent text's [start:end]."})
    stated = fields.Float(required=True, allow_none=True)
    expected = fields.Float(required=True, allow_none=True)
    suggestion = fields.String(required=True, allow_none=True)
    fix = fields.Nested(
        FixSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "When the suggestion can stand in place: text[start:end] becomes replacement "
            "(the stated figure by the expected one, 30% → 25%); null otherwise."
        },
    )
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
    fingerprint = fields.String(required=True, metadata={"description": "Stable across runs and unrelated edits."})
    section = fields.String(required=True)
    line = fields.Integer(required=True, metadata={"description": "1-based line of start."})
    location = _location()


class QuantitySchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    value = fields.Float(required=True)
    unit = fields.String(required=True, allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(QUANTITY_KINDS))
    bound = fields.String(required=True, allow_none=True, validate=validate.OneOf(BOUNDS))


class LinkSchema(Schema):
    target = fields.Nested(QuantitySchema, required=True)
    reason = fields.String(
        required=True, validate=validate.OneOf(values(LinkReason)), metadata={"example": "breakdown-total"}
    )


class PeriodSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["year", "date", "months", "relative"]))
    year = fields.Integer(required=True, allow_none=True, metadata={"description": "The year written, if any."})


class ClaimSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(CLAIM_KINDS))
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    quantities = fields.List(fields.Nested(QuantitySchema), required=True)
    link = fields.Nested(LinkSchema, required=True, allow_none=True)
    checked = fields.Boolean(required=True)
    note = fields.String(required=True, metadata={"description": "Why the claim was left unchecked."})


def _counts(description: str) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(), values=fields.Integer(), required=True, metadata={"description": description}
    )


class ReportingUnitSchema(Schema):
    name = fields.String(required=True, metadata={"description": "The unit the report is about."})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    found_by = fields.String(
        required=True, metadata={"description": "Where it was read: 预算单位, 简称, title or signature."}
    )
    also_written = fields.List(fields.String(), required=True, metadata={"description": "Other names meaning it."})


class NamesSchema(Schema):
    reporting_unit = fields.Nested(ReportingUnitSchema, required=True, allow_none=True)
    report_kind = fields.String(required=True, metadata={"description": "决算, 预算, 绩效 or empty."})
    government_units = fields.Integer(required=True)
    companies = fields.Integer(required=True)
    self_references = fields.Integer(required=True)


class ExtractionSchema(Schema):
    unit = fields.String(
        required=True,
        validate=validate.OneOf(("page", "block")),
        metadata={"description": "page (a PDF) or block (a Word document's body paragraph or table)."},
    )
    read = fields.Integer(required=True, metadata={"description": "Pages or blocks read, and checked."})
    total = fields.Integer(required=True, metadata={"description": "Pages or blocks the file has."})
    complete = fields.Boolean(
        required=True,
        metadata={
            "description": "False when reading stopped at half the time budget (TALLY_TIME_BUDGET_MS): "
            "only the first `read` of `total` were checked."
        },
    )


class CoverageSchema(Schema):
    characters = fields.Integer(required=True)
    script = fields.String(
        required=True,
        validate=validate.OneOf(["simplified", "traditional", "mixed"]),
        metadata={
            "description": "The script the text was written in. Traditional characters are read as their "
            "Simplified forms, one for one, so offsets still index the text sent."
        },
    )
    sentences = fields.Integer(required=True)
    sentences_cut = fields.Integer(
        required=True,
        metadata={"description": "Sentences past the length limit (1,000 characters) cut at a clause separator."},
    )
    report_year = fields.Integer(required=True, allow_none=True)
    quantities = _counts("Quantities found: total, then per kind.")
    metric_mentions = fields.Integer(required=True)
    statements = fields.Integer(required=True)
    claims = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Integer()),
        required=True,
        metadata={"description": "Per claim kind: found, linked and checked counts."},
    )
    checked_total = fields.Integer(required=True)
    unchecked = _counts("Claims left unchecked, per '<kind>: <reason>'.")
    findings = _counts("Findings per severity.")
    names = fields.Nested(
        NamesSchema, required=True, metadata={"description": "What the name and period rules compared against."}
    )
    incomplete = fields.Boolean(
        required=True,
        metadata={
            "description": "True when the request's time budget (TALLY_TIME_BUDGET_MS, default 5000) ran out "
            "before every rule family was checked, or before an uploaded file was read to its end; the "
            "findings are those of the families and the part of the file that were."
        },
    )
    skipped = fields.List(
        fields.String(validate=validate.OneOf(FAMILIES)),
        required=True,
        metadata={"description": "Rule families left unchecked for lack of time (e.g. ENT, PER); empty when complete."},
    )
    extraction = fields.Nested(
        ExtractionSchema,
        metadata={"description": "For an uploaded PDF or Word document: how far reading it went."},
    )
    stopped_in = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(values(Stage)),
        metadata={
            "description": "The stage the time budget ran out in: read (an uploaded file was read in part, "
            "see extraction; what was read was checked), tag (no figure was read, nothing checked), "
            "claims (figures read, no claim linked, nothing checked) or checks (the families before it were "
            "checked); null when it did not run out."
        },
    )
    ignored = fields.Integer(
        required=True, metadata={"description": "Findings left out because options.ignore_fingerprints named them."}
    )
    capped = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={
            "description": "Per rule code, the findings left out past the first 1,000 of that rule "
            "(a text no unit wrote); empty as a rule."
        },
    )


class PageSchema(Schema):
    number = fields.Integer(required=True, metadata={"description": "1-based, as location.page."})
    width = fields.Float(required=True, metadata={"description": "As shown (after /Rotate), in points."})
    height = fields.Float(required=True)
    start = fields.Integer(required=True, metadata={"description": "Code-point offset of the page's text."})
    end = fields.Integer(required=True, metadata={"description": "End of the page's text (exclusive)."})


class DocumentSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(DOCUMENT_KINDS))
    filename = fields.String(required=True, allow_none=True)
    text = fields.String(
        required=True, metadata={"description": "The text extracted from the file; offsets index this text."}
    )
    pages = fields.List(
        fields.Nested(PageSchema),
        metadata={"description": "For a PDF: each page's size and the stretch [start, end) of text it gave."},
    )


class CellSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)
    value = fields.Float(required=True)
    row = fields.String(required=True, metadata={"description": "The row's code and name (2080505 …), or its label."})
    column = fields.String(required=True, metadata={"description": "The column's header (基本支出, 决算数 …)."})


class TableSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "The standard table (patterns/tables.toml key)."})
    title = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    unit = fields.String(required=True)
    cells = fields.List(fields.Nested(CellSchema), required=True)


class ProvenanceSchema(Schema):
    tool = fields.String(required=True, validate=validate.OneOf(["tally"]))
    version = fields.String(required=True, metadata={"description": "Tally's version.", "example": "0.1.0"})
    patterns = fields.String(
        required=True,
        metadata={"description": "sha256 of the patterns/ data files the check read (name order, name and bytes)."},
    )
    input_sha256 = fields.String(
        required=True,
        metadata={
            "description": "sha256 of the exact bytes checked: the uploaded file, the text/plain body as "
            "received, or the UTF-8 of a JSON body's text field."
        },
    )


class CheckResponseSchema(Schema):
    api_version = fields.String(required=True, validate=validate.OneOf(["1"]))
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    coverage = fields.Nested(CoverageSchema, required=True)
    provenance = fields.Nested(ProvenanceSchema, required=True)
    quantities = fields.List(fields.Nested(QuantitySchema), metadata={"description": "When include has quantities."})
    claims = fields.List(fields.Nested(ClaimSchema), metadata={"description": "When include has claims."})
    periods = fields.List(
        fields.Nested(PeriodSchema),
        metadata={"description": "When include has periods: years, dates, month ranges, 上年 / 本年."},
    )
    tables = fields.List(
        fields.Nested(TableSchema),
        metadata={"description": "When include has tables: the standard tables read, with their cells."},
    )
    document = fields.Nested(DocumentSchema, metadata={"description": "When a file was uploaded (multipart)."})


class ExamplesSchema(Schema):
    flagged = fields.List(fields.String(), required=True, metadata={"description": "⟦…⟧ marks the flagged span."})
    passing = fields.List(fields.String(), required=True)


class RuleSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    title = fields.String(
        required=True, metadata={"description": "Short, in Chinese.", "example": "占比与所列数字不符"}
    )
    family = fields.String(required=True, validate=validate.OneOf(FAMILIES))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    summary = fields.String(required=True)
    doc = fields.String(required=True)
    examples = fields.Nested(ExamplesSchema, required=True)


class RuleListSchema(Schema):
    rules = fields.List(fields.Nested(RuleSchema), required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok"]))


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={"example": "validation_error"})
    message = fields.String(required=True, metadata={"description": "In English."})
    message_zh = fields.String(required=True, metadata={"description": "The same in Chinese."})
    details = fields.Dict(metadata={"description": "Machine-readable specifics, when there are any."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


# -- POST /v1/export/docx: a /v1/check body back, as a Word document -----------------------
# The report is read loosely (unknown keys kept and ignored), so that a body from a newer or
# older service, with fields added since, still exports; what the export reads is checked.


class ExportEvidenceSchema(Schema):
    class Meta:
        unknown = INCLUDE

    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class ExportFindingSchema(Schema):
    class Meta:
        unknown = INCLUDE

    code = fields.String(required=True, metadata={"example": "SHR001"})
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    message = fields.String(required=True)
    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    text = fields.String(required=True)
    fingerprint = fields.String(required=True)
    name = fields.String()
    title = fields.String()
    suggestion = fields.String(allow_none=True)
    section = fields.String()
    line = fields.Integer(strict=True)
    location = fields.Dict(keys=fields.String(), values=fields.Raw())
    evidence = fields.List(fields.Nested(ExportEvidenceSchema))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("end", 0) < data.get("start", 0):
            raise ValidationError("end must not be before start.", "end")


class ExportReportingUnitSchema(Schema):
    class Meta:
        unknown = INCLUDE

    name = fields.String(required=True)


class ExportNamesSchema(Schema):
    class Meta:
        unknown = INCLUDE

    reporting_unit = fields.Nested(ExportReportingUnitSchema, allow_none=True)
    report_kind = fields.String()


class ExportCoverageSchema(Schema):
    class Meta:
        unknown = INCLUDE

    report_year = fields.Integer(strict=True, allow_none=True)
    checked_total = fields.Integer(strict=True)
    unchecked = fields.Dict(keys=fields.String(), values=fields.Integer(strict=True))
    names = fields.Nested(ExportNamesSchema)
    incomplete = fields.Boolean()
    skipped = fields.List(fields.String())
    ignored = fields.Integer(strict=True)


class ExportDocumentSchema(Schema):
    class Meta:
        unknown = INCLUDE

    filename = fields.String(allow_none=True)
    text = fields.String(required=True)


class ExportProvenanceSchema(Schema):
    class Meta:
        unknown = INCLUDE

    version = fields.String()


class ExportReportSchema(Schema):
    class Meta:
        unknown = INCLUDE

    findings = fields.List(fields.Nested(ExportFindingSchema), required=True)
    coverage = fields.Nested(ExportCoverageSchema)
    document = fields.Nested(ExportDocumentSchema)
    provenance = fields.Nested(ExportProvenanceSchema)


class ExportDocxRequestSchema(Schema):
    error_messages: ClassVar[dict[str, str]] = {
        "type": 'Expected a JSON object with "report" (a /v1/check response body), "dismissed" and "filename".'
    }

    report = fields.Nested(
        ExportReportSchema, required=True, metadata={"description": "A /v1/check response body, as it came."}
    )
    dismissed = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": "Fingerprints of the findings the reviewer dismissed: left out of the document."},
    )
    filename = fields.String(
        allow_none=True,
        load_default=None,
        metadata={"description": "The checked file's name: shown in the document and used for the download's name."},
    )
    text = fields.String(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The text that was checked, for a report without document (a text/plain or JSON "
            "check): the sentences are quoted from it. Without either, only the flagged figures are quoted."
        },
    )

    @validates_schema
    def _offsets_in_text(self, data: dict[str, Any], **kwargs: Any) -> None:
        report = data.get("report") or {}
        document = report.get("document") or {}
        text = document.get("text") if "text" in document else data.get("text")
        if text is None:
            return
        past = [(i, f["end"]) for i, f in enumerate(report.get("findings") or []) if f.get("end", 0) > len(text)]
        errors = {  # the first few: one is enough to say the report is not of this text
            str(i): {"end": [f"Offset {end} is past the end of the text ({len(text)} code points)."]}
            for i, end in past[:3]
        }
        if errors:
            raise ValidationError({"report": {"findings": errors}})
