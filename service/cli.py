"""``tally``: check reports from the command line, list the rules, or start the HTTP service.

A thin shell around ``service.check``: it reads files (text, Word, PDF, through
``service.read.documents``) and walks folders, turns flags into ``Options``, checks the files in
parallel (``--jobs``), and prints each report in input order for people (``--format text``) or
as JSON Lines (``--format json``, the HTTP response body plus ``"path"``; a Word or PDF file adds
``"document"`` and a ``"location"`` per finding), or as one SARIF 2.1.0 log for all of them
(``--format sarif``), or as a Word document of review comments per file (``--format docx -o``,
service/report/docx.py). Text is in Chinese unless ``--lang en`` (labels, the summary, the
reasons claims were left unchecked: service/report/wording.py); JSON and SARIF keep their English keys.
More than one file ends with a summary table (on stdout for text, on stderr otherwise); a
progress bar is drawn on stderr when it is a terminal.

Baselines (service/report/baseline.py): ``--write-baseline FILE`` records every finding reported;
``--baseline FILE`` reports only the findings whose fingerprint is not in it, and says how many
it left out. The exit status follows the findings reported.

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for bad usage or
an input that could not be read (2 wins over 1).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import groupby
from pathlib import Path

import regex

from . import batch
from .checks import RULES, RULES_BY_CODE
from .model import INCLUDES, SEVERITIES, Finding, Options, Report, severity_rank
from .pipeline import check, warm_up
from .read.documents import SUFFIXES, DocumentError, extract, with_locations
from .report import baseline, wording
from .report.sarif import to_sarif

STDIN = "-"
STDIN_NAME = "<stdin>"
QUOTE_WIDTH = 70  # a sentence up to this many characters is quoted whole …
QUOTE_CONTEXT = 24  # … a longer one is cut to this many characters either side of the finding

_SPACE = regex.compile(r"\s+")
_ANSI = {"error": "1;31", "warning": "1;33", "info": "1;36", "bold": "1"}
FORMATS = ("text", "json", "sarif", "docx")
# what the text output says, in each language it speaks (the findings' messages are Chinese in both)
LABELS = {
    "zh": {
        "before": "（首个标题之前）",
        "none": "未发现问题",
        "suggestion": "建议：",
        "unchecked": "未核对 {n} 处：",
        "unchecked_item": "{reason}（{n} 处）",
        "summary": "{name}：错误 {error} 个，警告 {warning} 个，提示 {info} 个；"
        "核对 {checked} 处，未核对 {unchecked} 处，识别数字 {figures} 个",
        "ignored": "；另有 {n} 个已在基线中，未列出",
        "wrote": "  已写入 {path}",
        "files": "共 {files} 个文件：已检查 {checked} 个，有错误的 {errors} 个，无法读取 {failed} 个",
        "family": "规则族",
        "total": "合计",
        "unread": "无法读取：",
    },
    "en": {
        "before": "(before the first heading)",
        "none": "no findings",
        "suggestion": "suggestion: ",
        "unchecked": "{n} left unchecked:",
        "unchecked_item": "{reason} ({n})",
        "summary": "{name}: {errors}, {warnings}, {info} info; {claims} checked, {unchecked} left unchecked, "
        "{figures_n} found",
        "ignored": "; {n} in the baseline not shown",
        "wrote": "  wrote {path}",
        "files": "{files_n}: {checked} checked, {errors} with errors, {failed} could not be read",
        "family": "family",
        "total": "total",
        "unread": "could not be read:",
    },
}
COLUMN_HEADS = {"zh": {s: wording.severity(s) for s in SEVERITIES}, "en": {s: f"{s}s" for s in SEVERITIES}}


@dataclass(frozen=True)
class Settings:
    """How every input is checked and shown (one value, sent once to each worker)."""

    options: Options = field(default_factory=Options)
    floor: int | None = None  # the --fail-on rank, None for never
    fmt: str = "text"
    color: bool = False
    known: frozenset[str] = frozenset()  # fingerprints of the --baseline file
    lang: str = "zh"


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
    entries: tuple[dict, ...] = ()  # every finding as a baseline entry, those in --baseline too
    ignored: int = 0  # findings left out as in the --baseline file
    document: bytes | None = None  # the .docx, for --format docx


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


def check_input(path: str, data: bytes | None, settings: Settings) -> Outcome:
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
    report = check(extracted, settings.options, data=raw)  # provenance: the digest of the file's bytes
    file = None if path == STDIN else path
    entries = tuple(baseline.entry(f, file) for f in report.findings)
    report, ignored = without_known(report, settings.known)
    counts = Counter((RULES_BY_CODE[f.code].family, f.severity) for f in report.findings)
    floor = settings.floor
    failing = floor is not None and any(severity_rank(f.severity) >= floor for f in report.findings)
    counted = tuple((*key, n) for key, n in sorted(counts.items()))
    done = Outcome(name, "", note, None, failing, counted, None, entries, ignored)
    if settings.fmt == "sarif":  # one log for every file: written once they are all checked
        return replace(done, checked=(extracted.text, report))
    if settings.fmt in ("json", "docx"):
        body = report.to_dict()
        if extracted.kind != "txt":
            body = with_locations(body, extracted, Path(path).name)
        if settings.fmt == "docx":
            from .report.docx import to_docx

            document = to_docx(body, (), None if path == STDIN else Path(path).name, extracted.text)
            return replace(done, output=summary(name, report, settings.lang), document=document)
        return replace(done, output=json.dumps({"path": name, **body}, ensure_ascii=False))
    output = format_text(
        name, extracted.text, report, color=settings.color, locate=extracted.locate, lang=settings.lang
    )
    return replace(done, output=output)


def without_known(report: Report, known: frozenset[str]) -> tuple[Report, int]:
    """The report without the findings whose fingerprints are ``known``, and how many those were.

    With a baseline in use, ``coverage.findings`` counts the findings kept and ``coverage.ignored``
    the ones left out, as the API's ``options.ignore_fingerprints`` does."""
    if not known:
        return report, 0
    kept = tuple(f for f in report.findings if f.fingerprint not in known)
    ignored = len(report.findings) - len(kept)
    severities = Counter(f.severity for f in kept)
    coverage = {
        **report.coverage,
        "findings": {s: severities[s] for s in ("error", "warning", "info")},
        "ignored": ignored,
    }
    return replace(report, findings=kept, coverage=coverage), ignored


