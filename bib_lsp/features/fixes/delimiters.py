"""Fixes of the syntax: a missing comma, a missing or stray delimiter, a `"` inside
a quoted value."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bib_lsp.document import Document
from bib_lsp.features.fixes.base import Finding, Fix, entry_at, fix, line_break
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.parser import braced_inner_quotes
from bib_lsp.syntax.views import Entry
from bib_lsp.text.edits import Edit

_FIELD_AHEAD = re.compile(r"[ \t\r\n]*[A-Za-z][\w:.+-]*[ \t\r\n]*=")
_FIELD_START = re.compile(r"\r?\n[ \t]*[A-Za-z][\w:.+-]*[ \t]*=")
_CLOSERS = {"{": "}", "(": ")", '"': '"'}


@fix("missing-comma")
def missing_comma(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    # Only where a field follows: `@misc{my key, ...}` lacks no comma (the key
    # has a space in it), and a comma there would change the key.
    if not _FIELD_AHEAD.match(doc.slice(finding.start, finding.start + 200)):
        return []
    comma = Edit(finding.start, finding.start, ",")
    return [Fix("Insert the missing `,`", (comma,), safe=True, preferred=True)]


@fix("quote-in-quoted-value")
def quote_in_quoted_value(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Braces around the inner quotes (``"He said {"hi"}"``): BibTeX and biber then
    both read the value as meant (checked against both)."""
    located = entry_at(doc, finding.start)
    if located is None:
        return []
    base, entry = located
    for field in entry.fields:
        for piece in field.value.pieces if field.value is not None else ():
            start, end = base + piece.span.start, base + piece.span.end
            if piece.kind is K.QUOTED and start < finding.start < end:
                meant = braced_inner_quotes(piece.text)
                if meant == piece.text:
                    return []
                first = piece.text.find('"', 1)
                last = piece.text.rfind('"', 0, len(piece.text) - 1)
                edits = (
                    Edit(start + first, start + first, "{"),
                    Edit(start + last + 1, start + last + 1, "}"),
                )
                return [Fix("Put the inner quotes in braces", edits, preferred=True)]
    return []


@fix("unbalanced-braces")
def unbalanced(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """At a stray closer: remove it; at an opener left open: close it."""
    if doc.slice(finding.start, finding.end) in (")", "}"):
        if _inside_value(doc, finding.start):
            return []  # a `}` in a quoted value: the quote is what is missing
        closer = doc.slice(finding.start, finding.end)
        return [Fix(f"Remove this `{closer}`", (Edit(finding.start, finding.end, ""),))]
    located = entry_at(doc, finding.start)
    if located is None:
        return []
    return _balance(doc, *located, finding.start)


def _balance(doc: Document, base: int, entry: Entry, at: int) -> list[Fix]:
    """A closing delimiter where one is missing (``unbalanced-braces`` is reported
    at the opening delimiter left open)."""
    char = doc.slice(at, at + 1)
    closer = _CLOSERS.get(char)
    if closer is None:
        return []
    if entry.open_delim is not None and base + entry.open_delim.start == at:
        # The entry's own `{`: close it after its last field.
        last = entry.fields[-1].span.end if entry.fields else None
        anchor = last if last is not None else (entry.key_span or entry.open_delim).end
        end = base + anchor
        nl = line_break(doc)
        return [Fix(f"Close the entry with `{closer}`", (Edit(end, end, f"{nl}{closer}"),))]
    # A value's delimiter: the value most likely ends where the next field starts
    # (it swallowed the rest of the entry), or else at the end of its line.
    stop = base + entry.span.end
    rest = doc.slice(at, stop)
    if char == "{" and '"' in rest:
        quote = rest.index('"')  # the `"` that should end a quoted value is inside
        if not _FIELD_START.search(rest, 0, quote):
            return [_insert_before(doc, at + quote, closer)]
    m = _FIELD_START.search(rest)
    if m is not None:
        return [_insert_before(doc, at + m.start(), closer)]
    line = rest.split("\n", 1)[0].rstrip("\r").rstrip(" \t")
    close = entry.close_delim
    if line.endswith(("}", ")")) and (close is None or base + close.start < at):
        line = line[:-1]  # the entry's own closing brace, taken into the value
    return [_insert_before(doc, at + len(line), closer)]


def _insert_before(doc: Document, end: int, closer: str) -> Fix:
    """Insert ``closer`` at ``end``, moved back over blanks and a comma (they come
    after the value)."""
    before = doc.slice(max(0, end - 200), end)
    kept = before.rstrip(" \t")
    if kept.endswith(","):
        kept = kept[:-1].rstrip(" \t")
    at = end - (len(before) - len(kept))
    return Fix(f"Insert the missing `{closer}`", (Edit(at, at, closer),))


def _inside_value(doc: Document, offset: int) -> bool:
    located = entry_at(doc, offset)
    if located is None:
        return False
    base, entry = located
    return any(
        f.value is not None and base + f.value.span.start <= offset < base + f.value.span.end
        for f in entry.fields
    )
