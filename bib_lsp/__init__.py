"""bib-lsp: a language server and checker for BibTeX and biblatex files."""

__version__ = "0.1.0"
