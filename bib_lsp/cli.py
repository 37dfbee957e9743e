"""Command-line interface: ``bib-lsp [serve]`` runs the language server;
``bib-lsp check`` reports problems, ``bib-lsp fix`` applies the safe fixes,
``bib-lsp format`` formats and ``bib-lsp export`` writes CSL-JSON, of files, of
the `.bib` files in folders, or of standard input (``-``); ``bib-lsp rules`` lists
the problem codes and shows their pages."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from bib_lsp import __version__
from bib_lsp.document import Document
from bib_lsp.document.files import find_bib_files, is_regular
from bib_lsp.document.io import LoadedText, decode_bib, read_bib
from bib_lsp.model.bst import BibtexStyle, load_bibtex_style
from bib_lsp.project import (
    NO_PROJECT,
    Project,
    find_project,
    macro_sources,
    normalise,
    read_project,
    together_set,
)
from bib_lsp.rules import DIALECTS, Checker, RuleOptions, diagnose, known_codes
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.text import LineIndex, PositionEncoding

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
STDIN = "-"  # the PATH that means standard input (output then goes to standard output)
# Most severe first: `--min-severity warning` keeps the first two.
_SEVERITY_RANK = {s: i for i, s in enumerate(Severity)}


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    index: LineIndex
    problems: list[Problem]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bib-lsp",
        description="A language server and checker for BibTeX and biblatex .bib files.",
    )
    parser.add_argument("--version", action="version", version=f"bib-lsp {__version__}")
    _add_serve_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    serve = commands.add_parser(
        "serve",
        help="run the language server (the default)",
        description="Run the language server over stdio (the default) or TCP.",
    )
    _add_serve_options(serve)
    check = commands.add_parser(
        "check",
        help="report problems in .bib files",
        description=(
            "Report problems in .bib files, one per line as "
            "'path:line:column: severity[code] message' (1-based line and column, "
            "columns in characters). Directories are searched for .bib files (any case) "
            "as the server searches its workspace, hidden and tool folders skipped; "
            "- reads standard input. Options come from [check] in a bib-lsp.toml (or "
            "[tool.bib-lsp.check] in a pyproject.toml), the nearest one above each file; "
            "flags override it. Files named together are read together, in order, as by "
            "\\bibliography{a,b}: a macro defined in an earlier one counts in the later "
            "ones (so do the sets of [check] together). "
            "Exit status: 0 when no problem is an error (or "
            "reaches --min-severity), 1 when one is, 2 on usage or I/O errors."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=".bib file, directory or -")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    check.add_argument(
        "--dialect",
        choices=DIALECTS,
        default=None,
        help="BibTeX or biblatex rules; auto decides per file (syntax checks are the same); "
        "default: the project file's [check] dialect, else auto",
    )
    check.add_argument(
        "--config", metavar="FILE", help="read [check] from this TOML file instead of searching"
    )
    check.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="report only these codes (comma-separated; see bib-lsp rules)",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        metavar="CODES",
        default=None,
        help="do not report these codes (comma-separated; replaces the project's ignore)",
    )
    check.add_argument(
        "--style",
        metavar="NAME",
        help=(
            "the BibTeX style whose entry types, fields and required fields the bibtex "
            "dialect checks: a name kpsewhich finds (IEEEtran) or a .bst path; "
            "with --dialect auto it means bibtex (default: plain.bst and the types "
            "and fields common in BibTeX files)"
        ),
    )
    check.add_argument(
        "--extra-types",
        type=_names,
        metavar="NAMES",
        default=(),
        help="more entry types the bibtex dialect accepts (comma-separated)",
    )
    check.add_argument(
        "--extra-fields",
        type=_names,
        metavar="NAMES",
        default=(),
        help="more fields the bibtex dialect accepts (comma-separated)",
    )
    check.add_argument(
        "--min-severity",
        choices=[s.value for s in Severity],
        metavar="LEVEL",
        help=(
            "report only problems this severe or more (error, warning, information, "
            "hint) and exit 1 when one is reported; without it every problem is "
            "reported and only errors fail"
        ),
    )
    _add_stdin_filename(check)
    fix = commands.add_parser(
        "fix",
        help="apply the safe fixes to .bib files in place (what source.fixAll applies)",
        description=(
            "Apply every safe fix (those the server's source.fixAll applies: a "
            "missing comma, a hyphen in a page range, ...) to .bib files in place, "
            "or to standard input (-), written to standard output. Exit status: 0; "
            "with --check or --diff, 1 when a file would change; 2 on usage or I/O "
            "errors."
        ),
    )
    fix.add_argument("paths", nargs="+", metavar="PATH", help=".bib file, directory or -")
    fix.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    fix.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print a unified diff of the fixes; exit 1 if there are any",
    )
    fix.add_argument("--dialect", choices=DIALECTS, default=None, help="as for check")
    fix.add_argument("--config", metavar="FILE", help="as for check")
    fix.add_argument("--select", type=_codes, metavar="CODES", help="fix only these codes")
    fix.add_argument(
        "--ignore", type=_codes, metavar="CODES", default=None, help="do not fix these"
    )
    _add_stdin_filename(fix)
    rules = commands.add_parser(
        "rules",
        help="list the problem codes, or show one code's page",
        description=(
            "Without CODE: every problem code with its default severity and what it "
            "checks. With CODE: its page (what it checks, why, an example, how to fix)."
        ),
    )
    rules.add_argument("code", nargs="?", metavar="CODE", help="a problem code")
    fmt = commands.add_parser(
        "format",
        help="format .bib files in place (or check or show what would change)",
        description=(
            "Format .bib files in place without changing what they mean: broken "
            "entries and free text stay as written. Options come from "
            "[tool.bib-lsp.format] in a pyproject.toml or [format] in a bib-lsp.toml, "
            "the nearest one above each file. - formats standard input to standard "
            "output. Exit status: 0; with --check or --diff, 1 when a file would "
            "change; 2 on usage, configuration or I/O errors."
        ),
    )
    fmt.add_argument("paths", nargs="+", metavar="PATH", help=".bib file, directory or -")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    fmt.add_argument(
        "--diff",
        action="store_true",
        help="change nothing; print a unified diff of the changes; exit 1 if there are any",
    )
    fmt.add_argument(
        "--config", metavar="FILE", help="read options from this TOML file instead of searching"
    )
    _add_stdin_filename(fmt)
    export = commands.add_parser(
        "export",
        help="convert .bib files to CSL-JSON",
        description=(
            "Write the entries of .bib files as one CSL-JSON array (for pandoc, "
            "Zotero and citeproc): macros expanded, crossref and xdata fields "
            "inherited, names split, dates parsed, LaTeX turned into Unicode. "
            "Directories are searched for .bib files as by check; - reads standard "
            "input. An entry with syntax errors is exported as far as it could be "
            "read, with a warning. Exit status: 0; 1 when a file has syntax errors "
            "(0 with --allow-errors); 2 when a file cannot be read."
        ),
    )
    export.add_argument("paths", nargs="+", metavar="PATH", help=".bib file, directory or -")
    export.add_argument(
        "--format", choices=("csl-json",), default="csl-json", help="output format (csl-json)"
    )
    export.add_argument(
        "--dialect",
        choices=DIALECTS,
        default="auto",
        help="how crossref inheritance works: BibTeX's or biblatex's rules (auto per file)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    export.add_argument(
        "--allow-errors",
        action="store_true",
        help="exit 0 even when a file has syntax errors (they are still reported)",
    )
    _add_stdin_filename(export)
    return parser


def _names(text: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in text.split(",") if n.strip())


def _add_stdin_filename(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help=(
            "with -: the name of the file standard input holds, for messages and to "
            "find the configuration (the file need not exist)"
        ),
    )


def _codes(text: str) -> frozenset[str]:
    codes = frozenset(c.strip() for c in text.split(",") if c.strip())
    unknown = sorted(codes - known_codes())
    if unknown:
        raise argparse.ArgumentTypeError(_unknown_codes(unknown))
    return codes


def _unknown_codes(unknown: Sequence[str]) -> str:
    """Names the unknown codes, the nearest known one for each, and every known one:
    a typo in CI configuration should be fixable from the message alone."""
    import difflib

    known = sorted(known_codes())
    parts = []
    for code in unknown:
        near = difflib.get_close_matches(code, known, n=1)
        parts.append(f"'{code}'" + (f" (did you mean '{near[0]}'?)" if near else ""))
    return (
        f"unknown code{'s' if len(unknown) > 1 else ''} {', '.join(parts)}; "
        f"the codes are: {', '.join(known)} (see 'bib-lsp rules')"
    )


def _add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)"
    )
    parser.add_argument(
        "--tcp", metavar="HOST:PORT", type=_host_port, help="listen for one client on TCP"
    )


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT (e.g. 127.0.0.1:2087), not {value!r}")
    return host, int(port)


WAITING = (
    "bib-lsp: a language server, waiting for an LSP client (an editor) on standard "
    "input; for the command-line tools (check, fix, format, export, rules) see "
    "'bib-lsp --help'; Ctrl-D ends it."
)


def serve(tcp: tuple[str, int] | None) -> int:
    """Run the language server over stdio or, with ``tcp``, for one TCP client;
    ends the process when the client leaves."""
    from bib_lsp.lsp.server import create_server

    server = create_server()
    code = EXIT_OK
    try:
        if tcp is not None:
            from bib_lsp.lsp.tcp import serve_tcp

            serve_tcp(server, *tcp)
            code = server.exit_code  # as over stdio: 1 unless `shutdown` came first
        else:
            from bib_lsp.lsp.pipes import widen

            if sys.stdin.isatty():  # someone typed `bib-lsp`: say what waits for them
                print(WAITING, file=sys.stderr, flush=True)
            widen(sys.stdin.fileno())
            widen(sys.stdout.fileno())
            server.start_io()
    except SystemExit as stop:  # `exit` without `shutdown`: 1
        code = stop.code if isinstance(stop.code, int) else EXIT_OK
    # Leave without tearing the heap down: the interpreter's orderly exit frees
    # every object of the open documents one by one (a 50 MB file: 30 s after
    # `exit`, while the editor waits for the process to end). Nothing is kept
    # that needs closing: the documents are the editor's; the output is flushed.
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # The reader went away (`bib-lsp check ... | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERRORS
    except KeyboardInterrupt:
        return 130


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in ("check", "fix", "format", "export"):
        if STDIN in args.paths and len(args.paths) > 1:
            parser.error(f"'{STDIN}' (standard input) must be the only PATH")
        if args.stdin_filename is not None and args.paths != [STDIN]:
            parser.error(f"--stdin-filename names standard input: give '{STDIN}' as the PATH")
    if args.command in ("check", "fix"):
        ignore = args.ignore
        if args.select is not None:
            ignore = (ignore or frozenset()) | (known_codes() - args.select)
    if args.command == "check":
        style = None  # the project file's, if it names one
        if args.style is not None or args.extra_types or args.extra_fields:
            style, trouble = load_bibtex_style(
                args.style, Path.cwd(), args.extra_types, args.extra_fields
            )
            if trouble is not None:
                print(f"bib-lsp: warning: {trouble}", file=sys.stderr)
        least = None if args.min_severity is None else Severity(args.min_severity)
        return run_check(
            args.paths,
            args.format,
            sys.stdout,
            sys.stderr,
            args.dialect,
            ignore,
            args.config,
            min_severity=least,
            stdin_name=args.stdin_filename,
            style=style,
        )
    if args.command == "fix":
        return run_fix(
            args.paths,
            args.check,
            args.diff,
            sys.stdout,
            sys.stderr,
            args.stdin_filename,
            dialect=args.dialect,
            ignore=ignore,
            config=args.config,
        )
    if args.command == "format":
        return run_format(
            args.paths,
            args.check,
            args.diff,
            args.config,
            sys.stdout,
            sys.stderr,
            stdin_name=args.stdin_filename,
        )
    if args.command == "export":
        return run_export(
            args.paths,
            args.output,
            sys.stdout,
            sys.stderr,
            args.dialect,
            allow_errors=args.allow_errors,
            stdin_name=args.stdin_filename,
        )
    if args.command == "rules":
        return run_rules(args.code, sys.stdout, sys.stderr)
    return serve(args.tcp)


def _expand(paths: Sequence[str], err: TextIO) -> Iterator[Path | None]:
    """Files to check; None (after a message) for a path that cannot be used.
    Directories are searched as the server searches its workspace folders
    (``find_bib_files``), without its limit on the number of files."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(Path(p) for p in find_bib_files(name, limit=None))
            if not found:
                print(f"bib-lsp: error: no .bib files in directory '{name}'", file=err)
                yield None
            yield from found
        elif path.exists() and not is_regular(name):
            print(f"bib-lsp: error: '{name}': not a regular file", file=err)
            yield None
        elif path.exists() or path.is_symlink():
            yield path
        else:
            print(f"bib-lsp: error: '{name}': no such file or directory", file=err)
            yield None


