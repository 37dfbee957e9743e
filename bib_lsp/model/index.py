"""Entries and ``@string`` macros of one document by name, kept current from the
blocks each edit removes and adds (never by re-reading the whole document).

Names are held as BibTeX compares them, case-insensitively; a lookup may ask for
the exact spelling instead (``exact=True``), as biber compares keys. What a block
holds is read once and cached on the block.
"""

from __future__ import annotations

import time
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable

from bib_lsp.document import BlockChanges, Document
from bib_lsp.model.comments import file_ignores
from bib_lsp.syntax.block import Block, comments_out_next
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, forget_views, view
from bib_lsp.text import LINE_BREAK_RE


def key_of(block: Block) -> str | None:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY or not entry.key:
        return None
    return entry.key.lower()


def spelled(block: Block) -> str | None:
    """The block's key as written (None for a block without one)."""
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY or not entry.key:
        return None
    return entry.key


def strings_of(block: Block) -> list[str]:
    entry = view(block)
    if entry is None or entry.kind is not K.STRING:
        return []
    return [f.name_lower for f in entry.fields if f.name]


def macros_used(entry: Entry) -> list[str]:
    """The macro names the entry's values use (lower-cased, in order)."""
    return [
        p.text.lower()
        for f in entry.fields
        if f.value is not None
        for p in f.value.pieces
        if p.kind is K.MACRO
    ]


def names_of(block: Block) -> dict[str, list[str]]:
    """What the block holds, per table of the index (cached): its key, the macros
    it defines and uses, its DOI, and the signature of the work it cites."""
    if block.node.kind is K.JUNK_BLOCK:  # free text holds no names (not cached: half
        return _NO_NAMES  # the blocks of a file are the blank lines between entries)
    return block.cached("names", _names_of)


def _names_of(block: Block) -> dict[str, list[str]]:
    from bib_lsp.model.works import doi_of, work_of

    entry = view(block)
    if entry is None:
        return _NO_NAMES
    names: dict[str, list[str]] = {}
    key = key_of(block)
    if key is not None:
        names["key"] = [key]
    if entry.kind is K.STRING:
        names["string"] = strings_of(block)
    if entry.kind in (K.ENTRY, K.STRING):
        used = macros_used(entry)
        if used:
            names["use"] = list(dict.fromkeys(used))
    if entry.kind is K.ENTRY and not entry.damaged:
        doi = doi_of(entry)
        if doi:
            names["doi"] = [doi]
        work = work_of(entry)
        if work:
            names["work"] = [work]
    return names


_NO_NAMES: dict[str, list[str]] = {}
TABLES = ("key", "string", "use", "doi", "work")


# biblatex-only fields that BibTeX bibliographies use too, as extras their styles
# ignore (Beebe's TeX Live files have `subtitle`, `date`, `location`; jurabib's
# have `gender` and `shortauthor`): alone they are weak evidence of biblatex. `issue` is none at
# all: tugboat.bib gives it to every one of its 4,839 entries.
WEAK_BIBLATEX_FIELDS = frozenset({"subtitle", "date", "location", "gender", "shortauthor"})
NO_EVIDENCE = frozenset({"issue"})


# Fields whose values recur across entries (a journal, a publisher), offered
# again by completion, most used first.
SHARED_VALUE_FIELDS = frozenset(
    {
        "journal",
        "journaltitle",
        "publisher",
        "institution",
        "school",
        "organization",
        "booktitle",
        "series",
        "address",
        "location",
        "howpublished",
        "eventtitle",
        "venue",
    }
)


def shared_values(block: Block) -> list[tuple[str, str]]:
    """(field, literal value) of the block's fields in SHARED_VALUE_FIELDS (cached;
    values made of macros are left out)."""
    if block.node.kind is K.JUNK_BLOCK:
        return []
    return block.cached("shared", _shared_values)


