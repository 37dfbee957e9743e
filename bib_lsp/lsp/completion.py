"""`textDocument/completion` and `completionItem/resolve`: the features' candidates
as LSP completion items, each with a text edit over the range the cursor's word
occupies (typing in the middle of a name replaces the whole name).

Documentation is given on `completionItem/resolve` when the client asks for it
that way (the item's ``data`` says what to describe), so that a list of 200
fields costs 200 labels, not 200 descriptions; otherwise it is sent with the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    Elsewhere,
    Item,
    complete,
    describe,
)
from bib_lsp.features.cursor import VALUE
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.model.index import BibIndex
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

TRIGGERS = ["@", "{", ","]
_KINDS = {
    ENTRY_TYPE: lsp.CompletionItemKind.Class,
    FIELD_NAME: lsp.CompletionItemKind.Field,
    MACRO: lsp.CompletionItemKind.Constant,
    KEY: lsp.CompletionItemKind.Reference,
    CONSTANT: lsp.CompletionItemKind.EnumMember,
}


@dataclass(frozen=True, slots=True)
class ClientTakes:
    snippets: bool = False  # snippet syntax in the inserted text
    resolve: bool = False  # documentation on completionItem/resolve


def completion(
    params: lsp.CompletionParams,
    doc: Document,
    checker: Checker,
    encoding: PositionEncoding,
    client: ClientTakes = ClientTakes(),
    elsewhere: Elsewhere | None = None,
) -> lsp.CompletionList:
    p = params.position
    offset = doc.offset(convert.from_position(p), encoding)
    index = checker.index
    cursor, items = complete(
        doc, index, offset, checker.dialect, client.snippets, elsewhere, checker.options.style
    )
    where = convert.range_of(doc, cursor.start, cursor.end, encoding)
    uri = params.text_document.uri
    out = [
        lsp.CompletionItem(
            label=item.label,
            kind=_KINDS.get(item.kind),
            detail=item.detail or None,
            documentation=_markdown(
                item.documentation or ("" if client.resolve else describe(item.about, doc, index))
            ),
            insert_text_format=lsp.InsertTextFormat.Snippet if item.snippet else None,
            sort_text=f"{item.sort}{item.label.lower()}",
            filter_text=item.label,
            text_edit=lsp.TextEdit(range=where, new_text=item.insert or item.label),
            data=_data(uri, item) if client.resolve else None,
        )
        for item in items
    ]
    # A capped list: the editor must ask again as the user types more.
    capped = cursor.kind == VALUE and len(items) >= min(KEY_LIMIT, VALUE_LIMIT)
    return lsp.CompletionList(is_incomplete=capped, items=out)


def _markdown(text: str) -> lsp.MarkupContent | None:
    return lsp.MarkupContent(lsp.MarkupKind.Markdown, text) if text else None


def _data(uri: str, item: Item) -> dict[str, Any] | None:
    return {"uri": uri, "about": list(item.about)} if item.about else None


def uri_of(item: lsp.CompletionItem) -> str | None:
    """The document an item was offered in (from its ``data``), if any."""
    data = item.data
    if isinstance(data, dict) and isinstance(data.get("uri"), str):
        return str(data["uri"])
    return None


def resolve(
    item: lsp.CompletionItem, doc: Document | None, index: BibIndex | None
) -> lsp.CompletionItem:
    """The item with its documentation filled in (unchanged if ``data`` is not
    ours, or what it names is gone)."""
    data = item.data
    about = data.get("about") if isinstance(data, dict) else None
    readable = isinstance(about, list) and all(isinstance(part, str) for part in about)
    if item.documentation is None and readable and about:
        item.documentation = _markdown(describe(tuple(about), doc, index))
    return item


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_completions() -> lsp.CompletionList:
    return lsp.CompletionList(is_incomplete=False, items=[])


@FEATURES.feature(
    lsp.TEXT_DOCUMENT_COMPLETION,
    lsp.CompletionOptions(trigger_characters=TRIGGERS, resolve_provider=True),
)
@on_document(_no_completions, name="complete")
def completion_request(
    ls: BibLanguageServer, params: lsp.CompletionParams, document: OpenDocument
) -> lsp.CompletionList:
    checker = ls.checker(document)
    open_documents = ls.open_documents()
    return completion(
        params,
        document.doc,
        checker,
        ls.encoding,
        ClientTakes(ls.snippets, ls.resolve_documentation),
        ls.files.macros_elsewhere(document.uri, open_documents),
    )


@FEATURES.feature(lsp.COMPLETION_ITEM_RESOLVE)
def resolve_item(ls: BibLanguageServer, item: lsp.CompletionItem) -> lsp.CompletionItem:
    """The item with its documentation; as it was, without, when that fails."""
    try:
        uri = uri_of(item)
        document = ls.documents.get(uri) if uri else None
        if document is None:
            return resolve(item, None, None)
        return resolve(item, document.doc, ls.checker(document).index)
    except Exception:
        ls.log_failure("completionItem/resolve")
        return item
