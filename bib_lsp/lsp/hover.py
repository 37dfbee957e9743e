"""`textDocument/hover`: the features' hover as Markdown over the hovered range."""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.hover import HoverContext, hover
from bib_lsp.model.summaries import MacroDef
from bib_lsp.rules import Checker
from bib_lsp.text import Position, PositionEncoding


def hover_at(
    params: lsp.HoverParams,
    doc: Document,
    checker: Checker,
    encoding: PositionEncoding,
    style: object,
    elsewhere: Callable[[str], MacroDef | None],
) -> lsp.Hover | None:
    p = params.position
    offset = doc.offset(Position(p.line, p.character), encoding)

    def problems(at: int) -> list[str]:
        return [f.message for f in checker.findings_at(at)]

    context = HoverContext(checker.index, checker.dialect, style, problems, elsewhere)
    found = hover(doc, offset, context)
    if found is None:
        return None
    a, b = doc.position(found.start, encoding), doc.position(found.end, encoding)
    return lsp.Hover(
        contents=lsp.MarkupContent(lsp.MarkupKind.Markdown, found.markdown),
        range=lsp.Range(lsp.Position(a.line, a.character), lsp.Position(b.line, b.character)),
    )
