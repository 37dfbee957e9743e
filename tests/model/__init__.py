"""Tests for bib_lsp.model."""
