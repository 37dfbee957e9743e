"""A text document kept as parsed blocks, re-parsed only where an edit lands.

The text lives in its blocks (no whole-file string is rebuilt per keystroke), and
the blocks live in chunks of about ``CHUNK_SIZE`` so that finding a block by
offset or by line, and shifting everything after an edit, cost O(chunks + chunk
size) rather than O(blocks). After an edit, blocks are re-read from the start of
the first block the edit touches until a new block boundary falls on an old one
past the edit; every block after that is the same object as before, caches and all.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from bib_lsp.document.fenwick import Fenwick
from bib_lsp.syntax.block import Block, SyntaxTree
from bib_lsp.syntax.parser import gc_paused, parse_block
from bib_lsp.syntax.tree import Problem
from bib_lsp.text import (
    LineMapping,
    Position,
    PositionEncoding,
    Range,
    relative_position,
    units_in,
)

CHUNK_SIZE = 64
# A block's findings, given the block and the one before it (None for the first).
PerBlock = Callable[[Block, Block | None], list[Problem]]
_JOURNAL_LIMIT = 4096
# Journal epochs, unique across documents: a cursor never fits another document.
_EPOCHS = itertools.count(1)


@dataclass(frozen=True, slots=True)
class ChunkFindings:
    """The findings of one chunk: ``problems`` relative to its ``start``. ``token``
    is the same object for as long as none of the chunk's blocks changes."""

    token: object  # the chunk itself
    start: int
    problems: list[Problem]
    line: int = 0  # the line the chunk starts on
    starts_line: bool = True  # whether it starts at the beginning of that line


class BlockChanges:
    """The blocks an edit took out of the document and the ones it put in (in text
    order), so that indexes over blocks can be updated instead of rebuilt."""

    __slots__ = ("added", "regions", "removed")

    def __init__(self, removed: list[Block] | None = None, added: list[Block] | None = None):
        self.removed: list[Block] = removed or []
        self.added: list[Block] = added or []
        # How many runs of consecutive blocks were replaced (one for one edit): in
        # one run, every block outside it kept its place relative to the others.
        self.regions = 1 if self.removed or self.added else 0

    @property
    def contiguous(self) -> bool:
        return self.regions <= 1

    def merge(self, later: BlockChanges) -> None:
        """Fold in the changes of a later edit: a block added and removed again
        in between appears in neither list."""
        self.regions += later.regions
        gone = {id(b) for b in later.removed}
        kept = [b for b in self.added if id(b) not in gone]
        added_here = {id(b) for b in self.added}
        self.removed += [b for b in later.removed if id(b) not in added_here]
        self.added = kept + later.added


@dataclass(frozen=True, slots=True)
class TextChange:
    """An LSP-style change: replace ``range`` (or the whole text when ``None``)."""

    text: str
    range: Range | None = None


class _Chunk:
    """An immutable run of consecutive blocks with their relative starts."""

    __slots__ = ("blocks", "breaks", "cache", "length", "line_bases", "starts")

    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.starts: list[int] = []
        self.line_bases: list[int] = []
        pos = breaks = 0
        for block in blocks:
            block.home = self
            self.starts.append(pos)
            self.line_bases.append(breaks)
            pos += len(block.text)
            breaks += block.breaks
        self.length = pos
        self.breaks = breaks
        self.cache: dict[str, list[Problem]] = {}

    def collect(self, key: str, per_block: PerBlock, before: Block | None) -> list[Problem]:
        """The blocks' findings, relative to the chunk's start (computed once per key:
        a chunk is replaced, never changed, when one of its blocks changes).
        ``before`` is the block before the chunk's first."""
        found = self.cache.get(key)
        if found is None:
            found = []
            previous = before
            for start, block in zip(self.starts, self.blocks, strict=True):
                found += [p.shifted(start) for p in per_block(block, previous)]
                previous = block
            self.cache[key] = found
        return found


def _syntax_problems(block: Block, previous: Block | None) -> list[Problem]:
    return list(block.problems)


