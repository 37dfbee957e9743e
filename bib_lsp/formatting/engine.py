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
import textwrap
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from bib_lsp.document import Document
from bib_lsp.formatting.options import AUTO, KEEP, FormatOptions
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import is_one_group
from bib_lsp.syntax.tree import Node
from bib_lsp.text.edits import Edit, apply, trimmed

# The blanks BibTeX skips (the lexer's WHITESPACE_RE). ``str.strip()`` with no
# argument takes more (\x1c-\x1f, \x85, no-break and other Unicode spaces), which
# are text: stripping them lost it and could join free text to an entry.
_BLANK = " \t\n\r\f\v"

# The order `sort_fields = "standard"` puts fields in (others follow, as they were).
STANDARD_ORDER = (
    "author",
    "editor",
    "translator",
    "title",
    "subtitle",
    "titleaddon",
    "booktitle",
    "maintitle",
    "journal",
    "journaltitle",
    "series",
    "edition",
    "volume",
    "number",
    "issue",
    "chapter",
    "pages",
    "publisher",
    "organization",
    "institution",
    "school",
    "address",
    "location",
    "month",
    "year",
    "date",
    "type",
    "howpublished",
    "note",
    "addendum",
    "isbn",
    "issn",
    "doi",
    "eprint",
    "eprinttype",
    "eprintclass",
    "url",
    "urldate",
    "crossref",
    "xdata",
    "keywords",
    "abstract",
    "file",
)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    pieces: tuple[tuple[K, str], ...]  # the value's pieces as written
    written: str  # the value as written, from its first piece to its last
    comments: tuple[str, ...]  # `%` comment lines just above it
    had_comma: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: K
    at_text: str  # `@` and the type as written (`@Article`)
    open: str
    close: str
    key: str | None
    fields: tuple[_Field, ...]
    trailing_comments: tuple[str, ...]  # comments after the last field
    comma_after_last: bool
    preamble: tuple[tuple[K, str], ...] | None  # @preamble's value


def _read(block: Block) -> _Entry | None:
    """The entry's parts, or None when it must stay as written (a problem, an
    `@comment`, a comment inside a value, an unclosed entry)."""
    node = block.node
    if block.problems or node.kind not in (K.ENTRY, K.STRING, K.PREAMBLE):
        return None
    text = block.text
    pos = 0
    at_text, open_, close, key = "", "", "", None
    fields: list[_Field] = []
    comments: list[str] = []
    preamble = None
    comma_after_last = False
    for child in node.children:
        if isinstance(child, Node):
            piece_text = text[pos : pos + child.width]
            if child.kind is K.FIELD:
                read = _read_field(child, piece_text, tuple(comments))
                if read is None:
                    return None
                fields.append(read)
                comments = []
                comma_after_last = read.had_comma
            elif child.kind is K.VALUE:
                preamble = _read_pieces(child, piece_text)
                if preamble is None:
                    return None
            pos += child.width
            continue
        kind, width = child
        token = text[pos : pos + width]
        pos += width
        if kind in (K.AT, K.TYPE):
            at_text += token
        elif kind is K.L_DELIM:
            open_ = token
        elif kind is K.R_DELIM:
            close = token
        elif kind is K.KEY:
            key = token
        elif kind is K.COMMENT:
            comments.append(token.rstrip(_BLANK))
        elif kind is K.COMMA:
            if fields:
                comma_after_last = True
        elif kind is not K.WHITESPACE:
            return None  # ERROR or anything unexpected: keep the entry as it is
    if not open_ or not close:
        return None
    if node.kind is K.ENTRY and key is None:
        return None
    return _Entry(
        node.kind,
        at_text,
        open_,
        close,
        key,
        tuple(fields),
        tuple(comments),
        comma_after_last,
        preamble,
    )


