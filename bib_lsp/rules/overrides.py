"""Fields biber reads and then drops because another field of the entry says the
same thing: `year` and `month` under a `date` (date-overrides-year), a legacy
BibTeX name beside its biblatex name (legacy-field-dropped). The `biblatex` dialect
only: BibTeX knows neither `date` nor the biblatex names."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bib_lsp.model.macros import MONTH_NUMBERS
from bib_lsp.model.requirements import BIBLATEX_FIELD_ALIASES
from bib_lsp.model.values import check_date
from bib_lsp.model.works import literal
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Related, Severity
from bib_lsp.syntax.views import Entry, Field

DATE_OVERRIDES = "date-overrides-year"
LEGACY_DROPPED = "legacy-field-dropped"

_START = re.compile(r"\s*(-?\d{4})(?:-(\d{2}))?")


@entry_rule(DATE_OVERRIDES, Severity.WARNING)
def date_overrides_year(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the `biblatex` dialect, an entry with both `date` and `year` whose years
    differ, or with `month` beside a `date` that has a month, when the months
    differ (the start of a range counts).

    Why it matters:
    biber takes the year and month from `date` and drops `year` and `month`,
    warning "Overwriting field 'year' with year value from field 'date'": the
    `year` you see in the file is not the year printed.

    Example:
    ```bibtex
    @article{doe2020, author = {Doe, Jane}, title = {On Examples},
      journaltitle = {Journal of Examples}, date = {2020-05-04}, year = {2019}}
    ```

    How to fix:
    Keep the date that is right in `date` and remove `year` and `month` (the
    quick fix removes the field biber drops).
    """
    if context.dialect != "biblatex" or entry.kind is not K.ENTRY or entry.damaged:
        return []
    date = entry.field("date")
    text = literal(date)
    if date is None or text is None or not text.strip() or check_date(text) is not None:
        return []
    m = _START.match(text.partition("/")[0])
    if m is None:
        return []
    out = []
    for name, given in (("year", int(m[1])), ("month", int(m[2]) if m[2] else None)):
        f = entry.field(name)
        value = _number(f) if f is not None else None
        if f is None or given is None or value is None or value == given:
            continue
        message = (
            f"`{f.name}` {value} differs from the {name} of `date` ({given}): biber"
            f" takes the {name} from `date` and drops `{f.name}`"
        )
        out.append(_dropping(DATE_OVERRIDES, message, f, date))
    return out


@entry_rule(LEGACY_DROPPED, Severity.WARNING)
def legacy_field_dropped(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the `biblatex` dialect, a legacy BibTeX field beside the biblatex field it
    stands for: `address` with `location`, `journal` with `journaltitle`, `school`
    with `institution`, `annote` with `annotation`, `archiveprefix` with
    `eprinttype`, `primaryclass` with `eprintclass`, `key` with `sortkey`, `pdf`
    with `file`, `hyphenation` with `langid` (the renamings of biblatex's BibTeX
    driver map).

    Why it matters:
    biber renames a legacy field only when the new name is not taken; otherwise
    it keeps the biblatex field and drops the legacy one ("Field 'journal' invalid
    in data model - ignoring"), whichever comes first. An edit to the legacy field
    changes nothing in the bibliography.

    Example:
    ```bibtex
    @article{doe2020, author = {Doe, Jane}, title = {On Examples},
      journal = {J. Ex.}, journaltitle = {Journal of Examples}, date = 2020}
    ```

    How to fix:
    Keep one of them, under the biblatex name (the quick fix removes the legacy
    field, which biber ignores anyway).
    """
    if context.dialect != "biblatex" or entry.kind is not K.ENTRY or entry.damaged:
        return []
    out = []
    for f in entry.fields:
        target = BIBLATEX_FIELD_ALIASES.get(f.name_lower)
        modern = entry.field(target) if target is not None else None
        if modern is None or modern.value is None or f.value is None:
            continue
        message = (
            f"`{f.name}` is dropped: `{modern.name}` is given too, and biber keeps"
            f" `{modern.name}` (the biblatex name of `{f.name}`)"
        )
        out.append(_dropping(LEGACY_DROPPED, message, f, modern))
    return out


def _number(f: Field) -> int | None:
    """An integer field as biber reads it: digits, or a month macro."""
    if f.value is None or len(f.value.pieces) != 1:
        return None
    piece = f.value.pieces[0]
    if piece.kind is K.MACRO:
        return MONTH_NUMBERS.get(piece.text.lower())
    text = piece.content.strip()
    return int(text) if text.isdigit() else None


def _dropping(code: str, message: str, dropped: Field, kept: Field) -> Problem:
    """A finding on the name of the field biber drops, pointing at the one it keeps
    (``data``: the dropped field's name, for the quick fix)."""
    span = dropped.name_span
    related = (Related(kept.name_span.start, kept.name_span.end, f"`{kept.name}` is kept"),)
    severity = RULES[code].doc.severity
    return Problem(
        span.start, span.end, code, message, severity, related, data={"field": dropped.name_lower}
    )
