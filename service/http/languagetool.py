"""A LanguageTool-compatible ``/v2/check`` and ``/v2/languages``, so that LanguageTool clients and
editor plugins can use Tally.

The request is what LanguageTool clients send: a form (``application/x-www-form-urlencoded``
or ``multipart/form-data``) to ``POST /v2/check``, or the same fields as the query of ``GET
/v2/check`` (LanguageTool serves both; a long text belongs in a POST, since servers cap the
request line: gunicorn at 4 kB), with ``language`` and either ``text`` or ``data``, LanguageTool's
annotated text ``{"annotation": [{"text": …}, {"markup": …, "interpretAs": …}]}``, whose text
parts (and each markup's ``interpretAs``) are checked while offsets point into the whole
annotated string, markup included. ``language`` must be Chinese (``zh``, ``zh-CN``, any
``zh-…``) or ``auto``. ``disabledRules`` / ``disabledCategories`` take Tally codes and families
(``SHR001``, ``CHG``); ``enabledRules`` / ``enabledCategories`` restrict the check to those
only with ``enabledOnly=true``, as in LanguageTool. Rule ids Tally does not have, and every
other LanguageTool field (``level``, ``motherTongue``, ``username``, ``apiKey`` …), are ignored.
``GET /v2/languages`` lists Chinese only, as LanguageTool lists its languages.

The answer has LanguageTool's JSON shape, field for field (``software``, ``warnings``,
``language``, ``matches``). Two choices:

* Offsets. ``offset``, ``length`` and ``context.offset`` / ``context.length`` count UTF-16 code
  units, like LanguageTool's (Java string indices), because that is what its clients slice
  with (JavaScript strings, Java, VS Code positions). They equal ``/v1/check``'s code-point
  offsets until the first character outside the BMP (``𠀀``, most emoji), which counts 2.
* ``rule.issueType`` is one of LanguageTool's ITS 2.0 issue types, by severity: ``error`` →
  ``inconsistency`` (the text contradicts itself: a sum, share or rate recomputed from its own
  figures), ``warning`` → ``numbers`` (a figure is incomplete or doubtful, e.g. no unit),
  ``info`` → ``style`` (only rounding or truncation explains it; LanguageTool's clients show
  style issues as the mildest). ``type.typeName`` is ``Hint`` for ``info``, else ``Other``.

``rule.category`` is the rule's family (``id`` ``SHR``, ``name`` from the family's module).
``replacements`` holds the finding's ``fix`` when it has one (the suggestion can stand in place:
``25%`` for ``30%``); any other suggestion is appended to ``message``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from flask import Blueprint, current_app, g, request, url_for
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..checks import MODULES, RULES, RULES_BY_CODE
from ..model import Finding, Options
from ..pipeline import check
from ..vocab import Severity
from .errors import ApiError
from .views import load, parse_json, refuse_surrogates

languagetool = Blueprint("languagetool", __name__)

MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ISSUE_TYPES = {Severity.ERROR: "inconsistency", Severity.WARNING: "numbers", Severity.INFO: "style"}
TYPE_NAMES = {Severity.ERROR: "Other", Severity.WARNING: "Other", Severity.INFO: "Hint"}
CONTEXT_SIZE = 40  # code points either side, as LanguageTool's ContextTools
CHINESE = {"name": "Chinese", "code": "zh-CN"}
# GET /v2/languages, in LanguageTool's shape
LANGUAGES = [{"name": "Chinese", "code": "zh", "longCode": "zh-CN"}]
LANGUAGE = re.compile(r"(?i)auto|zh(?:[-_][A-Za-z0-9]+)*")
ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# each family module's docstring opens with "SHR: what its rules check."
CATEGORY_NAMES = dict(module.__doc__.splitlines()[0].rstrip(".").split(": ", 1) for module in MODULES)
FAMILY_CODES = frozenset(CATEGORY_NAMES)


def _codes(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class CheckFormSchema(Schema):
    """The form fields of ``POST /v2/check`` that Tally reads; any other field is ignored."""

    class Meta:
        unknown = EXCLUDE

    text = fields.String(metadata={"description": "The text to check. Exactly one of text and data."})
    data = fields.String(
        metadata={
            "description": 'LanguageTool\'s annotated text as JSON: {"annotation": [{"text": "…"}, '
            '{"markup": "<p>", "interpretAs": "\\n\\n"}]}. Offsets count the markup too.'
        }
    )
    language = fields.String(
        required=True,
        validate=validate.Regexp(LANGUAGE, error="Tally checks Chinese only: use zh-CN, zh or auto, not {input!r}."),
        metadata={"description": "zh-CN, zh, any zh-… or auto.", "example": "zh-CN"},
    )
    enabledOnly = fields.Boolean(
        load_default=False, metadata={"description": "With true, check only enabledRules/enabledCategories."}
    )
    enabledRules = fields.String(metadata={"description": "Comma-separated Tally rule codes."})
    disabledRules = fields.String(metadata={"description": "Comma-separated Tally rule codes to leave out."})
    enabledCategories = fields.String(metadata={"description": "Comma-separated families (SUM, SHR, …)."})
    disabledCategories = fields.String(metadata={"description": "Comma-separated families to leave out."})

    @validates_schema
    def one_text(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("text" in data) == ("data" in data):
            raise ValidationError("Send exactly one of the fields text and data.", "text")


class AnnotationItemSchema(Schema):
    text = fields.String()
    markup = fields.String()
    interpretAs = fields.String()

    @validates_schema
    def text_or_markup(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("text" in data) == ("markup" in data):
            raise ValidationError("Each annotation item has either text or markup (with optional interpretAs).")
        if "interpretAs" in data and "markup" not in data:
            raise ValidationError("interpretAs goes with markup, not with text.")


class AnnotationSchema(Schema):
    annotation = fields.List(fields.Nested(AnnotationItemSchema), required=True)


class SoftwareSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Tally"})
    version = fields.String(required=True)
    buildDate = fields.String(required=True)
    apiVersion = fields.Integer(required=True, metadata={"description": "LanguageTool's API version, 1."})
    premium = fields.Boolean(required=True)
    status = fields.String(required=True)


class WarningsSchema(Schema):
    incompleteResults = fields.Boolean(required=True)


class DetectedLanguageSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Chinese"})
    code = fields.String(required=True, metadata={"example": "zh-CN"})
    confidence = fields.Float(required=True)


class LanguageSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Chinese"})
    code = fields.String(required=True, metadata={"example": "zh-CN"})
    detectedLanguage = fields.Nested(DetectedLanguageSchema, required=True)


class ReplacementSchema(Schema):
    value = fields.String(required=True)


class ContextSchema(Schema):
    text = fields.String(required=True, metadata={"description": "Up to 40 characters either side, … when cut."})
    offset = fields.Integer(required=True, metadata={"description": "UTF-16 code units into context.text."})
    length = fields.Integer(required=True, metadata={"description": "UTF-16 code units."})


class MatchTypeSchema(Schema):
    typeName = fields.String(required=True, validate=validate.OneOf(("Other", "Hint")))


class CategorySchema(Schema):
    id = fields.String(required=True, metadata={"example": "SHR"})
    name = fields.String(required=True)


class UrlSchema(Schema):
    value = fields.String(required=True)


class MatchRuleSchema(Schema):
    id = fields.String(required=True, metadata={"example": "SHR001"})
    description = fields.String(required=True)
    issueType = fields.String(required=True, validate=validate.OneOf(tuple(ISSUE_TYPES.values())))
    urls = fields.List(fields.Nested(UrlSchema), required=True, metadata={"description": "The rule's documentation."})
    category = fields.Nested(CategorySchema, required=True)


class MatchSchema(Schema):
    message = fields.String(required=True, metadata={"description": "In Chinese, with the arithmetic."})
    shortMessage = fields.String(
        required=True, metadata={"description": "The rule's title.", "example": "占比与所列数字不符"}
    )
    replacements = fields.List(fields.Nested(ReplacementSchema), required=True)
    offset = fields.Integer(required=True, metadata={"description": "UTF-16 code units into the text sent."})
    length = fields.Integer(required=True, metadata={"description": "UTF-16 code units."})
    context = fields.Nested(ContextSchema, required=True)
    sentence = fields.String(required=True)
    type = fields.Nested(MatchTypeSchema, required=True)
    rule = fields.Nested(MatchRuleSchema, required=True)
    ignoreForIncompleteSentence = fields.Boolean(required=True)
    contextForSureMatch = fields.Integer(required=True)


class LanguageListSchema(Schema):
    name = fields.String(required=True, metadata={"example": "Chinese"})
    code = fields.String(required=True, metadata={"example": "zh"})
    longCode = fields.String(required=True, metadata={"example": "zh-CN"})


class LanguageToolResponseSchema(Schema):
    software = fields.Nested(SoftwareSchema, required=True)
    warnings = fields.Nested(WarningsSchema, required=True)
    language = fields.Nested(LanguageSchema, required=True)
    matches = fields.List(fields.Nested(MatchSchema), required=True)


OPENAPI_DESCRIPTION = """\
LanguageTool-compatible check, for LanguageTool clients and editor plugins: a form (POST) or
query parameters (GET; short texts only, the request line is capped at 4 kB) with
`language` (zh-CN, zh, zh-… or auto) and `text`, or `data` (LanguageTool's annotated text,
`{"annotation": [{"text": …}, {"markup": …, "interpretAs": …}]}`). Other LanguageTool fields
are accepted and ignored, except disabledRules / disabledCategories and, with enabledOnly=true,
enabledRules / enabledCategories, which take Tally rule codes and families. The answer has
LanguageTool's JSON shape. **Offsets (`offset`, `length`, `context.offset`, `context.length`)
count UTF-16 code units, as LanguageTool's do**, not code points as in /v1/check: a character
outside the BMP (𠀀, emoji) counts 2. `rule.issueType`: error → inconsistency, warning →
numbers, info → style."""

# nested schemas before the schemas that hold them, for service.http.openapi
SCHEMAS = {
    "LanguageToolCheckForm": CheckFormSchema,
    "LanguageToolReplacement": ReplacementSchema,
    "LanguageToolContext": ContextSchema,
    "LanguageToolMatchType": MatchTypeSchema,
    "LanguageToolCategory": CategorySchema,
    "LanguageToolUrl": UrlSchema,
    "LanguageToolRule": MatchRuleSchema,
    "LanguageToolMatch": MatchSchema,
    "LanguageToolSoftware": SoftwareSchema,
    "LanguageToolWarnings": WarningsSchema,
    "LanguageToolDetectedLanguage": DetectedLanguageSchema,
    "LanguageToolLanguage": LanguageSchema,
    "LanguageToolResponse": LanguageToolResponseSchema,
    "LanguageToolLanguageEntry": LanguageListSchema,
}


@dataclass(frozen=True)
class Part:
    """One annotation item: where it starts and how long it is in the plain and in the original text."""

    plain: int
    original: int
    original_length: int
    is_text: bool


@dataclass(frozen=True)
class Annotated:
    """The text sent (markup included) and the plain text checked, with a map between their offsets."""

    original: str
    plain: str
    parts: tuple[Part, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """A span of the plain text as a span of the original; a span touching markup covers all of it."""
        if not self.parts:
            return start, end
        starts = [part.plain for part in self.parts]
        first = self.parts[bisect.bisect_right(starts, start) - 1]
        last = self.parts[bisect.bisect_right(starts, max(end - 1, start)) - 1]
        original_start = first.original + (start - first.plain if first.is_text else 0)
        original_end = last.original + (end - last.plain if last.is_text else last.original_length)
        return original_start, max(original_end, original_start)


def annotated(items: list[dict[str, str]]) -> Annotated:
    written = [item.get("text", item.get("markup", "")) for item in items]
    checked = [item["text"] if "text" in item else item.get("interpretAs", "") for item in items]
    parts: list[Part] = []
    original = plain = 0
    for item, w, c in zip(items, written, checked, strict=True):
        parts.append(Part(plain, original, len(w), "text" in item))
        original += len(w)
        plain += len(c)
    return Annotated("".join(written), "".join(checked), tuple(parts))


class Utf16:
    """Code-point offsets into a text as UTF-16 code units: one more for each astral character before."""

    def __init__(self, text: str) -> None:
        self.astral = [m.start() for m in ASTRAL.finditer(text)]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self.astral, offset)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@languagetool.get("/v2/languages")
def languages() -> list[dict[str, Any]]:
    """The languages served, as LanguageTool lists them: Chinese only (Traditional characters are read too)."""
    return LanguageListSchema(many=True).dump(LANGUAGES)


@languagetool.route("/v2/check", methods=["GET", "POST"])
def check_v2() -> dict[str, Any]:
    form = read_form()
    if "data" in form:
        document = annotated(load(AnnotationSchema(), parse_json(form["data"]), "data field")["annotation"])
    else:
        document = Annotated(form["text"], form["text"])
    refuse_surrogates(document.original)
    report = check(document.plain, options_of(form), deadline=g.deadline)
    utf16 = Utf16(document.original)
    matches = [match(finding, document, utf16) for finding in report.findings]
    return LanguageToolResponseSchema().dump(
        {
            "software": {
                "name": "Tally",
                "version": version("tally"),
                "buildDate": "",
                "apiVersion": 1,
                "premium": False,
                "status": "",
            },
            "warnings": {"incompleteResults": False},
            "language": {**CHINESE, "detectedLanguage": {**CHINESE, "confidence": 1.0}},
            "matches": matches,
        }
    )


def read_form() -> dict[str, Any]:
    """The fields of a ``/v2/check`` request: the query of a GET (LanguageTool serves both), the form of a POST."""
    if request.method == "GET":
        return load(CheckFormSchema(), request.args.to_dict(), "query parameters")
    if request.mimetype not in MEDIA_TYPES:
        given = request.mimetype or "no Content-Type"
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Cannot read a /v2/check request sent as {given}; send a form "
            "(application/x-www-form-urlencoded) with text and language, as LanguageTool clients do.",
            {"supported": list(MEDIA_TYPES)},
            message_zh=f"无法读取以 {given} 发送的 /v2/check 请求；请像 LanguageTool 客户端那样以表单"
            "（application/x-www-form-urlencoded）发送 text 和 language。",
        )
    # a form field may be as large as the body (Flask's default caps it at 500 kB)
    request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]
    return load(CheckFormSchema(), request.form.to_dict(), "form")


def options_of(form: dict[str, Any]) -> Options:
    """LanguageTool's rule and category switches as Tally options; ids Tally does not have are ignored."""
    ignore = [c for c in _codes(form.get("disabledRules", "")) if c in RULES_BY_CODE]
    ignore += [c for c in _codes(form.get("disabledCategories", "")) if c in FAMILY_CODES]
    select: list[str] = []
    if form["enabledOnly"]:
        select = [c for c in _codes(form.get("enabledRules", "")) if c in RULES_BY_CODE]
        select += [c for c in _codes(form.get("enabledCategories", "")) if c in FAMILY_CODES]
        if not select:
            raise ApiError(
                422,
                "validation_error",
                "enabledOnly=true needs enabledRules or enabledCategories naming Tally rules or families.",
                {"rules": [rule.code for rule in RULES], "categories": sorted(FAMILY_CODES)},
                message_zh="enabledOnly=true 时须以 enabledRules 或 enabledCategories 指明 Tally 的规则或规则族。",
            )
    return Options(select=tuple(select), ignore=tuple(ignore))


