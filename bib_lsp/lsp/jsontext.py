"""JSON text as the server writes its large answers: compact ASCII, sent as pieces
without joining them, and cached with its line numbers left to fill in.

Which answers are written this way and why is in docs/architecture.md ("Raw JSON
and lsprotocol objects"): the whole-document answers kept per block or chunk
(diagnostics, symbols, folds, links, semantic tokens); every other answer is an
lsprotocol object.
"""

from __future__ import annotations

import json
import re
from typing import Any

JsonPieces = list[bytes]
"""Consecutive pieces of one JSON text, sent as they are (never joined)."""

# A line number in our compact JSON: a position's `line`, a fold's `startLine` or
# `endLine`. Quotes inside strings are escaped, so it never matches inside one.
_LINE_NUMBER = re.compile(rb'("(?:line|startLine|endLine)":)(-?\d+)')


def dumps(data: Any) -> bytes:
    """Compact JSON, ASCII only."""
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def items_text(items: list[Any]) -> bytes:
    """The items of a JSON array as text, without its brackets (to join with others)."""
    return dumps(items)[1:-1] if items else b""


def array(fragments: list[bytes]) -> JsonPieces:
    """``[`` the fragments (texts from ``items_text``) separated by commas ``]``,
    without copying them."""
    if not fragments:
        return [b"[]"]
    pieces = [b","] * (2 * len(fragments) - 1)
    pieces[::2] = fragments
    return [b"[", *pieces, b"]"]


class LineTemplate:
    """JSON text whose line numbers count from some first line, to be written for
    the line that first line is now (``at``): moving a block or chunk to another
    line formats numbers instead of encoding its items again.

    ``lines`` are the relative line numbers in the order they are written."""

    __slots__ = ("lines", "template")

    def __init__(self, text: bytes) -> None:
        pieces = _LINE_NUMBER.split(text.replace(b"%", b"%%"))  # text, key, number, ...
        self.lines = tuple(map(int, pieces[2::3]))
        pieces[2::3] = [b"%d"] * len(self.lines)
        self.template = b"".join(pieces)

    def at(self, line: int) -> bytes:
        """The text with ``line`` added to every line number."""
        return self.template % tuple([n + line for n in self.lines])
