"""Rules on the values of fields: identifiers (ISBN, ISSN, DOI, URL), dates, months,
pages, name lists, special characters and capitals in titles.

One pass over an entry's fields, dispatched on the field name, finds the problems of
every code at once; it runs once per block and dialect (cached on the block), and each
code's rule hands out its share. Only literal text is checked: a value that uses a
``@string`` macro is skipped (except ``month``, whose macros ``jan``...``dec`` are
known), and so are entries with syntax problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bib_lsp.model import values as v
from bib_lsp.model.macros import MONTH_NUMBERS
from bib_lsp.model.requirements import BIBLATEX_FIELD_TYPES
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field, Piece

BAD_YEAR = "bad-year"
BAD_DATE = "bad-date"
BAD_MONTH = "bad-month"
BAD_PAGES = "bad-pages"
PAGE_RANGE_HYPHEN = "page-range-hyphen"
BAD_ISBN = "bad-isbn"
BAD_ISSN = "bad-issn"
BAD_DOI = "bad-doi"
DOI_AS_URL = "doi-as-url"
BAD_URL = "bad-url"
BAD_NAME_LIST = "bad-name-list"
UNESCAPED_SPECIAL_CHAR = "unescaped-special-char"
ALL_CAPS_TITLE = "all-caps-title"
UNPROTECTED_ACRONYM = "unprotected-acronym"

# ----------------------------------------------------------------------------------------
# The literal text of a value, and where each of its characters is
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """The text of a value's literal pieces joined, and where each piece's content
    starts, as (offset in ``text``, offset in the entry) pairs."""

    text: str
    starts: tuple[tuple[int, int], ...]

    def at(self, offset: int) -> int:
        """The entry offset of ``text[offset]`` (or of the end, for ``len(text)``)."""
        base, where = self.starts[0]
        for b, w in self.starts:
            if b > offset:
                break
            base, where = b, w
        return where + offset - base

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Entry offsets of ``text[start:end]`` (``end`` inside the same piece)."""
        first = self.at(start)
        return first, self.at(end - 1) + 1 if end > start else first

    def stripped(self) -> tuple[int, int]:
        """The offsets in ``text`` of its content without surrounding white space."""
        lead = len(self.text) - len(self.text.lstrip())
        return lead, len(self.text.rstrip())


_DELIMITED = (K.BRACED, K.QUOTED)
_MAY_BE_SPECIAL = re.compile(r"[&%$#_]")


def _content(piece: Piece) -> str:
    """``piece.content`` for an entry without syntax problems (its groups are closed),
    without scanning the group again."""
    return piece.text[1:-1] if piece.kind in _DELIMITED else piece.text


def _content_start(piece: Piece) -> int:
    return piece.span.start + (1 if piece.kind in (K.BRACED, K.QUOTED) else 0)


def literal_text(f: Field) -> Text | None:
    """The value's text if it has no macro piece (None otherwise, or if empty)."""
    value = f.value
    if value is None or not value.pieces:
        return None
    pieces = value.pieces
    if len(pieces) == 1:  # the common case
        piece = pieces[0]
        if piece.kind is K.MACRO:
            return None
        text = _content(piece)
        return Text(text, ((0, _content_start(piece)),)) if text.strip() else None
    parts, starts, pos = [], [], 0
    for piece in pieces:
        if piece.kind is K.MACRO:
            return None
        content = _content(piece)
        parts.append(content)
        starts.append((pos, _content_start(piece)))
        pos += len(content)
    text = "".join(parts)
    return Text(text, tuple(starts)) if text.strip() else None


# ----------------------------------------------------------------------------------------
# The pass over the fields
# ----------------------------------------------------------------------------------------

Findings = dict[str, list[Problem]]
FieldCheck = Callable[[Field, str, Findings], None]


def _add(out: Findings, code: str, start: int, end: int, message: str, data: object = None) -> None:
    severity = RULES[code].doc.severity
    out.setdefault(code, []).append(Problem(start, end, code, message, severity, data=data))


