"""Text utilities: line bookkeeping and LSP position encodings."""

from bib_lsp.text.encoding import (
    Position,
    PositionEncoding,
    Range,
    code_points_for_units,
    units_in,
)
from bib_lsp.text.line_index import (
    LINE_BREAK_RE,
    LineIndex,
    LineMapping,
    line_starts,
    relative_position,
    relative_positions,
)

__all__ = [
    "LINE_BREAK_RE",
    "LineIndex",
    "LineMapping",
    "Position",
    "PositionEncoding",
    "Range",
    "code_points_for_units",
    "line_starts",
    "relative_position",
    "relative_positions",
    "units_in",
]
