"""The rule registry, derived from the one ``FAMILY = Family(...)`` each family module declares.

A new family is a new module that ends with its FAMILY declaration, plus its entry in MODULES:
its rules, its place in /v1/rules, when its check runs and what it emits all follow from that.
"""

from __future__ import annotations

from . import (
    activities,
    changes,
    completion,
    directions,
    entities,
    equivalence,
    periods,
    rounding,
    scores,
    shares,
    sums,
    tables,
    units,
)
from .base import Family, Rule
from .context import Context

# one module a family; the order here is the order of /v1/rules, and of the checks (each after
# the families its declaration names in ``after``)
MODULES = (
    sums,
    shares,
    changes,
    completion,
    equivalence,
    units,
    rounding,
    entities,
    periods,
    scores,
    directions,
    activities,
    tables,
)

FAMILIES: tuple[Family, ...] = tuple(module.FAMILY for module in MODULES)
FAMILIES_BY_PREFIX = {family.prefix: family for family in FAMILIES}
FAMILY_ORDER = tuple(FAMILIES_BY_PREFIX)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.rules)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def _check_order(families: tuple[Family, ...]) -> tuple[Family, ...]:
    """The families with a check, in declaration order but each after the ones it runs after."""
    by_prefix = {family.prefix: family for family in families}
    if len(by_prefix) != len(families):
        raise ValueError("two families declare the same prefix")
    for family in families:
        unknown = [p for p in (*family.emits, *family.after) if p not in by_prefix]
        if unknown:
            raise ValueError(f"family {family.prefix} names unknown families: {', '.join(unknown)}")
    placed: dict[str, Family] = {}
    visiting: list[str] = []

    def place(family: Family) -> None:
        if family.prefix in placed:
            return
        if family.prefix in visiting:
            raise ValueError(f"families run after each other in a circle: {' → '.join(visiting)}")
        visiting.append(family.prefix)
        for prefix in family.after:
            place(by_prefix[prefix])
        visiting.pop()
        placed[family.prefix] = family

    for family in families:
        place(family)
    return tuple(family for family in placed.values() if family.check is not None)


# the families with a check, in the order the checks run
CHECKED: tuple[Family, ...] = _check_order(FAMILIES)
CHECKS = tuple(family.check for family in CHECKED)
# the rule families each check can emit
EMITS = {family.check: family.emits for family in CHECKED}


def to_run(options) -> tuple[Family, ...]:
    """The families whose checks a caller's ``select``/``ignore`` needs, in the order they run:
    every check that can emit a wanted rule, and every family such a check runs after."""
    if not options.select and not options.ignore:
        return CHECKED
    needed = {
        family.prefix
        for family in CHECKED
        if any(options.wants(rule.code) for prefix in family.emits for rule in FAMILIES_BY_PREFIX[prefix].rules)
    }
    pending = list(needed)
    while pending:
        for prefix in FAMILIES_BY_PREFIX[pending.pop()].after:
            if prefix not in needed:
                needed.add(prefix)
                pending.append(prefix)
    return tuple(family for family in CHECKED if family.prefix in needed)


__all__ = [
    "CHECKED",
    "CHECKS",
    "EMITS",
    "FAMILIES",
    "FAMILY_ORDER",
    "RULES",
    "RULES_BY_CODE",
    "Context",
    "Family",
    "Rule",
    "to_run",
]