def replacement(finding: Finding, text: str) -> str | None:
    """What replaces the flagged text, from the finding's ``fix`` (which may cover a part of it, as
    the year of a heading): LanguageTool replaces a match's whole span."""
    fix = finding.fix
    if fix is None or not finding.start <= fix.start <= fix.end <= finding.end:
        return None
    return text[finding.start : fix.start] + fix.replacement + text[fix.end : finding.end]


def context(text: str, start: int, end: int) -> dict[str, Any]:
    """LanguageTool's context: up to 40 characters either side, ``...`` where cut, newlines as spaces."""
    left = max(start - CONTEXT_SIZE, 0)
    right = min(end + CONTEXT_SIZE, len(text))
    prefix = "..." if left > 0 else ""
    window = prefix + text[left:right].replace("\r", " ").replace("\n", " ") + ("..." if right < len(text) else "")
    offset = len(prefix) + utf16_length(text[left:start])
    return {"text": window, "offset": offset, "length": utf16_length(text[start:end])}


def match(finding: Finding, document: Annotated, utf16: Utf16) -> dict[str, Any]:
    rule = RULES_BY_CODE[finding.code]
    start, end = document.to_original(finding.start, finding.end)
    value = replacement(finding, document.plain)
    message = finding.message
    if finding.suggestion and value is None:
        message = f"{message}；建议：{finding.suggestion}"
    return {
        "message": message,
        "shortMessage": finding.title or finding.name,
        "replacements": [] if value is None else [{"value": value}],
        "offset": utf16(start),
        "length": utf16(end) - utf16(start),
        "context": context(document.original, start, end),
        "sentence": finding.sentence,
        "type": {"typeName": TYPE_NAMES[finding.severity]},
        "rule": {
            "id": rule.code,
            "description": rule.summary,
            "issueType": ISSUE_TYPES[finding.severity],
            "urls": [{"value": url_for("api.rule", code=rule.code, _external=True)}],
            "category": {"id": rule.family, "name": CATEGORY_NAMES[rule.family]},
        },
        "ignoreForIncompleteSentence": False,
        "contextForSureMatch": 0,
    }
