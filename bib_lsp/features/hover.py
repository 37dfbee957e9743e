"""What hovering a place in a `.bib` file shows (Markdown; no LSP types here):

- an entry's key, or its head (`@type{key,`): the reference as the citation
  style prints it, then the type and key, and the entry's problems in one line;
- an entry type: what it is for and the fields it requires, in the dialect;
- a field name: what the field holds, its data type, whether the type needs it;
- a macro in a value: its text and where it is defined;
- a key in `crossref`, `xdata`, `xref`, `related` or `entryset`: the preview of
  that entry.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bib_lsp.document import Document
from bib_lsp.features.citation import escape_markdown, render
from bib_lsp.features.completion import KEY_FIELDS, describe_field, describe_type
from bib_lsp.model.csl import Sources, document_sources, to_csl
from bib_lsp.model.index import BibIndex
from bib_lsp.model.latex import to_text
from bib_lsp.model.macros import MONTH_NAMES, predefined_text
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field, entry_view
from bib_lsp.workspace import MacroDef

MAX_PROBLEMS = 3  # shown under a preview; the rest are counted


@dataclass(frozen=True, slots=True)
class Hover:
    markdown: str
    start: int  # the range hovered (absolute offsets)
    end: int


@dataclass
class HoverContext:
    """What a hover needs besides the document: its index, dialect, the citation
    style (loaded), the problems of the entry at an offset, and the macros of
    other files (by lower-case name)."""

    index: BibIndex
    dialect: str
    style: Any
    problems: Callable[[int], list[str]] = lambda offset: []
    elsewhere: Callable[[str], MacroDef | None] = lambda name: None


def hover(doc: Document, offset: int, context: HoverContext) -> Hover | None:
    located = doc.block_at(offset)
    if located is None:
        return None
    start, block = located
    if block.kind is K.JUNK_BLOCK or offset >= start + len(block.text):
        return None
    entry = entry_view(block, start)
    if entry is None:
        return None
    if entry.type_span is not None and _inside(offset, entry.type_span.start, entry.type_span.end):
        text = _type_text(entry, context.dialect)
        return Hover(text, entry.type_span.start, entry.type_span.end) if text else None
    if entry.kind is K.ENTRY and _on_head(entry, offset):
        span = entry.key_span or entry.type_span
        assert span is not None
        return Hover(_preview(entry, doc, context), span.start, span.end)
    for f in entry.fields:
        if _inside(offset, f.name_span.start, f.name_span.end):
            if entry.kind is K.STRING:  # a macro being defined
                text = _macro_text(f.name, doc, context)
                users = len(context.index.holders["use"].get(f.name_lower, ()))
                text += f"\n\nUsed by {users} entr{'y' if users == 1 else 'ies'} of this file."
                return Hover(text, f.name_span.start, f.name_span.end)
            text = describe_field(f.name_lower, context.dialect, entry.type_lower)
            return Hover(text, f.name_span.start, f.name_span.end) if text else None
        if f.value is not None and _inside(offset, f.value.span.start, f.value.span.end):
            return _in_value(doc, entry, f, offset, context)
    return None


def _inside(offset: int, start: int, end: int) -> bool:
    return start <= offset <= end and start < end


def _on_head(entry: Entry, offset: int) -> bool:
    """On the key, or between `@` and the end of the key's line (before the first
    field)."""
    if entry.key_span is not None and _inside(offset, entry.key_span.start, entry.key_span.end):
        return True
    first = entry.fields[0].span.start if entry.fields else entry.span.end
    head_end = entry.key_span.end if entry.key_span is not None else first
    return entry.span.start <= offset <= min(head_end, first)


_SPECIAL = {
    K.STRING: "`@string`: defines macros, used as bare values (`journal = jacm`)",
    K.PREAMBLE: "`@preamble`: LaTeX that BibTeX copies to the start of the bibliography",
    K.COMMENT_ENTRY: "`@comment`: ignored by BibTeX and biber",
}


def _type_text(entry: Entry, dialect: str) -> str:
    if entry.kind in _SPECIAL:
        return _SPECIAL[entry.kind]
    text = describe_type(entry.type_lower, dialect)
    if not text:
        return f"`@{entry.type}` is not an entry type {dialect} knows."
    return f"**@{entry.type_lower}** ({dialect})\n\n{text}"


def _sources(doc: Document, context: HoverContext) -> Sources:
    def outside(name: str) -> str | None:
        found = context.elsewhere(name)
        return found.expansion if found is not None else None

    return document_sources(context.index, context.dialect, outside)


def _preview(entry: Entry, doc: Document, context: HoverContext) -> str:
    """The formatted reference, the type and key, the problems in one line."""
    try:
        shown = render(to_csl(entry, _sources(doc, context)), context.style)
    except Exception as error:  # citeproc-py fails on some data: say so, go on
        shown = f"*(cannot format this entry: {type(error).__name__}: {error})*"
    lines = [shown or "*(nothing to print)*", "", f"`@{entry.type_lower}{{{entry.key or ''}}}`"]
    problems = context.problems(entry.span.start)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        listed = "; ".join(problems[:MAX_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        lines[-1] += f" · ⚠ {listed}"
    return "\n".join(lines)


def _in_value(
    doc: Document, entry: Entry, f: Field, offset: int, context: HoverContext
) -> Hover | None:
    assert f.value is not None
    for piece in f.value.pieces:
        if not _inside(offset, piece.span.start, piece.span.end):
            continue
        if piece.kind is K.MACRO:
            text = _macro_text(piece.text, doc, context)
            return Hover(text, piece.span.start, piece.span.end)
        if piece.kind in (K.BRACED, K.QUOTED) and f.name_lower in KEY_FIELDS:
            return _referenced(doc, piece.text, piece.span.start, offset, context)
    return None


def _macro_text(name: str, doc: Document, context: HoverContext) -> str:
    lower = name.lower()
    holders = context.index.strings.get(lower)
    if holders:
        block = next(iter(holders.values()))
        start = doc.start_of(block)
        defined = entry_view(block, start or 0)
        for f in defined.fields if defined is not None else ():
            if f.name_lower == lower and f.value is not None:
                expansion = _sources(doc, context).expand(f.value)
                line = doc.line_of(f.name_span.start) + 1
                source = doc.slice(f.value.span.start, f.value.span.end)
                return _macro_markdown(f.name, source, expansion, f"this file, line {line}")
    other = context.elsewhere(lower)
    if other is not None:
        where = f"`{os.path.basename(other.path)}`, line {other.line + 1}"
        return _macro_markdown(other.name, "{" + other.text + "}", other.expansion, where)
    text = predefined_text(lower, context.dialect)
    if text is not None:
        who = "BibTeX's styles and biber" if lower in MONTH_NAMES else "plain.bst"
        return f"`{name}` = {{{text}}}\n\nPredefined by {who}."
    return f"`{name}`: no `@string` defines this macro here or in the workspace's other files."


def _macro_markdown(name: str, source: str, expansion: str, where: str) -> str:
    """The definition as written, what it prints as, where it is."""
    shown = " ".join(source.split())
    printed = escape_markdown(to_text(expansion))
    return f"```bibtex\n@string{{{name} = {shown}}}\n```\n\n{printed}\n\nDefined in {where}."


def _referenced(
    doc: Document, text: str, piece_start: int, offset: int, context: HoverContext
) -> Hover | None:
    """The key under the cursor in a braced list of keys, and its entry's preview."""
    inner = offset - piece_start - 1
    body = text[1:-1] if len(text) > 1 else ""
    if not 0 <= inner <= len(body):
        return None
    left = body.rfind(",", 0, inner) + 1
    right = body.find(",", inner)
    right = len(body) if right < 0 else right
    key = body[left:right].strip()
    if not key:
        return None
    start = piece_start + 1 + left + (len(body[left:right]) - len(body[left:right].lstrip()))
    holders = context.index.keys.get(key.lower())
    if not holders:
        return Hover(f"No entry has the key `{key}` in this file.", start, start + len(key))
    block = next(iter(holders.values()))
    at = doc.start_of(block)
    target = entry_view(block, at) if at is not None else None
    if target is None:
        return None
    return Hover(_preview(target, doc, context), start, start + len(key))