def _shared_values(block: Block) -> list[tuple[str, str]]:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return []
    out = []
    for f in entry.fields:
        if f.name_lower in SHARED_VALUE_FIELDS and f.value is not None:
            pieces = f.value.pieces
            if pieces and all(p.kind in (K.BRACED, K.QUOTED) for p in pieces):
                text = " ".join("".join(p.content for p in pieces).split())
                if text:
                    out.append((f.name_lower, text))
    return out


def looks_biblatex(strong: int, weak: int, entries: int) -> bool:
    """The `auto` dialect's rule, over the evidence of a file's entries (see
    ``biblatex_evidence``)."""
    return strong > 0 or (weak >= 3 and weak * 10 >= entries)


def biblatex_evidence(block: Block) -> int:
    """2 when the entry uses a type or field only biblatex knows, 1 when it only
    uses fields that BibTeX files often carry as extras, 0 otherwise (cached)."""
    if block.node.kind is K.JUNK_BLOCK:
        return 0
    return block.cached("biblatex", _biblatex_evidence)


def _biblatex_evidence(block: Block) -> int:
    from bib_lsp.model.requirements import BIBLATEX_ONLY_FIELDS, BIBLATEX_ONLY_TYPES

    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return 0
    if entry.type_lower in BIBLATEX_ONLY_TYPES:
        return 2
    found = 0
    for f in entry.fields:
        if f.name_lower in BIBLATEX_ONLY_FIELDS and f.name_lower not in NO_EVIDENCE:
            if f.name_lower not in WEAK_BIBLATEX_FIELDS:
                return 2
            found = 1
    return found


