"""Smart selection in a `.bib` file (no LSP types here): the ranges around an
offset, from the innermost out, each strictly larger than the one before.

In a value: the word, each brace group around it (its text, then with its
braces), the piece's text, the piece, the whole value; then the field without
and with its comma, the entry's text between its delimiters, the entry, the
file. On a name (type, key, field, macro): the name, then the same ancestors.
In free text: the word, the line, the paragraph, the free text.
"""

from __future__ import annotations

import re

from bib_lsp.document import Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Element, Node
from bib_lsp.text import LINE_BREAK_RE

Span = tuple[int, int]

# Where the cursor sits between two elements, these give way to the one before
# (the cursor just after `title` in `title =` is on the name).
_WEAK = frozenset({K.WHITESPACE, K.COMMA, K.EQUALS, K.HASH, K.L_DELIM, K.R_DELIM})
_WORD = re.compile(r'[^\s{}",]+')
_TEXT_WORD = re.compile(r"\S+")
# Brace groups offered around the cursor, innermost first: a value nested 10,000
# deep would make a chain of 20,000 ranges, which no one steps through and whose
# nested JSON the server could not even write.
MAX_GROUPS = 64


def selection_ranges(doc: Document, offset: int) -> list[Span]:
    """The ranges around ``offset`` (absolute), innermost first."""
    offset = min(max(offset, 0), doc.length)
    located = doc.block_at(offset)
    if located is None:
        return [(offset, offset)]
    start, block = located
    if block.kind is K.JUNK_BLOCK and offset == start and start > 0:
        before = doc.block_at(start - 1)
        if before is not None and before[1].kind is not K.JUNK_BLOCK:
            start, block = before  # just after an entry's closing delimiter
    ranges = [(a + start, b + start) for a, b in _in_block(block, offset - start)]
    return _growing([*ranges, (0, doc.length)], offset)


def _growing(ranges: list[Span], offset: int) -> list[Span]:
    out: list[Span] = []
    for a, b in ranges:
        if not a <= offset <= b or a == b:
            continue
        if out and (a > out[-1][0] or b < out[-1][1] or (a, b) == out[-1]):
            continue
        out.append((a, b))
    return out or [(offset, offset)]


def _in_block(block: Block, rel: int) -> list[Span]:
    text = block.text
    if block.kind is K.JUNK_BLOCK:
        return _in_free_text(text, rel, 0, len(text))
    path = _path(block.node, rel)
    ranges: list[Span] = []
    kind, start, end = path[-1][0], path[-1][1], path[-1][2]
    if kind in (K.BRACED, K.QUOTED, K.BODY):
        ranges += _in_piece(text, start, end, rel)
    elif kind is K.TYPE:
        ranges.append((start, end))
        if start and text[start - 1] == "@":
            ranges.append((start - 1, end))
    elif kind is K.JUNK:  # pragma: no cover - junk tokens stand in free-text blocks
        ranges += _in_free_text(text, rel, start, end)
    elif kind not in _WEAK:
        ranges.append((start, end))
    for kind, start, end, node in reversed(path[:-1]):
        assert isinstance(node, Node)
        if kind is K.FIELD:
            ranges += _field(node, start)
        elif kind in (K.ENTRY, K.STRING, K.PREAMBLE, K.COMMENT_ENTRY):
            ranges += _fields(node, start)
            ranges += _trimmed(block.text, _body(node, start))
        ranges.append((start, end))
    return ranges


def _path(node: Node, rel: int) -> list[tuple[K, int, int, Element]]:
    """The elements from ``node`` down to the token at ``rel``, with their spans."""
    path: list[tuple[K, int, int, Element]] = [(node.kind, 0, node.width, node)]
    base = 0
    while isinstance(node, Node) and node.children:
        spans = []
        pos = base
        for child in node.children:
            width = child.width if isinstance(child, Node) else child[1]
            spans.append((child, pos, pos + width))
            pos += width
        i = next((i for i, (_, s, e) in enumerate(spans) if s <= rel < e), len(spans) - 1)
        if (
            i > 0
            and spans[i][1] == rel
            and _kind(spans[i][0]) in _WEAK
            and _kind(spans[i - 1][0]) not in _WEAK
        ):
            i -= 1
        child, s, e = spans[i]
        path.append((_kind(child), s, e, child))
        if not isinstance(child, Node):
            break
        node, base = child, s
    return path


def _kind(element: Element) -> K:
    return element.kind if isinstance(element, Node) else element[0]


