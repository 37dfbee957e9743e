"""Formatting: each block written anew from its syntax tree, or kept byte for byte.

What is rewritten: entries, `@string`s and `@preamble`s the parser read without a
problem. Their layout (`@type{key,`, one field per line with the indent, `=`
aligned or not, the closing delimiter on its own line) is produced from the tree;
their content is the text of the value pieces as written (only the options that
say so change it: delimiters, dashes in pages, double braces, case of names,
wrapping). Whatever else there is stays as it was: broken entries, `@comment`s,
free text between entries (only the blank lines around it are normalised), `%`
comments inside an entry (they go with the field below them).

The result is returned as minimal edits: one per block that changed, trimmed to
the characters that differ, so an editor keeps its cursor and undo history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from bib_lsp.document import Document
from bib_lsp.formatting.layout import Layout, layout_of
from bib_lsp.formatting.options import KEEP, FormatOptions
from bib_lsp.formatting.reading import read_entry
from bib_lsp.formatting.writing import format_block
from bib_lsp.syntax.block import Block, comments_out_next
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import BLANK
from bib_lsp.syntax.views import view
from bib_lsp.text import LINE_BREAK_RE
from bib_lsp.text.edits import Edit, apply, trimmed

# -- the whole text ---------------------------------------------------------------


def _between(text: str, before: int, after: bool, options: FormatOptions) -> str:
    """Free text between blocks: ``before`` is -1 at the start of the file, else
    how many line breaks the block before it ends with; ``after``: a block
    follows. Blank lines around what it says are normalised, what it says is
    kept as written."""
    blank = options.blank_lines
    core = text.strip(BLANK)
    lead = text[: len(text) - len(text.lstrip(BLANK))]
    trail = text[len(text.rstrip(BLANK)) :]
    # Line breaks between the block before and what comes next, counting those
    # the block's own text ends with.
    wanted = (lead.count("\n") + max(before, 0)) if blank == KEEP else int(blank) + 1
    breaks = max(wanted - max(before, 0), 1 if before == 0 else 0)
    if not core:  # only white space between two blocks, or at an end
        if not after:
            return "\n" if before == 0 else ""
        return "\n" * breaks if before >= 0 else ""
    lead = "\n" * breaks if before >= 0 else ""
    if after:
        # A comment right above an entry stays right above it.
        breaks = min(trail.count("\n"), 1 + (int(blank) if blank != KEEP else trail.count("\n")))
        trail = "\n" * max(breaks, 1)
    else:
        trail = "\n"
    # Lines of free text lose their trailing blanks only.
    core = "\n".join(line.rstrip(BLANK) for line in core.split("\n"))
    return lead + core + trail


@dataclass(frozen=True, slots=True)
class _Piece:
    """A block of the document with its formatted text."""

    start: int
    block: Block
    text: str


def _pieces(doc: Document, options: FormatOptions, layout: Layout) -> list[_Piece]:
    blocks = list(doc.blocks())
    out: list[_Piece] = []
    # Each block's result is kept on it for these options: formatting again after
    # an edit (format on save) only writes the blocks the edit replaced.
    key = f"format:{layout!r}:{options!r}"

    def formatted(block: Block) -> str:
        return format_block(block, layout, options)

    commented = False  # a `%` before this block on its line comments it out for biber
    as_written: set[int] = set()  # such blocks (no line break added after them either)
    for i, (start, block) in enumerate(blocks):
        flagged = bool(block.problems) and comments_out_next(block)
        if commented or flagged:
            # `%@misc{...}`: an entry for BibTeX, a comment for biber. Written on
            # more lines, its fields would come out of the comment: the rest of the
            # line is kept as it is.
            commented = flagged or LINE_BREAK_RE.search(block.text) is None
            as_written.add(id(block))
            out.append(_Piece(start, block, block.text))
        elif block.kind is K.JUNK_BLOCK:
            before = _trailing_breaks(out[-1].text) if out else -1
            after = i < len(blocks) - 1
            out.append(_Piece(start, block, _between(block.text, before, after, options)))
        else:
            out.append(_Piece(start, block, block.cached(key, formatted)))
    # Two blocks side by side (no free text between them): line breaks between.
    wanted = 1 if options.blank_lines == KEEP else int(options.blank_lines) + 1
    fixed: list[_Piece] = []
    for piece in out:
        side_by_side = fixed and K.JUNK_BLOCK not in (piece.block.kind, fixed[-1].block.kind)
        if side_by_side and id(fixed[-1].block) not in as_written:
            prev = fixed[-1]
            ends = _trailing_breaks(prev.text)
            fixed[-1] = replace(prev, text=prev.text + "\n" * max(wanted - ends, 0))
        fixed.append(piece)
    if _newline(doc) == "\r\n":  # what is written anew takes the file's line breaks
        fixed = [replace(p, text=_crlf_added(p)) for p in fixed]
    last = fixed[-1] if fixed else None
    if last is not None and last.block.kind is not K.JUNK_BLOCK and not last.text.endswith("\n"):
        fixed[-1] = replace(last, text=last.text + _newline(doc))
    return fixed


def _trailing_breaks(text: str) -> int:
    """How many line breaks the text ends with (blanks between them aside)."""
    return text[len(text.rstrip(BLANK)) :].count("\n")


def _newline(doc: Document) -> str:
    """The file's line break: CRLF when most of its first lines end so."""
    head = doc.slice(0, 65536)
    crlf = head.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= head.count("\n") else "\n"


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _crlf_added(piece: _Piece) -> str:
    """The piece with CRLF line breaks in what formatting wrote; a block kept as it
    was (a broken entry) keeps its own bytes, whatever its line breaks."""
    original = piece.block.text
    if piece.text == original:
        return original
    kept = piece.block.kind is not K.JUNK_BLOCK and read_entry(piece.block) is None
    if kept and piece.text.startswith(original):
        return original + _crlf(piece.text[len(original) :])
    return _crlf(piece.text)


