"""Descriptions of BibTeX fields and entry types, for hover text and completion.

The facts come from ``plain.bst`` 0.99b (the entry-type functions and the formatting
functions they call) and from BibTeX's own documentation, which lists the required and
optional fields of every standard type; the descriptions are written anew for this project.

Fields
------
:data:`FIELDS` covers :data:`~bib_lsp.model.requirements.BIBTEX_FIELDS` (the fields that
``plain.bst`` reads, plus ``crossref``) and
:data:`~bib_lsp.model.requirements.COMMON_BIBTEX_EXTRA_FIELDS` (fields BibTeX users often
write although ``plain.bst`` ignores them; every such description says so).

A field's ``kind`` is one of :data:`KINDS`.  BibTeX itself treats every field value as
text; the kind says what the value is *expected* to look like, so that an editor can offer
suitable help:

* ``"name list"`` -- names separated by ``and`` (author, editor, translator);
* ``"literal"`` -- free text that a style prints (possibly after changing its case);
* ``"integer"`` -- normally a whole number (year, volume, day), though BibTeX accepts any
  text;
* ``"range"`` -- a page or page range (``12--34``);
* ``"month"`` -- a month, best given as one of the macros ``jan`` ... ``dec``;
* ``"entry key"`` -- the citation key of another entry (crossref);
* ``"URI"`` -- a web address (url);
* ``"verbatim"`` -- an identifier or path that must not be altered (doi, eprint, file);
* ``"date"`` -- a calendar date, ``YYYY-MM-DD`` (urldate);
* ``"keyword list"`` -- comma-separated keywords.

The ``key`` *field* is ``"literal"``: it is text that ``plain.bst`` uses for sorting,
labels and cross-references when author information is missing, not an entry key.

Entry types
-----------
:data:`TYPES` covers :data:`~bib_lsp.model.requirements.BIBTEX_TYPES` and
:data:`~bib_lsp.model.requirements.COMMON_BIBTEX_EXTRA_TYPES`.

* ``required`` is :data:`~bib_lsp.model.requirements.BIBTEX_REQUIRED` for the type.  The
  extra types are not in ``plain.bst``, which formats them with its ``misc`` function, so
  their ``required`` is misc's: nothing.
* ``optional`` for a standard type is the list in BibTeX's documentation, every field of
  which the type's ``plain.bst`` function reads (directly or through the functions it
  calls), followed by ``key`` (optional for every type, and read by ``plain.bst``'s sort
  functions) and ``crossref`` (handled by BibTeX itself for every type).  Fields that are
  alternatives of a requirement (``author``/``editor`` of book and inbook,
  ``chapter``/``pages`` of inbook) are not repeated.  The documentation lists
  ``volume or number`` for several types: ``plain.bst`` warns when both are given; both
  appear here.
* ``optional`` for an extra type is a suggestion, not a ``plain.bst`` fact: the fields that
  misc prints (author, title, howpublished, month, year, note), plus fields from
  :data:`FIELDS` that naturally describe such a work (patent number, software version...).
"""

from __future__ import annotations

from typing import Final

from bib_lsp.model.catalogue_types import FieldInfo, TypeInfo
from bib_lsp.model.requirements import BIBTEX_REQUIRED

NAME_LIST: Final = "name list"
LITERAL: Final = "literal"
INTEGER: Final = "integer"
RANGE: Final = "range"
MONTH: Final = "month"
ENTRY_KEY: Final = "entry key"
URI: Final = "URI"
VERBATIM: Final = "verbatim"
DATE: Final = "date"
KEYWORD_LIST: Final = "keyword list"

KINDS: frozenset[str] = frozenset(
    {NAME_LIST, LITERAL, INTEGER, RANGE, MONTH, ENTRY_KEY, URI, VERBATIM, DATE, KEYWORD_LIST}
)
"""Every value of :attr:`FieldInfo.kind` used in :data:`FIELDS`."""

