"""Rules on dates: `year`, biblatex's date fields, `month`."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.model import values as v
from bib_lsp.model.macros import MONTH_NUMBERS
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import entry_rule
from bib_lsp.rules.value_pass import (
    Findings,
    add,
    field_check,
    findings,
    literal_text,
    piece_content,
    shown,
)
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field

BAD_YEAR = "bad-year"
BAD_DATE = "bad-date"
BAD_MONTH = "bad-month"


@field_check(["year"])
def _check_year(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_year(text.text, dialect)
    if reason is not None:
        start, end = text.span(*text.stripped())
        add(out, BAD_YEAR, start, end, f"`{f.name}` {shown(text.text)} {reason}")


@field_check(["date", "urldate", "eventdate", "origdate"])
def _check_date(f: Field, dialect: str, out: Findings, kind: str) -> None:
    if dialect != "biblatex":
        return
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_date(text.text)
    if reason is not None:
        start, end = text.span(*text.stripped())
        add(out, BAD_DATE, start, end, f"`{f.name}` {shown(text.text)} {reason}")


@field_check(["month"])
def _check_month(f: Field, dialect: str, out: Findings, kind: str) -> None:
    value = f.value
    if value is None or not value.pieces:
        return
    if any(p.kind is K.MACRO for p in value.pieces):
        if dialect != "biblatex":
            return  # BibTeX prints jan # "--" # feb as it is
        parts = []
        for p in value.pieces:
            if p.kind is K.MACRO:
                number = MONTH_NUMBERS.get(p.text.lower())
                if number is None:
                    return  # a macro of the file's own: not checked
                parts.append(str(number))
            else:
                parts.append(piece_content(p))
        if len(value.pieces) == 1:
            return
        joined = "".join(parts)
        start, end = value.pieces[0].span.start, value.pieces[-1].span.end
        reason = v.check_month(joined, dialect)
        if reason is not None:
            add(out, BAD_MONTH, start, end, f"`{f.name}` {shown(joined)} {reason}")
        return
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_month(text.text, dialect)
    if reason is not None:
        start, end = text.span(*text.stripped())
        add(out, BAD_MONTH, start, end, f"`{f.name}` {shown(text.text)} {reason}")


@entry_rule(BAD_YEAR, Severity.WARNING)
def bad_year(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `year` that is not a year. With biblatex, biber reads `year` as an integer and
    drops anything else (`1986a`, `1900--1925`, `in press`); a range belongs in
    `date = {1900/1925}`. BibTeX prints the text as it is, so there only a value with
    no four-digit year in it is reported (`19xx`; `??` means unknown and is
    accepted); values with TeX commands (`{\\noopsort{1986a}}1986`) are left alone.
    In both, a two-digit year (`92`) is reported: it sorts before every real year.
    Years of one, three or five digits are accepted (historical works).

    Why it matters:
    biblatex prints the entry without a year, and sorting by year puts it first;
    BibTeX styles build labels such as `[Knu92]` from the year's last characters.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = {92},
    }
    ```

    How to fix:
    Write the four-digit year; put a range in biblatex's `date` field and remarks such
    as "to appear" in `note` or `pubstate`.
    """
    return findings(entry, context, BAD_YEAR)


@entry_rule(BAD_DATE, Severity.WARNING)
def bad_date(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    biblatex's `date`, `urldate`, `eventdate` and `origdate`, which must be ISO 8601
    dates: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (a time may follow: `2020-05-04T14:30`),
    a range `2019/2020`, an open range (`2019/`, `/2020`, `2019/..`), with the EDTF
    extensions biblatex supports: `~`, `?` or `%` after a date (approximate,
    uncertain, both), `X` for unspecified digits (`19XX`, `2020-XX`), negative years,
    and 21 to 41 in place of the month for seasons and other year divisions. A month
    or day that does not exist is reported too (`2020-13`, `2021-02-29`). Checked
    with the biblatex dialect only: BibTeX styles ignore these fields or print them as
    they are.

    Why it matters:
    biber rejects such a date ("Invalid format of date field - ignoring"): the entry
    is printed and sorted without it.

    Example:
    ```bibtex
    @online{site,
      title   = {A Web Site},
      url     = {https://example.org},
      date    = {2020-05-04},
      urldate = {04/05/2021},
    }
    ```

    How to fix:
    Write the date as `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`); use `/` for a range.
    """
    return findings(entry, context, BAD_DATE)


@entry_rule(BAD_MONTH, Severity.WARNING)
def bad_month(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `month` that is not a month. Everywhere: a number outside 1 to 12. With
    biblatex, anything but a number 1-12, an English month name or abbreviation, or
    the macros `jan`...`dec` (biber drops `Mai`, `Fall`, `jun # "--" # jul`). With
    BibTeX, which prints the text as it is, a single word that is neither an English
    month (full, abbreviated) nor a season (`Mai`, `Okt`); longer texts are left
    alone. Values using other `@string` macros are not checked.

    Why it matters:
    biblatex prints the entry without its month; a BibTeX style prints `Mai` in an
    English bibliography, where the macro `may` would give the style's own name.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      month   = {13},
    }
    ```

    How to fix:
    Use the macros `jan`...`dec` without braces (`month = may`), which both BibTeX
    styles and biblatex understand; put seasons and ranges in biblatex's `date`
    (`2020-21` is spring 2020).
    """
    return findings(entry, context, BAD_MONTH)
