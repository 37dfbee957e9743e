"""Semantic highlighting of a `.bib` file (no LSP types here): what each piece
of text is, read from the green tree.

Per block, block-relative (the server keeps what it sends per block:
``lsp/semantic.py``): a flat list of
``start, length, type, modifiers`` (code points; types index ``TOKEN_TYPES``,
modifiers are bits of ``TOKEN_MODIFIERS``), in order, none across a line break
(a multi-line value gives one token per line), so that clients without
multi-line tokens take them.

- `@article` (the `@` and the type): ``type``; `@string`, `@preamble`,
  `@comment`: ``keyword``;
- an entry's key: ``variable`` + ``declaration``; a key in `crossref`,
  `xdata`, `xref`, `related`, `entryset`: ``variable``;
- a field name: ``property``; the name an `@string` defines: ``macro`` +
  ``declaration``; a macro in a value: ``macro`` (+ ``defaultLibrary`` for the
  month names every style defines);
- braced and quoted values: ``string``; numbers: ``number``; `#`: ``operator``;
- `%` comments, free text between entries, `@comment` bodies: ``comment``.
"""

from __future__ import annotations

from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.model.macros import MONTH_NAMES
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Node
from bib_lsp.text import LINE_BREAK_RE

TOKEN_TYPES = (
    "type",
    "keyword",
    "variable",
    "property",
    "macro",
    "string",
    "number",
    "comment",
    "operator",
)
TOKEN_MODIFIERS = ("declaration", "defaultLibrary")
(TYPE, KEYWORD, VARIABLE, PROPERTY, MACRO, STRING, NUMBER, COMMENT, OPERATOR) = range(9)
DECLARATION, DEFAULT_LIBRARY = 1, 2

# The kinds as plain names: looking a member up on the enum class costs ten times
# more, and this module looks at every token of a file on the first request.
_AT, _TYPE, _KEY, _NAME, _COMMENT, _BODY = K.AT, K.TYPE, K.KEY, K.NAME, K.COMMENT, K.BODY
_BRACED, _QUOTED, _MACRO, _NUMBER, _HASH = K.BRACED, K.QUOTED, K.MACRO, K.NUMBER, K.HASH
_FIELD, _VALUE = K.FIELD, K.VALUE


def block_tokens(block: Block) -> list[int]:
    """The block's tokens (see the module's documentation)."""
    return _tokens(block)


def _tokens(block: Block) -> list[int]:
    out: list[int] = []
    text = block.text
    if block.kind is K.JUNK_BLOCK:
        _lines(out, text, 0, len(text), COMMENT, 0)
        return out
    head = KEYWORD if block.kind is not K.ENTRY else TYPE
    defines = block.kind is K.STRING
    pos = 0
    at = -1  # where the `@` stands, until its type comes
    for child in block.node.children:
        if isinstance(child, Node):
            if child.kind is _FIELD:
                _field(out, text, child, pos, defines)
            elif child.kind is _VALUE:
                _value(out, text, child, pos, False)
            pos += child.width
            continue
        kind, width = child
        if kind is _AT:
            at = pos
        elif kind is _TYPE:
            start = at if at + 1 == pos else pos
            if 0 <= at < start:
                out += (at, 1, head, 0)
            out += (start, pos + width - start, head, 0)
            at = -1
        elif kind is _KEY:
            out += (pos, width, VARIABLE, DECLARATION)
        elif kind is _COMMENT or kind is _BODY:
            _lines(out, text, pos, pos + width, COMMENT, 0)
        pos += width
    if at >= 0:  # an `@` without a type
        out[0:0] = (at, 1, head, 0)
    return out


# This runs over every field of a file on the first request: kept tight.
def _field(out: list[int], text: str, node: Node, pos: int, defines: bool) -> None:
    name = (0, 0)
    for child in node.children:
        if isinstance(child, Node):
            keys = name[1] > name[0] and text[name[0] : name[1]].lower() in KEY_FIELDS
            _value(out, text, child, pos, keys)
            pos += child.width
            continue
        kind, width = child
        if kind is _NAME:
            out += (pos, width, MACRO, DECLARATION) if defines else (pos, width, PROPERTY, 0)
            name = (pos, pos + width)
        elif kind is _COMMENT:
            _lines(out, text, pos, pos + width, COMMENT, 0)
        pos += width


def _value(out: list[int], text: str, node: Node, pos: int, keys: bool) -> None:
    for kind, width in node.children:  # type: ignore[misc]  # values hold tokens only
        if kind is _BRACED or kind is _QUOTED:
            end = pos + width
            if keys:
                _keys(out, text, pos, end)
            elif (
                text.find("\n", pos, end) < 0
                and text.find("\r", pos, end) < 0
                and not text[end - 1].isspace()  # (an unclosed piece may end in blanks)
            ):
                out += (pos, width, STRING, 0)
            else:
                _lines(out, text, pos, end, STRING, 0)
        elif kind is _MACRO:
            library = DEFAULT_LIBRARY if text[pos : pos + width].lower() in MONTH_NAMES else 0
            out += (pos, width, MACRO, library)
        elif kind is _NUMBER:
            out += (pos, width, NUMBER, 0)
        elif kind is _HASH:
            out += (pos, width, OPERATOR, 0)
        elif kind is _COMMENT:
            _lines(out, text, pos, pos + width, COMMENT, 0)
        pos += width


def _keys(out: list[int], text: str, start: int, end: int) -> None:
    """The keys in a braced or quoted list of them."""
    pos = start + 1
    stop = end - 1 if end - start > 1 and text[end - 1] in '}"' else end
    for part in text[pos:stop].split(","):
        stripped = part.strip()
        if stripped and not any(c.isspace() or c in "{}" for c in stripped):
            out += (pos + part.index(stripped), len(stripped), VARIABLE, 0)
        pos += len(part) + 1


def _lines(out: list[int], text: str, start: int, end: int, kind: int, modifiers: int) -> None:
    """A token over ``[start, end)``, one per line, without blank ends of lines
    and blank lines."""
    pos = start
    for match in LINE_BREAK_RE.finditer(text, start, end):
        _trimmed(out, text, pos, match.start(), kind, modifiers)
        pos = match.end()
    _trimmed(out, text, pos, end, kind, modifiers)


def _trimmed(out: list[int], text: str, start: int, end: int, kind: int, modifiers: int) -> None:
    part = text[start:end]
    if not part or part.isspace():
        return
    lead = len(part) - len(part.lstrip())
    length = len(part.rstrip()) - lead
    out += (start + lead, length, kind, modifiers)