def _shown(text: str, limit: int = 40) -> str:
    """A value as a message quotes it: on one line, shortened."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _check_year(f: Field, dialect: str, out: Findings) -> None:
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_year(text.text, dialect)
    if reason is not None:
        start, end = text.span(*text.stripped())
        _add(out, BAD_YEAR, start, end, f"`{f.name}` {_shown(text.text)} {reason}")


def _check_date(f: Field, dialect: str, out: Findings) -> None:
    if dialect != "biblatex":
        return
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_date(text.text)
    if reason is not None:
        start, end = text.span(*text.stripped())
        _add(out, BAD_DATE, start, end, f"`{f.name}` {_shown(text.text)} {reason}")


def _check_month(f: Field, dialect: str, out: Findings) -> None:
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
                parts.append(_content(p))
        if len(value.pieces) == 1:
            return
        joined = "".join(parts)
        start, end = value.pieces[0].span.start, value.pieces[-1].span.end
        reason = v.check_month(joined, dialect)
        if reason is not None:
            _add(out, BAD_MONTH, start, end, f"`{f.name}` {_shown(joined)} {reason}")
        return
    text = literal_text(f)
    if text is None:
        return
    reason = v.check_month(text.text, dialect)
    if reason is not None:
        start, end = text.span(*text.stripped())
        _add(out, BAD_MONTH, start, end, f"`{f.name}` {_shown(text.text)} {reason}")


def _check_pages(f: Field, dialect: str, out: Findings) -> None:
    text = literal_text(f)
    if text is None:
        return
    for problem in v.check_pages(text.text):
        start, end = text.span(problem.start, problem.end)
        if problem.kind == "hyphen":
            if dialect == "bibtex":
                message = f"`{f.name}`: a range takes `--` (an en dash), not `-`"
                _add(out, PAGE_RANGE_HYPHEN, start, end, message, {"replace": "--"})
            continue
        part = text.text[problem.start : problem.end]
        message = f"`{f.name}` has {_shown(part)!r}, which is not a page or page range"
        if part.lower().startswith(("pp", "p.")):
            message = f"`{f.name}` {_shown(part)} starts with `pp.`: styles add it themselves"
        _add(out, BAD_PAGES, start, end, message)


def _identifiers(f: Field, out: Findings, code: str, check: Callable[[str], str | None]) -> None:
    text = literal_text(f)
    if text is None or "\\" in text.text:
        return
    for s, e in v.split_identifiers(text.text):
        part = text.text[s:e]
        reason = check(part)
        if reason is not None:
            start, end = text.span(s, e)
            _add(out, code, start, end, f"`{f.name}` {_shown(part)} {reason}")


def _check_isbn(f: Field, dialect: str, out: Findings) -> None:
    _identifiers(f, out, BAD_ISBN, v.check_isbn)


def _check_issn(f: Field, dialect: str, out: Findings) -> None:
    _identifiers(f, out, BAD_ISSN, v.check_issn)


def _check_doi(f: Field, dialect: str, out: Findings) -> None:
    text = literal_text(f)
    if text is None:
        return
    s, e = text.stripped()
    content = text.text[s:e]
    start, end = text.span(s, e)
    bare = v.doi_from_url(content)
    if bare is not None:
        data = {"replace": bare} if len(f.value.pieces) == 1 else None  # type: ignore[union-attr]
        message = f"`{f.name}` is a link: write the DOI alone ({_shown(bare)})"
        _add(out, DOI_AS_URL, start, end, message, data)
        if v.check_doi(bare) is None:
            return
        content = bare
    reason = v.check_doi(content)
    if reason is not None:
        _add(out, BAD_DOI, start, end, f"`{f.name}` {_shown(content)} {reason}")


def _check_url(f: Field, dialect: str, out: Findings) -> None:
    text = literal_text(f)
    if text is None:
        return
    s, e = text.stripped()
    reason = v.check_url(text.text[s:e])
    if reason is not None:
        start, end = text.span(s, e)
        _add(out, BAD_URL, start, end, f"`{f.name}` {_shown(text.text[s:e])} {reason}")


def _check_names(f: Field, dialect: str, out: Findings) -> None:
    text = literal_text(f)
    if text is None:
        return
    for problem in v.check_name_list(text.text):
        start, end = text.span(problem.start, problem.end)
        _add(out, BAD_NAME_LIST, start, end, f"`{f.name}` {problem.message}")


def _check_special(f: Field, dialect: str, out: Findings) -> None:
    value = f.value
    if value is None:
        return
    for piece in value.pieces:
        if piece.kind not in (K.BRACED, K.QUOTED):
            continue
        content = _content(piece)
        if _MAY_BE_SPECIAL.search(content) is None:
            continue
        base = _content_start(piece)
        for found in v.find_special_chars(content):
            if found.unbalanced:
                message = f"`{f.name}` has a `$` that opens math mode and never closes it"
            else:
                message = f"`{f.name}` has an unescaped `{found.char}` (write `\\{found.char}`)"
            at = base + found.offset
            _add(out, UNESCAPED_SPECIAL_CHAR, at, at + 1, message)


# plain.bst prints these types' `title` with format.btitle, which keeps its case.
_BOOK_TITLE_TYPES = frozenset({"book", "inbook", "manual", "phdthesis", "proceedings"})


def _check_title(f: Field, dialect: str, out: Findings, kind: str = "") -> None:
    text = literal_text(f)
    if text is None:
        return
    words = v.unprotected_words(text.text)
    if v.is_all_caps(words):
        start, end = text.span(*text.stripped())
        message = f"`{f.name}` is in capitals: write it in title or sentence case"
        _add(out, ALL_CAPS_TITLE, start, end, message)
        return
    if dialect != "bibtex" or f.name_lower != "title" or kind in _BOOK_TITLE_TYPES:
        return
    for word in words:
        if v.capitals(word.text) < 2:
            continue
        start, end = text.span(word.start, word.end)
        message = (
            f"`{f.name}`: {word.text} is lower-cased by styles that do (write {{{word.text}}})"
        )
        # A word across two pieces (`{B. Other} # "A."` reads `OtherA`) has no one
        # place to put braces: no replacement (it would swallow the `} # "`).
        whole = end - start == len(word.text)
        data = {"replace": "{" + word.text + "}"} if whole else None
        _add(out, UNPROTECTED_ACRONYM, start, end, message, data)


_NAME_FIELDS = frozenset(name for name, kind in BIBLATEX_FIELD_TYPES.items() if kind == "name")
_NOT_PRINTED = frozenset(
    {
        "entrysubtype",
        "eprintclass",
        "eprinttype",
        "gender",
        "indexsorttitle",
        "indextitle",
        "isan",
        "isbn",
        "ismn",
        "isrn",
        "issn",
        "iswc",
        "label",
        "langid",
        "langidopts",
        "presort",
        "sortkey",
        "sortname",
        "sortshorthand",
        "sorttitle",
    }
)
# Fields printed as text: biblatex's literal and name fields, plain.bst's text fields.
_TEXT_FIELDS = (
    frozenset(name for name, kind in BIBLATEX_FIELD_TYPES.items() if kind in ("literal", "name"))
    | {"address", "annote", "howpublished", "journal", "school", "type"}
) - _NOT_PRINTED
_TITLE_FIELDS = frozenset({"title", "booktitle", "subtitle", "maintitle"})

_DISPATCH: dict[str, tuple[FieldCheck, ...]] = {}


def _register(names: Iterable[str], check: FieldCheck) -> None:
    for name in names:
        _DISPATCH[name] = (*_DISPATCH.get(name, ()), check)


_register(["year"], _check_year)
_register(["date", "urldate", "eventdate", "origdate"], _check_date)
_register(["month"], _check_month)
_register(["pages"], _check_pages)
_register(["isbn", "isbn-13", "isbn13"], _check_isbn)
_register(["issn", "issn-l", "eissn"], _check_issn)
_register(["doi"], _check_doi)
_register(["url"], _check_url)
_register(sorted(_NAME_FIELDS), _check_names)
_register(sorted(_TEXT_FIELDS), _check_special)


def analyse(entry: Entry, dialect: str) -> Findings:
    """The findings of every code of this module for one entry."""
    out: Findings = {}
    if entry.kind is not K.ENTRY or entry.damaged:
        return out
    kind = entry.type_lower
    dispatch = _DISPATCH
    for f in entry.fields:
        name = f.name_lower
        checks = dispatch.get(name)
        if checks is not None:
            for check in checks:
                check(f, dialect, out)
        if name in _TITLE_FIELDS:
            _check_title(f, dialect, out, kind)
    return out


_NONE: list[Problem] = []


def _findings(entry: Entry, context: Context, code: str) -> list[Problem]:
    dialect = context.dialect
    return context.reading("values:" + dialect, lambda: analyse(entry, dialect)).get(code, _NONE)


# ----------------------------------------------------------------------------------------
# The rules
# ----------------------------------------------------------------------------------------


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
    return _findings(entry, context, BAD_YEAR)


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
    return _findings(entry, context, BAD_DATE)


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
    return _findings(entry, context, BAD_MONTH)


@entry_rule(BAD_PAGES, Severity.WARNING)
def bad_pages(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `pages` value with a part that is not a page or a page range. Accepted: a page
    (`12`, `xiv`, `e123`, `S12`, `4:1`), a range (`12--19`, `12-19`, `12` en dash `19`), an
    open range (`12+`, `12ff.`), unknown pages (`??`), lists of these joined by
    commas, and page counts such as `xvi + 542`; remarks in parentheses are ignored,
    and values with TeX commands are not checked. A value starting with `pp.` gets
    its own message.

    Why it matters:
    Styles print the value after "pp." and biblatex parses it as a range: `pp. 12`
    comes out as "pp. pp. 12", a word as "pp. various".

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      pages   = {pp. 12--19},
    }
    ```

    How to fix:
    Keep only the pages (`12--19`); put remarks in `note`, and a book's page count in
    biblatex's `pagetotal`.
    """
    return _findings(entry, context, BAD_PAGES)


