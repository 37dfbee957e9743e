"""What a rule may know: an entry rule beyond its own entry (``Context``, every
lookup recorded), a document rule about the whole document (``DocumentContext``).

An entry's findings are cached with its block. A rule that depends on other entries
(a `crossref` parent, the entries with the same DOI) or on `@string`s asks the
``Context``, which notes the name asked about: when an edit changes who holds that
name, the ``Checker`` drops the cached findings of exactly the entries that asked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from bib_lsp.document import Document
from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.block import Block

_NONE: dict[int, Block] = {}
T = TypeVar("T")
Name = tuple[str, str]  # (table, name), e.g. ("key", "knuth84"); see BibIndex
Askers = Block | dict[Block, None]  # one block, or several in the order they asked


@dataclass(frozen=True, slots=True)
class MacroSource:
    """Another file defining a macro: ``before``, read before this one (the macro
    is defined here, as BibTeX reads ``\\bibliography{a,b}``), or not (read after
    it, or, not ``together``, not read with it at all: known only from the
    workspace)."""

    path: str
    before: bool
    together: bool = True


@dataclass(frozen=True, slots=True)
class DocumentContext:
    """What a document rule sees: the document, its index, the dialect in effect. Its
    findings are not cached (it runs on every report), so it has no lookups to note."""

    document: Document
    index: BibIndex
    dialect: str
    style: BibtexStyle = PLAIN


class Context:
    __slots__ = (
        "_asked_by",
        "_asks",
        "_read",
        "_read_of",
        "asked",
        "block",
        "dialect",
        "elsewhere",
        "index",
        "style",
    )

    def __init__(self, index: BibIndex) -> None:
        self.index = index
        self.dialect = "bibtex"
        self.style = PLAIN  # what the bibtex dialect knows (RuleOptions.style)
        self.block: Block | None = None  # the entry being checked
        self.asked = False  # whether the rule running now asked anything
        # Macros (lower-case) defined by other files (see ``MacroSource``); the
        # Checker forgets the askers of the names whose source changes.
        self.elsewhere: Mapping[str, MacroSource] = {}
        # Who asked about which name, both ways round, so that a removed block can
        # be forgotten and a changed name can find its askers. Blocks are keys by
        # identity; each name is one shared tuple, and a name only one block asked
        # about (most names) holds that block, not a dict of one: memory.
        self._asked_by: dict[Name, tuple[Name, Askers]] = {}
        self._asks: dict[Block, list[Name]] = {}
        # What rules of the entry being checked share (``reading``), and its block.
        self._read: dict[str, Any] = {}
        self._read_of: Block | None = None

    def reading(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, once per entry being checked: for rules that report from
        one reading of the entry. Not kept once the next entry is checked (the
        entry's findings are kept instead)."""
        if self.block is None:
            return compute()
        if self._read_of is not self.block:
            self._read, self._read_of = {}, self.block
        try:
            found: T = self._read[key]
        except KeyError:
            found = self._read[key] = compute()
        return found

    def entry_block(self, key: str) -> Block | None:
        """The entry holding ``key`` (the first in text order if several do), its
        case compared as the dialect's backend does: not by BibTeX, by biber."""
        self._note(("key", key.lower()))
        return self.index.entry_block(key, exact=self.dialect == "biblatex")

    def holders(self, table: str, name: str) -> Collection[Block]:
        """The blocks holding ``name`` in one of the index's tables (``"doi"``,
        ``"work"``, ...; see ``BibIndex``)."""
        self._note((table, name))
        return self.index.holders[table].get(name, _NONE).values()

    def string_blocks(self, name: str) -> Collection[Block]:
        """The ``@string`` blocks defining macro ``name``."""
        self._note(("string", name.lower()))
        return self.index.strings.get(name.lower(), _NONE).values()

    def macro_source(self, name: str) -> MacroSource | None:
        """Which other file defines macro ``name`` (None: none known). Noted as the
        name's definitions are (``string_blocks``)."""
        self._note(("string", name.lower()))
        return self.elsewhere.get(name.lower())

    def macro_users(self, name: str) -> Collection[Block]:
        """The blocks whose values use macro ``name``."""
        self._note(("use", name.lower()))
        return self.index.holders["use"].get(name.lower(), _NONE).values()

    def has_entries(self) -> bool:
        """Whether the file has any regular entry (a file of only ``@string``s is a
        macro library for other files)."""
        self._note(("file", "entries"))
        return self.index.entry_count > 0

    def precedes(self, block: Block, other: Block) -> bool:
        """Whether ``block`` comes before ``other`` in the file. (No need to note:
        their order changes only when one of them is removed or added, and the
        asker asked about one of them by name.)"""
        return self.index.document.precedes(block, other)

    def _note(self, name: Name) -> None:
        self.asked = True
        block = self.block
        if block is None:
            return
        found = self._asked_by.get(name)
        if found is None:
            self._asked_by[name] = (name, block)
        else:
            name, askers = found  # the name's one tuple
            if isinstance(askers, dict):
                if block in askers:
                    return
                askers[block] = None
            elif askers is block:
                return
            else:
                self._asked_by[name] = (name, {askers: None, block: None})
        asks = self._asks.get(block)
        if asks is None:
            self._asks[block] = [name]
        else:
            asks.append(name)

    def forget(self, block: Block) -> None:
        """``block`` left the document: it asks nothing any more."""
        for name in self._asks.pop(block, ()):
            found = self._asked_by.get(name)
            if found is None:
                continue
            askers = found[1]
            if not isinstance(askers, dict):
                if askers is block:
                    del self._asked_by[name]
                continue
            askers.pop(block, None)
            if len(askers) == 1:  # (a dict holds two or more)
                self._asked_by[name] = (found[0], next(iter(askers)))

    def askers(self, names: set[Name]) -> list[Block]:
        """The blocks whose findings looked at any of ``names``."""
        found: dict[Block, None] = {}
        for name in names:
            held = self._asked_by.get(name)
            if held is None:
                continue
            askers = held[1]
            if isinstance(askers, dict):
                found.update(askers)
            else:
                found[askers] = None
        return list(found)