def _read_all(
    paths: Sequence[str], err: TextIO, stdin_name: str | None = None
) -> Iterator[tuple[Path, LoadedText] | None]:
    """Each file of ``paths`` read; None (after a message) for one that cannot be.
    ``[STDIN]`` is standard input, named ``stdin_name`` (else ``<stdin>``)."""
    if list(paths) == [STDIN]:
        yield Path(stdin_name or "<stdin>"), decode_bib(sys.stdin.buffer.read())
        return
    for path in _expand(paths, err):
        if path is None:
            yield None
            continue
        try:
            yield path, read_bib(path)
        except OSError as error:
            reason = error.strerror or str(error)
            print(f"bib-lsp: error: cannot read '{path}': {reason}", file=err)
            yield None


def check_text(text: str, options: RuleOptions | None = None) -> list[Problem]:
    """Every problem of one text, sorted by position: what the server reports."""
    # Read `%` lines as the dialect's backend does from the start (the checker
    # would read them again otherwise; for `auto` it does so once it knows).
    doc = Document(text, biber_comments=options is not None and options.dialect == "biblatex")
    return sorted(diagnose(doc, options), key=lambda p: (p.start, p.end, p.code))


def run_check(
    paths: Sequence[str],
    fmt: str,
    out: TextIO,
    err: TextIO,
    dialect: str | None = None,
    ignore: frozenset[str] | None = None,
    config: str | None = None,
    *,
    min_severity: Severity | None = None,
    stdin_name: str | None = None,
    style: BibtexStyle | None = None,
) -> int:
    """Report the problems of ``paths``. Exit status 1 when a reported problem is
    an error, or, with ``min_severity``, when any is reported (all reported ones
    are at least that severe). ``dialect``, ``ignore`` and ``style`` (None: not
    given) override the project file's ``[check]``, which overrides the defaults;
    ``style``: what the bibtex dialect knows (``model.bst.load_bibtex_style``)."""
    projects = _Projects(config, err)
    # Files named one after the other are read together, as \bibliography{a,b} reads
    # them (two or more; files found in a folder are not a set).
    named = [normalise(p) for p in paths if p != STDIN and Path(p).is_file()]
    command_line = tuple(named) if len(named) > 1 else None
    reports: list[FileReport] = []
    io_failed = False
    for found in _read_all(paths, err, stdin_name):
        if found is None:
            io_failed = True
            continue
        path, loaded = found
        project = projects.of(path)
        options = projects.options(project, dialect, ignore, style)
        me = normalise(path)
        group = command_line if command_line and me in command_line else None
        group = group or together_set(me, project.check.together)
        checker = Checker(Document(loaded.text), options)
        if group:
            checker.use_macros_elsewhere(macro_sources(me, group, projects.macros(group)))
        problems = sorted(
            [*options.apply(list(loaded.problems)), *checker.diagnose()],
            key=lambda p: (p.start, p.end),
        )
        if min_severity is not None:
            least = _SEVERITY_RANK[min_severity]
            problems = [p for p in problems if _SEVERITY_RANK[p.severity] <= least]
        reports.append(FileReport(str(path), LineIndex(loaded.text), problems))
    if fmt == "json":
        _write_json(reports, out)
    else:
        _write_text(reports, out, err)
    if io_failed or projects.failed:
        return EXIT_USAGE
    if min_severity is not None:
        return EXIT_ERRORS if any(r.problems for r in reports) else EXIT_OK
    has_error = any(p.severity is Severity.ERROR for r in reports for p in r.problems)
    return EXIT_ERRORS if has_error else EXIT_OK


