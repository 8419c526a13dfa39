"""``tally``: check reports from the command line, list the rules, or start the HTTP service.

A thin shell around ``service.check``: it reads and decodes files, turns flags into
``Options``, and prints each report for people (``--format text``) or as JSON Lines
(``--format json``, the HTTP response body plus ``"path"``).

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for bad usage or
an input that could not be read (2 wins over 1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from itertools import groupby
from pathlib import Path

import regex

from .checks import RULES, RULES_BY_CODE
from .model import SEVERITIES, Finding, Options, Report, severity_rank
from .pipeline import check

STDIN = "-"
STDIN_NAME = "<stdin>"
INCLUDES = ("quantities", "claims")
QUOTE_WIDTH = 70  # a sentence up to this many characters is quoted whole …
QUOTE_CONTEXT = 24  # … a longer one is cut to this many characters either side of the finding

_SPACE = regex.compile(r"\s+")
_ANSI = {"error": "1;31", "warning": "1;33", "info": "1;36", "bold": "1"}


class UnreadableInput(Exception):
    """An input that could not be read or decoded; the message says why."""


def read_input(path: str) -> tuple[str, str | None]:
    """The text of ``path`` (``-`` is stdin) and, when it was not UTF-8, the encoding used."""
    try:
        data = sys.stdin.buffer.read() if path == STDIN else Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableInput(exc.strerror or str(exc)) from exc
    return decode(data)


def decode(data: bytes) -> tuple[str, str | None]:
    """Strict UTF-8, else GB18030 (common for government documents), else unreadable."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "GB18030"
        except UnicodeDecodeError:
            raise UnreadableInput(
                f"not UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) nor GB18030"
            ) from utf8_error


def format_text(name: str, text: str, report: Report, *, color: bool = False) -> str:
    """A report for people: findings grouped by section, each with its line, quote and arithmetic."""
    paint = _painter(color)
    out = [paint(name, "bold")]
    for section, findings in groupby(report.findings, key=lambda f: f.section):
        out.append(f"  § {section or '(before the first heading)'}")
        for f in findings:
            out.append(f"    {paint(f.severity, f.severity)} {paint(f.code, 'bold')} {f.name} · line {f.line}")
            before, flagged, after = quote(text, f)
            mark = paint(flagged, f.severity) if color else f"【{flagged}】"
            out.append(f"      > {before}{mark}{after}")
            out.append(f"      {f.message}")
            if f.suggestion:
                out.append(f"      suggestion: {f.suggestion}")
            out.append("")
    if not report.findings:
        out.append("  no findings")
    out.append(summary(name, report))
    return "\n".join(out)


def quote(text: str, f: Finding) -> tuple[str, str, str]:
    """The finding's sentence as (before, flagged, after), cut around the finding when long."""
    begin = text.find(f.sentence, max(0, f.end - len(f.sentence)))
    if not 0 <= begin <= f.start:
        return "", _oneline(f.text), ""
    stop = begin + len(f.sentence)
    lo, hi = begin, stop
    if stop - begin > QUOTE_WIDTH:
        lo, hi = max(begin, f.start - QUOTE_CONTEXT), min(stop, f.end + QUOTE_CONTEXT)
    before = ("…" if lo > begin else "") + _oneline(text[lo : f.start])
    after = _oneline(text[f.end : hi]) + ("…" if hi < stop else "")
    return before, _oneline(text[f.start : f.end]), after


