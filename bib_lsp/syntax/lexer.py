"""Character classes and scanners shared by the parser.

BibTeX's rules (from ``bibtex.web``): identifiers (entry types, field names, macro
names) are runs of printable characters other than white space and ``"#%'(),={}``.
Whitespace here is ASCII only, as in BibTeX: a no-break space is text.
"""

from __future__ import annotations

import re

# BibTeX's blanks, the characters WHITESPACE_RE matches: for ``str.strip(BLANK)``.
# ``str.strip()`` with no argument takes more (\x1c-\x1f, \x85, no-break and other
# Unicode spaces), which are text: stripping them would lose it.
BLANK = " \t\n\r\f\v"
# What BibTeX's `empty$` skips in a field's value: spaces and tabs, and the line
# breaks it reads as spaces.
VALUE_BLANK = " \t\r\n"
WHITESPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
# One trivia token inside an entry: a run of blanks, or a ``%`` comment to the end of
# the line (so that a commented-out field does not break the tree; BibTeX has no
# such comments, which a rule may report).
TRIVIA_RE = re.compile(r"[ \t\n\r\f\v]+|%[^\r\n]*")
# An identifier. It never starts with ``@``: an ``@`` where a field name could stand
# starts a new entry (BibTeX's resynchronisation point).
NAME_RE = re.compile(r"""[^ \t\n\r\f\v"#%'(),={}@][^ \t\n\r\f\v"#%'(),={}]*""")
# A citation key: anything but blanks, the separators and the delimiters.
KEY_IN_BRACES_RE = re.compile(r"""[^ \t\n\r\f\v,{}=#"%@][^ \t\n\r\f\v,{}=#"%]*""")
KEY_IN_PARENS_RE = re.compile(r"""[^ \t\n\r\f\v,{}()=#"%@][^ \t\n\r\f\v,{}()=#"%]*""")
# The same with ``=`` inside, as BibTeX 0.99 reads a key (``abnt-and-type=e``; biber
# stops at the ``=``): taken when a key character follows the ``=`` directly, so that
# ``@misc{title = {x}}`` and ``@misc{title={x}}`` still read as a missing key.
KEY_WITH_EQUALS_IN_BRACES_RE = re.compile(r"""[^ \t\n\r\f\v,{}#"%@=][^ \t\n\r\f\v,{}#"%]*""")
KEY_WITH_EQUALS_IN_PARENS_RE = re.compile(r"""[^ \t\n\r\f\v,{}()#"%@=][^ \t\n\r\f\v,{}()#"%]*""")
# Inside a value: braces, and a line that starts (after blanks) with ``@``, where a
# runaway value is cut off so that one unclosed brace spoils one entry only.
BRACED_SCAN_RE = re.compile(r"[{}]|[\r\n][ \t\f\v\r\n]*@")
QUOTED_SCAN_RE = re.compile(r'["{}]|[\r\n][ \t\f\v\r\n]*@')


def describe(char: str) -> str:
    """A short, readable name for a character in a message."""
    if char == "":
        return "the end of the file"
    if char in "\r\n":
        return "a line break"
    if char.isspace():
        return "white space"
    return f"`{char}`"


# The common shape of a field, read in one regular-expression match: blanks, name,
# `=`, one piece (braces nested up to three deep, or a quoted string, or a word)
# without any `@` (so no resynchronisation point can hide in it), blanks, `,`. Any
# other shape is read token by token; both ways give the same tree.
_B = r"[ \t\n\r\f\v]*"
_IN = r"[^{}@]"
_BRACED = rf"\{{(?:{_IN}|\{{(?:{_IN}|\{{{_IN}*\}})*\}})*\}}"
_QUOTED = rf'"(?:[^"{{}}@]|\{{(?:{_IN}|\{{{_IN}*\}})*\}})*"'
_WORD = r"""[^ \t\n\r\f\v"#%'(),={}@][^ \t\n\r\f\v"#%'(),={}]*"""
# A number, or a macro name (which cannot start with a digit: `1999a` is an error,
# reported by the token-by-token path).
_VALUE_WORD = (
    r"""[0-9]+(?![^ \t\n\r\f\v"#%'(),={}])"""
    r"""|[^ \t\n\r\f\v"#%'(),={}@0-9][^ \t\n\r\f\v"#%'(),={}]*"""
)
FAST_FIELD_RE = re.compile(
    rf"({_B})({_WORD})({_B})=({_B})({_BRACED}|{_QUOTED}|{_VALUE_WORD})({_B})(,?)"
)


def is_one_group(text: str) -> bool:
    """Whether the text is a single ``{...}`` group: its first brace closes at its
    last character."""
    if len(text) < 2 or text[0] != "{" or text[-1] != "}":
        return False
    depth = 0
    for i, c in enumerate(text):
        depth += c == "{"
        depth -= c == "}"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def group_is_closed(text: str) -> bool:
    """Whether a ``{...}`` or ``"..."`` piece as the parser cut it ends with its own
    closing delimiter (the last character alone does not tell: ``{a {b}`` is open).
    A quoted piece may hold a `"` outside braces (``"He said "hi""``, taken whole
    by the parser as meant, and reported): its own `"` is the last one."""
    if len(text) < 2:
        return False
    quoted = text[0] == '"'
    depth = 0 if quoted else 1
    for i in range(1, len(text)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return i == len(text) - 1
        elif ch == '"' and quoted and depth == 0 and i == len(text) - 1:
            return True
    return False
