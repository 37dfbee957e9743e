"""Incrementally re-parsed documents."""

from bib_lsp.document.document import Document, TextChange

__all__ = ["Document", "TextChange"]