def _read_field(node: Node, text: str, comments: tuple[str, ...]) -> _Field | None:
    pos = 0
    name, pieces, had_comma = "", None, False
    written = ""
    for child in node.children:
        if isinstance(child, Node):
            pieces = _read_pieces(child, text[pos : pos + child.width])
            if pieces is None:
                return None
            written = text[pos : pos + child.width].strip(_BLANK)
            pos += child.width
            continue
        kind, width = child
        if kind is K.NAME:
            name = text[pos : pos + width]
        elif kind is K.COMMA:
            had_comma = True
        elif kind not in (K.WHITESPACE, K.EQUALS):
            return None  # a comment between the name and the value, an error
        pos += width
    if not name or not pieces:
        return None
    return _Field(name, pieces, written, comments, had_comma)


def _read_pieces(node: Node, text: str) -> tuple[tuple[K, str], ...] | None:
    pos = 0
    pieces = []
    for child in node.children:
        if isinstance(child, Node):  # pragma: no cover - values hold tokens only
            return None
        kind, width = child
        if kind in (K.BRACED, K.QUOTED, K.NUMBER, K.MACRO):
            pieces.append((kind, text[pos : pos + width]))
        elif kind not in (K.WHITESPACE, K.HASH):
            return None  # a comment inside a value: keep the entry as written
        pos += width
    return tuple(pieces)


# -- the file's habits ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    indent: str
    align: int  # 0: `name = value`; -1: `=` after the entry's longest name; n: `=` at column n
    values_at: int = 0  # n > 0: `name =` then values from column n (as Beebe's files do)


def _layout(doc: Document, options: FormatOptions) -> _Layout:
    """The indent and alignment: as the options say, or (auto) as the file's
    entries do (a sample of about 400 entries spread through it): `=` in one
    column, `=` after each entry's longest name, values in one column after
    `name =`, or none of these.

    Formatting must give its own output back, so the choice is made from what
    writing an entry in the chosen layout keeps: each entry is read as the
    layouts that would write its field lines as they are (a hand-written entry
    that none would write: as the one it is closest to), and the layout most
    entries agree with wins, ties going by a fixed order. An entry written anew
    in the winner then agrees with the winner and with nothing it did not agree
    with before, so its output chooses the same layout again."""
    indent = options.indent
    align = options.align
    if indent != AUTO and align != AUTO:
        return _Layout(str(indent), int(align))
    indents: Counter[str] = Counter()
    readings: list[_Reading] = []
    key = f"align:{options.field_case}:{options.one_field_per_line}"
    for block in _sample(doc):
        habit = block.cached(key, lambda b: _habit(b, options))
        if habit is not None:
            indents.update(habit[0])
            if habit[1] is not None:
                readings.append(habit[1])
    if indent == AUTO:  # the file's habit: most of its field lines, two at least
        common = indents.most_common(1)
        usual = bool(common) and common[0][1] >= 2 and common[0][1] * 2 > indents.total()
        indent = common[0][0] if usual else options.indent_fallback
    values_at = 0
    if align == AUTO:
        kind, column = _most_agreed(readings)
        align = {"none": 0, "per-entry": -1, "equals": column, "values": 0}[kind]
        values_at = column if kind == "values" else 0
    return _Layout(str(indent), int(align), values_at)


_SAMPLE = 400


def _sample(doc: Document) -> list[Block]:
    """About ``_SAMPLE`` entries spread through the file: all of a small file's;
    in a larger one, those whose key hashes to a multiple of the step (not every
    n-th, which would be other entries once sorting moved them)."""
    entries = [block for _, block in doc.blocks() if block.kind is K.ENTRY]
    step = len(entries) // _SAMPLE
    if step <= 1:
        return entries
    return [
        b for b in entries if zlib.crc32(_identity(b).encode("utf-8", "surrogatepass")) % step == 0
    ]


def _identity(block: Block) -> str:
    """What formatting keeps of an entry: its key (the whole text without one:
    such an entry is kept as written)."""
    pos = 0
    for child in block.node.children:
        if isinstance(child, Node):  # fields: the key comes before them
            break
        kind, width = child
        if kind is K.KEY:
            return block.text[pos : pos + width]
        pos += width
    return block.text