_FIELDS: tuple[tuple[str, str, str], ...] = (
    # --- read by plain.bst (its ENTRY list), plus crossref ---------------------------------
    ("address", LITERAL, "Place of publication, usually the city of the publisher or institution."),
    ("author", NAME_LIST, "The people who wrote the work, as names joined by 'and'."),
    ("booktitle", LITERAL, "Title of the book or proceedings volume that contains the cited part."),
    ("chapter", LITERAL, "Number of a chapter (or other division) of a book."),
    ("crossref", ENTRY_KEY, "Key of a parent entry from which missing fields are inherited."),
    ("edition", LITERAL, "Edition as an ordinal word, e.g. 'Second'; plain.bst adds 'edition'."),
    ("editor", NAME_LIST, "Editors of the work or of the volume containing it, joined by 'and'."),
    ("howpublished", LITERAL, "How an unusually published work was issued or made available."),
    ("institution", LITERAL, "The institution that issued a technical report."),
    ("journal", LITERAL, "Name of the journal or magazine in which an article appeared."),
    ("key", LITERAL, "Fallback text for sorting and labels when no author or editor is given."),
    ("month", MONTH, "Month of publication; best written as a macro such as jan, feb, ..., dec."),
    ("note", LITERAL, "Any further information, printed at the end of the reference."),
    ("number", LITERAL, "Issue of a journal, number of a report, or number of a book in a series."),
    ("organization", LITERAL, "Body that sponsors a conference or publishes a manual."),
    ("pages", RANGE, "Page or page range, e.g. 12--34; plain.bst turns a lone '-' into '--'."),
    ("publisher", LITERAL, "Name of the publisher."),
    ("school", LITERAL, "The university or school at which a thesis was written."),
    ("series", LITERAL, "Name of the series or multi-volume set to which a book belongs."),
    ("title", LITERAL, "Title of the work."),
    ("type", LITERAL, "Overrides the printed kind of work, e.g. 'Research Note' for a report."),
    ("volume", INTEGER, "Volume of a journal, or of a book within a multi-volume set."),
    ("year", INTEGER, "Year of publication (for unpublished work, the year it was written)."),
    # --- common extras: ignored by plain.bst ------------------------------------------------
    ("abstract", LITERAL, "Summary of the work's content; ignored by plain.bst."),
    ("day", INTEGER, "Day of the month of publication; ignored by plain.bst."),
    ("doi", VERBATIM, "Digital Object Identifier such as 10.1000/xyz; ignored by plain.bst."),
    ("eid", LITERAL, "Electronic article number used instead of pages; ignored by plain.bst."),
    ("eprint", VERBATIM, "Identifier in a preprint archive such as arXiv; ignored by plain.bst."),
    ("file", VERBATIM, "Path to a local copy saved by a reference manager; ignored by plain.bst."),
    ("isbn", LITERAL, "International Standard Book Number; ignored by plain.bst."),
    ("issn", LITERAL, "International Standard Serial Number of a journal; ignored by plain.bst."),
    ("keywords", KEYWORD_LIST, "Comma-separated keywords for searching; ignored by plain.bst."),
    ("language", LITERAL, "Language in which the work is written; ignored by plain.bst."),
    ("shorttitle", LITERAL, "Abbreviated form of the title; ignored by plain.bst."),
    ("translator", NAME_LIST, "Translators of the work, joined by 'and'; ignored by plain.bst."),
    ("url", URI, "Web address at which the work can be found; ignored by plain.bst."),
    ("urldate", DATE, "Date the web address was last visited (YYYY-MM-DD); ignored by plain.bst."),
    ("version", LITERAL, "Version or release of software or a document; ignored by plain.bst."),
)

FIELDS: dict[str, FieldInfo] = {
    name: FieldInfo(name, kind, description) for name, kind, description in _FIELDS
}
"""Every field of ``BIBTEX_FIELDS`` and ``COMMON_BIBTEX_EXTRA_FIELDS``, by name."""

# Optional for every type: `key` (BibTeX's documentation; read by plain.bst's sort and label
# functions) and `crossref` (resolved by BibTeX itself, whatever the type).
_EVERY_TYPE: tuple[str, ...] = ("key", "crossref")

# Fields that plain.bst's misc function prints: what the extra types get from plain.bst.
_MISC: tuple[str, ...] = ("author", "title", "howpublished", "month", "year", "note")