class BibIndex:
    """Who holds which name, per table: entries by key, ``@string``s by the macros
    they define, blocks by the macros they use, entries by DOI and by the work
    they cite (normalised title, year and first author); the names held twice;
    and whether the file has any regular entries."""

    def __init__(self, document: Document, *, deferred: bool = False) -> None:
        """Index the whole document now, or, when ``deferred``, as ``build`` is
        called (a large document's index is built in slices off the request path;
        edits in between are taken as usual)."""
        self.document = document
        # Per table, per name: the blocks holding it, by id (removal is O(1) even
        # for a macro that 50,000 entries use), in the order they were added.
        self.holders: dict[str, dict[str, Holders]] = {t: {} for t in TABLES}
        self.twice: dict[str, set[str]] = {t: set() for t in TABLES}
        self.keys = self.holders["key"]
        self.sorted_keys: list[str] = []  # the keys (lower-case) in order, for prefixes
        # How often each value of the fields that repeat across entries occurs.
        self.values: dict[str, Counter[str]] = defaultdict(Counter)
        self.strings = self.holders["string"]
        self.duplicate_keys = self.twice["key"]
        self.duplicate_strings = self.twice["string"]
        self.entry_count = 0  # regular entries
        self.file_ignores: Counter[str] = Counter()  # codes `ignore-file` comments name
        # Entries with strong and with weak evidence of biblatex (see above).
        self.biblatex_markers = 0
        self.weak_biblatex_markers = 0
        # Free text whose last line comments out the entry after it for biber but
        # not for BibTeX (BibTeX's reading): that entry is no evidence.
        self.commented_out: dict[int, Block] = {}
        # Free text with a `%` line holding an `@` (biber's reading): BibTeX's differs.
        self.commented_ats: dict[int, Block] = {}
        # Names whose holders changed since the last ``take_changed()``, as
        # (table, name); ("file", "entries") when the file gains its first regular
        # entry or loses its last.
        self.changed: set[tuple[str, str]] = set()
        # While the index is being built: the blocks of the document when it was
        # made, those of them indexed or gone since, and where the build is.
        self._pending: list[Block] | None = [block for _, block in document.blocks()]
        self._done: set[int] = set()  # ids of the pending blocks indexed (or gone)
        self._next = 0
        if not deferred:
            self.build()

    @property
    def complete(self) -> bool:
        """Whether every block of the document is in the index."""
        return self._pending is None

    def build(self, deadline: float | None = None) -> bool:
        """Index the blocks not yet indexed, until ``time.perf_counter()`` passes
        ``deadline`` (None: all of them); whether the index is now complete."""
        pending = self._pending
        if pending is None:
            return True
        done, count = self._done, len(pending)
        while self._next < count:
            stop = min(count, self._next + _BUILD_STEP)
            batch = [b for b in pending[self._next : stop] if id(b) not in done]
            self._next = stop
            self._add(batch)
            if deadline is not None and time.perf_counter() >= deadline:
                return self._next >= count and self._finish()
        return self._finish()

    def progress(self) -> int:
        """How far the build is, in percent (100 when complete)."""
        if self._pending is None:
            return 100
        return self._next * 100 // max(len(self._pending), 1)

    def _finish(self) -> bool:
        self._pending = None
        self._done = set()
        # Keys were not kept in order while building (one sort beats 100,000
        # insertions into a growing list).
        self.sorted_keys = sorted(self.keys)
        # What building added is no change: nothing has asked about it yet.
        self.changed.clear()
        return True

    def update(self, changes: BlockChanges) -> None:
        before = self.changed
        self.changed = set()
        forget_views(changes.removed)
        for block in changes.removed:
            if self._pending is not None and id(block) not in self._done:
                self._done.add(id(block))  # never indexed: the build skips it
                continue
            self._remove_one(block)
        gone = self.changed
        self.changed = set()
        self._add(changes.added)
        came = self.changed
        if changes.contiguous:
            # A macro defined or used by a block that one edit replaced in place is
            # still defined (or used) at that place: what entries elsewhere asked
            # about it (is it defined above me? used at all?) has the same answer.
            # (Keys, DOIs and works are asked about for their entries' contents.)
            same_place = {n for n in gone & came if n[0] in _PLACE_ONLY}
            gone -= same_place
            came -= same_place
        self.changed = before | gone | came

    def _add(self, blocks: Iterable[Block]) -> None:
        """Index ``blocks``: the document's own (``build``) or those an edit added."""
        changed = self.changed
        building = self._pending is not None
        for block in blocks:
            if building:
                self._done.add(id(block))
            for table, names in names_of(block).items():
                holders, twice = self.holders[table], self.twice[table]
                for name in names:
                    if table == "key" and name not in holders and not building:
                        insort(self.sorted_keys, name)
                    _insert(holders, twice, name, block)
                    changed.add((table, name))
            if key_of(block) is not None:
                self.entry_count += 1
                if self.entry_count == 1:
                    changed.add(_ENTRIES)
            evidence = biblatex_evidence(block)
            if evidence == 2:
                self.biblatex_markers += 1
            elif evidence == 1:
                self.weak_biblatex_markers += 1
            self.file_ignores.update(file_ignores(block))
            for name, value in shared_values(block):
                self.values[name][value] += 1
            if block.problems and comments_out_next(block):
                self.commented_out[id(block)] = block
            if block.node.kind is K.JUNK_BLOCK and "%" in block.text and "@" in block.text:
                self.commented_ats[id(block)] = block

    def _remove_one(self, block: Block) -> None:
        for name, value in shared_values(block):
            counts = self.values[name]
            counts[value] -= 1
            if counts[value] <= 0:
                del counts[value]
        self.commented_out.pop(id(block), None)
        self.commented_ats.pop(id(block), None)
        evidence = biblatex_evidence(block)
        if evidence == 2:
            self.biblatex_markers -= 1
        elif evidence == 1:
            self.weak_biblatex_markers -= 1
        self.file_ignores.subtract(file_ignores(block))
        self.file_ignores += Counter()  # drop the codes no comment names any more
        if key_of(block) is not None:
            self.entry_count -= 1
            if self.entry_count == 0:
                self.changed.add(_ENTRIES)
        for table, names in names_of(block).items():
            holders, twice = self.holders[table], self.twice[table]
            for name in names:
                _delete(holders, twice, name, block)
                self.changed.add((table, name))
                if table == "key" and name not in holders and self._pending is None:
                    i = bisect_left(self.sorted_keys, name)
                    if i < len(self.sorted_keys) and self.sorted_keys[i] == name:
                        del self.sorted_keys[i]

    def looks_biblatex(self) -> bool:
        """The `auto` dialect: biblatex when an entry uses a type or field only
        biblatex knows, or when the weak signs are common (a tenth of the entries,
        and at least three). An entry after a `%` on its line is no evidence: biber
        reads no entry there, so which reading to use cannot depend on it."""
        return looks_biblatex(*self.evidence())

    def evidence(self) -> tuple[int, int, int]:
        """What ``looks_biblatex`` weighs: (strong signs, weak signs, entries), the
        entries after a `%` on their line left out."""
        strong, weak, entries = self.biblatex_markers, self.weak_biblatex_markers, self.entry_count
        for junk in self.commented_out.values():
            start = self.document.start_of(junk)
            if start is None:
                continue
            pos = start + len(junk.text)
            for _ in range(_LINE_BLOCKS):  # the blocks on the rest of that line
                found = self.document.block_at(pos)
                if found is None or found[0] != pos:
                    break
                block = found[1]
                evidence = biblatex_evidence(block)
                strong -= evidence == 2
                weak -= evidence == 1
                entries -= key_of(block) is not None
                if LINE_BREAK_RE.search(block.text) is not None:
                    break
                pos += len(block.text)
        return strong, weak, entries

    def take_changed(self) -> set[tuple[str, str]]:
        """The (table, name) pairs whose holders changed since the last call."""
        changed, self.changed = self.changed, set()
        return changed

    def entry(self, key: str, *, exact: bool = False) -> tuple[int, Block] | None:
        """The first entry (in text order) with this key, and its start; with
        ``exact``, only an entry whose key is spelled so (biber's comparison)."""
        found = self.located(self.keys.get(key.lower(), {}).values())
        if exact:
            found = [pair for pair in found if spelled(pair[1]) == key]
        return found[0] if found else None

    def entry_block(self, key: str, *, exact: bool = False) -> Block | None:
        """The first entry (in text order) with this key (with ``exact``, spelled
        so); no position lookup when one entry holds it, as one nearly always does."""
        holders = self.keys.get(key.lower())
        if not holders:
            return None
        if len(holders) == 1:
            block = next(iter(holders.values()))
            return None if exact and spelled(block) != key else block
        found = self.located(holders.values())
        if exact:
            found = [pair for pair in found if spelled(pair[1]) == key]
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


