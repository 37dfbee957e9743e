"""Where the cursor is in a `.bib` file, for completion: typing an entry type, a
field name or a value, and what surrounds it (the entry's type, the fields it has
already, the value's field and delimiters), with the range a completion replaces.

Read from the green tree of the block before the cursor, so that it works in
broken entries as the parser recovered them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Node

TYPE = "type"  # after `@`: an entry type
FIELD = "field"  # where a field name goes
VALUE = "value"  # after `name =`
NOTHING = "nothing"  # a key, free text, a comment: nothing to complete


@dataclass(frozen=True, slots=True)
class Cursor:
    kind: str
    start: int  # the range a completion replaces (absolute offsets)
    end: int
    prefix: str = ""  # what is typed of it before the cursor
    entry_type: str = ""  # lower-case
    field_name: str = ""  # the value's field, lower-case
    present: frozenset[str] = frozenset()  # the entry's other fields
    delimiter: str = ""  # `{` or `"` inside a braced or quoted value piece, else ""


@dataclass(frozen=True, slots=True)
class _Token:
    kind: K
    start: int
    end: int
    field: int  # index of the FIELD node holding it, or -1
    piece: bool = False  # inside a VALUE node


def cursor_at(doc: Document, offset: int) -> Cursor:
    """What the cursor at ``offset`` is typing."""
    offset = min(max(offset, 0), doc.length)
    located = doc.block_at(max(offset - 1, 0))
    if located is None:
        return Cursor(NOTHING, offset, offset)
    start, block = located
    if offset > start + len(block.text):  # pragma: no cover - block_at covers it
        return Cursor(NOTHING, offset, offset)
    rel = offset - start
    if block.kind is K.JUNK_BLOCK:
        return _in_free_text(block, start, rel)
    if rel == len(block.text) and offset < doc.length:
        # The end of an entry left open, where the next block begins (the parser
        # ended the entry at an `@` that starts a line): what is typed here joins
        # the two, so a field or a value would swallow the next entry.
        return Cursor(NOTHING, offset, offset)
    return _in_entry(block, start, rel)


def _in_free_text(block: Block, base: int, rel: int) -> Cursor:
    line = block.text[:rel].rsplit("\n", 1)[-1]
    at = line.rfind("@")
    if (at >= 0 and line[at + 1 :].isalnum()) or line.endswith("@"):
        word_start = rel - (len(line) - at - 1)
        return Cursor(TYPE, base + word_start, base + rel, block.text[word_start:rel])
    return Cursor(NOTHING, base + rel, base + rel)


NEAR = 2  # fields read on either side of the cursor's (see ``_tokens``)


def _tokens(text: str, node: Node, rel: int) -> tuple[list[_Token], list[str]]:
    """The tokens near ``rel`` with their places, and each field's name (lower-case,
    "" for a field without one).

    Tokens are read for the entry's head (up to its first field) and for the
    top-level nodes from the ``NEAR``-th field before the one at the cursor to the
    ``NEAR``-th after it: the cursor's context depends only on the tokens next to
    it and on the fields' names, and an entry may have very many fields. Every
    field counts in the field numbers."""
    near = NEAR
    children = node.children
    # The top-level node that holds the character before the cursor.
    at, pos = len(children) - 1, 0
    for i, child in enumerate(children):
        width = child.width if isinstance(child, Node) else child[1]
        if pos + width >= rel:
            at = i
            break
        pos += width
    first, last = at, at
    fields_seen = 0
    while first > 0 and fields_seen <= near:
        first -= 1
        fields_seen += _is_field(children[first])
    fields_seen = 0
    while last + 1 < len(children) and fields_seen <= near:
        last += 1
        fields_seen += _is_field(children[last])

    tokens: list[_Token] = []
    names: list[str] = []

    def walk(n: Node, pos: int, field_index: int, in_value: bool) -> int:
        for child in n.children:
            if isinstance(child, Node):
                walk(child, pos, field_index, in_value or child.kind is K.VALUE)
                pos += child.width
            else:
                kind, width = child
                tokens.append(_Token(kind, pos, pos + width, field_index, in_value))
                pos += width
        return pos

    pos = 0
    head = True
    for i, child in enumerate(children):
        if isinstance(child, Node):
            if child.kind is K.FIELD:
                head = False
                names.append(_field_name(text, child, pos))
                if first <= i <= last:
                    walk(child, pos, len(names) - 1, False)
            elif head or first <= i <= last:
                walk(child, pos, -1, child.kind is K.VALUE)
            pos += child.width
        else:
            kind, width = child
            if head or first <= i <= last:
                tokens.append(_Token(kind, pos, pos + width, -1, False))
            pos += width
    return tokens, names


def _is_field(child: Node | tuple[K, int]) -> bool:
    return isinstance(child, Node) and child.kind is K.FIELD


def _field_name(text: str, node: Node, pos: int) -> str:
    """The field's name, lower-cased ("" if it has none): its first NAME token."""
    for child in node.children:
        if isinstance(child, Node):
            name = _field_name(text, child, pos)
            if name:
                return name
            pos += child.width
        else:
            kind, width = child
            if kind is K.NAME:
                return text[pos : pos + width].lower()
            pos += width
    return ""


_TRIVIA = (K.WHITESPACE, K.COMMENT)
# Fields whose value is a comma-separated list of entry keys.
KEY_LISTS = frozenset({"xdata", "related", "entryset", "ids"})


