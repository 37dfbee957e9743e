"""Positions and the code-unit arithmetic behind LSP position encodings.

LSP clients count columns in UTF-16 code units by default; UTF-8 and UTF-32
may be negotiated.  Python strings are indexed by code point, so every column
sent to or received from a client has to be converted with the helpers here.
"""

from __future__ import annotations

import codecs
import enum
from dataclasses import dataclass

__all__ = [
    "Position",
    "PositionEncoding",
    "Range",
    "code_points_for_units",
    "units_in",
]


class PositionEncoding(str, enum.Enum):
    """A position encoding; the values are the LSP wire names."""

    UTF8 = "utf-8"
    UTF16 = "utf-16"
    UTF32 = "utf-32"


@dataclass(frozen=True, slots=True)
class Position:
    """A 0-based line and a 0-based column counted in code units."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    """A half-open span from ``start`` to ``end``."""

    start: Position
    end: Position


# Python codec names, little-endian so that no byte order mark is written.
_CODECS = {
    PositionEncoding.UTF8: ("utf-8", 1),
    PositionEncoding.UTF16: ("utf-16-le", 2),
}


def units_in(text: str, encoding: PositionEncoding) -> int:
    """Return the length of ``text`` in code units of ``encoding``."""
    if encoding is PositionEncoding.UTF32 or text.isascii():
        return len(text)
    codec, unit_size = _CODECS[encoding]
    # "surrogatepass" keeps lone surrogates (possible in str) from raising.
    return len(text.encode(codec, "surrogatepass")) // unit_size


def code_points_for_units(text: str, units: int, encoding: PositionEncoding) -> int:
    """Return how many code points of ``text`` the first ``units`` code units cover.

    Counts are clamped to ``[0, len(text)]``.  A count that ends inside a
    character (half of a surrogate pair, part of a multi-byte UTF-8 sequence)
    rounds down to the start of that character.
    """
    if units <= 0:
        return 0
    if units >= len(text) and (encoding is PositionEncoding.UTF32 or text.isascii()):
        return len(text)
    # Every code point takes at least one unit, so only this prefix can matter.
    prefix = text[:units]
    if encoding is PositionEncoding.UTF32 or prefix.isascii():
        return len(prefix)
    codec, unit_size = _CODECS[encoding]
    data = prefix.encode(codec, "surrogatepass")[: units * unit_size]
    # A non-final incremental decode holds back an incomplete trailing
    # character instead of failing, which is exactly the "round down" rule.
    decoder = codecs.getincrementaldecoder(codec)("surrogatepass")
    return len(decoder.decode(data, final=False))
