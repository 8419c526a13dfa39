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


class PatternError(ValueError):
    """A file in patterns/ that does not follow its schema: names the file, the entry and the fix."""


RELATIONS = ("=", ">=")


@dataclass(frozen=True)
class Identity:
    """``total = Σ parts`` (relation "=") or ``total ≥ Σ parts`` (">=": the parts are some of what
    the total counts). ``same`` marks a pair that are one quantity under two names (收入总计 and
    支出总计): patterns/identities.toml's ``[[same]]`` groups."""

    total: str
    parts: tuple[str, ...]
    relation: str = "="
    same: bool = False

    @property
    def strict(self) -> bool:
        """A shortfall is an error when every part is stated (only for "=")."""
        return self.relation == "="


@dataclass(frozen=True)
class MetricEdges:
    """What makes a lexicon name part of a longer one (patterns/metric_edges.toml)."""

    prefixes: tuple[str, ...]  # 学前 + 教育支出: a narrower quantity's name
    suffixes: tuple[str, ...]  # 项目支出 + 结转和结余: another quantity's name
    scopes: dict[str, tuple[str, ...]]  # scope -> the words that name it (政府性基金 …)


@dataclass(frozen=True)
class Patterns:
    quantity: regex.Pattern  # one pass: blocked spans first, then every figure
    negative: regex.Pattern
    periods: dict[str, str]  # blocked form -> the kind of period it names (date, year, months)
    relative_periods: regex.Pattern  # 上年, 本年, 去年 …
    words: dict
    metrics: dict[str, str]  # alias -> canonical
    identities: tuple[Identity, ...]
    distributive: regex.Pattern  # the figures of a list before its last one (分别为356.10、360.40万元)
    distributive_lead: regex.Pattern
    scale_only_context: regex.Pattern  # the words before 19204.096万 that make it money (万元)
    edges: MetricEdges
    claims: dict  # patterns/claims.toml by table: every `…pattern` key compiled, fragments resolved


def compile_keyed(table: dict, fragments: dict[str, str]) -> dict:
    """A TOML table with every string under a key ending in ``pattern`` resolved against
    ``fragments`` and compiled (at any depth); every other value as it is."""
    out: dict = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out[key] = compile_keyed(value, fragments)
        elif isinstance(value, str) and key.endswith("pattern"):
            out[key] = regex.compile(resolve(value, fragments))
        else:
            out[key] = value
    return out


def words_regex(words: list[str]) -> str:
    """An alternation of literal words, longest first so that the longest wins, in a group of
    its own (what is written after it applies to every word, not only the last)."""
    return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


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


IDENTITY_KEYS = {"total", "parts", "relation"}
SAME_KEYS = {"names"}


def load_identities(spec: dict, metrics: set[str]) -> tuple[Identity, ...]:
    """patterns/identities.toml, schema-checked: ``[[identity]]`` (total, parts, relation) and
    ``[[same]]`` (names). Every name must be a canonical metric of patterns/metrics.tsv."""
    where = "patterns/identities.toml"
    unknown = set(spec) - {"identity", "same"}
    if unknown:
        raise PatternError(f"{where}: unknown table(s) {sorted(unknown)}; only [[identity]] and [[same]] exist")

    def name(value, what: str) -> str:
        if not isinstance(value, str) or not value:
            raise PatternError(f"{where}: {what} must be a metric name (a string), not {value!r}")
        if value not in metrics:
            raise PatternError(f"{where}: {what} {value!r} is not a canonical metric of patterns/metrics.tsv")
        return value

    out: list[Identity] = []
    for n, entry in enumerate(spec.get("identity", []), start=1):
        what = f"[[identity]] #{n} ({entry.get('total', '?')})"
        extra = set(entry) - IDENTITY_KEYS
        if extra:
            raise PatternError(f"{where}: {what}: unknown key(s) {sorted(extra)}; allowed: {sorted(IDENTITY_KEYS)}")
        if "total" not in entry or "parts" not in entry:
            raise PatternError(f"{where}: {what}: needs both 'total' and 'parts'")
        relation = entry.get("relation", "=")
        if relation not in RELATIONS:
            raise PatternError(f"{where}: {what}: relation {relation!r} is not one of {list(RELATIONS)}")
        parts = entry["parts"]
        if not isinstance(parts, list) or not parts:
            raise PatternError(f"{where}: {what}: 'parts' must be a non-empty list of metric names")
        total = name(entry["total"], f"{what} total")
        names = tuple(name(p, f"{what} part") for p in parts)
        if total in names or len(set(names)) != len(names):
            raise PatternError(f"{where}: {what}: a part is repeated or is the total itself")
        out.append(Identity(total, names, relation))
    for n, entry in enumerate(spec.get("same", []), start=1):
        what = f"[[same]] #{n}"
        if set(entry) != SAME_KEYS:
            raise PatternError(f"{where}: {what}: takes exactly one key, 'names' (a list of two or more metrics)")
        names = entry["names"]
        if not isinstance(names, list) or len(names) < 2 or len(set(map(str, names))) != len(names):
            raise PatternError(f"{where}: {what}: 'names' must list two or more different metrics")
        names = [name(x, f"{what} name") for x in names]
        out.extend(Identity(names[0], (other,), "=", same=True) for other in names[1:])
    return tuple(out)


def load_edges(spec: dict) -> MetricEdges:
    where = "patterns/metric_edges.toml"
    for key in ("prefixes", "suffixes"):
        words = spec.get(key, {}).get("words")
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise PatternError(f"{where}: [{key}] needs 'words', a list of non-empty strings")
    scopes = spec.get("scopes", {})
    if not all(isinstance(v, list) and v and all(isinstance(w, str) and w for w in v) for v in scopes.values()):
        raise PatternError(f"{where}: every entry of [scopes] is a scope name = a list of the words naming it")
    return MetricEdges(
        tuple(spec["prefixes"]["words"]),
        tuple(spec["suffixes"]["words"]),
        {k: tuple(v) for k, v in scopes.items()},
    )


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
    metrics = load_metrics(_patterns_dir() / "metrics.tsv")
    words = load_toml("words.toml")
    identities = load_identities(load_toml("identities.toml"), set(metrics.values()))
    return Patterns(
        quantity=quantity,
        negative=negative,
        periods=dict(spec["periods"]),
        relative_periods=regex.compile(spec["relative_periods"]["pattern"]),
        words=words,
        metrics=metrics,
        identities=identities,
        distributive=regex.compile(resolve(spec["distributive"]["list_pattern"], fragments), regex.V1),
        distributive_lead=regex.compile(f"(?:{words_regex(words['distributive']['lead'])})[ \\t]{{0,2}}$"),
        scale_only_context=regex.compile(resolve(spec["scale_only"]["context_pattern"], fragments)),
        edges=load_edges(load_toml("metric_edges.toml")),
        claims=_claims(load_toml("claims.toml")),
    )


def _claims(spec: dict) -> dict:
    fragments = spec.get("fragments", {})
    return compile_keyed({k: v for k, v in spec.items() if k != "fragments"}, fragments)
