"""Which characters of a citation key or a field name BibTeX, biber or LaTeX reject
(facts from running BibTeX 0.99d, biber 2.18 and pdfLaTeX on small files).

The rules report them (``bad-key``, ``bad-field-name``) and renaming checks new keys
with the same answer.
"""

from __future__ import annotations

KEY_FIELDS = {"crossref": False, "xref": False, "xdata": True, "related": True, "entryset": True}
"""The fields whose value names other entries, and whether it is a comma-separated
list of keys (else one key)."""

# What goes wrong with each character in a key: (biber cannot read it, `\cite`
# fails on it). The parser already ends a key at white space and at `,{}#"%` (and
# at `()` in an `@type(...)` entry) and reports what follows, so only these, `=`
# (``equals-in-key``, biblatex only) and control characters can be in a key it has read.
_KEY_TROUBLE = {
    "\\": (True, True),
    "'": (True, False),
    "(": (True, False),
    ")": (True, False),
    "~": (False, True),
}
_CONTROL_TROUBLE = (True, False)
BIBER_DROPS = "biber cannot read it"
_CITE_FAILS = "`\\cite` fails on it"


def is_control(ch: str) -> bool:
    """A control character (white space aside, which the parser never puts in a
    key or a name)."""
    return ch < " " or ch == "\x7f"


def shown_char(ch: str) -> str:
    """A character as a message names it."""
    return f"the control character U+{ord(ch):04X}" if is_control(ch) else f"`{ch}`"


def printable(text: str) -> str:
    """``text`` for a message, its control characters shown as ``?``."""
    return "".join("?" if is_control(ch) else ch for ch in text)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def key_trouble(key: str) -> str:
    """What is wrong with the characters of a key the parser has read (``contains
    ... : why``); empty when nothing is."""
    if key.isalnum():  # the usual case, decided without looking at each character
        return ""
    found: dict[str, tuple[bool, bool]] = {}
    for ch in key:
        trouble = _KEY_TROUBLE.get(ch)
        if trouble is None and is_control(ch):
            trouble = _CONTROL_TROUBLE
        if trouble is not None:
            found.setdefault(ch, trouble)
    if not found:
        return ""
    chars = _join([shown_char(ch) for ch in found])
    reasons = []
    if any(biber for biber, _ in found.values()):
        reasons.append(BIBER_DROPS)
    if any(cite for _, cite in found.values()):
        reasons.append(_CITE_FAILS)
    return f"contains {chars}: {' and '.join(reasons)}"