def _habit(block: Block, options: FormatOptions) -> tuple[list[str], _Reading | None] | None:
    """The indents of the entry's field lines and its alignment (None: names all
    as long, which says nothing about it); None for an entry formatting writes
    on one line, whose fields' layout is not kept."""
    if _flattened(block, options):
        return None
    lines, longest = _field_lines(block, options.field_case)
    indents = [line.indent for line in lines]
    if len({line.name for line in lines}) < 2:
        return indents, None
    return indents, _read_alignment(lines, longest)


def _flattened(block: Block, options: FormatOptions) -> bool:
    """Whether formatting writes the entry on one line (``one_field_per_line``
    off, no comment above a field)."""
    if options.one_field_per_line:
        return False
    entry = _read(block)
    return entry is not None and not any(f.comments for f in entry.fields)


@dataclass(frozen=True, slots=True)
class _Line:
    """A field written on a line of its own, its value starting on that line:
    the length of its name (cased as it will be written) and where `=` and the
    value start, counted from where the name starts."""

    indent: str
    name: int
    equals: int
    value: int


def _field_lines(block: Block, case: str) -> tuple[list[_Line], int]:
    """The entry's field lines, and its longest name (of all its fields)."""
    text = block.text
    lines: list[_Line] = []
    longest = 0
    pos = 0
    for child in block.node.children:
        if isinstance(child, Node) and child.kind is K.FIELD:
            line = _field_line(child, text, pos, case)
            if line is not None:
                lines.append(line)
            longest = max(longest, _name_length(child, text, pos, case))
        pos += child.width if isinstance(child, Node) else child[1]
    return lines, longest


def _name_length(node: Node, text: str, pos: int, case: str) -> int:
    for kind, start, end in node.tokens(pos):
        if kind is K.NAME:
            return len(_cased(text[start:end], case))
    return 0


_INDENT = re.compile(r"[ \t]*")


def _field_line(node: Node, text: str, pos: int, case: str) -> _Line | None:
    """The field as a `_Line`, if its name starts a line (after spaces and tabs)
    and its `=` and the start of its value are on that line."""
    name_start = name_end = equals = value = -1
    for child in node.children:
        if isinstance(child, Node):
            if child.kind is K.VALUE and equals >= 0:
                value = pos
            break
        kind, width = child
        if kind is K.NAME and name_start < 0:
            name_start, name_end = pos, pos + width
        elif kind is K.EQUALS and name_start >= 0 and equals < 0:
            equals = pos
        elif kind is not K.WHITESPACE:
            return None
        pos += width
    if min(name_start, equals, value) < 0 or value >= len(text) or text[value] in _BLANK:
        return None
    if not _blanks(text, name_end, equals) or not _blanks(text, equals + 1, value):
        return None
    line_start = text.rfind("\n", 0, name_start) + 1
    if not _blanks(text, line_start, name_start):
        return None
    name = len(_cased(text[name_start:name_end], case))
    # Counted from where the name ends: the name may change length when cased.
    return _Line(
        text[line_start:name_start], name, name + equals - name_end, name + value - name_end
    )


def _blanks(text: str, start: int, end: int) -> bool:
    return _INDENT.fullmatch(text, start, end) is not None


# What an entry agrees with: ("none", shortest name): its names with ` = ` after
# them (so also `=` in any column up to one after its shortest name, and values
# in any up to three after it); ("equals", c): `=` in column c, a longer name
# with one blank before `=`; ("values", c): `name =` and values from column c;
# with True when `=` is just after its longest name (per-entry alignment).
_Reading = tuple[str, int, bool]


def _read_alignment(lines: list[_Line], longest: int) -> _Reading:
    """The layout that writes these field lines as they are, or, when none does
    (an entry aligned by hand), the one closest to them."""
    exact = _written_by(lines)
    if exact is None:
        exact = _closest(lines)
    kind, column = exact
    return kind, column, kind == "equals" and column == longest + 1


