"""Command-line interface: ``bib-lsp [serve]`` runs the language server;
``bib-lsp check`` reports problems, ``bib-lsp format`` formats and ``bib-lsp
export`` writes CSL-JSON, of files and of the `.bib` files in folders."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bib_lsp import __version__
from bib_lsp.document import Document
from bib_lsp.document.files import find_bib_files
from bib_lsp.document.io import LoadedText, read_bib
from bib_lsp.rules import DIALECTS, RuleOptions, diagnose, known_codes
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.text import LineIndex, PositionEncoding

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


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
            "as the server searches its workspace, hidden and tool folders skipped. "
            "Exit status: 0 when no problem is an error, 1 when one is, 2 on usage "
            "or I/O errors."
        ),
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help=".bib file or directory")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )
    check.add_argument(
        "--dialect",
        choices=DIALECTS,
        default="auto",
        help="BibTeX or biblatex rules; auto decides per file (syntax checks are the same)",
    )
    check.add_argument(
        "--select",
        type=_codes,
        metavar="CODES",
        help="report only these codes (comma-separated; see docs/rules/)",
    )
    check.add_argument(
        "--ignore",
        type=_codes,
        metavar="CODES",
        default=frozenset(),
        help="do not report these codes (comma-separated)",
    )
    fmt = commands.add_parser(
        "format",
        help="format .bib files in place (or check or show what would change)",
        description=(
            "Format .bib files in place without changing what they mean: broken "
            "entries and free text stay as written. Options come from "
            "[tool.bib-lsp.format] in a pyproject.toml or [format] in a bib-lsp.toml, "
            "the nearest one above each file. Exit status: 0; with --check, 1 when a "
            "file would change; 2 on usage, configuration or I/O errors."
        ),
    )
    fmt.add_argument("paths", nargs="+", metavar="PATH", help=".bib file or directory")
    fmt.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    fmt.add_argument(
        "--diff", action="store_true", help="change nothing; print a unified diff of the changes"
    )
    fmt.add_argument(
        "--config", metavar="FILE", help="read options from this TOML file instead of searching"
    )
    export = commands.add_parser(
        "export",
        help="convert .bib files to CSL-JSON",
        description=(
            "Write the entries of .bib files as one CSL-JSON array (for pandoc, "
            "Zotero and citeproc): macros expanded, crossref and xdata fields "
            "inherited, names split, dates parsed, LaTeX turned into Unicode. "
            "Directories are searched for .bib files as by check. Exit status: 0, or "
            "2 when a file cannot be read."
        ),
    )
    export.add_argument("paths", nargs="+", metavar="PATH", help=".bib file or directory")
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
    return parser


def _codes(text: str) -> frozenset[str]:
    codes = frozenset(c.strip() for c in text.split(",") if c.strip())
    unknown = sorted(codes - known_codes())
    if unknown:
        raise argparse.ArgumentTypeError(
            "unknown code" + ("s " if len(unknown) > 1 else " ") + ", ".join(unknown)
        )
    return codes


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


def serve(tcp: tuple[str, int] | None) -> int:
    from bib_lsp.lsp.server import create_server

    server = create_server()
    code = EXIT_OK
    try:
        if tcp is not None:
            server.start_tcp(*tcp)
        else:
            from bib_lsp.lsp.pipes import widen

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
    if args.command == "check":
        ignore = args.ignore
        if args.select is not None:
            ignore |= known_codes() - args.select
        return run_check(args.paths, args.format, sys.stdout, sys.stderr, args.dialect, ignore)
    if args.command == "format":
        return run_format(args.paths, args.check, args.diff, args.config, sys.stdout, sys.stderr)
    if args.command == "export":
        return run_export(args.paths, args.output, sys.stdout, sys.stderr, args.dialect)
    return serve(args.tcp)


def _expand(paths: Sequence[str], err: TextIO) -> Iterator[Path | None]:
    """Files to check; None (after a message) for a path that cannot be used.
    Directories are searched as the server searches its workspace folders
    (``find_bib_files``), without its limit on the number of files."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(Path(p) for p in find_bib_files(name, limit=None) if Path(p).is_file())
            if not found:
                print(f"bib-lsp: error: no .bib files in directory '{name}'", file=err)
                yield None
            yield from found
        elif path.exists() or path.is_symlink():
            yield path
        else:
            print(f"bib-lsp: error: '{name}': no such file or directory", file=err)
            yield None


