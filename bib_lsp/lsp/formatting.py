"""`textDocument/formatting` and `rangeFormatting`: the formatter's minimal edits
as LSP text edits. Options come from the document's project file (`[format]`) over
the `format` settings, as `bib-lsp format` reads them; the client's own
formatting options (tab size, spaces) give the indent when the settings leave it
to "auto" and the file shows no habit of its own."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.formatting import FormatOptions, format_edits
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.lsp.project import format_options
from bib_lsp.text import PositionEncoding

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer


def _options(settings: FormatOptions, client: lsp.FormattingOptions) -> FormatOptions:
    if settings.indent != "auto":
        return settings
    fallback = "\t" if not client.insert_spaces else " " * max(0, min(client.tab_size, 16))
    return replace(settings, indent_fallback=fallback)


def formatting(
    doc: Document,
    settings: FormatOptions,
    client: lsp.FormattingOptions,
    encoding: PositionEncoding,
    within: lsp.Range | None = None,
) -> list[lsp.TextEdit]:
    span = None
    if within is not None:
        r = convert.from_range(within)
        span = (doc.offset(r.start, encoding), doc.offset(r.end, encoding))
    edits = format_edits(doc, _options(settings, client), span)
    return [
        lsp.TextEdit(convert.range_of(doc, edit.start, edit.end, encoding), edit.text)
        for edit in edits
    ]


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_edits() -> list[lsp.TextEdit]:
    return []


@FEATURES.feature(lsp.TEXT_DOCUMENT_FORMATTING)
@on_document(_no_edits)
def format_document(
    ls: BibLanguageServer, params: lsp.DocumentFormattingParams, document: OpenDocument
) -> list[lsp.TextEdit]:
    settings = format_options(ls, document.uri)
    return formatting(document.doc, settings, params.options, ls.encoding)


@FEATURES.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
@on_document(_no_edits)
def format_range(
    ls: BibLanguageServer, params: lsp.DocumentRangeFormattingParams, document: OpenDocument
) -> list[lsp.TextEdit]:
    options = params.options
    settings = format_options(ls, document.uri)
    return formatting(document.doc, settings, options, ls.encoding, params.range)
