"""Line bookkeeping for a document and conversion between offsets and positions.

Offsets are code-point indexes into the Python string.  Positions are LSP
style: a 0-based line and a column counted in the negotiated encoding's code
units.  Only ``\\r\\n``, ``\\n`` and a lone ``\\r`` end a line, as in LSP;
``str.splitlines`` also splits on form feeds, U+2028 and others, so it must
not be used for positions.
"""

from __future__ import annotations

import abc
import re
from bisect import bisect_right

from bib_lsp.text.encoding import (
    Position,
    PositionEncoding,
    Range,
    code_points_for_units,
    units_in,
)

__all__ = ["LINE_BREAK_RE", "LineIndex", "LineMapping", "line_starts"]

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
"""Matches exactly one line break: ``\\r\\n``, ``\\n`` or a lone ``\\r``."""


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line of ``text`` starts.

    The list always begins with 0; a text that ends in a line break has a
    final empty line, so ``"a\\n"`` gives ``[0, 2]``.
    """
    starts = [0]
    starts.extend(match.end() for match in LINE_BREAK_RE.finditer(text))
    return starts


class LineMapping(abc.ABC):
    """Offset/position conversion over any text that can report its lines.

    Subclasses say where lines start and end and hand out slices; the LSP clamping
    rules and the unit counting live here once.
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
    def line_end(self, line: int, *, include_break: bool = False) -> int:
        """Return the offset just past ``line``'s content (or past its break)."""

    @abc.abstractmethod
    def line_of(self, offset: int) -> int:
        """Return the line containing ``offset`` (clamped into the text)."""

    @abc.abstractmethod
    def slice(self, start: int, end: int) -> str:
        """Return the text between two offsets."""

    def position(
        self, offset: int, encoding: PositionEncoding = PositionEncoding.UTF16
    ) -> Position:
        """Convert an offset to a position.

        The offset is clamped to ``[0, len(text)]``; an offset between the
        ``\\r`` and ``\\n`` of a pair maps to the end of that line's content.
        """
        offset = min(max(offset, 0), self.length)
        line = self.line_of(offset)
        start = self.line_start(line)
        offset = min(offset, self.line_end(line))
        if encoding is PositionEncoding.UTF32:
            return Position(line, offset - start)
        return Position(line, units_in(self.slice(start, offset), encoding))

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
        if encoding is PositionEncoding.UTF32:
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
    """An immutable text plus its line starts, for offset/position conversion."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = line_starts(text)

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
        return len(self._starts)

    def _check_line(self, line: int) -> None:
        if not 0 <= line < len(self._starts):
            raise IndexError(f"line {line} out of range (0..{len(self._starts) - 1})")

    def line_start(self, line: int) -> int:
        self._check_line(line)
        return self._starts[line]

    def line_end(self, line: int, *, include_break: bool = False) -> int:
        self._check_line(line)
        if line + 1 == len(self._starts):
            return len(self._text)
        end = self._starts[line + 1]
        if include_break:
            return end
        if self._text[end - 1] == "\n" and end >= 2 and self._text[end - 2] == "\r":
            return end - 2
        return end - 1

    def line_of(self, offset: int) -> int:
        offset = min(max(offset, 0), len(self._text))
        return bisect_right(self._starts, offset) - 1

    def slice(self, start: int, end: int) -> str:
        return self._text[start:end]