def _written_by(lines: list[_Line]) -> tuple[str, int] | None:
    """The layout formatting writes exactly these lines in (None: none)."""
    if all(x.value == x.equals + 2 and x.equals > x.name for x in lines):
        columns = {x.equals for x in lines if x.equals > x.name + 1}
        if not columns:
            return "none", min(x.name for x in lines)
        column = columns.pop()
        if not columns and all(x.name + 1 >= column for x in lines if x.equals == x.name + 1):
            return "equals", column
    if all(x.equals == x.name + 1 and x.value >= x.name + 3 for x in lines):
        columns = {x.value for x in lines if x.value > x.name + 3}
        column = columns.pop()  # not empty: that is "none", above
        if not columns and all(x.name + 3 >= column for x in lines if x.value == x.name + 3):
            return "values", column
    return None


def _closest(lines: list[_Line]) -> tuple[str, int]:
    """How an entry aligned by hand is read: `=` in one column (just after the
    longest name: formatting puts a blank before it, so one further); `=` as
    formatting puts it in some column, the blanks after it uneven; or `=`, else
    the values, of most lines in one column after names of different lengths
    (aligned on purpose, the other lines astray); else no alignment."""
    equals = {x.equals for x in lines}
    if len(equals) == 1:
        return "equals", max(equals.pop(), max(x.name for x in lines) + 1)
    even = _written_by([replace(x, value=x.equals + 2) for x in lines])
    if even is not None and even[0] == "equals":
        return even
    tidy = None
    column = _most_at(lines, [x.equals for x in lines])
    if column:
        tidy = [replace(x, equals=max(x.name + 1, column)) for x in lines]
        tidy = [replace(x, value=x.equals + 2) for x in tidy]
    elif column := _most_at(lines, [x.value for x in lines]):
        tidy = [replace(x, equals=x.name + 1, value=max(x.name + 3, column)) for x in lines]
    found = _written_by(tidy) if tidy else None
    return found or ("none", min(x.name for x in lines))


def _most_at(lines: list[_Line], columns: list[int]) -> int:
    """The column most of the lines have (0: none), if names of different lengths
    have it."""
    counts = Counter(columns)
    column, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    names = {x.name for x, at in zip(lines, columns, strict=True) if at == column}
    return column if count * 2 > len(lines) and len(names) > 1 else 0


# Ties between layouts as many entries agree with go by this order: no alignment,
# `=` in one column (the lowest), `=` after each entry's longest name, values in
# one column (the lowest).
_ORDER = {"none": 0, "equals": 1, "per-entry": 2, "values": 3}


def _most_agreed(readings: list[_Reading]) -> tuple[str, int]:
    """The layout most entries agree with: ("none", 0), ("equals", column),
    ("per-entry", 0) or ("values", column)."""
    shortest = [column for kind, column, _ in readings if kind == "none"]
    counts: Counter[tuple[str, int]] = Counter({("none", 0): len(shortest)})
    for kind, column, per_entry in readings:
        if kind != "none":
            counts[kind, column] += 1
        if per_entry:
            counts["per-entry", 0] += 1
    # An entry read as "none" also agrees with `=` in a column up to one after
    # its shortest name, and with values up to three after it.
    for kind, column in list(counts):
        reach = {"equals": 1, "values": 3}.get(kind)
        if reach is not None:
            counts[kind, column] += sum(1 for s in shortest if s + reach >= column)
    kind, column = min(counts, key=lambda k: (-counts[k], _ORDER[k[0]], k[1]))
    return kind, column


# -- writing ----------------------------------------------------------------------


def _cased(name: str, case: str) -> str:
    return name.lower() if case == "lower" else name.upper() if case == "upper" else name


def _piece(kind: K, text: str, field: str, options: FormatOptions) -> str:
    if kind not in (K.BRACED, K.QUOTED):
        return text
    content = text[1:-1]
    # `{{Title}}`: the inner braces protect the whole value; `{{\em x}}` is left
    # (braces starting with a command are a "special character" to BibTeX).
    while options.strip_double_braces and is_one_group(content) and content[1:2] != "\\":
        content = content[1:-1]
    if options.page_dashes and field in ("pages", "pagetotal"):
        content = _PAGE_HYPHEN.sub("--", content)
    delimiter = options.delimiter
    if delimiter == "braces" or (delimiter == KEEP and kind is K.BRACED):
        return "{" + content + "}"
    if _quotable(content):
        return '"' + content + '"'
    return "{" + content + "}"  # a `"` outside braces cannot go in a quoted value


