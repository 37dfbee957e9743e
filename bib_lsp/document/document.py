"""A text document kept as parsed blocks, re-parsed only where an edit lands.

The text lives in its blocks (no whole-file string is rebuilt per keystroke), held
in chunks (``chunks.ChunkedBlocks``). After an edit, blocks are re-read from the
start of the first block the edit touches until a new block boundary falls on an
old one past the edit; every block after that is the same object as before,
caches and all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from bib_lsp.document.chunks import ChunkedBlocks
from bib_lsp.syntax.block import Block, SyntaxTree
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.syntax.kinds import SyntaxKind
from bib_lsp.syntax.parser import parse_block
from bib_lsp.syntax.tree import Problem
from bib_lsp.text import (
    LineMapping,
    Position,
    PositionEncoding,
    Range,
    relative_position,
    units_in,
)


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


def _syntax_problems(block: Block, previous: Block | None) -> list[Problem]:
    return list(block.problems)


class Document(ChunkedBlocks, LineMapping):
    """A ``.bib`` text with its syntax, updated incrementally by edits."""

    __slots__ = ("_column_memo", "biber_comments", "uri", "version")

    def __init__(
        self, text: str = "", *, uri: str = "", version: int = 0, biber_comments: bool = False
    ) -> None:
        """``biber_comments``: read ``%`` outside entries as biber does, not as BibTeX
        (see ``syntax.parser``; the checker sets it from the dialect)."""
        self.uri = uri
        self.version = version
        self.biber_comments = biber_comments
        super().__init__()
        # The last column worked out across blocks, per encoding: (line start,
        # offset, units between). A block in the middle of a long line (a 5 MB line
        # of entries) counts on from it instead of from the line start, so that
        # converting offsets in order along a line costs the line once, not once
        # per offset. Emptied by every change.
        self._column_memo: dict[PositionEncoding, tuple[int, int, int]] = {}
        self._replace_all(text)

    @property
    def text(self) -> str:
        return "".join(block.text for chunk in self._chunks for block in chunk.blocks)

    def problems(self) -> list[Problem]:
        """Syntax problems of the whole text, with absolute offsets."""
        return self.collect("syntax", _syntax_problems)

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
            parsed = parse_block(region, pos, self.biber_comments)
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

    def set_biber_comments(self, biber_comments: bool) -> BlockChanges:
        """Read ``%`` outside entries as biber (True) or BibTeX (False) does from now
        on; return the blocks that changed. The readings differ only in free text
        with a ``%`` in it, so only that (and the blocks that then read differently)
        is read again: the other blocks keep their caches."""
        total = BlockChanges()
        if biber_comments == self.biber_comments:
            return total
        junk = SyntaxKind.JUNK_BLOCK
        at = [s for s, b in self.blocks() if b.node.kind is junk and "%" in b.text]
        self.biber_comments = biber_comments
        if not at:
            return total
        self._column_memo.clear()
        with gc_paused():
            for start in at:  # the text does not change, so neither do these offsets
                found = self.block_at(start)
                if found is not None and found[0] == start:
                    total.merge(self._reread(start))
        return total

    def _reread(self, start: int) -> BlockChanges:
        """Read the block at ``start`` again (and those after it, as far as its new
        reading changes them)."""
        return self._edit(start, start, "")

    def _replace_all(self, text: str) -> None:
        self._column_memo.clear()
        self._set_blocks(SyntaxTree(text, self.biber_comments).blocks)
