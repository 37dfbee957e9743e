"""`textDocument/hover`: the features' hover as Markdown over the hovered range."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.hover import HoverContext, hover
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.model.summaries import MacroDef
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer


def hover_at(
    params: lsp.HoverParams,
    doc: Document,
    checker: Checker,
    encoding: PositionEncoding,
    style: object,
    elsewhere: Callable[[str], MacroDef | None],
) -> lsp.Hover | None:
    p = params.position
    offset = doc.offset(convert.from_position(p), encoding)

    def problems(at: int) -> list[str]:
        return [f.message for f in checker.findings_at(at)]

    context = HoverContext(
        checker.index, checker.dialect, style, problems, elsewhere, checker.options.style
    )
    found = hover(doc, offset, context)
    if found is None:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(lsp.MarkupKind.Markdown, found.markdown),
        range=convert.range_of(doc, found.start, found.end, encoding),
    )


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_hover() -> lsp.Hover | None:
    return None


@FEATURES.feature(lsp.TEXT_DOCUMENT_HOVER)
@on_document(_no_hover)
def on_hover(
    ls: BibLanguageServer, params: lsp.HoverParams, document: OpenDocument
) -> lsp.Hover | None:
    checker = ls.checker(document)
    open_documents = ls.open_documents()
    macros = ls.files.macros_elsewhere(document.uri, open_documents)

    def elsewhere(name: str) -> MacroDef | None:
        # The file read together with this one, when one defines it: the one BibTeX uses.
        source = checker.context.elsewhere.get(name)
        summary = ls.files.workspace.files.get(source.path) if source else None
        if summary is not None and name in summary.macros:
            return summary.macros[name]
        return next((m for m in macros(name) if m.name.lower() == name), None)

    style = ls.citation_style()
    return hover_at(params, document.doc, checker, ls.encoding, style, elsewhere)