@entry_rule(PAGE_RANGE_HYPHEN, Severity.INFORMATION)
def page_range_hyphen(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A page range written with a single hyphen, `12-19`, in the BibTeX dialect. The
    problem sits on the hyphen; the quick fix makes it `--`. Not reported with
    biblatex, which parses ranges and prints its own range dash whatever was written.

    Why it matters:
    TeX prints `-` as a hyphen, and a range takes an en dash (`--`). `plain.bst` and
    styles derived from it (`n.dashify`) double a single hyphen themselves, but many
    styles print the field as it is, and the file is consistent with `--` everywhere.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      pages   = {12-19},
    }
    ```

    How to fix:
    Write `12--19` (the quick fix does).
    """
    return _findings(entry, context, PAGE_RANGE_HYPHEN)


@entry_rule(BAD_ISBN, Severity.WARNING)
def bad_isbn(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Each ISBN of an `isbn` field (several may be separated by commas or semicolons,
    with remarks in parentheses): 10 digits (the last may be `X`) or 13 digits
    starting with 978 or 979, with hyphens or spaces anywhere, and a correct check
    digit. The message says which check digit the other digits call for.

    Why it matters:
    A wrong check digit means a mistyped digit: the ISBN names another book or none,
    and catalogues and link resolvers fail to find the work.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {A Book of Examples},
      publisher = {Example Press},
      year      = 2020,
      isbn      = {978-3-16-148410-1},
    }
    ```

    How to fix:
    Copy the ISBN again from the book or a library catalogue.
    """
    return _findings(entry, context, BAD_ISBN)


@entry_rule(BAD_ISSN, Severity.WARNING)
def bad_issn(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Each ISSN of an `issn` field (several may be separated by commas, with remarks
    in parentheses such as "(print)"): `NNNN-NNNC`, where the check digit `C` (a digit
    or `X`) must match the seven digits before it.

    Why it matters:
    A wrong check digit means a mistyped digit: the ISSN names another serial or
    none.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      issn    = {0317-8472},
    }
    ```

    How to fix:
    Copy the ISSN again from the journal or the ISSN portal.
    """
    return _findings(entry, context, BAD_ISSN)


