"""Writing an entry, `@string` or `@preamble` anew from its parts, in a layout."""

from __future__ import annotations

import re
import textwrap

from bib_lsp.formatting.layout import Layout
from bib_lsp.formatting.options import KEEP, FormatOptions
from bib_lsp.formatting.reading import EntryParts, FieldParts, cased, read_entry
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import BLANK, is_one_group

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


def _sorted_fields(fields: tuple[FieldParts, ...], options: FormatOptions) -> list[FieldParts]:
    order = options.sort_fields
    if order == "off":
        return list(fields)
    names = STANDARD_ORDER if order == "standard" else tuple(order)
    rank = {name: i for i, name in enumerate(names)}
    return sorted(fields, key=lambda f: rank.get(f.name.lower(), len(rank)))


def _layout_only(options: FormatOptions) -> bool:
    """Whether the options change only layout (not delimiters, case or values)."""
    return (options.delimiter, options.type_case) == (KEEP, KEEP)


def _write(entry: EntryParts, layout: Layout, options: FormatOptions) -> str:
    head = entry.at_text[:1] + cased(entry.at_text[1:].strip(BLANK), options.type_case)
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
    names = [cased(f.name, options.field_case) for f in fields]
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


def format_block(block: Block, layout: Layout, options: FormatOptions) -> str:
    """The block formatted (its own text when it must stay as it is)."""
    entry = read_entry(block)
    if entry is None:
        return block.text
    if entry.kind in (K.STRING, K.PREAMBLE) and _layout_only(options):
        return block.text  # `@string`s and `@preamble`s keep their layout (often aligned)
    try:
        return _write(entry, layout, options)
    except _Keep:
        return block.text
