"""``tally``: check reports from the command line, list the rules, or start the HTTP service.

A thin shell around ``service.check``: it reads files (text, Word, PDF, through
``service.documents``) and walks folders, turns flags into ``Options``, checks the files in
parallel (``--jobs``), and prints each report in input order for people (``--format text``) or
as JSON Lines (``--format json``, the HTTP response body plus ``"path"``; a Word or PDF file adds
``"document"`` and a ``"location"`` per finding), or as one SARIF 2.1.0 log for all of them
(``--format sarif``). More than one file ends with a summary table (on stdout for text, on
stderr otherwise); a progress bar is drawn on stderr when it is a terminal.

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for bad usage or
an input that could not be read (2 wins over 1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import regex

from .checks import RULES, RULES_BY_CODE
from .documents import SUFFIXES, DocumentError, extract, with_locations
from .model import INCLUDES, SEVERITIES, Finding, Options, Report, severity_rank
from .pipeline import check
from .sarif import to_sarif

STDIN = "-"
STDIN_NAME = "<stdin>"
QUOTE_WIDTH = 70  # a sentence up to this many characters is quoted whole …
QUOTE_CONTEXT = 24  # … a longer one is cut to this many characters either side of the finding

_SPACE = regex.compile(r"\s+")
_ANSI = {"error": "1;31", "warning": "1;33", "info": "1;36", "bold": "1"}


@dataclass(frozen=True)
class Outcome:
    """What checking one input gave: its output, or why it could not be read, and its counts."""

    name: str
    output: str = ""  # the text or JSON Lines block to print on stdout
    note: str | None = None  # a remark for stderr, such as the encoding a text file was read with
    error: str | None = None  # why the input could not be read
    failing: bool = False  # a finding reached --fail-on
    counts: tuple[tuple[str, str, int], ...] = ()  # (rule family, severity, findings)
    checked: tuple[str, Report] | None = None  # the text and its report, for one SARIF log at the end


def expand(paths: Sequence[str]) -> list[tuple[str, str | None]]:
    """The inputs to check, in order: files as given, folders walked for .txt/.docx/.pdf files.

    Each entry is (path, why it cannot be checked or None); a folder without a checkable file
    is such an entry.
    """
    inputs: list[tuple[str, str | None]] = []
    for path in paths:
        if path != STDIN and Path(path).is_dir():
            found = sorted(
                (p for p in Path(path).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()),
                key=lambda p: p.parts,
            )
            inputs.extend((str(p), None) for p in found)
            if not found:
                inputs.append((path, f"a folder with no {', '.join(SUFFIXES)} files in it"))
        else:
            inputs.append((path, None))
    return inputs


def check_input(path: str, data: bytes | None, options: Options, floor: int | None, fmt: str, color: bool) -> Outcome:
    """Read, extract, check and format one input; never raises for a bad file."""
    name = STDIN_NAME if path == STDIN else path
    try:
        raw = Path(path).read_bytes() if data is None else data
        extracted = extract(raw, None if path == STDIN else path)
    except OSError as exc:
        return Outcome(name, error=exc.strerror or str(exc))
    except DocumentError as exc:
        return Outcome(name, error=exc.message)
    note = f"not UTF-8, read as {extracted.encoding}" if extracted.encoding else None
    report = check(extracted, options, data=raw)  # the report's provenance: the digest of the file's bytes
    counts = Counter((RULES_BY_CODE[f.code].family, f.severity) for f in report.findings)
    failing = floor is not None and any(severity_rank(f.severity) >= floor for f in report.findings)
    counted = tuple((*key, n) for key, n in sorted(counts.items()))
    if fmt == "sarif":  # one log for every file: written once they are all checked
        return Outcome(name, "", note, None, failing, counted, (extracted.text, report))
    if fmt == "json":
        body = report.to_dict()
        if extracted.kind != "txt":
            body = with_locations(body, extracted, Path(path).name)
        output = json.dumps({"path": name, **body}, ensure_ascii=False)
    else:
        output = format_text(name, extracted.text, report, color=color, locate=extracted.locate)
    return Outcome(name, output, note, None, failing, counted)


def format_text(
    name: str, text: str, report: Report, *, color: bool = False, locate: Callable[[int], dict] | None = None
) -> str:
    """A report for people: findings grouped by section, each with its line, quote and arithmetic.

    For a Word or PDF file ``locate`` says where a finding sits (page, paragraph, table cell).
    """
    paint = _painter(color)
    out = [paint(name, "bold")]
    for section, findings in groupby(report.findings, key=lambda f: f.section):
        out.append(f"  § {section or '(before the first heading)'}")
        for f in findings:
            where = f"line {f.line}"
            if locate is not None and "line" not in (location := locate(f.start)):
                where = ", ".join(f"{key} {value}" for key, value in location.items())
            cell = dict(f.location)
            if "column" in cell:  # a standard table's cell
                where += f" · {cell['table']} / {cell['row']} / {cell['column']}"
            out.append(f"    {paint(f.severity, f.severity)} {paint(f.code, 'bold')} {f.name} · {where}")
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
    try:
        return args.run(args)
    except BrokenPipeError:
        # the reader stopped early (tally check … | head): stop quietly, as the Python docs
        # advise, pointing stdout at devnull so the interpreter's final flush cannot fail too
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tally",
        description="Consistency checker for Chinese government fiscal reports (预算/决算/绩效).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cmd = commands.add_parser(
        "check",
        help="check report files and print the findings",
        description="Check reports (.txt in UTF-8 or GB18030, .docx, .pdf; folders are walked) and print the "
        "findings, then a summary table when there is more than one file. "
        "Exit status: 0 no finding at the --fail-on level, 1 otherwise, 2 bad usage or unreadable input.",
    )
    cmd.add_argument(
        "files", nargs="+", metavar="FILE", help="a .txt, .docx or .pdf report, or a folder of them; - reads stdin"
    )
    cmd.add_argument(
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="text for people, json for JSON Lines, sarif for one SARIF 2.1.0 log of every file",
    )
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
    cmd.add_argument(
        "--jobs",
        type=_positive,
        default=os.cpu_count() or 1,
        metavar="N",
        help="check files in N processes (default: the number of CPUs)",
    )
    cmd.set_defaults(run=run_check)

    rules = commands.add_parser("rules", help="list the rules, or show one rule's documentation")
    rules.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as SHR001")
    rules.set_defaults(run=run_rules)

    serve = commands.add_parser("serve", help="start the HTTP service")
    serve.add_argument(
        "--host",
        default=os.environ.get("TALLY_HOST", "127.0.0.1"),
        help="address to bind (default: $TALLY_HOST, else 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=os.environ.get("TALLY_PORT", "8080"),
        help="port to listen on (default: $TALLY_PORT, else 8080)",
    )
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
    inputs = expand(args.files)
    stdin = sys.stdin.buffer.read() if any(path == STDIN for path, _ in inputs) else None
    progress = Progress(len(inputs)) if len(inputs) > 1 and sys.stderr.isatty() else None
    outcomes: list[Outcome] = []
    shown = False
    for outcome in _check_all(inputs, stdin, options, floor, args.format, color, args.jobs, progress):
        if progress:
            progress.clear()
        if outcome.error:
            print(f"tally: error: {outcome.name}: {outcome.error}", file=sys.stderr)
        if outcome.note:
            print(f"tally: {outcome.name}: {outcome.note}", file=sys.stderr)
        if outcome.output:
            print(("\n" if shown and args.format == "text" else "") + outcome.output, flush=bool(progress))
            shown = True
        outcomes.append(outcome)
        if progress:
            progress.show()
    if progress:
        progress.clear()
    if args.format == "sarif":
        log = to_sarif((o.name, *o.checked) for o in outcomes if o.checked is not None)
        print(json.dumps(log, ensure_ascii=False, indent=2))
    if len(outcomes) > 1:
        table = summary_table(outcomes)
        if args.format == "text":
            print("\n" + table)
        else:  # stdout holds JSON Lines or the SARIF log
            print(table, file=sys.stderr)
    return 2 if any(o.error for o in outcomes) else int(any(o.failing for o in outcomes))


def _check_all(
    inputs: list[tuple[str, str | None]],
    stdin: bytes | None,
    options: Options,
    floor: int | None,
    fmt: str,
    color: bool,
    jobs: int,
    progress: Progress | None,
) -> Iterator[Outcome]:
    """Each input's outcome in input order, checked across ``jobs`` processes when there are several."""

    def task(path: str) -> tuple[str, bytes | None, Options, int | None, str, bool]:
        return path, stdin if path == STDIN else None, options, floor, fmt, color

    todo = [path for path, problem in inputs if problem is None]
    if jobs <= 1 or len(todo) <= 1:
        for path, problem in inputs:
            yield Outcome(path, error=problem) if problem else check_input(*task(path))
            if progress:
                progress.advance()
        return
    check("")  # build the pipeline once, before the workers fork, so that they share it
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo))) as pool:
        futures = {path: pool.submit(check_input, *task(path)) for path in todo}
        if progress:
            for future in futures.values():
                future.add_done_callback(lambda _: progress.advance(show=False))
        for path, problem in inputs:
            if problem:
                yield Outcome(path, error=problem)
                continue
            try:
                yield futures[path].result()
            except Exception as exc:  # a worker that died (killed, out of memory) fails its file only
                yield Outcome(STDIN_NAME if path == STDIN else path, error=f"internal error: {exc!r}")


