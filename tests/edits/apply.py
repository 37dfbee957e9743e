"""Applying LSP text edits as a client does, written here from the protocol alone
(not with the library's own position code, so that a mistake there shows):
positions are (line, character) with line breaks `\n`, `\r\n` and `\r`,
characters counted in the negotiated encoding's code units; the edits of one
request must not overlap, and are applied as if from the end (an insertion at
the same place as another keeps their order)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from lsprotocol import types as lsp

_BREAK = re.compile(r"\r\n|\r|\n")
_UNITS = {"utf-8": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}
_WIDTH = {"utf-8": 1, "utf-16": 2, "utf-32": 4}


class BadEdit(AssertionError):
    """An edit a client would have to refuse or guess at."""


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def offset_of(text: str, position: lsp.Position, encoding: str = "utf-16") -> int:
    """The code-point offset of ``position``; a position outside the text, past
    its line's end or inside a character is an error (LSP asks servers not to
    send those)."""
    starts = line_starts(text)
    if not 0 <= position.line < len(starts):
        raise BadEdit(f"line {position.line} outside the text ({len(starts)} lines)")
    start = starts[position.line]
    end = starts[position.line + 1] if position.line + 1 < len(starts) else len(text)
    line = _BREAK.sub("", text[start:end])  # the line without its break
    units = 0
    for i, char in enumerate(line):
        if units == position.character:
            return start + i
        units += len(char.encode(_UNITS[encoding])) // _WIDTH[encoding]
        if units > position.character:
            raise BadEdit(f"{position} falls inside the character {char!r}")
    if units == position.character:
        return start + len(line)
    raise BadEdit(f"{position} is past the end of line {position.line} ({units} units)")


def position_of(text: str, offset: int, encoding: str = "utf-16") -> lsp.Position:
    starts = line_starts(text)
    line = max(i for i, s in enumerate(starts) if s <= offset)
    before = text[starts[line] : offset]
    return lsp.Position(line, len(before.encode(_UNITS[encoding])) // _WIDTH[encoding])


def spans(
    text: str, edits: Sequence[lsp.TextEdit], encoding: str = "utf-16"
) -> list[tuple[int, int, str]]:
    """The edits as (start, end, new text) in code points, in text order; raises
    ``BadEdit`` for a range outside the text, backwards, or overlapping another."""
    out = []
    for n, edit in enumerate(edits):
        a = offset_of(text, edit.range.start, encoding)
        b = offset_of(text, edit.range.end, encoding)
        if b < a:
            raise BadEdit(f"edit {n}: its range ends before it starts: {edit.range}")
        out.append((a, b, n, edit.new_text))
    out.sort(key=lambda e: (e[0], e[1], e[2]))
    for (a1, b1, n1, _), (a2, b2, n2, _) in itertools.pairwise(out):
        if a2 < b1:
            raise BadEdit(f"edits {n1} and {n2} overlap: [{a1}, {b1}) and [{a2}, {b2})")
    return [(a, b, new) for a, b, _, new in out]


def apply_edits(text: str, edits: Sequence[lsp.TextEdit], encoding: str = "utf-16") -> str:
    """``text`` after ``edits`` (one request's), applied from the end."""
    for a, b, new in reversed(spans(text, edits, encoding)):
        text = text[:a] + new + text[b:]
    return text


def apply_offsets(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """The same for edits given in code points (the library's ``Edit``s)."""
    ordered = sorted(enumerate(edits), key=lambda e: (e[1][0], e[1][1], e[0]))
    for (_, (a1, b1, _)), (_, (a2, _, _)) in itertools.pairwise(ordered):
        if a2 < b1:
            raise BadEdit(f"edits overlap: [{a1}, {b1}) and {a2}")
    for _, (a, b, new) in reversed(ordered):
        if not 0 <= a <= b <= len(text):
            raise BadEdit(f"edit [{a}, {b}) outside the text of {len(text)}")
        text = text[:a] + new + text[b:]
    return text


# -- snippets -------------------------------------------------------------------------------

_SNIPPET = re.compile(
    r"\\(?P<escaped>[$}\\,|])"
    r"|\$(?P<bare>\d+)"
    r"|\$\{(?P<tab>\d+)(?::(?P<default>(?:[^{}\\]|\\.)*)|\|(?P<choice>[^|]*)\|)?\}"
)


def expand_snippet(snippet: str) -> str:
    """The text a snippet inserts with every placeholder at its default (a choice
    at its first option, an empty tab stop empty). Nested placeholders are not
    supported (the server sends none)."""

    def one(m: re.Match[str]) -> str:
        if m.group("escaped"):
            return m.group("escaped")
        if m.group("bare") is not None:
            return ""
        if m.group("choice") is not None:
            return m.group("choice").split(",")[0]
        return re.sub(r"\\(.)", r"\1", m.group("default") or "")

    out = _SNIPPET.sub(one, snippet)
    if "${" in out:
        raise BadEdit(f"a placeholder left unread in {snippet!r}")
    return out
