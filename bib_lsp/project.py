"""The project file: `bib-lsp.toml` (tables `[format]` and `[check]`) or
`[tool.bib-lsp.format]` / `[tool.bib-lsp.check]` in a `pyproject.toml`, the nearest
one above a `.bib` file. The CLI and the server read it alike, so that a file
formatted or checked in the editor is what `bib-lsp format --check` and
`bib-lsp check` accept.

Precedence: command-line flags > project file > editor settings > defaults; the
project's values replace those they name and leave the rest to what is below.

Every bad value is a ``ConfigProblem`` located by file and line (the key's line,
else its table's), and the value is left out (what is below applies): never an
exception. ``[check].together`` lists the files BibTeX reads together
(``\\bibliography{IEEEabrv,refs}``), in order: a macro defined in an earlier file
of a set is defined for the later ones (``macro_sources``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bib_lsp.formatting.options import FormatOptions, parse_options
from bib_lsp.rules import DIALECTS, RuleOptions, known_codes
from bib_lsp.rules.context import MacroSource
from bib_lsp.syntax.tree import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

PROJECT_FILES = ("bib-lsp.toml", "pyproject.toml")  # in one folder, the first wins
CHECK_KEYS = ("dialect", "ignore", "severity", "together", "style")


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """A bad value in a project file, at a 1-based line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class CheckConfig:
    """What `[check]` says; None: not said (what is below applies)."""

    dialect: str | None = None
    ignore: frozenset[str] | None = None
    severity: Mapping[str, Severity] | None = None
    # The sets of files read together, in order, as normalised absolute paths.
    together: tuple[tuple[str, ...], ...] = ()
    # The BibTeX style: a path made absolute against the project file's folder, or
    # a name for kpsewhich (``IEEEtran``) as written.
    style: str | None = None


@dataclass(frozen=True)
class Project:
    """One project file, read and checked (``path`` None: there is none)."""

    path: str | None = None
    format_table: Mapping[str, Any] = field(default_factory=dict)  # the valid options
    check: CheckConfig = field(default_factory=CheckConfig)
    problems: tuple[ConfigProblem, ...] = ()

    def format_options(self, base: FormatOptions | None = None) -> FormatOptions:
        """The project's format options over ``base`` (the editor's, or defaults)."""
        options, _ = parse_options(self.format_table, "format", base or FormatOptions())
        return options

    def rule_options(self, base: RuleOptions | None = None) -> RuleOptions:
        """The project's `[check]` over ``base`` (the editor's, or defaults)."""
        base = base or RuleOptions()
        check = self.check
        changes: dict[str, Any] = {}
        if check.dialect is not None:
            changes["dialect"] = check.dialect
        if check.ignore is not None:
            changes["ignore"] = check.ignore
        if check.severity is not None:
            changes["severity"] = check.severity
        return replace(base, **changes) if changes else base


NO_PROJECT = Project()


def normalise(path: str | os.PathLike[str]) -> str:
    """The form paths are compared in (absolute, case-folded where the system does)."""
    return os.path.normcase(os.path.abspath(os.fspath(path)))


def find_project(start: str | os.PathLike[str], stop: str | None = None) -> Path | None:
    """The project file governing ``start`` (a file or folder): the nearest
    `bib-lsp.toml`, or `pyproject.toml` with a `[tool.bib-lsp]` table, from its
    folder upward, not above ``stop`` (the workspace folder), the repository's
    root (a `.git`) or the home folder."""
    begin = Path(start)
    folder = (begin if begin.is_dir() else begin.parent).resolve()
    home = Path(os.path.expanduser("~")).resolve()
    limit = Path(stop).resolve() if stop else None
    for candidate in [folder, *folder.parents]:
        for name in PROJECT_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _names_us(path)):
                return path
        if candidate in (limit, home) or (candidate / ".git").exists():
            break
    return None


def _names_us(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*\"?bib-lsp\"?\s*[.\]]", text, re.MULTILINE) is not None


