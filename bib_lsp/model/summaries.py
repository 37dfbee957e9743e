"""Summaries of the workspace's `.bib` files: what other files need from each, the
`@string` macros it defines (a project often keeps its journal abbreviations in a
file of their own) and its entries (key, type, a short title, where the key is),
for completion, hover, workspace symbols, references and renaming.

Summaries hold plain data, never trees: a workspace may hold thousands of files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bib_lsp.document.files import MAX_BYTES, stamp
from bib_lsp.document.io import read_bib
from bib_lsp.model.csl import Sources
from bib_lsp.model.latex import to_text
from bib_lsp.syntax.block import SyntaxTree
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field, Value, entry_view, written
from bib_lsp.text import LineIndex

TITLE_LENGTH = 80  # a summary's titles are cut to this many characters
_BRACES = re.compile(r"[{}]")


@dataclass(frozen=True, slots=True)
class MacroDef:
    name: str  # as written
    text: str  # its value as written (see ``written``)
    path: str
    line: int  # 0-based line of the name
    expansion: str = ""  # its LaTeX text, the file's own macros expanded
    lead: str = ""  # the text of its line before the name (for the column)


@dataclass(frozen=True, slots=True)
class EntryDef:
    key: str  # as written
    type: str  # lower-case
    title: str  # short and decoded (see ``short_title``)
    path: str
    line: int  # 0-based line of the key
    lead: str  # the text of that line before the key: its column in any encoding

    @property
    def character(self) -> int:
        """The key's column in code points."""
        return len(self.lead)


@dataclass(frozen=True, slots=True)
class FileSummary:
    path: str
    macros: dict[str, MacroDef] = field(default_factory=dict)  # by lower-case name
    stamp: tuple[int, int] = (0, 0)  # the file's modification time (ns) and size when read
    entries: tuple[EntryDef, ...] = ()  # in text order


def short_title(entry: Entry) -> str:
    """The entry's title as text, cheaply: decoded when it has no command (a
    backslash), else only its braces dropped; cut to ``TITLE_LENGTH``."""
    for f in entry.fields:
        if f.name_lower == "title" and f.value is not None:
            raw = written(f.value)
            text = to_text(raw) if "\\" not in raw else " ".join(_BRACES.sub("", raw).split())
            return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"
    return ""


def lead_of(lines: LineIndex, offset: int) -> tuple[int, str]:
    """The line of ``offset`` and the text of that line before it."""
    line = lines.line_of(offset)
    return line, lines.slice(lines.line_start(line), offset)


def summarise_text(path: str, text: str, when: tuple[int, int] = (0, 0)) -> FileSummary:
    """The summary of ``text``, read from ``path`` with stamp ``when``."""
    macros: dict[str, MacroDef] = {}
    tree = SyntaxTree(text)
    lines = LineIndex(text)
    values: dict[str, Value] = {}
    found: list[tuple[str, Field]] = []
    entries: list[EntryDef] = []
    for start, block in zip(tree.starts, tree.blocks, strict=True):
        if block.kind is K.ENTRY:
            entry = entry_view(block, start)
            if entry is not None and entry.key and entry.key_span is not None:
                line, lead = lead_of(lines, entry.key_span.start)
                title = short_title(entry)
                entries.append(EntryDef(entry.key, entry.type_lower, title, path, line, lead))
            continue
        if block.kind is not K.STRING:
            continue
        entry = entry_view(block, start)
        for f in entry.fields if entry is not None else ():
            if f.name and f.value is not None and f.name_lower not in values:
                values[f.name_lower] = f.value
                found.append((f.name_lower, f))
    sources = Sources(values.get, lambda key: None, "biblatex")
    for name, f in found:
        assert f.value is not None
        line, lead = lead_of(lines, f.name_span.start)
        expansion = sources.macro_text(name)
        macros[name] = MacroDef(f.name, written(f.value), path, line, expansion, lead)
    return FileSummary(path, macros, when, entries=tuple(entries))


def summarise(path: str, max_bytes: int = MAX_BYTES) -> FileSummary | None:
    """The file's summary; None when it cannot be read or is larger than
    ``max_bytes`` (then it is not read at all)."""
    when = stamp(path)
    if when is None or when[1] > max_bytes:
        return None
    try:
        return summarise_text(path, read_bib(Path(path)).text, when)
    except (OSError, ValueError):
        return None


class Workspace:
    """The summaries of the workspace's `.bib` files, by path."""

    def __init__(self) -> None:
        self.files: dict[str, FileSummary] = {}
        self.version = 0  # bumped on every change: what was derived from it is stale

    def update(self, summary: FileSummary) -> None:
        self.files[summary.path] = summary
        self.version += 1

    def remove(self, path: str) -> None:
        if self.files.pop(path, None) is not None:
            self.version += 1

    def stamps(self) -> dict[str, tuple[int, int]]:
        return {path: summary.stamp for path, summary in self.files.items()}

    def macros(self, prefix: str, skip: frozenset[str] = frozenset()) -> Iterator[MacroDef]:
        """Macros whose lower-case name starts with ``prefix``, from every file but
        those in ``skip`` (open documents speak for themselves), one per name, in
        the order of the files' paths."""
        seen: set[str] = set()
        for path in sorted(self.files):
            if path in skip:
                continue
            for name, macro in self.files[path].macros.items():
                if name.startswith(prefix) and name not in seen:
                    seen.add(name)
                    yield macro

    def entry(
        self, key: str, skip: frozenset[str] = frozenset(), *, exact: bool = False
    ) -> EntryDef | None:
        """The first entry with ``key`` (compared case-insensitively, or with
        ``exact`` as spelled) in the files but those in ``skip``, in the order of
        the files' paths."""
        wanted = key if exact else key.lower()
        for path in sorted(self.files):
            if path not in skip:
                for entry in self.files[path].entries:
                    if (entry.key if exact else entry.key.lower()) == wanted:
                        return entry
        return None
