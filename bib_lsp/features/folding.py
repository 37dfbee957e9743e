"""Where a `.bib` file folds (no LSP types here): entries over several lines,
long values, runs of comment lines (`%` lines inside entries, free text between
entries) and `@comment` blocks.

Folds are computed per block, block-relative (the server keeps what it sends per
block: ``lsp/navigation.py``). A fold goes from just after an opening delimiter
to just before the closing one, so that a client that folds inside lines shows
`@article{…}`; ``keep_last_line`` tells a client that folds whole lines only to
stop a line earlier (the closing delimiter starts its line, or a field follows
the value on it).
"""

from __future__ import annotations

import enum
from bisect import bisect_right
from dataclasses import dataclass, replace

from bib_lsp.document import Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Node
from bib_lsp.syntax.views import Entry, Field, view
from bib_lsp.text import LINE_BREAK_RE

MIN_VALUE_LINES = 3  # a value folds when it spans this many lines (titles of two do not)
MAX_COLLAPSED = 60  # characters of the text shown for a folded range


class FoldKind(enum.Enum):
    REGION = "region"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class Fold:
    start: int  # offsets (block-relative from ``block_folds``)
    end: int
    kind: FoldKind
    collapsed: str  # what may stand for the folded text
    keep_last_line: bool = False  # a line-only fold should end on the line before ``end``
    inner: bool = False  # inside an entry (a value, comments), not a whole block

    def shifted(self, delta: int) -> Fold:
        return replace(self, start=self.start + delta, end=self.end + delta)


def block_folds(block: Block) -> list[Fold]:
    """The block's folds, block-relative, in order of their starts."""
    return _folds(block)


def document_folds(doc: Document) -> list[Fold]:
    """Every fold with absolute offsets, in text order."""
    return [f.shifted(start) for start, block in doc.blocks() for f in block_folds(block)]


def _folds(block: Block) -> list[Fold]:
    if not block.breaks:
        return []
    if block.kind is K.JUNK_BLOCK:
        return _comment_runs(block.text, 0, len(block.text))
    entry = view(block)
    if entry is None:  # pragma: no cover - only free text has no view
        return []
    lines = block.line_starts
    folds: list[Fold] = []
    body = _body(block, entry)
    if body is not None and _line(lines, body[1]) > _line(lines, body[0]):
        kind = FoldKind.COMMENT if entry.kind is K.COMMENT_ENTRY else FoldKind.REGION
        if entry.key_span is not None:
            collapsed = _short(block.text[: entry.key_span.end]) + ", …"
        else:
            collapsed = _short(block.text[: body[0]]) + " …"
        folds.append(Fold(*body, kind, collapsed, _starts_line(block.text, body[1])))
    text = block.text
    for f in entry.fields:
        value = f.value
        if value is None:
            continue
        start, end = value.span.start, value.span.end
        if text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0:
            continue  # one line (most values): not worth a closer look
        fold = _value_fold(text, lines, f, entry.damaged)
        if fold is not None:
            folds.append(fold)
    if "%" in block.text:
        folds += _comments_in_entry(block)
    folds.sort(key=lambda f: f.start)
    return folds


def _line(lines: list[int], offset: int) -> int:
    return bisect_right(lines, offset)


def _starts_line(text: str, offset: int) -> bool:
    """Only blanks between the start of the line and ``offset``."""
    line_start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return not text[line_start:offset].strip()


def _body(block: Block, entry: Entry) -> tuple[int, int] | None:
    """The entry's text between its delimiters (to its end when unclosed)."""
    if entry.kind is K.COMMENT_ENTRY:
        pos = 0
        for child in block.node.children:
            width = child.width if isinstance(child, Node) else child[1]
            if not isinstance(child, Node) and child[0] is K.BODY:
                closed = block.text[pos + width - 1] == "}" and width > 1
                return pos + 1, pos + width - (1 if closed else 0)
            pos += width
        return None
    if entry.open_delim is None:
        return None
    end = entry.close_delim.start if entry.close_delim is not None else len(block.text)
    return entry.open_delim.end, end


def _value_fold(text: str, lines: list[int], f: Field, damaged: bool) -> Fold | None:
    value = f.value
    if value is None or not value.pieces:
        return None
    if _line(lines, value.span.end) - _line(lines, value.span.start) + 1 < MIN_VALUE_LINES:
        return None  # (cheap, before asking whether the last piece is closed)
    first, last = value.pieces[0], value.pieces[-1]
    start = first.span.start + (1 if first.kind in (K.BRACED, K.QUOTED) else 0)
    # (In an entry without problems every piece is closed: no need to ask.)
    closed = last.kind in (K.BRACED, K.QUOTED) and (not damaged or last.closed)
    end = last.span.end - (1 if closed else 0)
    if _line(lines, end) - _line(lines, start) + 1 < MIN_VALUE_LINES:
        return None
    closing = text[end : last.span.end]
    collapsed = f"{f.name} = {text[first.span.start : start]}{_short(text[start:end])}{closing}"
    # Keep the last line when the closing delimiter starts it, or when more than
    # the comma and the entry's end follow the value there.
    after = LINE_BREAK_RE.split(text[value.span.end :], maxsplit=1)[0].strip()
    rest = after.removeprefix(",").strip()
    keep = _starts_line(text, end) or rest not in ("", "}", ")")
    return Fold(start, end, FoldKind.REGION, collapsed, keep, inner=True)


def _comments_in_entry(block: Block) -> list[Fold]:
    """Runs of `%` lines inside an entry (a commented-out field, a note)."""
    folds = []
    run: list[tuple[int, int]] = []  # the comments of the current run
    text = block.text

    def close() -> None:
        if len(run) > 1:
            first = text[run[0][0] : run[0][1]]
            collapsed = _short(first) + " …"
            folds.append(Fold(run[0][0], run[-1][1], FoldKind.COMMENT, collapsed, inner=True))
        run.clear()

    for kind, start, end in block.node.tokens():
        if kind is K.COMMENT:
            run.append((start, end))
        elif kind is K.WHITESPACE and run:
            breaks = len(LINE_BREAK_RE.findall(text, start, end))
            if breaks != 1:  # a blank line, or a comment not at the end of a line
                close()
        else:
            close()
    close()
    return folds


def _comment_runs(text: str, start: int, end: int) -> list[Fold]:
    """Runs of two or more consecutive non-blank lines of free text."""
    folds = []
    run_start = run_end = -1
    count = 0
    first = ""
    pos = start
    for match in [*LINE_BREAK_RE.finditer(text, start, end), None]:
        line_end = match.start() if match is not None else end
        line = text[pos:line_end]
        if line.strip():
            if count == 0:
                run_start = pos + len(line) - len(line.lstrip())
                first = line.strip()
            run_end = pos + len(line.rstrip())
            count += 1
        else:
            if count > 1:
                folds.append(Fold(run_start, run_end, FoldKind.COMMENT, _short(first) + " …"))
            count = 0
        if match is None:
            break
        pos = match.end()
    if count > 1:
        folds.append(Fold(run_start, run_end, FoldKind.COMMENT, _short(first) + " …"))
    return folds


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_COLLAPSED else text[: MAX_COLLAPSED - 1].rstrip() + "…"