class Progress:
    """``[#####.....] 12/40 files`` on one line of stderr, redrawn in place; only on a terminal."""

    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def advance(self, *, show: bool = True) -> None:
        self.done += 1
        if show:
            self.show()

    def show(self) -> None:
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} files")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def summary_table(outcomes: Sequence[Outcome]) -> str:
    """Files, files with errors, findings per rule family and severity, and the files that failed to read."""
    checked = [o for o in outcomes if not o.error]
    with_errors = sum(any(severity == "error" for _, severity, _ in o.counts) for o in checked)
    failed = [o for o in outcomes if o.error]
    totals: Counter[tuple[str, str]] = Counter()
    for o in checked:
        for family, severity, n in o.counts:
            totals[family, severity] += n
    out = [
        f"{_plural(len(outcomes), 'file')}: {len(checked)} checked, {with_errors} with errors, "
        f"{len(failed)} could not be read"
    ]
    families = sorted({family for family, _ in totals})
    header = ["family", *(f"{severity}s" for severity in reversed(SEVERITIES))]
    rows = [[family, *(str(totals[family, s]) for s in reversed(SEVERITIES))] for family in families]
    rows.append(["total", *(str(sum(totals[f, s] for f in families)) for s in reversed(SEVERITIES))])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.append(
            "  "
            + "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    if failed:
        out.append("could not be read:")
        out.extend(f"  {o.name}: {o.error}" for o in failed)
    return "\n".join(out)


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
    app = create_app()  # warms the pipeline up, so the first request is not the slow one
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Tally serving on http://{host}:{args.port}  (Ctrl+C stops it)", file=sys.stderr, flush=True)
    run_simple(args.host, args.port, app, threaded=True)
    return 0


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r} (0-65535; from --port or TALLY_PORT)")
    return port


def _rule_codes(value: str) -> list[str]:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    unknown = [code for code in codes if not any(rule.code.startswith(code) for rule in RULES)]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown rule code or family: {', '.join(unknown)}")
    return codes


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, not {value!r}")
    return number


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
