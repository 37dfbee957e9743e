"""Rules on identifiers: ISBN, ISSN, DOI and URL."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bib_lsp.model import values as v
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import entry_rule
from bib_lsp.rules.value_pass import Findings, add, field_check, findings, literal_text, shown
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field

BAD_ISBN = "bad-isbn"
BAD_ISSN = "bad-issn"
BAD_DOI = "bad-doi"
DOI_AS_URL = "doi-as-url"
BAD_URL = "bad-url"


def _identifiers(f: Field, out: Findings, code: str, check: Callable[[str], str | None]) -> None:
    text = literal_text(f)
    if text is None or "\\" in text.text:
        return
    for s, e in v.split_identifiers(text.text):
        part = text.text[s:e]
        reason = check(part)
        if reason is not None:
            start, end = text.span(s, e)
            add(out, code, start, end, f"`{f.name}` {shown(part)} {reason}")


@field_check(["isbn", "isbn-13", "isbn13"])
def _check_isbn(f: Field, dialect: str, out: Findings, kind: str) -> None:
    _identifiers(f, out, BAD_ISBN, v.check_isbn)


@field_check(["issn", "issn-l", "eissn"])
def _check_issn(f: Field, dialect: str, out: Findings, kind: str) -> None:
    _identifiers(f, out, BAD_ISSN, v.check_issn)


@field_check(["doi"])
def _check_doi(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    s, e = text.stripped()
    content = text.text[s:e]
    start, end = text.span(s, e)
    bare = v.doi_from_url(content)
    if bare is not None:
        data = {"replace": bare} if len(f.value.pieces) == 1 else None  # type: ignore[union-attr]
        message = f"`{f.name}` is a link: write the DOI alone ({shown(bare)})"
        add(out, DOI_AS_URL, start, end, message, data)
        if v.check_doi(bare) is None:
            return
        content = bare
    reason = v.check_doi(content)
    if reason is not None:
        add(out, BAD_DOI, start, end, f"`{f.name}` {shown(content)} {reason}")


@field_check(["url"])
def _check_url(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    s, e = text.stripped()
    reason = v.check_url(text.text[s:e])
    if reason is not None:
        start, end = text.span(s, e)
        add(out, BAD_URL, start, end, f"`{f.name}` {shown(text.text[s:e])} {reason}")


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
    return findings(entry, context, BAD_ISBN)


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
    return findings(entry, context, BAD_ISSN)


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
    return findings(entry, context, BAD_DOI)


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
    return findings(entry, context, DOI_AS_URL)


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
    return findings(entry, context, BAD_URL)
