"""What identifies the work an entry cites, for finding the same work entered
twice under different keys: its DOI, and a signature made of its normalised
title, year and first author's family name.

Only literal values count (a field built from `@string` macros is skipped): the
signature must not change with definitions elsewhere in the file.
"""

from __future__ import annotations

import re

from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# Font commands say nothing about the words; other commands are words (\TeX).
_FONT = re.compile(r"\\(?:emph|text(?:it|bf|sc|sf|tt|rm|up|sl)|mbox|em|it|bf|sc|sl|rm|tt)\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_YEAR = re.compile(r"\d{4}")


def literal(field: Field | None) -> str | None:
    """The field's text if it is made of literal pieces only (no macros)."""
    if field is None or field.value is None:
        return None
    pieces = field.value.pieces
    if any(p.kind is K.MACRO for p in pieces):
        return None
    return "".join(p.content for p in pieces)


def normal_doi(text: str) -> str | None:
    """A DOI as compared: without a resolver prefix, lower-cased (DOIs are
    case-insensitive); None if it does not start like one (``10.``)."""
    doi = _DOI_PREFIX.sub("", text.strip()).strip().lower()
    return doi if doi.startswith("10.") and "/" in doi else None


def doi_of(entry: Entry) -> str | None:
    text = literal(entry.field("doi"))
    return normal_doi(text) if text else None


def _words(text: str) -> str:
    """Letters and digits only, lower-cased: braces, backslashes, accents' marks
    and font commands dropped (``The {\\TeX}book`` and ``The TeXbook`` agree)."""
    return _NOT_WORD.sub("", _FONT.sub("", text).lower())


def first_family_name(names: str) -> str:
    """The family name of the first person in a BibTeX name list, as letters and
    digits (``Knuth, Donald E. and ...`` and ``Donald E. Knuth and ...`` alike)."""
    first = _AND.split(names.strip(), maxsplit=1)[0]
    if "," in first:
        family = first.split(",", 1)[0]
    else:
        words = first.replace("{", " ").replace("}", " ").split()
        family = words[-1] if words else ""
        if first.rstrip().endswith("}") and "{" in first:
            family = first[first.rfind("{") :]  # {Corporate Author}
    return _words(family)


def work_of(entry: Entry) -> str | None:
    """``title|year|author`` normalised, or None when any of them is missing."""
    title = literal(entry.field("title"))
    year_text = literal(entry.field("year")) or literal(entry.field("date"))
    names = literal(entry.field("author")) or literal(entry.field("editor"))
    if not title or not year_text or not names:
        return None
    year = _YEAR.search(year_text)
    title_words = _words(title)
    author = first_family_name(names)
    if year is None or not title_words or not author:
        return None
    return f"{title_words}|{year.group()}|{author}"