def format_text(
    name: str,
    text: str,
    report: Report,
    *,
    color: bool = False,
    locate: Callable[[int], dict] | None = None,
    lang: str = "zh",
) -> str:
    """A report for people: findings grouped by section, each with its location, quote and arithmetic,
    then what was left unchecked and why, then the summary line.

    For a Word or PDF file ``locate`` says where a finding sits (page, paragraph, table cell)."""
    paint = _painter(color)
    words = LABELS[lang]
    out = [paint(name, "bold")]
    for section, findings in groupby(report.findings, key=lambda f: f.section):
        out.append(f"  § {section or words['before']}")
        for f in findings:
            where = location_of(f, locate, lang)
            label = wording.severity(f.severity, lang)
            title = wording.finding_title(f, lang)
            out.append(f"    {paint(label, f.severity)} {paint(f.code, 'bold')} {title} · {where}")
            before, flagged, after = quote(text, f)
            mark = paint(flagged, f.severity) if color else f"【{flagged}】"
            out.append(f"      > {before}{mark}{after}")
            out.append(f"      {f.message}")
            if f.suggestion:
                out.append(f"      {words['suggestion']}{f.suggestion}")
            out.append("")
    if not report.findings:
        out.append(f"  {words['none']}")
    unchecked = report.coverage["unchecked"]
    if unchecked:
        out.append("  " + words["unchecked"].format(n=sum(unchecked.values())))
        for key, n in sorted(unchecked.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append("    " + words["unchecked_item"].format(reason=wording.unchecked(key, lang), n=n))
    out.append(summary(name, report, lang))
    return "\n".join(out)


def location_of(f: Finding, locate: Callable[[int], dict] | None, lang: str = "zh") -> str:
    """第 3 行, 第 4 页, 第 2 段 … of a finding, and its standard table's cell when it is in one."""
    where = dict(locate(f.start)) if locate is not None else {}
    if "line" in where:  # a text file's line: the finding's own (the same line, counted on the text)
        del where["line"]
    parts = [wording.location(where, f.line, lang)]
    if f.location:
        parts.append(wording.location(dict(f.location), None, lang))
    return " · ".join(p for p in parts if p)


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


def summary(name: str, report: Report, lang: str = "zh") -> str:
    """One line that tells "no findings" apart from "nothing checked"."""
    cov = report.coverage
    counts = cov["findings"]
    unchecked = sum(cov["unchecked"].values())
    line = LABELS[lang]["summary"].format(
        name=name,
        error=counts["error"],
        warning=counts["warning"],
        info=counts["info"],
        errors=_plural(counts["error"], "error"),
        warnings=_plural(counts["warning"], "warning"),
        checked=cov["checked_total"],
        claims=_plural(cov["checked_total"], "claim"),
        unchecked=unchecked,
        figures=cov["quantities"]["total"],
        figures_n=_plural(cov["quantities"]["total"], "figure"),
    )
    if cov.get("ignored"):
        line += LABELS[lang]["ignored"].format(n=cov["ignored"])
    return line


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``tally`` and ``python -m service``; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "check" and args.include and args.format != "json":
        parser.error("--include needs --format json")
    if args.command == "check" and args.format == "docx" and not args.output:
        parser.error("--format docx needs -o OUT.docx (or -o FOLDER/ for several files)")
    if args.command == "check" and args.output and args.format != "docx":
        parser.error("-o/--output is for --format docx; the other formats write to stdout")
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
        choices=FORMATS,
        default="text",
        help="text for people, json for JSON Lines, sarif for one SARIF 2.1.0 log of every file, "
        "docx for a Word document of review comments per file (with -o)",
    )
    cmd.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="for --format docx: the .docx to write, or a folder to write FILE.docx into for each file",
    )
    cmd.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings whose fingerprint is not in this baseline file",
    )
    cmd.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="write every finding found (after --select/--ignore/--min-severity) to this baseline file",
    )
    cmd.add_argument(
        "--lang",
        choices=wording.LANGS,
        default="zh",
        help="language of the text output: zh (default) or en; JSON and SARIF keep their English keys",
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

    batch.add_parser(commands)  # tally batch: many files on a Dask cluster (service/batch.py)
    return parser


def run_check(args: argparse.Namespace) -> int:
    try:
        known = baseline.read(args.baseline) if args.baseline else None
    except baseline.BaselineError as exc:
        print(f"tally: error: {exc}", file=sys.stderr)
        return 2
    inputs = expand(args.files)
    targets: dict[str, Path] = {}
    if args.format == "docx":
        try:
            targets = docx_targets([path for path, problem in inputs if problem is None], args.output)
        except ValueError as exc:
            print(f"tally: error: {exc}", file=sys.stderr)
            return 2
    settings = Settings(
        options=Options(
            include=frozenset(args.include),
            select=tuple(args.select),
            ignore=tuple(args.ignore),
            min_severity=args.min_severity,
        ),
        floor=None if args.fail_on == "never" else severity_rank(args.fail_on),
        fmt=args.format,
        color=args.format == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ,
        known=known.fingerprints if known else frozenset(),
        lang=args.lang,
    )
    stdin = sys.stdin.buffer.read() if any(path == STDIN for path, _ in inputs) else None
    progress = Progress(len(inputs)) if len(inputs) > 1 and sys.stderr.isatty() else None
    outcomes: list[Outcome] = []
    shown = False
    for path, outcome in zip(
        [path for path, _ in inputs], _check_all(inputs, stdin, settings, args.jobs, progress), strict=True
    ):
        if progress:
            progress.clear()
        if outcome.document is not None:
            outcome = _write_docx(outcome, targets[path], args.lang)
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
        table = summary_table(outcomes, args.lang)
        if args.format in ("text", "docx"):  # stdout is for people
            print(("\n" if args.format == "text" else "") + table)
        else:  # stdout holds JSON Lines or the SARIF log
            print(table, file=sys.stderr)
    status = 2 if any(o.error for o in outcomes) else int(any(o.failing for o in outcomes))
    if args.write_baseline:
        reasons = known.reasons if known else {}
        entries = [{**e, "reason": reasons.get(e["fingerprint"])} for o in outcomes for e in o.entries]
        try:
            baseline.write(args.write_baseline, entries)
        except baseline.BaselineError as exc:
            print(f"tally: error: {exc}", file=sys.stderr)
            return 2
    return status


def docx_targets(paths: Sequence[str], output: str) -> dict[str, Path]:
    """Where each input's .docx goes: ``output`` itself for one input, ``output/<stem>.docx`` for
    each when ``output`` is a folder (one that exists, or a path ending in /, made here).

    ``ValueError`` for several inputs and a file name, or a target that is one of the inputs."""
    folder = Path(output)
    is_folder = folder.is_dir() or output.endswith(("/", os.sep))
    if not is_folder and len(paths) > 1:
        raise ValueError(
            f"{output}: {len(paths)} files give {len(paths)} Word documents; -o must name a folder "
            "(an existing one, or end it with /)"
        )
    targets: dict[str, Path] = {}
    if not is_folder:
        targets = {path: folder for path in paths}
    else:
        taken: set[str] = set()
        for path in paths:
            stem = "stdin" if path == STDIN else Path(path).stem
            name = f"{stem}.docx"
            if name in taken:  # a.txt and a.pdf, or two report.pdf in different folders
                name = f"{Path(path).name}.docx" if path != STDIN else name
                k = 2
                while name in taken:
                    name, k = f"{stem}-{k}.docx", k + 1
            taken.add(name)
            targets[path] = folder / name
    inputs = {Path(path).resolve() for path in paths if path != STDIN}
    for target in targets.values():
        if target.resolve() in inputs:
            raise ValueError(f"{target}: is one of the files checked; choose another -o")
    if is_folder:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(f"{output}: cannot make the folder: {exc.strerror or exc}") from None
    return targets


def _write_docx(outcome: Outcome, target: Path, lang: str) -> Outcome:
    try:
        target.write_bytes(outcome.document or b"")
    except OSError as exc:
        return replace(outcome, output="", error=f"cannot write {target}: {exc.strerror or exc}", document=None)
    wrote = LABELS[lang]["wrote"].format(path=target)
    return replace(outcome, output=f"{outcome.output}\n{wrote}", document=None)


def _check_all(
    inputs: list[tuple[str, str | None]],
    stdin: bytes | None,
    settings: Settings,
    jobs: int,
    progress: Progress | None,
) -> Iterator[Outcome]:
    """Each input's outcome in input order, checked across ``jobs`` processes when there are several."""

    def task(path: str) -> tuple[str, bytes | None, Settings]:
        return path, stdin if path == STDIN else None, settings

    todo = [path for path, problem in inputs if problem is None]
    if jobs <= 1 or len(todo) <= 1:
        for path, problem in inputs:
            yield Outcome(path, error=problem) if problem else check_input(*task(path))
            if progress:
                progress.advance()
        return
    warm_up()  # build the pipeline once, before the workers fork, so that they share it
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


def summary_table(outcomes: Sequence[Outcome], lang: str = "zh") -> str:
    """Files, files with errors, findings per rule family and severity, and the files that failed to read."""
    words = LABELS[lang]
    checked = [o for o in outcomes if not o.error]
    with_errors = sum(any(severity == "error" for _, severity, _ in o.counts) for o in checked)
    failed = [o for o in outcomes if o.error]
    totals: Counter[tuple[str, str]] = Counter()
    for o in checked:
        for family, severity, n in o.counts:
            totals[family, severity] += n
    out = [
        words["files"].format(
            files=len(outcomes),
            files_n=_plural(len(outcomes), "file"),
            checked=len(checked),
            errors=with_errors,
            failed=len(failed),
        )
    ]
    families = sorted({family for family, _ in totals})
    header = [words["family"], *(COLUMN_HEADS[lang][severity] for severity in reversed(SEVERITIES))]
    rows = [[family, *(str(totals[family, s]) for s in reversed(SEVERITIES))] for family in families]
    rows.append([words["total"], *(str(sum(totals[f, s] for f in families)) for s in reversed(SEVERITIES))])
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        out.append(
            "  " + "  ".join(_pad(cell, w, left=i == 0) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        )
    if failed:
        out.append(words["unread"])
        out.extend(f"  {o.name}: {o.error}" for o in failed)
    return "\n".join(out)


def _width(s: str) -> int:
    """Columns ``s`` takes on a terminal: two for a Chinese character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, width: int, *, left: bool) -> str:
    fill = " " * (width - _width(s))
    return s + fill if left else fill + s


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