def read_project(path: str | os.PathLike[str]) -> Project:
    """The project file at ``path``, its values checked; a file that cannot be read
    or is not TOML is a project with one problem and nothing else."""
    where = os.fspath(path)
    try:
        text = Path(where).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Project(where, problems=(ConfigProblem(where, 1, f"cannot be read: {error}"),))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _error_line(str(error))
        return Project(where, problems=(ConfigProblem(where, line, f"is not valid TOML: {error}"),))
    prefix: tuple[str, ...] = ()
    if Path(where).name == "pyproject.toml":
        prefix = ("tool", "bib-lsp")
        table = data.get("tool", {}).get("bib-lsp", {})
    else:
        table = data
    lines = _key_lines(text)
    reader = _Reader(where, lines, prefix)
    if not isinstance(table, Mapping):
        reader.problem((), "the bib-lsp settings must be a table")
        return Project(where, problems=tuple(reader.problems))
    format_table = reader.format(table.get("format"))
    check = reader.check(table.get("check"), Path(where).parent)
    return Project(where, format_table, check, tuple(reader.problems))


def _error_line(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.\- \"']+?)\s*=")


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The 1-based line of each table header and of each key at the start of a
    line (``("tool", "bib-lsp", "check", "dialect")``), read line by line: enough to
    point at a value, not a TOML parser (a key not found points at its table)."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _dotted(header.group(1))
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault(table + _dotted(key.group(1)), number)
    return lines


def _dotted(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in text.split("."))


class _Reader:
    """Checks the tables of one file, collecting located problems."""

    def __init__(self, path: str, lines: dict[tuple[str, ...], int], prefix: tuple[str, ...]):
        self.path = path
        self.lines = lines
        self.prefix = prefix
        self.problems: list[ConfigProblem] = []

    def problem(self, key: tuple[str, ...], message: str) -> None:
        full = self.prefix + key
        while full and full not in self.lines:
            full = full[:-1]
        line = self.lines.get(full, 1)
        name = ".".join(key) if key else "the file"
        self.problems.append(ConfigProblem(self.path, line, f"{name}: {message}"))

    def format(self, raw: object) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, Mapping):
            self.problem(("format",), "must be a table of options")
            return {}
        good: dict[str, Any] = {}
        for name, value in raw.items():
            _, problems = parse_options({name: value}, "format")
            for message in problems:
                # parse_options names "format.NAME: ..."; keep the reason
                self.problem(("format", str(name)), message.split(": ", 1)[-1])
            if not problems:
                good[str(name)] = value
        return good

    def check(self, raw: object, folder: Path) -> CheckConfig:
        if raw is None:
            return CheckConfig()
        if not isinstance(raw, Mapping):
            self.problem(("check",), "must be a table")
            return CheckConfig()
        for name in raw:
            if name not in CHECK_KEYS:
                self.problem(("check", str(name)), f"no such key (known: {', '.join(CHECK_KEYS)})")
        return CheckConfig(
            dialect=self._dialect(raw.get("dialect")),
            ignore=self._ignore(raw.get("ignore")),
            severity=self._severity(raw.get("severity")),
            together=self._together(raw.get("together"), folder),
            style=self._style(raw.get("style"), folder),
        )

    def _dialect(self, value: object) -> str | None:
        if value is None or value in DIALECTS:
            return value if isinstance(value, str) else None
        choices = ", ".join(f'"{d}"' for d in DIALECTS)
        self.problem(("check", "dialect"), f"must be one of {choices}, not {value!r}")
        return None

    def _ignore(self, value: object) -> frozenset[str] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(("check", "ignore"), f"must be a list of codes, not {value!r}")
            return None
        self._unknown(("check", "ignore"), value)
        return frozenset(value)

    def _severity(self, value: object) -> Mapping[str, Severity] | None:
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(("check", "severity"), f"must map codes to severities, not {value!r}")
            return None
        names = {s.value: s for s in Severity}
        self._unknown(("check", "severity"), [str(c) for c in value])
        out: dict[str, Severity] = {}
        for code, level in value.items():
            if isinstance(level, str) and level in names:
                out[str(code)] = names[level]
            else:
                self.problem(
                    ("check", "severity", str(code)),
                    f"must be {'|'.join(names)}, not {level!r}; keeping the code's own",
                )
        return out

    def _unknown(self, key: tuple[str, ...], codes: Iterable[str]) -> None:
        unknown = sorted(set(codes) - known_codes())
        if unknown:
            self.problem(key, f"no such code {', '.join(unknown)} (see docs/rules/)")

    def _together(self, value: object, folder: Path) -> tuple[tuple[str, ...], ...]:
        if value is None:
            return ()
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            value = [value]  # one set written flat
        if not isinstance(value, list) or not all(
            isinstance(group, list) and all(isinstance(v, str) and v.strip() for v in group)
            for group in value
        ):
            self.problem(
                ("check", "together"),
                "must be a list of lists of .bib files, in the order they are read, e.g. "
                '[["IEEEabrv.bib", "refs.bib"]]',
            )
            return ()
        sets = []
        for group in value:
            paths = tuple(normalise(folder / os.path.expanduser(v.strip())) for v in group)
            for name, path in zip(group, paths, strict=True):
                if not os.path.isfile(path):
                    self.problem(("check", "together"), f"no such file {name!r} (from {folder})")
            sets.append(paths)
        return tuple(sets)

    def _style(self, value: object, folder: Path) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(("check", "style"), f"must be a .bst name or path, not {value!r}")
            return None
        return resolve_style(value.strip(), folder)


