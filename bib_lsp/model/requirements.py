"""Entry types, fields and required fields of BibTeX (``plain.bst``) and biblatex.

These tables are facts learned by reading the reference files of TeX Live 2022 (Debian
packages ``texlive-base`` 2022.20230122, ``texlive-bibtex-extra`` 2022.20230122 and
``biber`` 2.18) and written down anew:

* ``plain.bst`` -- "BibTeX standard bibliography style `plain'", version 0.99b
  (8-Dec-10), by Howard Trickey and Oren Patashnik;
* ``blx-dm.def`` -- the default data model of biblatex 3.18b (2022/07/12);
* ``biblatex.def`` -- its ``\\DeclareDriverSourcemap[datatype=bibtex]`` block, which holds
  the entry-type and field aliases applied to ``.bib`` input.  Biber 2.18 carries the same
  map in its ``Biber/biber-tool.conf`` (used by ``biber --tool``), except for
  ``hyphenation -> langid``, which only ``biblatex.def`` has.

``tools/check_requirements.py`` re-derives the tables from an installed TeX Live, runs the
real ``bibtex`` and ``biber`` on entries with no fields, and compares.

Semantics
---------
A :data:`Requirement` is a tuple of lower-case field names; the requirement is met when *any
one* of them is present.  A single-element tuple is a plain required field.

BibTeX requirements are the fields whose absence makes ``plain.bst`` print
``Warning--empty X in KEY``, for an entry without ``crossref`` (with a ``crossref``,
``plain.bst`` skips some checks: article's journal and year, the publisher of book and
inbook, the booktitle/publisher/year of incollection and inproceedings).  A warning that
names two fields, ``empty X and Y in KEY``, is one requirement with two alternatives.  They
are listed in the order in which ``plain.bst`` checks them.  Not requirements, and so not
in the table: ``to sort, need author or key in KEY`` (and its editor/organization variants,
from the ``*.sort`` functions), ``there's a month but no year in KEY`` (``format.date``;
with a month present, plain.bst does not say ``empty year``), ``can't use both author and
editor fields`` (``either.or.check``) and misc's ``all relevant fields are empty``, which
``empty.misc.check`` only issues when ``key`` is *present*.

biblatex requirements are the ``\\constraint[type=mandatory]`` blocks of ``blx-dm.def``.  A
``\\constraintfieldsor`` or ``\\constraintfieldsxor`` group is one requirement with
alternatives; the only xor group, ``("date", "year")``, also forbids giving both (see
:data:`BIBLATEX_XOR_REQUIREMENTS`).  The type's own constraints come first, in file order,
followed by the date/year requirement that one shared block imposes on 25 types.  Note
that ``thesis`` and ``report`` require ``type``: the aliases ``mastersthesis``,
``phdthesis`` and ``techreport`` fill it in (:data:`BIBLATEX_TYPE_ALIAS_FIELDS`).

biblatex field kinds
--------------------
:data:`BIBLATEX_FIELD_TYPES` maps each field to the ``datatype=`` word of its
``\\DeclareDatamodelFields`` declaration: ``literal``, ``name``, ``key``, ``entrykey``,
``integer``, ``range``, ``date``, ``verbatim``, ``uri``, ``keyword``, ``option`` or
``code``.  The data model's other axis, ``type=field`` versus ``type=list`` (an
``and``-separated list), is kept in :data:`BIBLATEX_LIST_FIELDS`; every ``name`` field is
a list.  Declaring a ``date`` field (``date``, ``eventdate``, ``origdate``, ``urldate``)
also declares its date parts (``year``, ``month``, ..., ``eventyear``, ``urlendday``...)
with the datatype ``datepart``; they are included.

Dialect detection
-----------------
:data:`BIBLATEX_ONLY_TYPES` and :data:`BIBLATEX_ONLY_FIELDS` are meant to recognise a file
written for biblatex.  The types are exactly the biblatex types that are neither
``plain.bst`` types nor BibTeX aliases.  The fields also leave out
:data:`COMMON_BIBTEX_EXTRA_FIELDS`: fields that biblatex declares but that BibTeX files
routinely carry too, because common BibTeX styles (plainnat, IEEEtran...) read them or
common BibTeX exporters (Zotero, JabRef, Mendeley, arXiv, DBLP...) write them.
"""

from __future__ import annotations

Requirement = tuple[str, ...]
"""Alternatives: the requirement is met when any one of these fields is present."""

