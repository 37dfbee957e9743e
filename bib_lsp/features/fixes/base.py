"""What a quick fix is, the registry of fixes by rule code, and the places in a
document that several fixes need (the entry at an offset, the file's line break)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bib_lsp.document import Document
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, view
from bib_lsp.text.edits import Edit


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safe: bool = False  # cannot change what the user meant: `fix_all` applies it
    preferred: bool = False
    # Where the cursor goes after the fix: an offset into the text of its last edit
    # (a value left for the user to fill), or None.
    cursor: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """What a fix needs of a diagnostic: its code, its place now, its data."""

    code: str
    start: int
    end: int
    data: Any = None

    @property
    def details(self) -> dict[str, Any]:
        """The data as a dict (empty when it is not one)."""
        return self.data if isinstance(self.data, dict) else {}


FixFunction = Callable[[Finding, Document, BibIndex | None, Sequence[Finding]], list[Fix]]

# The fixes by rule code; filled by the topic modules (``fixes_for`` imports them).
FIXES: dict[str, FixFunction] = {}


def fix(code: str) -> Callable[[FixFunction], FixFunction]:
    """Register the function as the fixes of ``code``'s findings: given the finding,
    the document, the index (None in ``fix_all``) and the document's other
    findings, it returns the fixes (none if there is nothing sure to offer)."""

    def register(function: FixFunction) -> FixFunction:
        assert code not in FIXES, f"two fixes for {code}"
        FIXES[code] = function
        return function

    return register


def entry_at(doc: Document, offset: int) -> tuple[int, Entry] | None:
    """The entry (`@type{...}`, not `@string`) holding ``offset``, with its start."""
    located = doc.block_at(offset)
    if located is None:
        return None
    start, block = located
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return None
    return start, entry


def line_break(doc: Document) -> str:
    """The file's own line break (``\r\n`` in a CRLF file)."""
    first = doc.slice(0, doc.line_end(0, include_break=True))
    return "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"
