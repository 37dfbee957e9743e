"""Incrementally re-parsed documents."""

from bib_lsp.document.document import BlockChanges, Document, TextChange

__all__ = ["BlockChanges", "Document", "TextChange"]