class _Projects:
    """The project files of a run, each read once; their problems told once each
    (located: ``file:line: message``)."""

    def __init__(self, config: str | None, err: TextIO) -> None:
        self.config = config
        self.err = err
        self.failed = False
        self._read: dict[str, Project] = {}
        self._macros: dict[str, frozenset[str]] = {}
        self._styles: dict[str, BibtexStyle] = {}

    def of(self, path: Path) -> Project:
        where = self.config or find_project(path)
        if where is None:
            return NO_PROJECT
        key = normalise(where)
        project = self._read.get(key)
        if project is None:
            project = self._read[key] = read_project(where)
            for problem in project.problems:
                print(f"{problem.path}:{problem.line}: error: {problem.message}", file=self.err)
                self.failed = True
        return project

    def options(
        self,
        project: Project,
        dialect: str | None,
        ignore: frozenset[str] | None,
        style: BibtexStyle | None = None,
    ) -> RuleOptions:
        """The project's ``[check]`` options with what the command line gives (None:
        not given) put over them."""
        options = project.rule_options()
        if dialect is not None:
            options = replace(options, dialect=dialect)
        if ignore is not None:
            options = replace(options, ignore=ignore)
        chosen = style if style is not None else self.style(project)
        if chosen is not None:
            options = replace(options, style=chosen)
        return options

    def style(self, project: Project) -> BibtexStyle | None:
        """The BibTeX style the project names, loaded once (None: it names none);
        one that cannot be read is told and plain.bst used."""
        if project.check.style is None or project.path is None:
            return None
        if project.path not in self._styles:
            folder = Path(project.path).parent
            loaded, trouble = load_bibtex_style(project.check.style, folder)
            if trouble is not None:
                print(f"bib-lsp: warning: {project.path}: {trouble}", file=self.err)
            self._styles[project.path] = loaded
        return self._styles[project.path]

    def macros(self, group: tuple[str, ...]) -> dict[str, frozenset[str]]:
        """The macro names (lower-case) each file of ``group`` defines; a file that
        cannot be read defines none (it is reported when it is checked itself)."""
        from bib_lsp.model.summaries import summarise

        for path in group:
            if path not in self._macros:
                summary = summarise(path)
                self._macros[path] = frozenset(summary.macros) if summary else frozenset()
        return {path: self._macros[path] for path in group}