def format_text(text: str, options: FormatOptions | None = None) -> str:
    """The text formatted (a convenience over ``format_edits``)."""
    doc = Document(text)
    return apply(text, format_edits(doc, options))


def format_edits(
    doc: Document, options: FormatOptions | None = None, within: tuple[int, int] | None = None
) -> list[Edit]:
    """Minimal edits that format the document (or the blocks touching ``within``,
    a range of offsets): one per block that changes, trimmed to what differs."""
    options = options or FormatOptions()
    layout = layout_of(doc, options)
    pieces = _pieces(doc, options, layout)
    if options.sort_entries != "off" and within is None and sortable(doc):
        return _sorted_edits(doc, pieces, options)
    edits = []
    for piece in pieces:
        end = piece.start + len(piece.block.text)
        if within is not None and (end < within[0] or piece.start > within[1]):
            continue
        if piece.text != piece.block.text:
            edits.append(trimmed(piece.start, piece.block.text, piece.text))
    return edits


# -- sorting entries ---------------------------------------------------------------


def sortable(doc: Document) -> bool:
    """Whether entries may be sorted: not while the file has syntax errors (an
    unclosed entry or `@comment` would take in whatever is moved after it)."""
    return not any(block.problems for _, block in doc.blocks())


def _sorted_edits(doc: Document, pieces: list[_Piece], options: FormatOptions) -> list[Edit]:
    """Entries sorted; `@string`s, `@preamble`s, `@comment`s and the free text
    before the first entry stay first, in order (a `@string` below the entries
    moves up: defined earlier, it means the same); the free text just above an
    entry moves with it."""
    head: list[str] = []
    groups: list[tuple[tuple[object, ...], int, str]] = []
    pending: list[str] = []
    for i, piece in enumerate(pieces):
        kind = piece.block.kind
        text = piece.text.replace("\r\n", "\n")  # line breaks as the file's at the end
        if kind is K.JUNK_BLOCK:
            pending.append(text)
        elif kind is K.ENTRY:
            groups.append((_sort_key(piece.block, options), i, "".join(pending) + text))
            pending = []
        else:
            head += [*pending, text]
            pending = []
    groups.sort(key=lambda g: (g[0], g[1]))
    blank = options.blank_lines
    separator = "\n" * (2 if blank == KEEP else int(blank) + 1)
    parts = ["\n".join(t.strip("\n") for t in head if t.strip(BLANK))] if head else []
    parts += [text.strip("\n") for _, _, text in groups]
    tail = "".join(pending).strip("\n")
    new = separator.join(parts) + ("\n" + tail if tail else "") + "\n"
    if _newline(doc) == "\r\n":
        new = _crlf(new)
    return list(_line_diff(doc.text, new))


def _sort_key(block: Block, options: FormatOptions) -> tuple[object, ...]:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return (1, "")
    key = (entry.key or "").lower()
    if options.sort_entries == "key":
        return (0, key)
    if options.sort_entries == "type":
        return (0, entry.type_lower, key)
    year = entry.field("year") or entry.field("date")
    text = "".join(p.content for p in year.value.pieces) if year and year.value else ""
    digits = re.search(r"\d{4}", text)
    return (0, digits.group(0) if digits else "9999", key)


def _line_diff(old: str, new: str) -> Iterator[Edit]:
    """Edits turning ``old`` into ``new``, one per run of differing lines."""
    import difflib

    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield Edit(starts[i1], starts[i2], "".join(new_lines[j1:j2]))