# --------------------------------------------------------------------------------------------
# BibTeX: plain.bst
# --------------------------------------------------------------------------------------------

# plain.bst: the `FUNCTION {article}` ... `FUNCTION {unpublished}` entry-type functions, and
# `FUNCTION {conference} { inproceedings }`; each `"X" output.check` call warns "empty X in KEY".
BIBTEX_REQUIRED: dict[str, tuple[Requirement, ...]] = {
    "article": (("author",), ("title",), ("journal",), ("year",)),
    "book": (("author", "editor"), ("title",), ("publisher",), ("year",)),
    "booklet": (("title",),),
    "conference": (("author",), ("title",), ("booktitle",), ("year",)),
    "inbook": (
        ("author", "editor"),
        ("title",),
        ("chapter", "pages"),
        ("publisher",),
        ("year",),
    ),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year",)),
    "inproceedings": (("author",), ("title",), ("booktitle",), ("year",)),
    "manual": (("title",),),
    "mastersthesis": (("author",), ("title",), ("school",), ("year",)),
    "misc": (),
    "phdthesis": (("author",), ("title",), ("school",), ("year",)),
    "proceedings": (("title",), ("year",)),
    "techreport": (("author",), ("title",), ("institution",), ("year",)),
    "unpublished": (("author",), ("title",), ("note",)),
}

# plain.bst: every `FUNCTION {name}` that `call.type$` dispatches to (the functions above);
# `default.type` (misc) is the fallback for unknown types, not a type of its own.
BIBTEX_TYPES: frozenset[str] = frozenset(BIBTEX_REQUIRED)

# plain.bst: the field list of its `ENTRY { ... }` command, plus `crossref`, which BibTeX
# itself always reads (`key` is already in the ENTRY list).
BIBTEX_FIELDS: frozenset[str] = frozenset(
    {
        "address",
        "author",
        "booktitle",
        "chapter",
        "crossref",
        "edition",
        "editor",
        "howpublished",
        "institution",
        "journal",
        "key",
        "month",
        "note",
        "number",
        "organization",
        "pages",
        "publisher",
        "school",
        "series",
        "title",
        "type",
        "volume",
        "year",
    }
)

# --------------------------------------------------------------------------------------------
# biblatex: blx-dm.def (default data model)
# --------------------------------------------------------------------------------------------

# blx-dm.def: `\DeclareDatamodelFields[type=..., datatype=...]{...}`, one group per
# declaration, in file order: (datatype, declared with type=list, field names).
_FIELD_DECLARATIONS: tuple[tuple[str, bool, tuple[str, ...]], ...] = (
    ("integer", False, ("sortyear", "volume", "volumes")),
    (
        "literal",
        False,
        (
            "abstract",
            "addendum",
            "annotation",
            "booksubtitle",
            "booktitle",
            "booktitleaddon",
            "chapter",
            "edition",
            "eid",
            "entrysubtype",
            "eprintclass",
            "eprinttype",
            "eventtitle",
            "eventtitleaddon",
            "gender",
            "howpublished",
            "indexsorttitle",
            "indextitle",
            "isan",
            "isbn",
            "ismn",
            "isrn",
            "issn",
            "issue",
            "issuesubtitle",
            "issuetitle",
            "issuetitleaddon",
            "iswc",
            "journalsubtitle",
            "journaltitle",
            "journaltitleaddon",
            "label",
            "langid",
            "langidopts",
            "library",
            "mainsubtitle",
            "maintitle",
            "maintitleaddon",
            "nameaddon",
            "note",
            "number",
            "origtitle",
            "pagetotal",
            "part",
            "relatedstring",
            "relatedtype",
            "reprinttitle",
            "series",
            "shorthandintro",
            "subtitle",
            "title",
            "titleaddon",
            "usera",
            "userb",
            "userc",
            "userd",
            "usere",
            "userf",
            "venue",
            "version",
        ),
    ),
    ("literal", False, ("shorthand", "shortjournal", "shortseries", "shorttitle")),  # label
    ("literal", False, ("sorttitle", "sortshorthand", "sortkey", "presort")),  # skipout
    (
        "literal",
        True,
        (
            "institution",
            "lista",
            "listb",
            "listc",
            "listd",
            "liste",
            "listf",
            "location",
            "organization",
            "origlocation",
            "origpublisher",
            "publisher",
        ),
    ),
    (
        "name",
        True,
        (
            "afterword",
            "annotator",
            "author",
            "bookauthor",
            "commentator",
            "editor",
            "editora",
            "editorb",
            "editorc",
            "foreword",
            "holder",
            "introduction",
            "namea",
            "nameb",
            "namec",
            "translator",
        ),
    ),
    ("name", True, ("shortauthor", "shorteditor")),  # label
    ("name", True, ("sortname",)),  # skipout
    (
        "key",
        False,
        (
            "authortype",
            "editoratype",
            "editorbtype",
            "editorctype",
            "editortype",
            "bookpagination",
            "nameatype",
            "namebtype",
            "namectype",
            "pagination",
            "pubstate",
            "type",
        ),
    ),
    ("key", True, ("language", "origlanguage")),
    ("entrykey", False, ("crossref", "xref")),
    ("date", False, ("date", "eventdate", "origdate", "urldate")),  # skipout
    ("verbatim", False, ("doi", "eprint", "file", "verba", "verbb", "verbc")),
    ("uri", False, ("url",)),
    ("entrykey", False, ("xdata", "ids", "entryset")),  # format=xsv, skipout
    ("entrykey", False, ("related",)),  # format=xsv
    ("keyword", False, ("keywords",)),  # format=xsv
    ("option", False, ("options", "relatedoptions")),  # format=xsv, skipout
    ("range", False, ("pages",)),
    ("code", False, ("execute",)),
)

