"""Incrementally re-parsed documents, and reading `.bib` files from disk."""

from bib_lsp.document.chunks import ChunkFindings
from bib_lsp.document.document import BlockChanges, Document, TextChange

__all__ = ["BlockChanges", "ChunkFindings", "Document", "TextChange"]
