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
from bib_lsp.features.completion import describe_field, describe_type
from bib_lsp.features.places import PlaceKind, place_at
from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.csl import Sources, document_sources, to_csl
from bib_lsp.model.index import BibIndex
from bib_lsp.model.latex import to_text
from bib_lsp.model.macros import MONTH_NAMES, predefined_text
from bib_lsp.model.summaries import MacroDef
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, entry_view

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
    bst: BibtexStyle = PLAIN  # the BibTeX style whose types and fields are described


def hover(doc: Document, offset: int, context: HoverContext) -> Hover | None:
    place = place_at(doc, offset)
    if place is None:
        return None
    entry, kind = place.entry, place.kind
    if kind is PlaceKind.TYPE:
        text = _type_text(entry, context.dialect, context.bst)
    elif kind is PlaceKind.HEAD:
        text = _preview(entry, doc, context)
    elif kind is PlaceKind.MACRO_NAME:  # a macro being defined
        text = _macro_text(place.name, doc, context)
        users = len(context.index.holders["use"].get(place.name.lower(), ()))
        text += f"\n\nUsed by {users} entr{'y' if users == 1 else 'ies'} of this file."
    elif kind is PlaceKind.FIELD_NAME:
        text = describe_field(place.name.lower(), context.dialect, entry.type_lower, context.bst)
    elif kind is PlaceKind.MACRO:
        text = _macro_text(place.name, doc, context)
    else:
        return _referenced(doc, place.name, place.start, context)
    return Hover(text, place.start, place.end) if text else None


_SPECIAL = {
    K.STRING: "`@string`: defines macros, used as bare values (`journal = jacm`)",
    K.PREAMBLE: "`@preamble`: LaTeX that BibTeX copies to the start of the bibliography",
    K.COMMENT_ENTRY: "`@comment`: ignored by BibTeX and biber",
}


def _type_text(entry: Entry, dialect: str, bst: BibtexStyle = PLAIN) -> str:
    if entry.kind in _SPECIAL:
        return _SPECIAL[entry.kind]
    text = describe_type(entry.type_lower, dialect, bst)
    who = bst.name if dialect == "bibtex" and bst.path is not None else dialect
    if not text:
        return f"`@{entry.type}` is not an entry type {who} knows."
    return f"**@{entry.type_lower}** ({who})\n\n{text}"


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


def _referenced(doc: Document, key: str, start: int, context: HoverContext) -> Hover | None:
    """The preview of the entry a key in a reference field names (the key compared
    as the dialect's backend compares it)."""
    block = context.index.entry_block(key, exact=context.dialect == "biblatex")
    if block is None:
        return Hover(f"No entry has the key `{key}` in this file.", start, start + len(key))
    at = doc.start_of(block)
    target = entry_view(block, at) if at is not None else None
    if target is None:
        return None
    return Hover(_preview(target, doc, context), start, start + len(key))