_PAGE_HYPHEN = re.compile(
    r"(?<=[0-9A-Za-z])[ \t\n\r\f\v]*(?:-|\u2013|--)[ \t\n\r\f\v]*(?=[0-9A-Za-z])"
)


def _quotable(content: str) -> bool:
    depth = 0
    for c in content:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == '"' and depth == 0:
            return False
    return True


def _value(
    pieces: tuple[tuple[K, str], ...], field: str, options: FormatOptions, written: str = ""
) -> str:
    """The value: pieces joined with ` # `; as written (line breaks between its
    pieces and all) when no option changes a piece."""
    new = [_piece(kind, text, field, options) for kind, text in pieces]
    if written and all(a == b for a, (_, b) in zip(new, pieces, strict=True)):
        return written
    return " # ".join(new)


def _wrapped(value: str, start: int, indent: str, width: int) -> str:
    """A long one-piece value broken at spaces to fit ``width`` (continuation lines
    indented twice); values already on several lines, or with `#`, are left."""
    if not width or start + len(value) <= width or "\n" in value or " # " in value:
        return value
    lines = textwrap.wrap(
        value,
        width=width,
        initial_indent=" " * start,
        subsequent_indent=indent * 2,
        break_long_words=False,
        break_on_hyphens=False,
    )
    if not lines:
        return value
    lines[0] = lines[0][start:]
    return "\n".join(lines)


def _sorted_fields(fields: tuple[_Field, ...], options: FormatOptions) -> list[_Field]:
    order = options.sort_fields
    if order == "off":
        return list(fields)
    names = STANDARD_ORDER if order == "standard" else tuple(order)
    rank = {name: i for i, name in enumerate(names)}
    return sorted(fields, key=lambda f: rank.get(f.name.lower(), len(rank)))


def _layout_only(options: FormatOptions) -> bool:
    """Whether the options change only layout (not delimiters, case or values)."""
    return (options.delimiter, options.type_case) == (KEEP, KEEP)


def _write(entry: _Entry, layout: _Layout, options: FormatOptions) -> str:
    head = entry.at_text[:1] + _cased(entry.at_text[1:].strip(_BLANK), options.type_case)
    if entry.kind is K.PREAMBLE:
        assert entry.preamble is not None
        return f"{head}{entry.open}{_value(entry.preamble, '', options)}{entry.close}"
    if entry.kind is K.STRING:
        if len(entry.fields) != 1 or entry.trailing_comments or entry.fields[0].comments:
            raise _Keep
        f = entry.fields[0]
        return f"{head}{entry.open}{f.name} = {_value(f.pieces, '', options)}{entry.close}"

    assert entry.key is not None
    if not entry.fields and not entry.trailing_comments:
        return f"{head}{entry.open}{entry.key}{entry.close}"
    fields = _sorted_fields(entry.fields, options)
    names = [_cased(f.name, options.field_case) for f in fields]
    width = max(len(n) for n in names) if names else 0
    if layout.align > 0:  # `=` at that column (a longer name: one space)
        width = layout.align - 1
    trailing = entry.comma_after_last if options.trailing_comma == KEEP else options.trailing_comma
    if not options.one_field_per_line and not any(f.comments for f in fields):
        parts = [
            f"{n} = {_value(f.pieces, f.name.lower(), options, f.written)}"
            for n, f in zip(names, fields, strict=True)
        ]
        body = ", ".join(parts) + ("," if trailing and parts else "")  # not `key, ,`
        comments = "".join(f"\n{layout.indent}{c}" for c in entry.trailing_comments)
        end = "\n" if comments else ""
        return f"{head}{entry.open}{entry.key}, {body}{comments}{end}{entry.close}"
    lines = [f"{head}{entry.open}{entry.key},"]
    for i, (name, f) in enumerate(zip(names, fields, strict=True)):
        lines += [layout.indent + c for c in f.comments]
        if layout.values_at:
            head = f"{name} ="
            head += " " * max(1, layout.values_at - len(head))
        else:
            head = name + (" " * max(1, width - len(name) + 1) if layout.align else " ") + "= "
        start = len(layout.indent) + len(head)
        value = _wrapped(
            _value(f.pieces, f.name.lower(), options, f.written), start, layout.indent, options.wrap
        )
        last = i == len(fields) - 1
        comma = "," if not last or trailing else ""
        lines.append(f"{layout.indent}{head}{value}{comma}")
    lines += [layout.indent + c for c in entry.trailing_comments]
    lines.append(entry.close)
    return "\n".join(lines)


