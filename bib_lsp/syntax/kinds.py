"""The kinds of nodes and tokens in the BibTeX syntax tree."""

from __future__ import annotations

import enum


class SyntaxKind(enum.IntEnum):
    """Every node and token kind. Tokens are leaves; nodes have children."""

    # --- tokens -------------------------------------------------------------
    WHITESPACE = enum.auto()
    """Spaces, tabs, line breaks and other blank characters."""
    COMMENT = enum.auto()
    """A ``%`` comment to the end of the line inside an entry (BibTeX has none)."""
    JUNK = enum.auto()
    """Free text between entries, which BibTeX ignores."""
    AT = enum.auto()
    """The ``@`` that starts an entry."""
    TYPE = enum.auto()
    """The entry type after ``@`` (``article``, ``string``, ...)."""
    L_DELIM = enum.auto()
    """``{`` or ``(`` opening an entry body."""
    R_DELIM = enum.auto()
    """``}`` or ``)`` closing an entry body."""
    KEY = enum.auto()
    """The citation key."""
    NAME = enum.auto()
    """A field name, or a macro name on the left of ``=`` in ``@string``."""
    EQUALS = enum.auto()
    COMMA = enum.auto()
    HASH = enum.auto()
    """``#``, the concatenation operator."""
    BRACED = enum.auto()
    """A ``{...}`` value piece, outer braces included (may lack its ``}``)."""
    QUOTED = enum.auto()
    """A ``"..."`` value piece, quotes included (may lack its closing ``"``)."""
    NUMBER = enum.auto()
    """A bare number value piece."""
    MACRO = enum.auto()
    """A bare identifier value piece: a reference to an ``@string`` macro."""
    BODY = enum.auto()
    """The balanced braced body of ``@comment{...}``."""
    ERROR = enum.auto()
    """Text the grammar does not expect at that place (reported as a problem)."""

    # --- nodes --------------------------------------------------------------
    ROOT = enum.auto()
    """A whole file: a sequence of top-level blocks."""
    ENTRY = enum.auto()
    """A regular entry ``@type{key, field = value, ...}``."""
    STRING = enum.auto()
    """``@string{name = value}``."""
    PREAMBLE = enum.auto()
    """``@preamble{value}``."""
    COMMENT_ENTRY = enum.auto()
    """``@comment`` with its braced body, if any."""
    JUNK_BLOCK = enum.auto()
    """Text outside any entry."""
    FIELD = enum.auto()
    """``name = value`` inside an entry or ``@string``."""
    VALUE = enum.auto()
    """A value: pieces joined with ``#``."""

    @property
    def is_token(self) -> bool:
        return self < SyntaxKind.ROOT


TRIVIA = frozenset({SyntaxKind.WHITESPACE, SyntaxKind.COMMENT})
