"""What an entry inherits from a `crossref` (or `xdata`) parent.

BibTeX copies every field the child lacks, as it is, one level deep. biblatex's
default rules (``\\DefaultInheritance`` and ``\\DeclareDataInheritance`` in
biblatex.def, facts written down anew) copy every field except a few bookkeeping
ones, and rename titles on the way: a book's `title` becomes an inbook's
`booktitle`, a periodical's becomes an article's `journaltitle`, a multi-volume
work's becomes `maintitle`; short and sorting titles then stay behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")

NOT_INHERITED = frozenset(
    {
        "ids",
        "crossref",
        "xref",
        "xdata",
        "entryset",
        "entrysubtype",
        "execute",
        "label",
        "options",
        "presort",
        "related",
        "relatedoptions",
        "relatedstring",
        "relatedtype",
        "shorthand",
        "shorthandintro",
        "sortkey",
    }
)
_SHORT_TITLES = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle"})
_TITLE_PARTS = ("title", "subtitle", "titleaddon")

_BOOKISH = ("inbook", "bookinbook", "suppbook")
_COLLECTED = ("incollection", "suppcollection")
# (parent, child) -> prefix the parent's title parts take in the child.
_TITLE_PREFIX: dict[tuple[str, str], str] = {
    **{("book", child): "book" for child in _BOOKISH},
    **{("collection", child): "book" for child in _COLLECTED},
    ("reference", "inreference"): "book",
    ("proceedings", "inproceedings"): "book",
    ("periodical", "article"): "journal",
    ("periodical", "suppperiodical"): "journal",
}
_MAIN_CHILDREN = {
    "mvbook": ("book", *_BOOKISH),
    "mvcollection": ("collection", "reference", "inreference", *_COLLECTED),
    "mvreference": ("collection", "reference", "inreference", *_COLLECTED),
    "mvproceedings": ("proceedings", "inproceedings"),
}


def _renames(parent_type: str, child_type: str) -> dict[str, str] | None:
    """How the parent's title parts are renamed for the child; None when they are
    inherited under their own names."""
    if child_type in _MAIN_CHILDREN.get(parent_type, ()):
        return {part: "main" + part for part in _TITLE_PARTS}
    prefix = _TITLE_PREFIX.get((parent_type, child_type))
    if prefix is None:
        return None
    renamed = {part: prefix + part for part in _TITLE_PARTS}
    if prefix == "journal":
        del renamed["titleaddon"]  # biblatex has no journaltitleaddon
    return renamed


def inherit(
    parent: Mapping[str, T], parent_type: str, child_type: str, dialect: str
) -> dict[str, T]:
    """The fields a child of ``child_type`` takes from a parent of ``parent_type``
    with ``parent``'s fields (lower-case names; types after alias resolution), by
    the name they take in the child. The child keeps its own fields over these."""
    if dialect == "bibtex":
        return dict(parent)
    out = {name: value for name, value in parent.items() if name not in NOT_INHERITED}
    renames = _renames(parent_type, child_type)
    if renames is None:
        return out
    for name in (*_TITLE_PARTS, *_SHORT_TITLES):
        out.pop(name, None)
    for name, target in renames.items():
        if name in parent:
            out[target] = parent[name]
    if parent_type in ("book", "mvbook") and child_type in _BOOKISH and "author" in parent:
        out["bookauthor"] = parent["author"]
    return out