# blx-dm.def: `\blx@nullokdateparts` and `\blx@notnulldateparts`; `\DeclareDatamodelFields`
# declares "<prefix><part>" (datatype=datepart) for each date field "<prefix>date".
_DATE_PARTS: tuple[str, ...] = (
    "year",
    "endyear",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "timezone",
    "yeardivision",
    "endmonth",
    "endday",
    "endhour",
    "endminute",
    "endsecond",
    "endtimezone",
    "endyeardivision",
)


def _field_types() -> dict[str, str]:
    types: dict[str, str] = {}
    for datatype, _is_list, names in _FIELD_DECLARATIONS:
        for name in names:
            types[name] = datatype
            if datatype == "date":
                prefix = name.removesuffix("date")
                for part in _DATE_PARTS:
                    types[prefix + part] = "datepart"
    return types


# blx-dm.def: `\DeclareDatamodelFields` (datatype= of each declaration; date parts implied).
BIBLATEX_FIELD_TYPES: dict[str, str] = _field_types()

# blx-dm.def: the fields of the `\DeclareDatamodelFields[type=list, ...]` declarations.
BIBLATEX_LIST_FIELDS: frozenset[str] = frozenset(
    name for _datatype, is_list, names in _FIELD_DECLARATIONS if is_list for name in names
)

# blx-dm.def: every field that `\DeclareDatamodelFields` declares (including date parts).
BIBLATEX_FIELDS: frozenset[str] = frozenset(BIBLATEX_FIELD_TYPES)

_DATE: Requirement = ("date", "year")

# blx-dm.def: `\DeclareDatamodelConstraints[types]{\constraint[type=mandatory]{...}}`; every
# type of `\DeclareDatamodelEntrytypes` is a key (() when it has no mandatory constraint).
BIBLATEX_REQUIRED: dict[str, tuple[Requirement, ...]] = {
    "article": (("author",), ("journaltitle",), ("title",), _DATE),
    "artwork": (),
    "audio": (),
    "bibnote": (),
    "book": (("author",), ("title",), _DATE),
    "bookinbook": (("author",), ("title",), ("booktitle",), _DATE),
    "booklet": (("author", "editor"), ("title",), _DATE),
    "collection": (("editor",), ("title",), _DATE),
    "commentary": (),
    "customa": (),
    "customb": (),
    "customc": (),
    "customd": (),
    "custome": (),
    "customf": (),
    "dataset": (("title",),),
    "image": (),
    "inbook": (("author",), ("title",), ("booktitle",), _DATE),
    "incollection": (("author",), ("editor",), ("title",), ("booktitle",), _DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _DATE),
    "inreference": (("author",), ("editor",), ("title",), ("booktitle",), _DATE),
    "jurisdiction": (),
    "legal": (),
    "legislation": (),
    "letter": (),
    "manual": (("title",), _DATE),
    "misc": (("title",), _DATE),
    "movie": (),
    "music": (),
    "mvbook": (("author",), ("title",), _DATE),
    "mvcollection": (("editor",), ("title",), _DATE),
    "mvproceedings": (("title",),),
    "mvreference": (("editor",), ("title",)),
    "online": (("title",), ("url", "doi", "eprint"), _DATE),
    "patent": (("author",), ("title",), ("number",), _DATE),
    "performance": (),
    "periodical": (("editor",), ("title",), _DATE),
    "proceedings": (("title",), _DATE),
    "reference": (("editor",), ("title",), _DATE),
    "report": (("author",), ("title",), ("type",), ("institution",), _DATE),
    "review": (),
    "set": (("entryset",), _DATE),
    "software": (("title",),),
    "standard": (),
    "suppbook": (("author",), ("title",), ("booktitle",), _DATE),
    "suppcollection": (("author",), ("editor",), ("title",), ("booktitle",), _DATE),
    "suppperiodical": (_DATE,),
    "thesis": (("author",), ("title",), ("type",), ("institution",), _DATE),
    "unpublished": (("author",), ("title",), _DATE),
    "video": (),
    "xdata": (),  # declared with [skipout]
}