def _write_text(reports: list[FileReport], out: TextIO, err: TextIO) -> None:
    counts: dict[Severity, int] = dict.fromkeys(Severity, 0)
    for report in reports:
        for p in report.problems:
            pos = report.index.position(p.start, PositionEncoding.UTF32)
            line, column = pos.line + 1, pos.character + 1
            print(
                f"{report.path}:{line}:{column}: {p.severity.value}[{p.code}] "
                + _CONTROL.sub(_escape, p.message),
                file=out,
            )
            counts[p.severity] += 1
    if any(counts.values()):
        parts = [_plural(n, s.value) for s, n in counts.items() if n]
        files = len(reports)
        print(f"{', '.join(parts)} in {_plural(files, 'file')}", file=err)


# Control characters (a NUL, an escape sequence, a line break) a file's names may
# hold, written as escapes: a terminal shows them and does not obey them, and each
# finding stays one line.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group(0)):02x}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "information" else f"{n} {word}s"


def _write_json(reports: list[FileReport], out: TextIO) -> None:
    items = []
    for report in reports:
        for p in report.problems:
            r = report.index.range(p.start, p.end, PositionEncoding.UTF16)
            items.append(
                {
                    "path": report.path,
                    "range": {
                        "start": {"line": r.start.line, "character": r.start.character},
                        "end": {"line": r.end.line, "character": r.end.character},
                    },
                    "severity": p.severity.value,
                    "code": p.code,
                    "message": p.message,
                }
            )
    out.write(json.dumps(items, indent=2, ensure_ascii=False))  # one write, not millions
    out.write("\n")