_ENTRIES = ("file", "entries")
_LINE_BLOCKS = 64  # at most this many blocks after a `%` on one line are looked at
_BUILD_STEP = 64  # blocks indexed between looks at the clock
# Tables whose askers care only where a name is held, not what the holder says.
_PLACE_ONLY = frozenset({"string", "use"})


class One:
    """The holders of a name held by one block, as a mapping like ``dict`` of id ->
    block: most names (keys, DOIs, works) have a single holder, and this costs a
    sixth of a one-item dict and its id."""

    __slots__ = ("block",)

    def __init__(self, block: Block) -> None:
        self.block = block

    def values(self) -> tuple[Block]:
        return (self.block,)

    def __len__(self) -> int:
        return 1


Holders = dict[int, Block] | One
"""The blocks holding one name, in the order they were added."""


def _insert(table: dict[str, Holders], twice: set[str], name: str, block: Block) -> None:
    holders = table.get(name)
    if holders is None:
        table[name] = One(block)
        return
    if isinstance(holders, One):
        if holders.block is block:
            return
        holders = table[name] = {id(holders.block): holders.block}
    holders[id(block)] = block
    if len(holders) > 1:
        twice.add(name)


def _delete(table: dict[str, Holders], twice: set[str], name: str, block: Block) -> None:
    holders = table.get(name)
    if holders is None:
        return
    if isinstance(holders, One):
        if holders.block is block:
            del table[name]
        return
    holders.pop(id(block), None)
    if len(holders) < 2:
        twice.discard(name)
        if holders:
            table[name] = One(next(iter(holders.values())))
        else:
            del table[name]
