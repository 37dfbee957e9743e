"""Crossref inheritance in the biblatex dialect is biblatex.def's, as biber applies it
in a document: checked against biber's own .bbl and its missing-field warnings."""

from __future__ import annotations

import re

from bib_lsp.model.catalogue_biblatex_data import INHERITANCE
from bib_lsp.model.inheritance import inherit
from tests.backends import biber_document, biber_warnings, needs_biber_document
from tests.rules.helpers import found

# The fields whose fate differs between the rules: titles and their parts, short
# titles, and the author who becomes a bookauthor.
WATCHED = frozenset(
    {
        *(
            prefix + part
            for prefix in ("", "book", "main", "journal")
            for part in ("title", "subtitle", "titleaddon")
        ),
        "shorttitle",
        "author",
        "bookauthor",
    }
)

PARENT_FIELDS = {
    "title": "{PT}",
    "subtitle": "{PS}",
    "titleaddon": "{PA}",
    "shorttitle": "{PShort}",
    "author": "{Parent, Ann}",
}

# Every pair a rule names, and pairs no rule names (inherited under their own names).
PAIRS = sorted(
    {
        (source, target)
        for sources, targets, _ in INHERITANCE
        for source in sources
        for target in targets
        if "*" not in (source, target)
    }
    | {("book", "article"), ("collection", "book"), ("periodical", "inproceedings")}
)


def bbl_fields(bbl: str, key: str) -> set[str]:
    """The data fields and name lists biber wrote for entry ``key``."""
    body = bbl.split("\\entry{" + key + "}", 1)[1].split("\\endentry", 1)[0]
    return set(re.findall(r"\\(?:field|name|list)\{([a-z]+)\}", body))


@needs_biber_document
def test_inherited_fields_are_the_ones_biber_gives() -> None:
    parents = "".join(
        f"@{parent}{{p-{parent}-{child}, "
        + ", ".join(f"{name} = {value}" for name, value in PARENT_FIELDS.items())
        + ", date = {2000}}\n"
        for parent, child in PAIRS
    )
    children = "".join(
        f"@{child}{{c-{parent}-{child}, crossref = {{p-{parent}-{child}}}}}\n"
        for parent, child in PAIRS
    )
    _warnings, bbl = biber_document(children + parents)
    for parent, child in PAIRS:
        ours = set(inherit(dict.fromkeys(PARENT_FIELDS, True), parent, child, "biblatex"))
        biber = bbl_fields(bbl, f"c-{parent}-{child}")
        assert ours & WATCHED == biber & WATCHED, (parent, child)


def test_a_collections_title_is_an_inreferences_booktitle() -> None:
    given = {"title": 1, "titleaddon": 2, "editor": 3}
    for child in ("incollection", "inreference", "suppcollection"):
        for parent in ("collection", "reference"):
            got = inherit(given, parent, child, "biblatex")
            assert got == {"booktitle": 1, "booktitleaddon": 2, "editor": 3}, (parent, child)
    assert inherit({"titleaddon": 1}, "periodical", "article", "biblatex") == {
        "journaltitleaddon": 1
    }
    assert inherit({"title": 1}, "collection", "inreference", "bibtex") == {"title": 1}


COLLECTION = (
    "@collection{coll, editor = {Ed, A.}, title = {C}, date = {2000}}\n"
    "@inreference{child, author = {Au, B.}, crossref = {coll}}\n"
)


def test_missing_fields_of_a_child_are_the_ones_biber_names() -> None:
    problems = found(COLLECTION, "missing-required-field", "biblatex")
    assert [(COLLECTION[p.start : p.end], p.data["fields"]) for p in problems] == [
        ("child", ["title"])
    ]


@needs_biber_document
def test_biber_names_the_same_missing_field() -> None:
    log = "\n".join(biber_warnings(COLLECTION))
    assert re.findall(r"Entry '(\w+)' .*Missing mandatory field '(\w+)'", log) == [
        ("child", "title")
    ]
