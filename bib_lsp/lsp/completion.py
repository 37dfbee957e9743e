"""`textDocument/completion`: the features' candidates as LSP completion items,
each with a text edit over the range the cursor's word occupies (typing in the
middle of a name replaces the whole name)."""

from __future__ import annotations

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.completion import (
    CONSTANT,
    ENTRY_TYPE,
    FIELD_NAME,
    KEY,
    KEY_LIMIT,
    MACRO,
    VALUE_LIMIT,
    complete,
)
from bib_lsp.features.cursor import VALUE
from bib_lsp.rules import Checker
from bib_lsp.text import Position, PositionEncoding

TRIGGERS = ["@", "{", ","]
_KINDS = {
    ENTRY_TYPE: lsp.CompletionItemKind.Class,
    FIELD_NAME: lsp.CompletionItemKind.Field,
    MACRO: lsp.CompletionItemKind.Constant,
    KEY: lsp.CompletionItemKind.Reference,
    CONSTANT: lsp.CompletionItemKind.EnumMember,
}


def completion(
    params: lsp.CompletionParams,
    doc: Document,
    checker: Checker,
    encoding: PositionEncoding,
    snippets: bool = False,
) -> lsp.CompletionList:
    p = params.position
    offset = doc.offset(Position(p.line, p.character), encoding)
    cursor, items = complete(doc, checker.index, offset, checker.dialect, snippets)
    a, b = doc.position(cursor.start, encoding), doc.position(cursor.end, encoding)
    where = lsp.Range(lsp.Position(a.line, a.character), lsp.Position(b.line, b.character))
    out = [
        lsp.CompletionItem(
            label=item.label,
            kind=_KINDS.get(item.kind),
            detail=item.detail or None,
            documentation=(
                lsp.MarkupContent(lsp.MarkupKind.Markdown, item.documentation)
                if item.documentation
                else None
            ),
            insert_text_format=lsp.InsertTextFormat.Snippet if item.snippet else None,
            sort_text=f"{item.sort}{item.label.lower()}",
            filter_text=item.label,
            text_edit=lsp.TextEdit(range=where, new_text=item.insert or item.label),
        )
        for item in items
    ]
    # A capped list: the editor must ask again as the user types more.
    capped = cursor.kind == VALUE and len(items) >= min(KEY_LIMIT, VALUE_LIMIT)
    return lsp.CompletionList(is_incomplete=capped, items=out)