# blx-dm.def: the `\constraintfieldsxor` groups (one of the fields, but not several).
BIBLATEX_XOR_REQUIREMENTS: frozenset[Requirement] = frozenset({_DATE})

# blx-dm.def: every type of `\DeclareDatamodelEntrytypes{...}` and `[skipout]{xdata}`; the
# alias targets below are all among them.
BIBLATEX_TYPES: frozenset[str] = frozenset(BIBLATEX_REQUIRED)

# biblatex.def `\DeclareDriverSourcemap[datatype=bibtex]` (= biber-tool.conf <sourcemap>):
# the `\step[typesource=X, typetarget=Y]` steps.
BIBLATEX_TYPE_ALIASES: dict[str, str] = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
}

# Same source: the `\step[fieldset=F, fieldvalue=V]` that follows a type alias.
BIBLATEX_TYPE_ALIAS_FIELDS: dict[str, dict[str, str]] = {
    "mastersthesis": {"type": "mathesis"},
    "phdthesis": {"type": "phdthesis"},
    "techreport": {"type": "techreport"},
}

# Same source: the `\step[fieldsource=X, fieldtarget=Y]` steps (`hyphenation` is only in
# biblatex.def, not in biber-tool.conf).  The same block also drops any `day` field.
BIBLATEX_FIELD_ALIASES: dict[str, str] = {
    "hyphenation": "langid",
    "address": "location",
    "school": "institution",
    "annote": "annotation",
    "archiveprefix": "eprinttype",
    "journal": "journaltitle",
    "primaryclass": "eprintclass",
    "key": "sortkey",
    "pdf": "file",
}

# --------------------------------------------------------------------------------------------
# Dialect signals (derived)
# --------------------------------------------------------------------------------------------

# Fields in the biblatex data model that are nevertheless common in BibTeX files; they say
# nothing about the dialect.  `day` is here because biblatex's BibTeX driver map discards it;
# `version` because GitHub's "Cite this repository" BibTeX (`@software`) carries it.
COMMON_BIBTEX_EXTRA_FIELDS: frozenset[str] = frozenset(
    {
        "abstract",
        "day",
        "doi",
        "eid",
        "eprint",
        "file",
        "isbn",
        "issn",
        "keywords",
        "language",
        "shorttitle",
        "translator",
        "url",
        "urldate",
        "version",
    }
)

# Types in the biblatex data model that BibTeX files use too: GitHub's "Cite this
# repository" writes `@software`; IEEEtran.bst has `@patent`, `@periodical`, `@standard`.
COMMON_BIBTEX_EXTRA_TYPES: frozenset[str] = frozenset(
    {"patent", "periodical", "software", "standard"}
)

# BIBLATEX_TYPES minus BIBTEX_TYPES, the keys of BIBLATEX_TYPE_ALIASES and
# COMMON_BIBTEX_EXTRA_TYPES.
BIBLATEX_ONLY_TYPES: frozenset[str] = BIBLATEX_TYPES.difference(
    BIBTEX_TYPES, BIBLATEX_TYPE_ALIASES, COMMON_BIBTEX_EXTRA_TYPES
)

# BIBLATEX_FIELDS minus BIBTEX_FIELDS, legacy alias keys and COMMON_BIBTEX_EXTRA_FIELDS.
BIBLATEX_ONLY_FIELDS: frozenset[str] = BIBLATEX_FIELDS.difference(
    BIBTEX_FIELDS, BIBLATEX_FIELD_ALIASES, COMMON_BIBTEX_EXTRA_FIELDS
)