def run_export(
    paths: Sequence[str],
    output: str | None,
    out: TextIO,
    err: TextIO,
    dialect: str = "auto",
    *,
    allow_errors: bool = False,
    stdin_name: str | None = None,
) -> int:
    """Every entry of the files, one CSL-JSON array (keys repeated across files
    are kept once: the first). An entry with syntax errors is exported as far as
    it was read, with a located warning; the exit status is then 1 unless
    ``allow_errors``: a pipeline should not take half an entry for the whole."""
    from bib_lsp.model.csl import document_items

    items: list[dict[str, object]] = []
    keys: set[str] = set()
    failed = broken = False
    for found in _read_all(paths, err, stdin_name):
        if found is None:
            failed = True
            continue
        path, loaded = found
        for problem in loaded.problems:
            print(f"bib-lsp: warning: {path}: {problem.message}", file=err)
        document = Document(loaded.text, biber_comments=dialect == "biblatex")
        broken |= _warn_syntax_errors(path, document, err)
        for item in document_items(document, dialect):
            key = str(item["id"]).lower()
            if key in keys:
                print(f"bib-lsp: warning: {path}: key '{item['id']}' already exported", file=err)
                continue
            keys.add(key)
            items.append(item)
    text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        out.write(text)
    else:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as error:
            print(f"bib-lsp: error: cannot write '{output}': {error.strerror}", file=err)
            return EXIT_USAGE
    if failed:
        return EXIT_USAGE
    return EXIT_ERRORS if broken and not allow_errors else EXIT_OK


