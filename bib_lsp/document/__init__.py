"""Incrementally re-parsed documents."""

from bib_lsp.document.document import BlockChanges, ChunkFindings, Document, TextChange

__all__ = ["BlockChanges", "ChunkFindings", "Document", "TextChange"]
