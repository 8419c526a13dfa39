"""The rule registry: every rule, in an explicit order, and the checks that emit them."""

from __future__ import annotations

from . import changes, completion, directions, entities, equivalence, periods, rounding, shares, sums, units
from .base import Rule
from .context import Context

# one module a family; the order here is the order of /v1/rules
FAMILIES = (sums, shares, changes, completion, equivalence, units, rounding, entities, periods, directions)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
# sums first: the shares and identity checks read which totals it added up
CHECKS = (
    sums.check,
    shares.check,
    changes.check,
    completion.check,
    equivalence.check,
    units.check,
    entities.check,
    periods.check,
    directions.check,
)

__all__ = ["CHECKS", "RULES", "RULES_BY_CODE", "Context", "Rule"]
