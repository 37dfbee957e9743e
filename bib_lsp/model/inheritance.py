"""What an entry inherits from a `crossref` (or `xdata`) parent.

BibTeX copies every field the child lacks, as it is, one level deep. In a biblatex
document biber applies biblatex.def's rules (``catalogue_biblatex_data.INHERITANCE``,
generated from the installed file): every field by default, except bookkeeping ones,
with titles renamed on the way (a collection's `title` becomes an incollection's or
inreference's `booktitle`, a periodical's an article's `journaltitle`, a multi-volume
work's `maintitle`); a field with a rule for the pair of types goes only where its
rules send it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import TypeVar

from bib_lsp.model.catalogue_biblatex_data import INHERITANCE

T = TypeVar("T")


@lru_cache(maxsize=1024)
def field_rules(parent_type: str, child_type: str) -> tuple[tuple[str, str | None], ...]:
    """The (field, its name in the child or None) rules biblatex.def gives for a parent
    of ``parent_type`` and a child of ``child_type``, in the order biber applies them."""
    return tuple(
        rule
        for sources, targets, rules in INHERITANCE
        if (parent_type in sources or "*" in sources) and (child_type in targets or "*" in targets)
        for rule in rules
    )


def inherit(
    parent: Mapping[str, T], parent_type: str, child_type: str, dialect: str
) -> dict[str, T]:
    """The fields a child of ``child_type`` takes from a parent of ``parent_type``
    with ``parent``'s fields (lower-case names; types after alias resolution), by
    the name they take in the child. The child keeps its own fields over these."""
    if dialect == "bibtex":
        return dict(parent)
    out: dict[str, T] = {}
    ruled: set[str] = set()
    for source, target in field_rules(parent_type, child_type):
        if source in parent:
            ruled.add(source)
            if target is not None:
                out.setdefault(target, parent[source])
    for name, value in parent.items():
        if name not in ruled:
            out.setdefault(name, value)
    return out
