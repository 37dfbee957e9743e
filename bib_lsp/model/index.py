"""Entries and ``@string`` macros of one document by name, kept current from the
blocks each edit removes and adds (never by re-reading the whole document).

Names are compared as BibTeX compares them: case-insensitively. A block's view is
computed once and cached on the block, relative to the block's start.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bib_lsp.document import BlockChanges, Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, entry_view


def view(block: Block) -> Entry | None:
    """The block's entry view, relative to the block's start (cached)."""
    return block.cached("view", _view)


def _view(block: Block) -> Entry | None:
    return entry_view(block, 0)


def key_of(block: Block) -> str | None:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY or not entry.key:
        return None
    return entry.key.lower()


def strings_of(block: Block) -> list[str]:
    entry = view(block)
    if entry is None or entry.kind is not K.STRING:
        return []
    return [f.name_lower for f in entry.fields if f.name]


def uses_biblatex(block: Block) -> bool:
    """Whether the entry uses a type or field that only biblatex knows (cached)."""
    return block.cached("biblatex", _uses_biblatex)


def _uses_biblatex(block: Block) -> bool:
    from bib_lsp.model.requirements import BIBLATEX_ONLY_FIELDS, BIBLATEX_ONLY_TYPES

    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return False
    if entry.type_lower in BIBLATEX_ONLY_TYPES:
        return True
    return any(f.name_lower in BIBLATEX_ONLY_FIELDS for f in entry.fields)


class BibIndex:
    """Who defines which key and which macro, and which names are defined twice."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.keys: dict[str, list[Block]] = defaultdict(list)
        self.strings: dict[str, list[Block]] = defaultdict(list)
        self.duplicate_keys: set[str] = set()
        self.duplicate_strings: set[str] = set()
        self.biblatex_markers = 0  # blocks using a biblatex-only entry type or field
        # Names whose holders changed since the last ``take_changed()``.
        self.changed: set[tuple[str, str]] = set()
        self._add(block for _, block in document.blocks())
        self.changed.clear()

    def update(self, changes: BlockChanges) -> None:
        for block in changes.removed:
            self._remove_one(block)
        self._add(changes.added)

    def _add(self, blocks: Iterable[Block]) -> None:
        for block in blocks:
            key = key_of(block)
            if key is not None:
                _insert(self.keys, self.duplicate_keys, key, block)
                self.changed.add(("key", key))
            for name in strings_of(block):
                _insert(self.strings, self.duplicate_strings, name, block)
                self.changed.add(("string", name))
            if uses_biblatex(block):
                self.biblatex_markers += 1

    def _remove_one(self, block: Block) -> None:
        if uses_biblatex(block):
            self.biblatex_markers -= 1
        key = key_of(block)
        if key is not None:
            _delete(self.keys, self.duplicate_keys, key, block)
            self.changed.add(("key", key))
        for name in strings_of(block):
            _delete(self.strings, self.duplicate_strings, name, block)
            self.changed.add(("string", name))

    def take_changed(self) -> set[tuple[str, str]]:
        """The names (``("key", k)``, ``("string", s)``) whose holders changed since
        the last call."""
        changed, self.changed = self.changed, set()
        return changed

    def entry(self, key: str) -> tuple[int, Block] | None:
        """The first entry (in text order) with this key, and its start."""
        found = self.located(self.keys.get(key.lower(), ()))
        return found[0] if found else None

    def entry_block(self, key: str) -> Block | None:
        """The first entry (in text order) with this key; no position lookup when the
        key is unique, as it nearly always is."""
        holders = self.keys.get(key.lower())
        if not holders:
            return None
        if len(holders) == 1:
            return holders[0]
        found = self.located(holders)
        return found[0][1] if found else None

    def located(self, blocks: Iterable[Block]) -> list[tuple[int, Block]]:
        """Blocks with their current starts, in text order."""
        out = []
        for block in blocks:
            start = self.document.start_of(block)
            if start is not None:
                out.append((start, block))
        out.sort(key=lambda pair: pair[0])
        return out


def _insert(table: dict[str, list[Block]], twice: set[str], name: str, block: Block) -> None:
    holders = table[name]
    holders.append(block)
    if len(holders) > 1:
        twice.add(name)


def _delete(table: dict[str, list[Block]], twice: set[str], name: str, block: Block) -> None:
    holders = table.get(name)
    if not holders:
        return
    for i, candidate in enumerate(holders):
        if candidate is block:
            del holders[i]
            break
    if len(holders) < 2:
        twice.discard(name)
    if not holders:
        del table[name]
