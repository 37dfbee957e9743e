"""The field pairs that plain.bst refuses to print together (its ``either.or.check``):
author-and-editor, volume-and-number. With another style chosen (``bibtex.style``),
a pair is checked only when that style makes the same ``either.or.check`` call."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import VALUE_BLANK
from bib_lsp.syntax.tree import Problem, Related, Severity
from bib_lsp.syntax.views import Entry, Field, view

AUTHOR_AND_EDITOR = "author-and-editor"
VOLUME_AND_NUMBER = "volume-and-number"

# plain.bst's `book` and `inbook` call `"author and editor" editor either.or.check` when
# the author is not empty and the entry has no `crossref`.
_AUTHOR_AND_EDITOR_TYPES = frozenset({"book", "inbook"})
# plain.bst's `format.bvolume` calls `"volume and number" number either.or.check` when
# the volume is not empty; `book`, `inbook`, `incollection` and `inproceedings` (and
# `conference`) call it only without a `crossref`, `proceedings` always (with the
# fields a `crossref` parent supplies).
_VOLUME_AND_NUMBER_TYPES = frozenset(
    {"book", "inbook", "incollection", "inproceedings", "conference", "proceedings"}
)
_ALWAYS_CHECKED = frozenset({"proceedings"})


@entry_rule(AUTHOR_AND_EDITOR, Severity.WARNING)
def author_and_editor(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the BibTeX dialect, a `@book` or `@inbook` without `crossref` that has both a
    non-empty `author` and a non-empty `editor`: `plain.bst` warns "can't use both
    author and editor fields" for exactly these.

    Why it matters:
    The standard styles print the author and drop the editor, so the editor never
    appears in the bibliography. (biblatex prints both, so the check is BibTeX's
    only.)

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      editor    = {John Roe},
      title     = {On Examples},
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Keep the field that names the people responsible for the whole book. For an
    edited volume with chapters by different authors, cite the chapter as
    `@incollection` with the editors of the book.
    """
    if context.dialect != "bibtex" or entry.kind is not K.ENTRY or entry.damaged:
        return []
    if "author and editor" not in context.style.either_or:
        return []
    if entry.type_lower not in _AUTHOR_AND_EDITOR_TYPES or entry.field("crossref") is not None:
        return []
    pair = _both_given(entry, "author", "editor")
    if pair is None:
        return []
    first, second = pair
    message = (
        f"`@{entry.type}` with both `author` and `editor`: plain.bst prints the author "
        'only ("can\'t use both author and editor fields")'
    )
    return [_pair_problem(AUTHOR_AND_EDITOR, message, first, second)]


@entry_rule(VOLUME_AND_NUMBER, Severity.WARNING)
def volume_and_number(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the BibTeX dialect, an entry with both a non-empty `volume` and a non-empty
    `number` where `plain.bst` formats them as a book's volume or number in a series
    and warns "can't use both volume and number fields": `@book`, `@inbook`,
    `@incollection` and `@inproceedings` (`@conference`) without `crossref`, and
    `@proceedings` always, counting the fields its `crossref` parent supplies. A
    series does not matter, and articles and reports are not concerned: there, volume
    and number belong together.

    Why it matters:
    The standard styles print "volume V of Series" and drop the number, so half of
    what you wrote never appears.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {On Examples},
      series    = {Lecture Notes in Examples},
      volume    = 12,
      number    = 3,
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Keep one of the two: a book in a series has a volume number or a number in the
    series, not both. Put the other in `note` if it matters.
    """
    if context.dialect != "bibtex" or entry.kind is not K.ENTRY or entry.damaged:
        return []
    if "volume and number" not in context.style.either_or:
        return []
    kind = entry.type_lower
    if kind not in _VOLUME_AND_NUMBER_TYPES:
        return []
    crossref = entry.field("crossref")
    if crossref is not None and kind not in _ALWAYS_CHECKED:
        return []
    pair = _both_given(entry, "volume", "number")
    if pair is not None:
        first, second = pair
        message = (
            f"`@{entry.type}` with both `volume` and `number`: plain.bst prints the volume only "
            '("can\'t use both volume and number fields")'
        )
        return [_pair_problem(VOLUME_AND_NUMBER, message, first, second)]
    if crossref is None or crossref.value is None:
        return []
    # BibTeX fills in the fields that the entry lacks from its crossref parent.
    volume, number = entry.field("volume"), entry.field("number")
    if volume is None and number is not None and not _bibtex_empty(number):
        given, absent = number, "volume"
    elif number is None and volume is not None and not _bibtex_empty(volume):
        given, absent = volume, "number"
    else:
        return []
    key = "".join(p.content for p in crossref.value.pieces).strip()
    parent_block = context.entry_block(key) if key else None
    parent = view(parent_block) if parent_block is not None else None
    if parent is None or parent.kind is not K.ENTRY:
        return []
    inherited = parent.field(absent)
    if inherited is None or _bibtex_empty(inherited):
        return []
    message = (
        f"`@{entry.type}` with both `volume` and `number` (`{absent}` from `{key}` through "
        "`crossref`): "
        'plain.bst prints the volume only ("can\'t use both volume and number fields")'
    )
    severity = RULES[VOLUME_AND_NUMBER].doc.severity
    span = given.name_span
    return [Problem(span.start, span.end, VOLUME_AND_NUMBER, message, severity)]


def _both_given(entry: Entry, a: str, b: str) -> tuple[Field, Field] | None:
    """The two fields in text order, when BibTeX sees both non-empty (it reads the
    first of a repeated field)."""
    fa, fb = entry.field(a), entry.field(b)
    if fa is None or fb is None or _bibtex_empty(fa) or _bibtex_empty(fb):
        return None
    return (fa, fb) if fa.span.start < fb.span.start else (fb, fa)


def _bibtex_empty(f: Field) -> bool:
    """BibTeX's `empty$`: no value, or only white space (a macro counts as given)."""
    if f.value is None:
        return True
    for p in f.value.pieces:
        if p.kind not in (K.BRACED, K.QUOTED) or p.content.strip(VALUE_BLANK):
            return False
    return True


def _pair_problem(code: str, message: str, first: Field, second: Field) -> Problem:
    span = second.name_span
    related = (
        Related(first.name_span.start, first.name_span.end, f"`{first.name}` is given here"),
    )
    severity = RULES[code].doc.severity
    return Problem(span.start, span.end, code, message, severity, related)
