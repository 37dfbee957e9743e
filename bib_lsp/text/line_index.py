"""Line bookkeeping for a document and conversion between offsets and positions.

Offsets are code-point indexes into the Python string.  Positions are LSP
style: a 0-based line and a column counted in the negotiated encoding's code
units.  Only ``\\r\\n``, ``\\n`` and a lone ``\\r`` end a line, as in LSP
(``str.splitlines`` also splits on form feeds, U+2028 and others, so it must
not be used for positions).  Every offset-to-position conversion goes through
``relative_position``; every position-to-offset one through ``LineMapping.offset``.
"""

from __future__ import annotations

import abc
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from bib_lsp.text.encoding import (
    Position,
    PositionEncoding,
    Range,
    code_points_for_units,
    units_in,
)

__all__ = [
    "LINE_BREAK_RE",
    "LineIndex",
    "LineMapping",
    "line_starts",
    "relative_position",
    "relative_positions",
]

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
"""Matches exactly one line break: ``\\r\\n``, ``\\n`` or a lone ``\\r``."""

_UTF32 = PositionEncoding.UTF32


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line of ``text`` starts.

    The list always begins with 0; a text that ends in a line break has a
    final empty line, so ``"a\\n"`` gives ``[0, 2]``.
    """
    starts = [0]
    starts.extend(match.end() for match in LINE_BREAK_RE.finditer(text))
    return starts


def relative_position(
    text: str, breaks: Sequence[int], offset: int, encoding: PositionEncoding
) -> tuple[int, int]:
    """The line and column of ``offset`` in ``text``, lines counted from its first.

    ``breaks`` are the offsets just past each line break of ``text``
    (``line_starts(text)[1:]``, or a block's ``line_starts``).  The offset is
    clamped to ``[0, len(text)]``; one between the ``\\r`` and ``\\n`` of a pair
    is the end of that line's content.  Columns on the first line count from the
    start of ``text``.  A tuple rather than a ``Position``: this is the hot path
    of every answer with positions.
    """
    if offset <= 0:
        return 0, 0
    if offset >= len(text):
        offset = len(text)
    elif text[offset] == "\n" and text[offset - 1] == "\r":
        offset -= 1
    line = bisect_right(breaks, offset)
    start = breaks[line - 1] if line else 0
    # str.isascii() is O(1) in CPython: ASCII columns are code points.
    if encoding is _UTF32 or text.isascii():
        return line, offset - start
    return line, units_in(text[start:offset], encoding)


def relative_positions(
    text: str, breaks: Sequence[int], offsets: Iterable[int], encoding: PositionEncoding
) -> list[tuple[int, int]]:
    """``relative_position`` of each of ``offsets``, which must not decrease: one
    walk down the lines instead of a search per offset (a block's semantic tokens)."""
    out = []
    length, count = len(text), len(breaks)
    plain = encoding is _UTF32 or text.isascii()
    line = start = 0
    for offset in offsets:
        if offset <= 0:
            out.append((0, 0))
            continue
        if offset >= length:
            offset = length
        elif text[offset] == "\n" and text[offset - 1] == "\r":
            offset -= 1
        while line < count and breaks[line] <= offset:
            start = breaks[line]
            line += 1
        out.append((line, offset - start if plain else units_in(text[start:offset], encoding)))
    return out


class LineMapping(abc.ABC):
    """Offset/position conversion over any text that can report its lines.

    Subclasses say where lines start and hand out slices; the LSP clamping rules
    and the unit counting live here once.
    """

    __slots__ = ()

    @property
    @abc.abstractmethod
    def length(self) -> int:
        """The length of the text in code points."""

    @property
    @abc.abstractmethod
    def line_count(self) -> int:
        """The number of lines; at least 1, even for empty text."""

    @abc.abstractmethod
    def line_start(self, line: int) -> int:
        """Return the offset of the first character of ``line``."""

    @abc.abstractmethod
    def line_of(self, offset: int) -> int:
        """Return the line containing ``offset`` (clamped into the text)."""

    @abc.abstractmethod
    def slice(self, start: int, end: int) -> str:
        """Return the text between two offsets."""

    def line_end(self, line: int, *, include_break: bool = False) -> int:
        """Return the offset just past ``line``'s content (or past its break)."""
        count = self.line_count
        if not 0 <= line < count:
            raise IndexError(f"line {line} out of range (0..{count - 1})")
        if line + 1 == count:
            return self.length
        end = self.line_start(line + 1)
        if include_break:
            return end
        return end - 2 if self.slice(end - 2, end) == "\r\n" else end - 1

    def position(
        self, offset: int, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> Position:
        """Convert an offset to a position (as ``relative_position`` does)."""
        offset = min(max(offset, 0), self.length)
        line = self.line_of(offset)
        start = self.line_start(line)
        text = self.slice(start, self.line_end(line, include_break=True))
        return Position(line, relative_position(text, (), offset - start, encoding)[1])

    def offset(
        self, position: Position, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> int:
        """Convert a position to an offset, clamping like LSP clients expect.

        A line before the first gives 0 and a line after the last gives
        ``len(text)``; a column past the line's content stops before the line
        break, and a negative column gives the line start.  A column inside a
        character rounds down to that character's start.
        """
        if position.line < 0:
            return 0
        if position.line >= self.line_count:
            return self.length
        start = self.line_start(position.line)
        end = self.line_end(position.line)
        if encoding is _UTF32:
            return start + min(max(position.character, 0), end - start)
        content = self.slice(start, end)
        return start + code_points_for_units(content, position.character, encoding)

    def range(
        self, start: int, end: int, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> Range:
        """Convert a pair of offsets to a range."""
        return Range(self.position(start, encoding), self.position(end, encoding))

    def offset_range(
        self, r: Range, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> tuple[int, int]:
        """Convert a range to a pair of offsets."""
        return self.offset(r.start, encoding), self.offset(r.end, encoding)


class LineIndex(LineMapping):
    """An immutable text plus its line breaks, for offset/position conversion."""

    __slots__ = ("_breaks", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._breaks = [match.end() for match in LINE_BREAK_RE.finditer(text)]

    def __repr__(self) -> str:
        return f"LineIndex(<{len(self._text)} chars, {self.line_count} lines>)"

    @property
    def text(self) -> str:
        """The indexed text."""
        return self._text

    @property
    def length(self) -> int:
        return len(self._text)

    @property
    def line_count(self) -> int:
        return len(self._breaks) + 1

    def line_start(self, line: int) -> int:
        if not 0 <= line <= len(self._breaks):
            raise IndexError(f"line {line} out of range (0..{len(self._breaks)})")
        return self._breaks[line - 1] if line else 0

    def line_of(self, offset: int) -> int:
        return bisect_right(self._breaks, min(max(offset, 0), len(self._text)))

    def slice(self, start: int, end: int) -> str:
        return self._text[start:end]

    def position(
        self, offset: int, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> Position:
        return Position(*relative_position(self._text, self._breaks, offset, encoding))
