"""The file's habits: the indent and alignment of field lines formatting writes in,
as the options say or as most of the file's entries agree."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass, replace

from bib_lsp.document import Document
from bib_lsp.formatting.options import AUTO, FormatOptions
from bib_lsp.formatting.reading import cased, read_entry
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import BLANK
from bib_lsp.syntax.tree import Node


@dataclass(frozen=True, slots=True)
class Layout:
    indent: str
    align: int  # 0: `name = value`; -1: `=` after the entry's longest name; n: `=` at column n
    values_at: int = 0  # n > 0: `name =` then values from column n (as Beebe's files do)


def layout_of(doc: Document, options: FormatOptions) -> Layout:
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
        return Layout(str(indent), int(align))
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
    return Layout(str(indent), int(align), values_at)


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
    entry = read_entry(block)
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
            return len(cased(text[start:end], case))
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
    if min(name_start, equals, value) < 0 or value >= len(text) or text[value] in BLANK:
        return None
    if not _blanks(text, name_end, equals) or not _blanks(text, equals + 1, value):
        return None
    line_start = text.rfind("\n", 0, name_start) + 1
    if not _blanks(text, line_start, name_start):
        return None
    name = len(cased(text[name_start:name_end], case))
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