class _Keep(Exception):
    """This block stays as written."""


def format_block(block: Block, layout: _Layout, options: FormatOptions) -> str:
    """The block formatted (its own text when it must stay as it is)."""
    entry = _read(block)
    if entry is None:
        return block.text
    if entry.kind in (K.STRING, K.PREAMBLE) and _layout_only(options):
        return block.text  # `@string`s and `@preamble`s keep their layout (often aligned)
    try:
        return _write(entry, layout, options)
    except _Keep:
        return block.text


# -- the whole text ---------------------------------------------------------------


def _between(text: str, before: int, after: bool, options: FormatOptions) -> str:
    """Free text between blocks: ``before`` is -1 at the start of the file, else
    how many line breaks the block before it ends with; ``after``: a block
    follows. Blank lines around what it says are normalised, what it says is
    kept as written."""
    blank = options.blank_lines
    core = text.strip(_BLANK)
    lead = text[: len(text) - len(text.lstrip(_BLANK))]
    trail = text[len(text.rstrip(_BLANK)) :]
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
    core = "\n".join(line.rstrip(_BLANK) for line in core.split("\n"))
    return lead + core + trail


@dataclass(frozen=True, slots=True)
class _Piece:
    """A block of the document with its formatted text."""

    start: int
    block: Block
    text: str


def _pieces(doc: Document, options: FormatOptions, layout: _Layout) -> list[_Piece]:
    blocks = list(doc.blocks())
    out: list[_Piece] = []
    # Each block's result is kept on it for these options: formatting again after
    # an edit (format on save) only writes the blocks the edit replaced.
    key = f"format:{layout!r}:{options!r}"

    def formatted(block: Block) -> str:
        return format_block(block, layout, options)

    for i, (start, block) in enumerate(blocks):
        if block.kind is K.JUNK_BLOCK:
            before = _trailing_breaks(out[-1].text) if out else -1
            after = i < len(blocks) - 1
            out.append(_Piece(start, block, _between(block.text, before, after, options)))
        else:
            out.append(_Piece(start, block, block.cached(key, formatted)))
    # Two blocks side by side (no free text between them): line breaks between.
    wanted = 1 if options.blank_lines == KEEP else int(options.blank_lines) + 1
    fixed: list[_Piece] = []
    for piece in out:
        if fixed and K.JUNK_BLOCK not in (piece.block.kind, fixed[-1].block.kind):
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
    return text[len(text.rstrip(_BLANK)) :].count("\n")


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
    kept = piece.block.kind is not K.JUNK_BLOCK and _read(piece.block) is None
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
    layout = _layout(doc, options)
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
    parts = ["\n".join(t.strip("\n") for t in head if t.strip(_BLANK))] if head else []
    parts += [text.strip("\n") for _, _, text in groups]
    tail = "".join(pending).strip("\n")
    new = separator.join(parts) + ("\n" + tail if tail else "") + "\n"
    if _newline(doc) == "\r\n":
        new = _crlf(new)
    return list(_line_diff(doc.text, new))


def _sort_key(block: Block, options: FormatOptions) -> tuple[object, ...]:
    from bib_lsp.model.index import view

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