def _in_entry(block: Block, base: int, rel: int) -> Cursor:
    text = block.text
    tokens, names = _tokens(text, block.node, rel)
    before = next((t for t in reversed(tokens) if t.start < rel), None)
    entry_type = next((text[t.start : t.end].lower() for t in tokens if t.kind is K.TYPE), "")
    if before is None:
        return Cursor(NOTHING, base + rel, base + rel)
    if before.kind in (K.AT, K.TYPE) and (before.kind is K.TYPE or before.end == rel):
        word = next((t for t in tokens if t.kind is K.TYPE and t.start <= rel), None)
        start = word.start if word is not None else rel
        end = word.end if word is not None and word.end >= rel else rel
        return Cursor(TYPE, base + start, base + end, text[start:rel])
    significant = next(
        (t for t in reversed(tokens) if t.start < rel and t.kind not in _TRIVIA), None
    )
    if significant is not None and significant.kind is K.EQUALS and significant.end <= rel:
        # `name = |`: the value is still to come.
        index = significant.field
        ahead = next((t for t in tokens if t.start >= rel and t.kind not in _TRIVIA), None)
        present = frozenset(n for i, n in enumerate(names) if i != index and n)
        if ahead is not None and ahead.piece and ahead.field == index:
            if ahead.start == rel and ahead.kind in (K.MACRO, K.NUMBER):  # `= |acm`: that word
                return Cursor(
                    VALUE, base + rel, base + ahead.end, "", entry_type, names[index], present
                )
            return Cursor(NOTHING, base + rel, base + rel)  # `= |{x}`: it would be glued on
        return Cursor(VALUE, base + rel, base + rel, "", entry_type, names[index], present)
    if before.field >= 0:
        index = before.field
        own = [t for t in tokens if t.field == index]
        equals = next((t for t in own if t.kind is K.EQUALS), None)
        present = frozenset(n for i, n in enumerate(names) if i != index and n)
        if equals is None or rel <= equals.start:
            name = next((t for t in own if t.kind is K.NAME), None)
            if name is not None and rel > name.end:
                return Cursor(NOTHING, base + rel, base + rel)  # between the name and `=`
            start = name.start if name is not None else rel
            end = max(name.end, rel) if name is not None else rel
            return Cursor(
                FIELD, base + start, base + end, text[start:rel], entry_type, present=present
            )
        if before.kind is K.COMMA:  # `name = value,|`: the next field's name
            return _field_here(text, base, rel, entry_type, frozenset(n for n in names if n))
        return _value(text, base, rel, own, entry_type, names[index], present)
    if before.kind in (K.COMMA,) or (before.kind in _TRIVIA and _after_field(tokens, before)):
        return _field_here(text, base, rel, entry_type, frozenset(n for n in names if n))
    return Cursor(NOTHING, base + rel, base + rel)


def _field_here(text: str, base: int, rel: int, entry_type: str, present: frozenset[str]) -> Cursor:
    return Cursor(FIELD, base + rel, base + rel, "", entry_type, present=present)


def _after_field(tokens: list[_Token], trivia: _Token) -> bool:
    """Whether the significant token before this trivia ends a field or the key
    (a new field name may start here)."""
    index = tokens.index(trivia)
    for t in reversed(tokens[:index]):
        if t.kind in _TRIVIA:
            continue
        return t.kind is K.COMMA or (t.field >= 0 and t.piece)
    return False


def _value(
    text: str,
    base: int,
    rel: int,
    own: list[_Token],
    entry_type: str,
    name: str,
    present: frozenset[str],
) -> Cursor:
    piece = next((t for t in own if t.piece and t.start < rel <= t.end), None)
    if piece is not None and piece.kind in (K.BRACED, K.QUOTED):
        opener = text[piece.start]
        closed = piece.end - piece.start > 1 and text[piece.end - 1] == (
            "}" if opener == "{" else '"'
        )
        if rel < piece.end or not closed:
            inner_end = piece.end - 1 if closed else piece.end
            start, end = piece.start + 1, inner_end
            if name in KEY_LISTS:  # only the key under the cursor
                comma = text.rfind(",", start, rel)
                if comma >= 0:
                    start = comma + 1
                    while start < rel and text[start] == " ":
                        start += 1
                next_comma = text.find(",", rel, end)
                if next_comma >= 0:
                    end = next_comma
            return Cursor(
                VALUE,
                base + start,
                base + end,
                text[start:rel],
                entry_type,
                name,
                present,
                opener,
            )
        return Cursor(NOTHING, base + rel, base + rel)
    if piece is not None and piece.kind in (K.MACRO, K.NUMBER):
        return Cursor(
            VALUE,
            base + piece.start,
            base + piece.end,
            text[piece.start : rel],
            entry_type,
            name,
            present,
        )
    last = next(
        (t for t in reversed(own) if t.piece and t.end <= rel and t.kind not in _TRIVIA), None
    )
    ahead = next((t for t in own if t.piece and t.start >= rel and t.kind not in _TRIVIA), None)
    if ahead is not None and ahead.start == rel and ahead.kind in (K.MACRO, K.NUMBER):
        # `# |acm`: that word
        return Cursor(VALUE, base + rel, base + ahead.end, "", entry_type, name, present)
    if (last is not None and last.kind is not K.HASH) or (
        ahead is not None and ahead.kind is not K.HASH
    ):
        # `{a} |# {b}`, `{a} # |{b}`: a value there would be glued to a piece.
        return Cursor(NOTHING, base + rel, base + rel)
    return Cursor(VALUE, base + rel, base + rel, "", entry_type, name, present)