def resolve_style(value: str, folder: Path) -> str:
    """A `.bst` named in a project file: a path (it has a folder part, or names a
    file in ``folder``) made absolute against ``folder``; else the name as written,
    for kpsewhich."""
    expanded = os.path.expanduser(value)
    local = folder / expanded
    if os.sep in expanded or "/" in expanded or local.is_file():
        return normalise(local)
    return value


# -- files read together ---------------------------------------------------------------


def together_set(path: str, sets: Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The first set holding ``path`` (normalised), or None."""
    wanted = normalise(path)
    for group in sets:
        if wanted in group:
            return group
    return None


def macro_sources(
    path: str, group: tuple[str, ...], macros_of: Mapping[str, Iterable[str]]
) -> dict[str, MacroSource]:
    """For the file ``path`` of the set ``group``: each macro (lower-case) defined
    in another file of the set, and where: the last earlier file defining it
    (BibTeX's reading order: a later definition wins), else the first later one
    (``before`` False: not yet defined when this file is read). ``macros_of`` gives
    each file's macro names; a file it lacks is taken as defining none."""
    me = normalise(path)
    if me not in group:
        return {}
    position = group.index(me)
    found: dict[str, MacroSource] = {}
    for other in reversed(group[position + 1 :]):
        for name in macros_of.get(other, ()):
            found[name] = MacroSource(other, before=False)
    for other in group[:position]:
        for name in macros_of.get(other, ()):
            found[name] = MacroSource(other, before=True)
    return found


def add_together(text: str, pyproject: bool, group: Iterable[str]) -> tuple[int, int, str] | None:
    """The edit (start, end, new text) of a project file's ``text`` that adds the
    set ``group`` (paths as they are to be written) to ``[check] together``: a new
    `[check]` table at the end, a `together` line under the table's header, or the
    one-line `together` value rewritten with the set appended. None when the file
    is not TOML or its `together` spans several lines (a hand-written value is not
    rewritten)."""
    names = [str(n) for n in group]
    table = ("tool", "bib-lsp", "check") if pyproject else ("check",)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    node: Any = data
    for part in table:
        node = node.get(part) if isinstance(node, Mapping) else None
    line = _toml_array([names])
    if not isinstance(node, Mapping):
        lead = "" if not text or text.endswith("\n") else "\n"
        lead += "\n" if text.strip() else ""
        return len(text), len(text), f"{lead}[{'.'.join(table)}]\ntogether = {line}\n"
    starts = [0, *(m.end() for m in re.finditer(r"\r\n|\n|\r", text))]
    lines = _key_lines(text)
    if "together" not in node:
        header = lines.get(table)
        if header is None:
            return None  # a table written inline or dotted: not rewritten
        at = starts[header] if header < len(starts) else len(text)
        lead = "\n" if at == len(text) and not text.endswith(("\n", "\r")) else ""
        return at, at, f"{lead}together = {line}\n"
    number = lines.get((*table, "together"))
    existing = node["together"]
    if number is None or not isinstance(existing, list):
        return None
    if existing and all(isinstance(v, str) for v in existing):
        existing = [existing]
    start = starts[number - 1]
    end = starts[number] if number < len(starts) else len(text)
    body = text[start:end].rstrip("\r\n")
    try:
        alone = tomllib.loads(body)
    except tomllib.TOMLDecodeError:
        return None  # the value goes on over the next lines
    if alone.get("together") != node["together"]:
        return None
    return start, start + len(body), f"together = {_toml_array([*existing, names])}"


def _toml_array(groups: Iterable[Iterable[str]]) -> str:
    """``[["a.bib", "b.bib"]]``: TOML basic strings are JSON's."""
    import json

    return "[" + ", ".join("[" + ", ".join(json.dumps(v) for v in g) + "]" for g in groups) + "]"
