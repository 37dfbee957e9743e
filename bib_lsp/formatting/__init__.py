"""Formatting `.bib` files without changing what they mean (see ``engine``)."""

from bib_lsp.formatting.engine import format_edits, format_text
from bib_lsp.formatting.options import FormatOptions, find_config, parse_options
from bib_lsp.formatting.writing import format_block

__all__ = [
    "FormatOptions",
    "find_config",
    "format_block",
    "format_edits",
    "format_text",
    "parse_options",
]
