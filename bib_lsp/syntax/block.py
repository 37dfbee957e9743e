"""Top-level blocks and whole-text syntax trees."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from bib_lsp.syntax.codes import COMMENTED_OUT_ENTRY
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.syntax.kinds import SyntaxKind
from bib_lsp.syntax.parser import BlockParse, parse_blocks
from bib_lsp.syntax.tree import Node, Problem
from bib_lsp.text import LINE_BREAK_RE

T = TypeVar("T")


class Block:
    """One top-level block (an entry, or the free text between entries).

    Everything inside is relative to the block's start, so a block that an edit does
    not touch is reused as it is, with whatever was cached on it.
    """

    __slots__ = ("_line_starts", "breaks", "cache", "home", "node", "problems", "text")

    def __init__(self, text: str, node: Node, problems: tuple[Problem, ...]) -> None:
        self.text = text
        self.node = node
        self.problems = problems
        self.breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        self.cache: dict[str, Any] = {}
        self.home: object = None  # the document chunk that holds the block
        self._line_starts: list[int] | None = None

    @classmethod
    def from_parse(cls, source: str, start: int, parsed: BlockParse) -> Block:
        return cls(source[start : parsed.end], parsed.node, tuple(parsed.problems))

    @property
    def kind(self) -> SyntaxKind:
        return self.node.kind

    @property
    def line_starts(self) -> list[int]:
        """Block-relative offsets just after each line break in the block."""
        if self._line_starts is None:
            self._line_starts = [m.end() for m in LINE_BREAK_RE.finditer(self.text)]
        return self._line_starts

    def cached(self, key: str, compute: Callable[[Block], T]) -> T:
        """Return ``compute(self)``, computed once per block (and so once per edit
        of this block, since an edited block is a new block)."""
        try:
            value: T = self.cache[key]
        except KeyError:
            value = self.cache[key] = compute(self)
        return value

    def same_as(self, other: Block) -> bool:
        """Equal text, tree and problems (identity of caches aside)."""
        return (
            self.text == other.text and self.node == other.node and self.problems == other.problems
        )

    def __repr__(self) -> str:
        return f"Block({self.kind.name}, {self.text[:30]!r}...)"


class SyntaxTree:
    """A whole text read at once: its blocks and their absolute starts."""

    __slots__ = ("blocks", "starts", "text")

    def __init__(self, text: str, biber_comments: bool = False) -> None:
        """``biber_comments``: read ``%`` outside entries as biber does (see
        ``parser.parse_block``)."""
        self.text = text
        self.blocks: list[Block] = []
        self.starts: list[int] = []
        pos = 0
        parsed_blocks = parse_blocks(text, biber_comments)
        with gc_paused():
            for parsed in parsed_blocks:
                self.blocks.append(Block.from_parse(text, pos, parsed))
                self.starts.append(pos)
                pos = parsed.end

    def __iter__(self) -> Iterator[tuple[int, Block]]:
        return zip(self.starts, self.blocks, strict=True)

    @property
    def root(self) -> Node:
        return Node(SyntaxKind.ROOT, [b.node for b in self.blocks], len(self.text))

    def problems(self) -> list[Problem]:
        return [p.shifted(start) for start, block in self for p in block.problems]

    def tree_text(self) -> str:
        """The text rebuilt from the tokens of the tree, for round-trip checks."""
        pieces = []
        for start, block in self:
            for _kind, s, e in block.node.tokens(start):
                pieces.append(self.text[s:e])
        return "".join(pieces)


def comments_out_next(block: Block) -> bool:
    """Whether the block is free text whose last line has a `%` before the entry
    after it: BibTeX reads that entry, biber does not (``commented-out-entry``, in
    BibTeX's reading). The two readings differ only at such blocks."""
    return block.node.kind is SyntaxKind.JUNK_BLOCK and any(
        p.code == COMMENTED_OUT_ENTRY for p in block.problems
    )


def parse(text: str, biber_comments: bool = False) -> SyntaxTree:
    """Parse a whole text. Never raises."""
    return SyntaxTree(text, biber_comments)