def _warn_syntax_errors(path: Path, document: Document, err: TextIO) -> bool:
    """One warning per block with syntax errors, at its first error and naming
    the entry's key; whether there was one."""
    from bib_lsp.syntax.views import entry_view

    by_block: dict[int, list[Problem]] = {}
    for problem in document.problems():
        if problem.severity is Severity.ERROR:
            located = document.block_at(problem.start)
            by_block.setdefault(located[0] if located else 0, []).append(problem)
    if not by_block:
        return False
    index = LineIndex(document.text)
    for _, problems in sorted(by_block.items()):
        first = min(problems, key=lambda p: p.start)
        pos = index.position(first.start, PositionEncoding.UTF32)
        located = document.block_at(first.start)
        entry = entry_view(located[1], located[0]) if located else None
        where = f"entry '{entry.key}': " if entry is not None and entry.key else ""
        more = f" (and {_plural(len(problems) - 1, 'more error')})" if len(problems) > 1 else ""
        read = "; exported as far as it could be read" if entry is not None else ""
        message = _CONTROL.sub(_escape, first.message)
        print(
            f"{path}:{pos.line + 1}:{pos.character + 1}: warning: {where}"
            f"syntax error[{first.code}] {message}{more}{read}",
            file=err,
        )
    return True


def run_format(
    paths: Sequence[str],
    check: bool,
    diff: bool,
    config: str | None,
    out: TextIO,
    err: TextIO,
    *,
    stdin_name: str | None = None,
) -> int:
    """Format each file in place, or (``check``/``diff``) only say what would change."""
    from bib_lsp.formatting import format_text

    projects = _Projects(config, err)

    def formatted(path: Path, text: str) -> str:
        project = projects.of(path)
        if projects.failed:
            raise _Abort("the project file has errors: nothing is written")
        return format_text(text, project.format_options())

    verbs = ("formatted", "reformatted", "would be reformatted")
    return _rewrite(paths, formatted, verbs, check, diff, out, err, stdin_name)