def _read_all(paths: Sequence[str], err: TextIO) -> Iterator[tuple[Path, LoadedText] | None]:
    """Each file of ``paths`` read; None (after a message) for one that cannot be."""
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
    dialect: str = "auto",
    ignore: frozenset[str] = frozenset(),
) -> int:
    options = RuleOptions(dialect=dialect, ignore=ignore)
    reports: list[FileReport] = []
    io_failed = False
    for found in _read_all(paths, err):
        if found is None:
            io_failed = True
            continue
        path, loaded = found
        problems = sorted(
            [*options.apply(list(loaded.problems)), *check_text(loaded.text, options)],
            key=lambda p: (p.start, p.end),
        )
        reports.append(FileReport(str(path), LineIndex(loaded.text), problems))
    if fmt == "json":
        _write_json(reports, out)
    else:
        _write_text(reports, out, err)
    if io_failed:
        return EXIT_USAGE
    has_error = any(p.severity is Severity.ERROR for r in reports for p in r.problems)
    return EXIT_ERRORS if has_error else EXIT_OK


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
    paths: Sequence[str], output: str | None, out: TextIO, err: TextIO, dialect: str = "auto"
) -> int:
    """Every entry of the files, one CSL-JSON array (keys repeated across files
    are kept once: the first)."""
    from bib_lsp.model.csl import document_items

    items: list[dict[str, object]] = []
    keys: set[str] = set()
    failed = False
    for found in _read_all(paths, err):
        if found is None:
            failed = True
            continue
        path, loaded = found
        for problem in loaded.problems:
            print(f"bib-lsp: warning: {path}: {problem.message}", file=err)
        doc = Document(loaded.text, biber_comments=dialect == "biblatex")
        for item in document_items(doc, dialect):
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
    return EXIT_USAGE if failed else EXIT_OK


def run_format(
    paths: Sequence[str],
    check: bool,
    diff: bool,
    config: str | None,
    out: TextIO,
    err: TextIO,
) -> int:
    """Format each file in place, or (``check``/``diff``) only say what would change."""
    import difflib

    from bib_lsp.formatting import format_text
    from bib_lsp.formatting.options import ConfigError, options_for

    would_change: list[Path] = []
    failed = False
    for found in _read_all(paths, err):
        if found is None:
            failed = True
            continue
        path, loaded = found
        try:
            options, _ = options_for(path, Path(config) if config else None)
        except ConfigError as error:
            print(f"bib-lsp: error: {error}", file=err)
            return EXIT_USAGE
        formatted = format_text(loaded.text, options)
        if formatted == loaded.text:
            continue
        would_change.append(path)
        if diff:
            out.writelines(
                difflib.unified_diff(
                    loaded.text.splitlines(keepends=True),
                    formatted.splitlines(keepends=True),
                    fromfile=f"{path}",
                    tofile=f"{path} (formatted)",
                )
            )
        if check or diff:
            continue
        try:
            path.write_bytes(loaded.encode(formatted))
        except OSError as error:
            print(f"bib-lsp: error: cannot write '{path}': {error.strerror}", file=err)
            failed = True
    verb = "would be reformatted" if check or diff else "reformatted"
    for path in would_change if check else ():
        print(f"{path}: {verb}", file=err)
    count = len(would_change)
    print(f"bib-lsp: {count} file{'s' if count != 1 else ''} {verb}", file=err)
    if failed:
        return EXIT_USAGE
    return EXIT_ERRORS if check and would_change else EXIT_OK
