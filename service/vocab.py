"""The words the API's output is made of, in one place: severities, evidence roles, claim kinds
and link reasons.

Each is a ``StrEnum``: a member is the string itself (``Role.PART == "part"``), so the checks
may write either and the JSON is the same. The schemas validate against these (service/http/
schemas.py), SARIF and the LanguageTool endpoint map severities from them, and
tests/test_vocab.py runs the engine over the corpora and the seeds to hold every role, kind
and reason it emits to these lists (and the review page's labels to the roles).
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """A finding's severity, lowest first (the order ``min_severity`` compares in)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Role(StrEnum):
    """What an evidence item is to its finding."""

    PART = "part"
    WHOLE = "whole"
    TOTAL = "total"
    TOTAL_BOUND = "total-bound"
    LISTED_PART = "listed-part"
    SHARE = "share"
    RATE = "rate"
    CURRENT = "current"
    PRIOR = "prior"
    CHANGE = "change"
    ACTUAL = "actual"
    BUDGET = "budget"
    TARGET = "target"
    OTHER_TARGET = "other-target"
    REMAINING = "remaining"
    DIFFERENCE = "difference"
    STATED = "stated"
    OTHER_STATEMENT = "other-statement"
    COUNT = "count"
    ITEM = "item"
    OWNER = "owner"
    REPORTING_UNIT = "reporting-unit"
    SUBJECT = "subject"
    SELF_REFERENCE = "self-reference"
    DATE = "date"
    OTHER_DATE = "other-date"
    PERIOD = "period"
    NAME = "name"
    OTHER_NAME = "other-name"
    TITLE_NAME = "title-name"
    ACTIVITY = "activity"
    EXPENSE = "expense"
    DESCRIPTION = "description"
    OTHER_DESCRIPTION = "other-description"
    FUND = "fund"
    TITLE_FUND = "title-fund"
    SCOPE = "scope"
    PLACEHOLDER = "placeholder"
    SCORE = "score"
    WEIGHT = "weight"


class ClaimKind(StrEnum):
    """What a claim asserts (``include=claims``; coverage counts the first four)."""

    BREAKDOWN = "breakdown"
    SHARE = "share"
    CHANGE = "change"
    COMPLETION = "completion"
    STATEMENT = "statement"
    IDENTITY = "identity"


class LinkReason(StrEnum):
    """Why a claim was checked against the figure it was linked to (``link.reason``; an unlinked
    claim says why in its ``note``, in words)."""

    BREAKDOWN_TOTAL = "breakdown-total"
    ITEM_COUNT = "item-count"
    NAMED_WHOLE = "named-whole"
    SENTENCE_SUBJECT = "sentence-subject"
    SAME_SENTENCE = "same-sentence"
    FIGURE_BEFORE_CHANGE = "figure-before-change"
    PREVIOUS_SENTENCE_SUBJECT = "previous-sentence-subject"
    SAME_METRIC_EARLIER = "same-metric-earlier"
    PRIOR_IN_CHANGE = "prior-in-change"
    TWO_YEARS_IN_SENTENCE = "two-years-in-sentence"
    TARGET_IN_COMPLETION = "target-in-completion"
    NAMED_BASE = "named-base"
    TARGET_THEN_ACTUAL = "target-then-actual"
    DONE_AND_REMAINING = "done-and-remaining"
    ACTUAL_AND_DIFFERENCE = "actual-and-difference"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The members as plain strings, in declaration order."""
    return tuple(member.value for member in vocabulary)


class Stage(StrEnum):
    """Where the time budget may stop a check (service/budget.py): ``coverage.stopped_in``."""

    READ = "read"  # the file was read in part (coverage.extraction): what was read was checked
    TAG = "tag"  # no figure was read: nothing checked
    CLAIMS = "claims"  # figures read, no claim linked: nothing checked
    CHECKS = "checks"  # the families before the one that ran out were checked