@entry_rule(BAD_DOI, Severity.WARNING)
def bad_doi(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `doi` that is not a DOI: `10.`, a registrant code of four to nine digits
    (perhaps with dotted parts), `/` and a suffix without spaces, as in
    `10.1000/182`. (A DOI written as a link is `doi-as-url`.)

    Why it matters:
    Styles print the field as a link to `https://doi.org/` followed by the value: a
    malformed DOI gives a dead link.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      doi     = {10.1000 182},
    }
    ```

    How to fix:
    Copy the DOI again from the publisher's page (it is printed on most articles).
    """
    return _findings(entry, context, BAD_DOI)


@entry_rule(DOI_AS_URL, Severity.WARNING)
def doi_as_url(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `doi` written as a link (`https://doi.org/10.1000/182`,
    `http://dx.doi.org/...`) or with a `doi:` prefix instead of the DOI alone. The
    problem covers the value; the quick fix puts the bare DOI in its place.

    Why it matters:
    biblatex and BibTeX styles that print DOIs put `https://doi.org/` (or `doi:`) in
    front of the value themselves: the link becomes
    `https://doi.org/https://doi.org/10.1000/182` and does not resolve.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      doi     = {https://doi.org/10.1000/182},
    }
    ```

    How to fix:
    Keep only the DOI, `10.1000/182` (the quick fix does).
    """
    return _findings(entry, context, DOI_AS_URL)


@entry_rule(BAD_URL, Severity.WARNING)
def bad_url(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `url` that is not one absolute URL: without a scheme (`www.example.org`),
    without a host after `http://`, with spaces, or holding several URLs.

    Why it matters:
    Styles print the field with `\\url`, which makes one link of the whole value: a
    URL without a scheme is taken as a relative link, and a space or a second URL
    breaks it.

    Example:
    ```bibtex
    @misc{site,
      title = {A Web Site},
      url   = {www.example.org/page},
      year  = 2020,
    }
    ```

    How to fix:
    Write the whole URL with its scheme (`https://www.example.org/page`), spaces as
    `%20`; keep one URL (put others in `note`).
    """
    return _findings(entry, context, BAD_URL)


@entry_rule(BAD_NAME_LIST, Severity.WARNING)
def bad_name_list(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Name lists (`author`, `editor`, `translator` and the other name fields of
    biblatex's data model, in both dialects) as BibTeX splits them at `and` outside
    braces: a list that starts or ends with `and`, `and and` (an empty name), and a
    name with more than two commas, which is usually a list separated by commas
    instead of `and`.

    Why it matters:
    BibTeX stops with "Too many commas in name" and an empty name prints as a stray
    separator ("Doe and"); with commas instead of `and`, several people become one
    name with a garbled first name.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Doe, Jane, Roe, Richard},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Separate the names with `and` (`Doe, Jane and Roe, Richard`), remove the extra
    `and`; protect a comma that belongs to a name with braces (`{Doe, Inc.}`).
    """
    return _findings(entry, context, BAD_NAME_LIST)


