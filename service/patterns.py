"""Load everything in ``patterns/`` once: regex fragments, word lists, lexicons.

Fragments reference each other as ``{name}``; they are resolved here, in one place,
and each named pattern is compiled once with the ``regex`` module.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

PATTERNS_DIR = Path(__file__).resolve().parent.parent / "patterns"
_REF = regex.compile(r"\{([a-z_]+)\}")


def _patterns_dir() -> Path:
    # installed from a wheel, patterns/ sits beside the modules as _patterns/
    bundled = Path(__file__).resolve().parent / "_patterns"
    return bundled if bundled.is_dir() else PATTERNS_DIR


def resolve(template: str, fragments: dict[str, str], depth: int = 0) -> str:
    """Replace ``{name}`` with the named fragment, recursively."""
    if depth > 10:
        raise ValueError(f"fragment reference loop in {template!r}")
    return _REF.sub(lambda m: resolve(fragments[m.group(1)], fragments, depth + 1), template)


def load_toml(name: str) -> dict:
    with open(_patterns_dir() / name, "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Identity:
    total: str
    parts: tuple[str, ...]
    strict: bool = True


@dataclass(frozen=True)
class Patterns:
    quantity: regex.Pattern  # one pass: blocked spans first, then every figure
    negative: regex.Pattern
    periods: dict[str, str]  # blocked form -> the kind of period it names (date, year, months)
    relative_periods: regex.Pattern  # 上年, 本年, 去年 …
    words: dict
    metrics: dict[str, str]  # alias -> canonical
    identities: tuple[Identity, ...]


def words_regex(words: list[str]) -> str:
    """An alternation of literal words, longest first so that the longest wins."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


def load_metrics(path: Path) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, _, rest = line.partition("\t")
        canonical = canonical.strip()
        for alias in [canonical, *[a for a in rest.strip().split("|") if a]]:
            if alias in aliases and aliases[alias] != canonical:
                raise ValueError(f"alias {alias!r} maps to both {aliases[alias]} and {canonical}")
            aliases[alias] = canonical
    return aliases


@cache
def load() -> Patterns:
    spec = load_toml("quantities.toml")
    fragments = spec["fragments"]
    blocked = {name: resolve(src, fragments) for name, src in spec["negative"].items()}
    figure = resolve(spec["patterns"]["figure"], fragments)
    # the scan needs only to know that a form is blocked; which one is read, on request, by the
    # named copy (captures would cost every check a little)
    quantity = regex.compile(
        "(?P<blocked>" + "|".join(f"(?:{src})" for src in blocked.values()) + f")|{figure}", regex.V1
    )
    negative = regex.compile("|".join(f"(?P<neg_{name}>{src})" for name, src in blocked.items()), regex.V1)
    identities = tuple(
        Identity(i["total"], tuple(i["parts"]), i.get("strict", True)) for i in load_toml("identities.toml")["identity"]
    )
    return Patterns(
        quantity=quantity,
        negative=negative,
        periods=dict(spec["periods"]),
        relative_periods=regex.compile(spec["relative_periods"]["pattern"]),
        words=load_toml("words.toml"),
        metrics=load_metrics(_patterns_dir() / "metrics.tsv"),
        identities=identities,
    )