def _retire(chunks: list[_Chunk]) -> None:
    """Empty chunks the document no longer holds. A chunk and its blocks refer to
    each other (``Block.home``): a cycle, which reference counting cannot free. The
    server moves the heap of an opened document out of the cyclic collector's reach
    (``gc.freeze``), so every chunk replaced by an edit, with the block it lost and
    all that was cached on it, stayed in memory for good (a long editing session
    grew by about 13 KB per edit). Emptied, it is freed as soon as nothing uses it."""
    for chunk in chunks:
        chunk.blocks = []
        chunk.starts = []
        chunk.line_bases = []
        chunk.cache = {}


def _chunked(blocks: list[Block]) -> list[_Chunk]:
    """Cut blocks into chunks of at most ``CHUNK_SIZE``, as even as possible (no
    one-block remainder)."""
    count = -(-len(blocks) // CHUNK_SIZE)
    bounds = [len(blocks) * i // count for i in range(count + 1)] if count else []
    return [_Chunk(blocks[a:b]) for a, b in pairwise(bounds)]


class Document(LineMapping):
    """A ``.bib`` text with its syntax, updated incrementally by edits."""

    __slots__ = (
        "_chunk_index",
        "_chunks",
        "_column_memo",
        "_counts",
        "_epoch",
        "_journal",
        "_lengths",
        "_lines",
        "uri",
        "version",
    )

    def __init__(self, text: str = "", *, uri: str = "", version: int = 0) -> None:
        self.uri = uri
        self.version = version
        # Per chunk: its length, its line breaks and its number of blocks, as prefix
        # sums, so that locating and shifting cost O(log chunks), not O(chunks).
        self._chunks: list[_Chunk] = []
        self._chunk_index: dict[int, int] = {}  # id(chunk) -> its index
        self._lengths = self._lines = self._counts = Fenwick([])
        # Which chunks were replaced in place (index, change in line breaks) since
        # the chunk list was last rebuilt (``_epoch``): see ``chunk_changes``.
        self._epoch = 0
        self._journal: list[tuple[int, int]] = []
        # The last column worked out across blocks, per encoding: (line start,
        # offset, units between). A block in the middle of a long line (a 5 MB line
        # of entries) counts on from it instead of from the line start, so that
        # converting offsets in order along a line costs the line once, not once
        # per offset. Emptied by every change.
        self._column_memo: dict[PositionEncoding, tuple[int, int, int]] = {}
        self._replace_all(text)

    # -- reading -------------------------------------------------------------------
    @property
    def text(self) -> str:
        return "".join(block.text for chunk in self._chunks for block in chunk.blocks)

    @property
    def length(self) -> int:
        return self._lengths.total()

    @property
    def chunk_count(self) -> int:
        return len(self._chunks)

    @property
    def block_count(self) -> int:
        return self._counts.total()

    def blocks(self) -> Iterator[tuple[int, Block]]:
        """Yield ``(absolute start, block)`` in text order."""
        base = 0
        for chunk in self._chunks:
            for start, block in zip(chunk.starts, chunk.blocks, strict=True):
                yield base + start, block
            base += chunk.length

    def problems(self) -> list[Problem]:
        """Syntax problems of the whole text, with absolute offsets."""
        return self.collect("syntax", _syntax_problems)

    def collect(self, key: str, per_block: PerBlock) -> list[Problem]:
        """``per_block`` findings (block-relative) of every block, with absolute
        offsets, in text order. Costs O(chunks + findings) when few blocks changed:
        each chunk keeps its list per ``key``. ``per_block(block, previous)`` must
        depend on the block, on what ``key`` names and on the block before it (only
        on how that one ends: see ``_splice``), or the caller must ``forget`` the
        block when what else it depends on changes."""
        return [
            p.shifted(part.start)
            for part in self.collect_by_chunk(key, per_block)
            for p in part.problems
        ]

    def collect_by_chunk(self, key: str, per_block: PerBlock) -> list[ChunkFindings]:
        """As ``collect``, but per chunk and relative to it: a consumer can cache what
        it derives from a chunk's findings for as long as the chunk (``token``) lives."""
        out: list[ChunkFindings] = []
        base = line = 0
        starts_line = True
        before: Block | None = None
        for chunk in self._chunks:
            found = chunk.collect(key, per_block, before)
            before = chunk.blocks[-1]
            if found:
                out.append(ChunkFindings(chunk, base, found, line, starts_line))
            base += chunk.length
            line += chunk.breaks
            starts_line = chunk.blocks[-1].text.endswith(("\n", "\r"))
        return out

    def forget(self, block: Block, prefix: str) -> None:
        """Drop what was cached under keys starting with ``prefix`` on the block and
        by ``collect`` for the chunk holding it: the block's findings are to be
        computed again (and ``chunk_changes`` reports the chunk as changed)."""
        for key in [k for k in block.cache if k.startswith(prefix)]:
            del block.cache[key]
        chunk = block.home
        if not isinstance(chunk, _Chunk):
            return
        dropped = [k for k in chunk.cache if k.startswith(prefix)]
        for key in dropped:
            del chunk.cache[key]
        ci = self._chunk_index.get(id(chunk))
        if dropped and ci is not None:
            # Once per chunk: a chunk with nothing cached has nothing stale anywhere
            # (whatever was derived from it came through ``collect``).
            self._note_change(ci, 0)

    def chunk_changes(
        self, since: tuple[int, int] | None
    ) -> tuple[list[tuple[int, int]] | None, tuple[int, int]]:
        """The chunks changed since cursor ``since``, as ``(chunk index, change in
        its line breaks)`` in order, and the cursor to ask with next time. ``None``
        instead of the list: take every chunk as new (the chunk list was rebuilt,
        or ``since`` is ``None``). A chunk is changed when it was replaced or when
        ``forget`` was called for one of its blocks."""
        cursor = (self._epoch, len(self._journal))
        if since is None or since[0] != self._epoch:
            return None, cursor
        return self._journal[since[1] :], cursor

    def collect_chunk(self, ci: int, key: str, per_block: PerBlock) -> ChunkFindings:
        """As one item of ``collect_by_chunk`` (possibly with no problems), for the
        chunk at index ``ci``; O(log chunks)."""
        chunk = self._chunks[ci]
        starts_line = ci == 0 or self.chunk_ends_line(ci - 1)
        return ChunkFindings(
            chunk,
            self._lengths.prefix(ci),
            chunk.collect(key, per_block, self._chunks[ci - 1].blocks[-1] if ci else None),
            self._lines.prefix(ci),
            starts_line,
        )

    def chunk_line(self, ci: int) -> int:
        """The line on which chunk ``ci`` starts."""
        return self._lines.prefix(ci)

    def chunk_breaks(self, ci: int) -> int:
        """The number of line breaks in chunk ``ci``."""
        return self._chunks[ci].breaks

    def chunk_ends_line(self, ci: int) -> bool:
        """Whether chunk ``ci`` ends with a line break (the next starts a line)."""
        return self._chunks[ci].blocks[-1].text.endswith(("\n", "\r"))

    def chunk_at(self, offset: int) -> int:
        """The index of the chunk holding ``offset`` (the last for the end)."""
        return self._locate(min(max(offset, 0), self.length))[0]

    def _note_change(self, ci: int, line_delta: int) -> None:
        if len(self._journal) >= _JOURNAL_LIMIT:
            self._epoch = next(_EPOCHS)  # readers that far behind start over
            self._journal = []
        self._journal.append((ci, line_delta))

    def block_at(self, offset: int) -> tuple[int, Block] | None:
        """The block containing ``offset`` (the last block for the end of the text);
        None for an empty document."""
        if not self._chunks:
            return None
        ci, bi = self._locate(offset)
        chunk = self._chunks[ci]
        return self._lengths.prefix(ci) + chunk.starts[bi], chunk.blocks[bi]

    def nearby(self, offset: int) -> Iterator[tuple[int, Block]]:
        """``(absolute start, block)`` from the block holding ``offset`` outwards:
        that block, then the one before it, the one after it, the second before,
        and so on, each side until the text ends (stop early: it is lazy)."""
        if not self._chunks:
            return
        here = self._flat(offset)
        total = self.block_count
        for distance in range(max(here + 1, total - here)):
            for index in (here - distance, here + distance) if distance else (here,):
                if 0 <= index < total:
                    yield self._block_start(index), self._block(index)

    def slice(self, start: int, end: int) -> str:
        start, end = max(start, 0), min(end, self.length)
        if start >= end:
            return ""
        ci, bi = self._locate(start)
        pieces: list[str] = []
        pos = self._lengths.prefix(ci) + self._chunks[ci].starts[bi]
        while pos < end:
            chunk = self._chunks[ci]
            block = chunk.blocks[bi]
            pieces.append(block.text[max(start - pos, 0) : end - pos])
            pos += len(block.text)
            bi += 1
            if bi == len(chunk.blocks):
                ci, bi = ci + 1, 0
        return "".join(pieces)

    # -- lines ---------------------------------------------------------------------
    @property
    def line_count(self) -> int:
        return self._lines.total() + 1

    def line_of(self, offset: int) -> int:
        offset = min(max(offset, 0), self.length)
        if not self._chunks:
            return 0
        ci, bi = self._locate(offset)
        chunk = self._chunks[ci]
        block = chunk.blocks[bi]
        relative = offset - self._lengths.prefix(ci) - chunk.starts[bi]
        within = bisect_right(block.line_starts, relative) if block.breaks else 0
        return self._lines.prefix(ci) + chunk.line_bases[bi] + within

    def position(
        self, offset: int, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> Position:
        """As ``LineMapping.position``; one block lookup when the line starts in the
        block holding ``offset`` (the usual case)."""
        offset = min(max(offset, 0), self.length)
        if self._chunks:
            ci, bi = self._locate(offset)
            chunk = self._chunks[ci]
            block = chunk.blocks[bi]
            relative = offset - self._lengths.prefix(ci) - chunk.starts[bi]
            breaks = block.line_starts if block.breaks else ()
            line, column = relative_position(block.text, breaks, relative, encoding)
            if line or self._starts_line(ci, bi):
                return Position(self._lines.prefix(ci) + chunk.line_bases[bi] + line, column)
        if encoding is PositionEncoding.UTF32 or not self._chunks:
            return super().position(offset, encoding)
        # A line that starts in an earlier block (possibly a huge one): count from
        # the memo (on or back) if it is on this line and nearer than the line start.
        line = self.line_of(offset)
        start = self.line_start(line)
        offset = min(offset, self.line_end(line))
        memo = self._column_memo.get(encoding)
        if memo is not None and memo[0] == start and memo[1] <= offset:
            units = memo[2] + units_in(self.slice(memo[1], offset), encoding)
        elif memo is not None and memo[0] == start and memo[1] - offset < offset - start:
            units = memo[2] - units_in(self.slice(offset, memo[1]), encoding)
        else:
            units = units_in(self.slice(start, offset), encoding)
        self._column_memo[encoding] = (start, offset, units)
        return Position(line, units)

    def _starts_line(self, ci: int, bi: int) -> bool:
        """Whether the block at (ci, bi) begins a line (blocks never split a CRLF)."""
        if bi:
            before = self._chunks[ci].blocks[bi - 1]
        elif ci:
            before = self._chunks[ci - 1].blocks[-1]
        else:
            return True
        return before.text[-1] in "\r\n"

    def line_start(self, line: int) -> int:
        if not 0 <= line < self.line_count:
            raise IndexError(f"line {line} out of range (0..{self.line_count - 1})")
        if line == 0:
            return 0
        # Line `line` starts just after the `line`-th line break of the text.
        ci = self._lines.search(line - 1)
        chunk = self._chunks[ci]
        nth = line - self._lines.prefix(ci)
        bi = bisect_right(chunk.line_bases, nth - 1) - 1
        block = chunk.blocks[bi]
        start = self._lengths.prefix(ci) + chunk.starts[bi]
        return start + block.line_starts[nth - chunk.line_bases[bi] - 1]

    # -- editing -------------------------------------------------------------------
    def apply_changes(
        self,
        changes: Iterable[TextChange],
        encoding: PositionEncoding = PositionEncoding.UTF16,
        version: int | None = None,
    ) -> BlockChanges:
        """Apply LSP-style changes in order, each in the coordinates its
        predecessors left behind; return the blocks they removed and added."""
        total = BlockChanges()
        for change in changes:
            if change.range is None:
                total.merge(self.replace_all(change.text))
            else:
                start, end = self.offset_range(change.range, encoding)
                total.merge(self.edit(start, end, change.text))
        if version is not None:
            self.version = version
        return total

    def edit(self, start: int, end: int, new_text: str) -> BlockChanges:
        """Replace the code points ``[start, end)`` with ``new_text``."""
        length = self.length
        start = min(max(start, 0), length)
        end = min(max(end, start), length)
        if start == end and not new_text:
            return BlockChanges()
        if not self._chunks:
            return self.replace_all(new_text)
        self._column_memo.clear()
        with gc_paused():
            return self._edit(start, end, new_text)

    def replace_all(self, text: str) -> BlockChanges:
        removed = [block for chunk in self._chunks for block in chunk.blocks]
        self._replace_all(text)
        return BlockChanges(removed, [block for chunk in self._chunks for block in chunk.blocks])

    def start_of(self, block: Block) -> int | None:
        """The absolute start of a block of this document (None if it is not one)."""
        chunk = block.home
        if not isinstance(chunk, _Chunk):
            return None
        ci = self._chunk_index.get(id(chunk))
        if ci is None or ci >= len(self._chunks) or self._chunks[ci] is not chunk:
            return None
        for bi, candidate in enumerate(chunk.blocks):
            if candidate is block:
                return self._lengths.prefix(ci) + chunk.starts[bi]
        return None  # pragma: no cover - a chunk always holds the blocks it homes

    def precedes(self, block: Block, other: Block) -> bool:
        """Whether ``block`` comes before ``other`` (both of this document); O(1)
        across chunks, O(chunk size) within one."""
        a, b = block.home, other.home
        if a is b and isinstance(a, _Chunk):
            for candidate in a.blocks:
                if candidate is block:
                    return candidate is not other
                if candidate is other:
                    return False
            return False  # pragma: no cover - a chunk holds the blocks it homes
        ca = self._chunk_index.get(id(a), -1)
        cb = self._chunk_index.get(id(b), -1)
        return ca < cb

    def _edit(self, start: int, end: int, new_text: str) -> BlockChanges:
        # First touched block: the one holding `start`, or the one ending there (a
        # block's extent may depend on the one character after it).
        first = self._flat(start)
        first_start = self._block_start(first)
        if start == first_start and first > 0:
            first -= 1
            first_start -= len(self._block(first).text)
        last = self._flat(end)
        last_end = self._block_start(last) + len(self._block(last).text)
        region = self.slice(first_start, start) + new_text + self.slice(end, last_end)
        total = self.block_count
        next_old = last + 1  # the first old block not yet taken into `region`
        boundaries = {len(region): next_old}  # region offset -> old block starting there
        new_blocks: list[Block] = []
        pos = 0
        grow = 1
        while pos < len(region) or next_old < total:
            if pos in boundaries:
                break
            parsed = parse_block(region, pos)
            if parsed.saw_end and next_old < total:
                # The block may reach into the text after the region: take more
                # (doubling, so a long runaway block is read a bounded number of times).
                for _ in range(min(grow, total - next_old)):
                    region += self._block(next_old).text
                    next_old += 1
                    boundaries[len(region)] = next_old
                grow *= 2
                continue
            new_blocks.append(Block.from_parse(region, pos, parsed))
            pos = parsed.end
        reuse_from = boundaries.get(pos, total)
        removed = [self._block(i) for i in range(first, reuse_from)]
        self._splice(first, reuse_from, new_blocks)
        return BlockChanges(removed, new_blocks)

    # -- chunk bookkeeping -----------------------------------------------------------
    def _replace_all(self, text: str) -> None:
        self._column_memo.clear()
        old = self._chunks
        self._chunks = _chunked(SyntaxTree(text).blocks)
        _retire(old)
        self._reindex()

    def _reindex(self) -> None:
        self._chunks = [chunk for chunk in self._chunks if chunk.blocks]
        self._chunk_index = {id(chunk): ci for ci, chunk in enumerate(self._chunks)}
        self._lengths = Fenwick([chunk.length for chunk in self._chunks])
        self._lines = Fenwick([chunk.breaks for chunk in self._chunks])
        self._counts = Fenwick([len(chunk.blocks) for chunk in self._chunks])
        self._epoch = next(_EPOCHS)
        self._journal = []

    def _locate(self, offset: int) -> tuple[int, int]:
        """(chunk index, block index) of the block holding ``offset``; the last
        block for the end of the text."""
        ci = min(self._lengths.search(offset), len(self._chunks) - 1)
        chunk = self._chunks[ci]
        bi = bisect_right(chunk.starts, offset - self._lengths.prefix(ci)) - 1
        return ci, bi

    def _flat(self, offset: int) -> int:
        """The index in the whole document of the block holding ``offset``."""
        ci, bi = self._locate(offset)
        return self._counts.prefix(ci) + bi

    def _unflatten(self, index: int) -> tuple[int, int]:
        ci = min(self._counts.search(index), len(self._chunks) - 1)
        return ci, index - self._counts.prefix(ci)

    def _block(self, index: int) -> Block:
        ci, bi = self._unflatten(index)
        return self._chunks[ci].blocks[bi]

    def _block_start(self, index: int) -> int:
        ci, bi = self._unflatten(index)
        return self._lengths.prefix(ci) + self._chunks[ci].starts[bi]

    def _splice(self, first: int, stop: int, new_blocks: list[Block]) -> None:
        """Replace the blocks with document indexes ``[first, stop)`` by ``new_blocks``."""
        c0, b0 = self._unflatten(first)
        if stop >= self.block_count:
            c1, b1 = len(self._chunks) - 1, len(self._chunks[-1].blocks)
        else:
            c1, b1 = self._unflatten(stop)
            if b1 == 0 and c1 > c0:  # ends at a chunk boundary: leave that chunk be
                c1 -= 1
                b1 = len(self._chunks[c1].blocks)
        merged = self._chunks[c0].blocks[:b0] + new_blocks + self._chunks[c1].blocks[b1:]
        small = len(merged) < CHUNK_SIZE // 4 and len(self._chunks) > 1
        if c0 == c1 and merged and not small and len(merged) <= 2 * CHUNK_SIZE:
            # The common case: one chunk changes; shift the sums in O(log chunks).
            old, new = self._chunks[c0], _Chunk(merged)
            self._chunks[c0] = new
            del self._chunk_index[id(old)]
            self._chunk_index[id(new)] = c0
            self._lengths.add(c0, new.length - old.length)
            self._lines.add(c0, new.breaks - old.breaks)
            self._counts.add(c0, len(new.blocks) - len(old.blocks))
            self._note_change(c0, new.breaks - old.breaks)
            if old.blocks[-1] is not new.blocks[-1] and c0 + 1 < len(self._chunks):
                self._refresh(c0 + 1)
            _retire([old])
            return
        if small:
            # Keep chunks from withering after deletions: merge with a neighbour.
            if c1 + 1 < len(self._chunks):
                c1 += 1
                merged += self._chunks[c1].blocks
            elif c0 > 0:
                c0 -= 1
                merged = self._chunks[c0].blocks + merged
        rebuilt = _chunked(merged)
        replaced = self._chunks[c0 : c1 + 1]
        self._chunks[c0 : c1 + 1] = rebuilt
        _retire(replaced)
        self._reindex()
        if c0 + len(rebuilt) < len(self._chunks):
            self._refresh(c0 + len(rebuilt))

    def _refresh(self, ci: int) -> None:
        """The block before chunk ``ci`` changed: what was collected for its first
        block (which may depend on the one before) is collected again."""
        self._chunks[ci].cache.clear()
        self._note_change(ci, 0)