@entry_rule(UNESCAPED_SPECIAL_CHAR, Severity.WARNING)
def unescaped_special_char(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    The characters `&`, `%`, `$`, `#` and `_` in fields printed as text (titles,
    names, publishers, notes...: biblatex's literal and name fields and BibTeX's text
    fields) when they are not escaped with a backslash: `_` inside math (`$x_1$`) is
    fine, and the arguments of `\\url`, `\\href`, `\\path` and `\\doi` are skipped. A
    `$` that opens math mode and never closes it is reported too. URL, DOI, eprint,
    file and other verbatim fields, `@string` and `@preamble` are not checked, nor are
    fields that styles do not print (such as `bibsource`).

    Why it matters:
    The field is copied into the `.bbl` file as TeX: `&` is an alignment tab, `%` a
    comment that swallows the rest of the line, `#` a macro parameter, `_` and `$`
    need math mode. LaTeX stops with an error (or silently drops text) where the
    entry is cited.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {Examples & Counterexamples},
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Escape the character: `\\&`, `\\%`, `\\$`, `\\#`, `\\_`.
    """
    return _findings(entry, context, UNESCAPED_SPECIAL_CHAR)


@entry_rule(ALL_CAPS_TITLE, Severity.INFORMATION)
def all_caps_title(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `title`, `booktitle`, `subtitle` or `maintitle` written in capitals (outside
    braces, at least two words of two letters or more, no lower-case letter), in
    both dialects. Journal names are not checked.

    Why it matters:
    A title copied from a catalogue or a cover in capitals is printed in capitals by
    styles that keep titles as written (biblatex's standard styles, book titles in
    BibTeX) and turned into lower case, acronyms and names included, by styles that
    lower-case titles.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {A BOOK OF EXAMPLES},
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Retype the title in title case ("A Book of Examples"), with acronyms in braces.
    """
    return _findings(entry, context, ALL_CAPS_TITLE)


@entry_rule(UNPROTECTED_ACRONYM, Severity.INFORMATION)
def unprotected_acronym(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the BibTeX dialect, a word of a `title` with two capitals or more (`NASA`,
    `LaTeX`, `McDonald`, `\\TeX`) that is not inside braces. Only `title`, and not for
    the types whose title `plain.bst` prints as written (`@book`, `@inbook`, `@manual`,
    `@phdthesis`, `@proceedings`): `plain.bst` and the many styles built on it
    lower-case `title` (`change.case$`) and nothing else, and journal names are never
    changed. Not reported with biblatex, whose standard styles keep the case of
    every field (styles that call `\\MakeSentenceCase` are the exception). The
    problem sits on the word; the quick fix puts it in braces.

    Why it matters:
    The style prints "Nasa", "Latex" or "Mcdonald", and a command such as `\\TeX`
    becomes `\\tex`, an undefined command.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {Examples from NASA},
      journal = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Put the word in braces, `{NASA}` (the quick fix does), and leave the rest of the
    title unbraced so that the style can still change its case.
    """
    return _findings(entry, context, UNPROTECTED_ACRONYM)
