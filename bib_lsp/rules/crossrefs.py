"""Cross references: `crossref`, `xdata`, `xref`, `related` and `entryset` pointing
at entries that are not there, a `crossref` parent placed above its child, nested crossrefs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bib_lsp.model.index import spelled as spelled_key
from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, view

DANGLING = "dangling-reference"
BEFORE = "crossref-before-entry"
CHAIN = "crossref-chain"

# The fields whose keys are checked, per dialect (BibTeX knows `crossref` only),
# and whether they hold a list.
REFERENCE_FIELDS = {
    "bibtex": {"crossref": KEY_FIELDS["crossref"]},
    "biblatex": {f: KEY_FIELDS[f] for f in ("crossref", "xref", "xdata", "related", "entryset")},
}


def references(entry: Entry, dialect: str) -> Iterator[tuple[str, str, int, int]]:
    """(field, key, start, end) for each key the entry's reference fields name,
    with the key's own span; values built from macros are skipped."""
    fields = REFERENCE_FIELDS[dialect]
    for f in entry.fields:
        is_list = fields.get(f.name_lower)
        if is_list is None or f.value is None or len(f.value.pieces) != 1:
            continue
        piece = f.value.pieces[0]
        if piece.kind is K.MACRO:
            continue
        content = piece.content
        base = piece.span.start + (len(piece.text) - len(content) > 0)
        parts = content.split(",") if is_list else [content]
        offset = 0
        for part in parts:
            key = part.strip()
            if key:
                at = base + offset + part.index(key)
                yield f.name_lower, key, at, at + len(key)
            offset += len(part) + 1


@entry_rule(DANGLING, Severity.ERROR)
def dangling_reference(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `crossref` (and, for biblatex, `xref`, `xdata`, `related` or a set's
    `entryset`) naming a key that no entry in the file has. Keys are compared as
    the backend compares them: without regard to case in the `bibtex` dialect,
    with regard to it in the `biblatex` dialect (biber does not find `Parent`
    when only `parent` is there).

    Why it matters:
    BibTeX stops with "a bad cross reference" and the entry loses every field it
    meant to inherit; biber warns ("I didn't find a database entry") and drops the
    data, the related entry or the set member. A typo in the key is the usual cause.

    Example:
    ```bibtex
    @inproceedings{doe2020, author = {Jane Doe}, title = {T}, crossref = {tug2002}}
    @proceedings{tug2020, title = {TUG 2020}, year = 2020}
    ```

    How to fix:
    Correct the key, or add the entry it names.
    """
    if entry.kind is not K.ENTRY:
        return []
    severity = RULES[DANGLING].doc.severity
    out = []
    for name, key, start, end in references(entry, context.dialect):
        if context.entry_block(key) is None:
            message = f"`{name}` names `{key}`, but no entry in this file has that key"
            other = context.index.entry_block(key)  # the key in another case (noted)
            spelled = spelled_key(other) if other is not None else None
            if spelled:
                message += f" (`{spelled}` differs in case: biber compares keys with case)"
            out.append(Problem(start, end, DANGLING, message, severity, data={"key": key}))
    return out


@entry_rule(BEFORE, Severity.WARNING)
def crossref_before_entry(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the `bibtex` dialect, an entry whose `crossref` parent stands above it in
    the file.

    Why it matters:
    BibTeX reads the file once, top to bottom, and keeps an uncited entry only if
    a crossref to it was seen earlier. With the parent above the child, citing the
    child alone gives "a bad cross reference" and the child loses the fields it
    inherits. (biber reads the whole file first and does not mind.)

    Example:
    ```bibtex
    @proceedings{tug2020, title = {TUG 2020}, year = 2020, publisher = {TUG}}
    @inproceedings{doe2020, author = {Jane Doe}, title = {T}, crossref = {tug2020}}
    ```

    How to fix:
    Move the parent below every entry that cross-references it (parents usually go
    at the end of the file).
    """
    if entry.kind is not K.ENTRY or context.dialect != "bibtex" or context.block is None:
        return []
    severity = RULES[BEFORE].doc.severity
    out = []
    for _, key, start, end in references(entry, "bibtex"):
        parent = context.entry_block(key)
        if parent is not None and context.precedes(parent, context.block):
            message = (
                f"`{key}` stands above this entry: BibTeX needs a crossref parent"
                " below the entries that refer to it"
            )
            out.append(Problem(start, end, BEFORE, message, severity, data={"key": key}))
    return out


@entry_rule(CHAIN, Severity.WARNING)
def crossref_chain(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the `bibtex` dialect, a `crossref` to an entry that itself has a
    `crossref`.

    Why it matters:
    BibTeX inherits one level only: the grandparent's fields never reach the
    child, and BibTeX warns about the nested cross reference.

    Example:
    ```bibtex
    @inbook{c, author = {A}, chapter = 1, crossref = {b}}
    @book{b, title = {B}, crossref = {a}}
    @book{a, author = {A}, title = {A}, publisher = {P}, year = 2000}
    ```

    How to fix:
    Give the parent the fields itself instead of its own `crossref`, or point the
    child at the entry that has them.
    """
    if entry.kind is not K.ENTRY or context.dialect != "bibtex":
        return []
    severity = RULES[CHAIN].doc.severity
    out = []
    for _, key, start, end in references(entry, "bibtex"):
        parent = context.entry_block(key)
        parent_view = view(parent) if parent is not None else None
        if parent_view is None:
            continue
        grand = parent_view.field("crossref")
        if grand is not None and grand.value is not None:
            message = f"`{key}` has a `crossref` of its own: BibTeX inherits one level only"
            out.append(Problem(start, end, CHAIN, message, severity, data={"key": key}))
    return out