def summary(name: str, report: Report) -> str:
    """One line that tells "no findings" apart from "nothing checked"."""
    cov = report.coverage
    counts = cov["findings"]
    unchecked = sum(cov["unchecked"].values())
    return (
        f"{name}: {_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}, "
        f"{counts['info']} info; {_plural(cov['checked_total'], 'claim')} checked, {unchecked} left unchecked, "
        f"{_plural(cov['quantities']['total'], 'figure')} found"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tally`` and ``python -m service``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check" and args.include and args.format != "json":
        parser.error("--include needs --format json")
    if args.command == "rules" and args.code and args.code.upper() not in RULES_BY_CODE:
        parser.error(f"unknown rule {args.code!r} (`tally rules` lists them)")
    return args.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tally",
        description="Consistency checker for Chinese government fiscal reports (预算/决算/绩效).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser(
        "check",
        help="check report files and print the findings",
        description="Check report files (UTF-8, or GB18030) and print the findings. "
        "Exit status: 0 no finding at the --fail-on level, 1 otherwise, 2 bad usage or unreadable input.",
    )
    cmd.add_argument("files", nargs="+", metavar="FILE", help="a plain-text report; - reads stdin")
    cmd.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for JSON Lines")
    cmd.add_argument(
        "--fail-on",
        choices=("error", "warning", "never"),
        default="error",
        help="exit 1 when a finding at or above this level exists (default: error)",
    )
    cmd.add_argument(
        "--select", action="extend", type=_rule_codes, default=[], metavar="CODES", help="only these codes/families"
    )
    cmd.add_argument(
        "--ignore", action="extend", type=_rule_codes, default=[], metavar="CODES", help="skip these codes/families"
    )
    cmd.add_argument("--min-severity", choices=SEVERITIES, default="info", help="drop findings below this level")
    cmd.add_argument(
        "--include",
        action="extend",
        type=_includes,
        default=[],
        metavar="PARTS",
        help="add quantities and/or claims to the JSON output",
    )
    cmd.set_defaults(run=run_check)

    rules = commands.add_parser("rules", help="list the rules, or show one rule's documentation")
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as SHR001")
    rules.set_defaults(run=run_rules)

    serve = commands.add_parser("serve", help="start the HTTP service")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default: 8080)")
    serve.set_defaults(run=run_serve)
    return parser


def run_check(args: argparse.Namespace) -> int:
    options = Options(
        include=frozenset(args.include),
        select=tuple(args.select),
        ignore=tuple(args.ignore),
        min_severity=args.min_severity,
    )
    color = args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    floor = None if args.fail_on == "never" else severity_rank(args.fail_on)
    unreadable = failing = shown = False
    for path in args.files:
        name = STDIN_NAME if path == STDIN else path
        try:
            text, encoding = read_input(path)
        except UnreadableInput as exc:
            print(f"tally: error: {name}: {exc}", file=sys.stderr)
            unreadable = True
            continue
        if encoding:
            print(f"tally: {name}: not UTF-8, read as {encoding}", file=sys.stderr)
        report = check(text, options)
        if args.format == "json":
            print(json.dumps({"path": name, **report.to_dict()}, ensure_ascii=False))
        else:
            print(("\n" if shown else "") + format_text(name, text, report, color=color))
            shown = True
        failing |= floor is not None and any(severity_rank(f.severity) >= floor for f in report.findings)
    return 2 if unreadable else int(failing)


def run_rules(args: argparse.Namespace) -> int:
    if args.code:
        rule = RULES_BY_CODE[args.code.upper()]
        print(f"{rule.code} {rule.name} ({rule.severity})\n{rule.summary}\n\n{rule.doc.rstrip()}")
        return 0
    name_width = max(len(rule.name) for rule in RULES)
    for rule in RULES:
        print(f"{rule.code:<8}{rule.name:<{name_width + 2}}{rule.severity:<9}{rule.summary}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import logging
    import os

    from werkzeug.serving import run_simple

    from .http import create_app

    # the app logs one line per request (sizes and timings, never the text)
    logging.basicConfig(
        level=os.environ.get("TALLY_LOG_LEVEL", "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the app's own line replaces werkzeug's
    run_simple(args.host, args.port, create_app(), threaded=True)  # create_app warms the pipeline up
    return 0


def _rule_codes(value: str) -> list[str]:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if not any(rule.code.startswith(code) for rule in RULES)]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown rule code or family: {', '.join(unknown)}")
    return codes


def _includes(value: str) -> list[str]:
    parts = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in parts if part not in INCLUDES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown part {', '.join(unknown)} (choose from {', '.join(INCLUDES)})")
    return parts


def _painter(color: bool):
    if not color:
        return lambda s, _style: s
    return lambda s, style: f"\x1b[{_ANSI[style]}m{s}\x1b[0m"


def _oneline(s: str) -> str:
    return _SPACE.sub(" ", s)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