def _field(node: Node, start: int) -> list[Span]:
    """`name = value` without what follows the value (its comma)."""
    pos, end = start, start
    for child in node.children:
        width = child.width if isinstance(child, Node) else child[1]
        if _kind(child) not in (K.WHITESPACE, K.COMMA, K.COMMENT):
            end = pos + width
        pos += width
    return [(start, end)]


def _fields(node: Node, start: int) -> list[Span]:
    """From the first field to the last."""
    pos, first, last = start, -1, -1
    for child in node.children:
        width = child.width if isinstance(child, Node) else child[1]
        if _kind(child) is K.FIELD:
            first = pos if first < 0 else first
            last = pos + width
        pos += width
    return [(first, last)] if first >= 0 else []


def _trimmed(text: str, spans: list[Span]) -> list[Span]:
    """The spans without the blanks at their ends."""
    out = []
    for a, b in spans:
        part = text[a:b]
        out.append((a + len(part) - len(part.lstrip()), a + len(part.rstrip())))
    return out


def _body(node: Node, start: int) -> list[Span]:
    """An entry's text between its delimiters."""
    pos, first, last = start, -1, -1
    for child in node.children:
        width = child.width if isinstance(child, Node) else child[1]
        kind = _kind(child)
        if kind is K.L_DELIM and first < 0:
            first = pos + width
        elif kind is K.R_DELIM:
            last = pos
        elif kind is K.BODY and width > 1:
            first, last = pos + 1, pos + width - 1
        pos += width
    if first < 0:
        return []
    return [(first, last if last >= first else pos)]


def _in_piece(text: str, start: int, end: int, rel: int) -> list[Span]:
    """In a braced or quoted piece (or `@comment`'s body): the word, the brace
    groups around it, the piece's text, the piece."""
    closed = end - start > 1 and text[end - 1] == ("}" if text[start] == "{" else '"')
    inner_end = end - 1 if closed else end
    ranges: list[Span] = []
    word = _word(text, rel, start + 1, inner_end, _WORD)
    if word is not None:
        ranges.append(word)
    for a, b in _groups(text, start + 1, inner_end, rel)[:MAX_GROUPS]:
        ranges += [(a + 1, b - 1 if text[b - 1] == "}" else b), (a, b)]
    ranges += [(start + 1, inner_end), (start, end)]
    return ranges


def _groups(text: str, lo: int, hi: int, rel: int) -> list[Span]:
    """The brace groups within ``[lo, hi)`` around ``rel``, innermost first (an
    unclosed one runs to ``hi``)."""
    opened: list[int] = []
    for i in range(lo, min(rel, hi)):
        c = text[i]
        if c == "{":
            opened.append(i)
        elif c == "}" and opened:
            opened.pop()
    out = []
    depth, i = 0, rel
    for open_at in reversed(opened):
        # Find the `}` closing this group, past the groups opened after ``rel``.
        while i < hi:
            c = text[i]
            i += 1
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    break
                depth -= 1
        else:
            out.append((open_at, hi))
            continue
        out.append((open_at, i))
    return out


def _word(text: str, rel: int, lo: int, hi: int, pattern: re.Pattern[str]) -> Span | None:
    """The word (a match of ``pattern``) at ``rel``, or ending there."""
    for match in pattern.finditer(text, max(lo, rel - 200), min(hi, rel + 200)):
        if match.start() <= rel <= match.end():
            return match.span()
        if match.start() > rel:
            break
    return None


def _in_free_text(text: str, rel: int, lo: int, hi: int) -> list[Span]:
    """The word, the line, the paragraph (non-blank lines), the free text."""
    ranges: list[Span] = []
    word = _word(text, rel, lo, hi, _TEXT_WORD)
    if word is not None:
        ranges.append(word)
    lines = [lo, *(m.end() for m in LINE_BREAK_RE.finditer(text, lo, hi))]
    n = next((i for i in range(len(lines) - 1, -1, -1) if lines[i] <= rel), 0)

    def content(i: int) -> Span:
        a = lines[i]
        b = lines[i + 1] if i + 1 < len(lines) else hi
        line = text[a:b]
        return a + len(line) - len(line.lstrip()), a + len(line.rstrip())

    here = content(n)
    if here[0] < here[1]:
        ranges.append(here)
        first = last = n
        while first > 0 and _nonblank(content(first - 1)):
            first -= 1
        while last + 1 < len(lines) and _nonblank(content(last + 1)):
            last += 1
        ranges.append((content(first)[0], content(last)[1]))
    stripped = text[lo:hi]
    a = lo + len(stripped) - len(stripped.lstrip())
    b = lo + len(stripped.rstrip())
    if a < b:
        ranges.append((a, b))
    ranges.append((lo, hi))
    return ranges


def _nonblank(span: Span) -> bool:
    return span[0] < span[1]