def run_fix(
    paths: Sequence[str],
    check: bool,
    diff: bool,
    out: TextIO,
    err: TextIO,
    stdin_name: str | None = None,
    *,
    dialect: str | None = None,
    ignore: frozenset[str] | None = None,
    config: str | None = None,
) -> int:
    """Apply the safe fixes to each file in place, or (``check``/``diff``) only say
    what would change: the server's ``source.fixAll`` (``fix_all`` with the same
    checks, under the project file's ``[check]`` as ``check`` reads it), so the CLI
    and the editor fix alike."""
    from bib_lsp.features.fixes import fix_all
    from bib_lsp.text.edits import apply

    projects = _Projects(config, err)

    def fixed(path: Path, text: str) -> str:
        project = projects.of(path)
        if projects.failed:
            raise _Abort("the project file has errors: nothing is written")
        options = projects.options(project, dialect, ignore)
        edits = fix_all(Document(text), lambda d: diagnose(d, options))
        return apply(text, edits) if edits else text

    verbs = ("fixed", "fixed", "would be fixed")
    return _rewrite(paths, fixed, verbs, check, diff, out, err, stdin_name)


class _Abort(Exception):
    """A usage or configuration error that stops the run (exit status 2)."""


def _rewrite(
    paths: Sequence[str],
    transform: Callable[[Path, str], str],
    verbs: tuple[str, str, str],
    check: bool,
    diff: bool,
    out: TextIO,
    err: TextIO,
    stdin_name: str | None,
) -> int:
    """Rewrite each file with ``transform`` (in place; standard input to standard
    output), or with ``check``/``diff`` change nothing and exit 1 when a file
    would change. ``verbs``: the diff's label, done, would be done."""
    stdin = list(paths) == [STDIN]
    would_change: list[Path] = []
    failed = False
    for found in _read_all(paths, err, stdin_name):
        if found is None:
            failed = True
            continue
        path, loaded = found
        try:
            new = transform(path, loaded.text)
        except _Abort as error:
            print(f"bib-lsp: error: {error}", file=err)
            return EXIT_USAGE
        if new != loaded.text:
            would_change.append(path)
            if diff:
                out.write(unified_diff(loaded.text, new, str(path), f"{path} ({verbs[0]})"))
        if stdin and not (check or diff):
            _write_bytes(out, loaded.encode(new))
            continue
        if check or diff or new == loaded.text:
            continue
        try:
            path.write_bytes(loaded.encode(new))
        except OSError as error:
            print(f"bib-lsp: error: cannot write '{path}': {error.strerror}", file=err)
            failed = True
    if not stdin or check or diff:
        verb = verbs[2] if check or diff else verbs[1]
        for path in would_change if check else ():
            print(f"{path}: {verb}", file=err)
        count = len(would_change)
        print(f"bib-lsp: {count} file{'s' if count != 1 else ''} {verb}", file=err)
    if failed:
        return EXIT_USAGE
    return EXIT_ERRORS if (check or diff) and would_change else EXIT_OK


def _write_bytes(out: TextIO, data: bytes) -> None:
    """Write ``data`` as it is (the input's encoding) where ``out`` takes bytes."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8", "replace"))
        return
    out.flush()
    buffer.write(data)
    buffer.flush()


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    """A unified diff as ``diff -u`` and ``patch`` read it: lines end at ``\\n``
    only (a form feed or U+2028 inside a line is text) and a last line without
    one is marked ``\\ No newline at end of file``, so that it does not run
    into the next line of the diff nor show an unchanged line as changed."""
    import difflib

    lines = difflib.unified_diff(_lines(old), _lines(new), fromfile=old_name, tofile=new_name)
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+\Z", text)


def _first_sentence(text: str) -> str:
    match = re.match(r".+?\.(?=\s|$)", text)
    return match.group(0) if match else text


def run_rules(code: str | None, out: TextIO, err: TextIO) -> int:
    """Every problem code with its default severity and summary, or one code's
    page (the text of its page under ``docs/rules``)."""
    from bib_lsp import docgen

    docs = sorted(docgen.all_docs(), key=lambda d: d.code)
    if code is None:
        width = max(len(d.code) for d in docs)
        for doc in docs:
            summary = _first_sentence(" ".join(doc.summary.split()))
            out.write(f"{doc.code:<{width}}  {doc.severity.value:<11}  {summary}\n")
        return EXIT_OK
    for doc in docs:
        if doc.code == code:
            out.write(docgen.render(doc))
            return EXIT_OK
    print(f"bib-lsp: error: {_unknown_codes([code])}", file=err)
    return EXIT_USAGE
