"""The one pass over an entry's field values that the value rules share.

Each topic module (dates, identifiers, names, pages, text) registers its field checks
here by field name (``field_check``); one pass over an entry's fields finds the
problems of every value code at once, once per entry and dialect (``Context.reading``),
and each code's rule hands out its share (``findings``). Only literal text is checked:
a value that uses a ``@string`` macro is skipped (except ``month``, whose macros
``jan``...``dec`` are known), and so are entries with syntax problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem
from bib_lsp.syntax.views import Entry, Field, Piece

# ----------------------------------------------------------------------------------------
# The literal text of a value, and where each of its characters is
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """The text of a value's literal pieces joined, and where each piece's content
    starts, as (offset in ``text``, offset in the entry) pairs."""

    text: str
    starts: tuple[tuple[int, int], ...]

    def at(self, offset: int) -> int:
        """The entry offset of ``text[offset]`` (or of the end, for ``len(text)``)."""
        base, where = self.starts[0]
        for b, w in self.starts:
            if b > offset:
                break
            base, where = b, w
        return where + offset - base

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Entry offsets of ``text[start:end]`` (``end`` inside the same piece)."""
        first = self.at(start)
        return first, self.at(end - 1) + 1 if end > start else first

    def stripped(self) -> tuple[int, int]:
        """The offsets in ``text`` of its content without surrounding white space."""
        lead = len(self.text) - len(self.text.lstrip())
        return lead, len(self.text.rstrip())


_DELIMITED = (K.BRACED, K.QUOTED)


def piece_content(piece: Piece) -> str:
    """``piece.content`` for an entry without syntax problems (its groups are closed),
    without scanning the group again."""
    return piece.text[1:-1] if piece.kind in _DELIMITED else piece.text


def content_start(piece: Piece) -> int:
    return piece.span.start + (1 if piece.kind in (K.BRACED, K.QUOTED) else 0)


def literal_text(f: Field) -> Text | None:
    """The value's text if it has no macro piece (None otherwise, or if empty)."""
    value = f.value
    if value is None or not value.pieces:
        return None
    pieces = value.pieces
    if len(pieces) == 1:  # the common case
        piece = pieces[0]
        if piece.kind is K.MACRO:
            return None
        text = piece_content(piece)
        return Text(text, ((0, content_start(piece)),)) if text.strip() else None
    parts, starts, pos = [], [], 0
    for piece in pieces:
        if piece.kind is K.MACRO:
            return None
        content = piece_content(piece)
        parts.append(content)
        starts.append((pos, content_start(piece)))
        pos += len(content)
    text = "".join(parts)
    return Text(text, tuple(starts)) if text.strip() else None


# ----------------------------------------------------------------------------------------
# The pass over the fields
# ----------------------------------------------------------------------------------------

Findings = dict[str, list[Problem]]
FieldCheck = Callable[[Field, str, Findings, str], None]
"""``check(field, dialect, findings, entry_type)`` adds its problems to ``findings``."""

_DISPATCH: dict[str, tuple[FieldCheck, ...]] = {}


def field_check(names: Iterable[str]) -> Callable[[FieldCheck], FieldCheck]:
    """Register the decorated check for the fields ``names`` (lower-case)."""

    def register(check: FieldCheck) -> FieldCheck:
        for name in sorted(names):
            _DISPATCH[name] = (*_DISPATCH.get(name, ()), check)
        return check

    return register


def add(out: Findings, code: str, start: int, end: int, message: str, data: object = None) -> None:
    severity = RULES[code].doc.severity
    out.setdefault(code, []).append(Problem(start, end, code, message, severity, data=data))


def shown(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: on one line, shortened."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def analyse(entry: Entry, dialect: str) -> Findings:
    """The findings of every value code for one entry."""
    out: Findings = {}
    if entry.kind is not K.ENTRY or entry.damaged:
        return out
    kind = entry.type_lower
    dispatch = _DISPATCH
    for f in entry.fields:
        checks = dispatch.get(f.name_lower)
        if checks is not None:
            for check in checks:
                check(f, dialect, out, kind)
    return out


_NONE: list[Problem] = []


def findings(entry: Entry, context: Context, code: str) -> list[Problem]:
    """The problems of ``code`` in the entry: its share of the one pass."""
    dialect = context.dialect
    return context.reading("values:" + dialect, lambda: analyse(entry, dialect)).get(code, _NONE)