# (type, description, optional fields before _EVERY_TYPE).  Standard types: BibTeX's
# documentation, in its order; each field is read by the type's function in plain.bst.
# @conference is @inproceedings under its old name: the same optional fields.
_PROCEEDINGS_PAPER = (
    "editor",
    "volume",
    "number",
    "series",
    "pages",
    "address",
    "month",
    "organization",
    "publisher",
    "note",
)
_TYPES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "article",
        "An article published in a journal or magazine.",
        ("volume", "number", "pages", "month", "note"),
    ),
    (
        "book",
        "A book with a named publisher.",
        ("volume", "number", "series", "address", "edition", "month", "note"),
    ),
    (
        "booklet",
        "A printed and bound work with no named publisher or sponsoring institution.",
        ("author", "howpublished", "address", "month", "year", "note"),
    ),
    (
        "conference",
        "Old name for @inproceedings, kept for Scribe compatibility; formatted identically.",
        _PROCEEDINGS_PAPER,
    ),
    (
        "inbook",
        "An untitled part of a book: a chapter, section or range of pages.",
        ("volume", "number", "series", "type", "address", "edition", "month", "note"),
    ),
    (
        "incollection",
        "A part of a book with its own title, e.g. a contributed chapter in an edited volume.",
        (
            "editor",
            "volume",
            "number",
            "series",
            "type",
            "chapter",
            "pages",
            "address",
            "edition",
            "month",
            "note",
        ),
    ),
    (
        "inproceedings",
        "A paper published in the proceedings of a conference.",
        _PROCEEDINGS_PAPER,
    ),
    (
        "manual",
        "Technical documentation, such as a user guide or reference manual.",
        ("author", "organization", "address", "edition", "month", "year", "note"),
    ),
    (
        "mastersthesis",
        "A thesis written for a Master's degree.",
        ("type", "address", "month", "note"),
    ),
    (
        "misc",
        "A work that suits no other type; plain.bst also uses it for unknown types.",
        ("author", "title", "howpublished", "month", "year", "note"),
    ),
    (
        "phdthesis",
        "A thesis written for a doctoral (PhD) degree.",
        ("type", "address", "month", "note"),
    ),
    (
        "proceedings",
        "The proceedings of a conference, cited as a whole volume.",
        (
            "editor",
            "volume",
            "number",
            "series",
            "address",
            "month",
            "organization",
            "publisher",
            "note",
        ),
    ),
    (
        "techreport",
        "A report issued by a school or other institution, often numbered in a series.",
        ("type", "number", "address", "month", "note"),
    ),
    (
        "unpublished",
        "A document with an author and title that has not been formally published.",
        ("month", "year"),
    ),
    # --- common extras: not in plain.bst, which formats them as @misc -------------------------
    (
        "patent",
        "A patent; plain.bst formats it as @misc (IEEEtran.bst has a patent type).",
        (*_MISC, "number", "type", "address", "day", "url"),
    ),
    (
        "periodical",
        "A whole issue of a journal or magazine; plain.bst formats it as @misc.",
        (
            "editor",
            "title",
            "series",
            "volume",
            "number",
            "organization",
            "publisher",
            "issn",
            "howpublished",
            "month",
            "year",
            "note",
            "url",
        ),
    ),
    (
        "software",
        "A piece of software, as in GitHub's 'Cite this repository'; plain.bst uses @misc.",
        (*_MISC, "version", "publisher", "doi", "url"),
    ),
    (
        "standard",
        "A technical standard from a standards body; plain.bst formats it as @misc.",
        (*_MISC, "organization", "institution", "type", "number", "publisher", "address", "url"),
    ),
)

TYPES: dict[str, TypeInfo] = {
    name: TypeInfo(
        name,
        description,
        BIBTEX_REQUIRED.get(name, BIBTEX_REQUIRED["misc"]),
        (*optional, *_EVERY_TYPE),
    )
    for name, description, optional in _TYPES
}
"""Every entry type of ``BIBTEX_TYPES`` and ``COMMON_BIBTEX_EXTRA_TYPES``, by name."""
