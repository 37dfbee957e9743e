"""Validators for identifiers, dates and pages, on plain strings (no BibTeX syntax: the
rules hand them the literal text of a value; name lists and printed text are in
``text_values.py``).

Each validator answers ``None`` when the value is fine, or a short reason that a
message can quote after the field name and value ("has a wrong check digit
(expected 0)"). Those that locate problems inside the value answer offsets into
the string they were given.

Facts used (not code): the ISBN-10 check digit makes ``sum((10 - i) * d_i)`` a
multiple of 11 (``X`` stands for 10), the ISBN-13 one makes the sum with weights
1, 3, 1, 3... a multiple of 10 (prefixes 978 and 979); the ISSN check digit makes
``sum((8 - i) * d_i)`` a multiple of 11 (``X`` for 10); a DOI is ``10.`` + a
registrant code of digits (perhaps with dotted sub-codes) + ``/`` + a suffix of any
printable characters. What biber accepts in dates, years and months was checked
with ``biber --tool --validate-datamodel`` (biber 2.18).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bib_lsp.model.macros import ENGLISH_MONTHS

_PLACEHOLDER = re.compile(r"\?+")


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is only question marks (``??``, ``????``): a value that says
    it is unknown, as some large bibliographies write it. The validators accept it."""
    return _PLACEHOLDER.fullmatch(text.strip()) is not None


# ----------------------------------------------------------------------------------------
# ISBN and ISSN
# ----------------------------------------------------------------------------------------

_ISBN_SEPARATORS = re.compile(r"[-\s\u2010\u2011]+")
_ISBN_PREFIX = re.compile(r"^ISBN(?:-1[03])?:?\s*", re.IGNORECASE)
_ISBN_10 = re.compile(r"\d{9}[\dX]")
_ISBN_13 = re.compile(r"\d{13}")


def isbn10_check_digit(first9: str) -> str:
    """The check digit of an ISBN-10 given its first nine digits (``X`` for 10)."""
    total = sum((10 - i) * int(d) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first12: str) -> str:
    """The check digit of an ISBN-13 (an EAN-13) given its first twelve digits."""
    total = sum((3 if i % 2 else 1) * int(d) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def check_isbn(text: str) -> str | None:
    """Whether ``text`` is one ISBN-10 or ISBN-13 with a correct check digit.

    Hyphens and spaces between digits are allowed, as is an ``ISBN`` prefix and a
    lower-case ``x``. Answers None or the reason it is not.
    """
    if is_placeholder(text):
        return None
    compact = _ISBN_SEPARATORS.sub("", _ISBN_PREFIX.sub("", text.strip())).upper()
    if _ISBN_10.fullmatch(compact):
        expected = isbn10_check_digit(compact[:9])
    elif _ISBN_13.fullmatch(compact):
        if compact[:3] not in ("978", "979"):
            return "is not an ISBN-13 (those start with 978 or 979)"
        expected = isbn13_check_digit(compact[:12])
    else:
        digits = sum(c.isdigit() for c in compact)
        return f"is not an ISBN (10 or 13 digits expected, found {digits})"
    if compact[-1] != expected:
        return f"has a wrong check digit (expected {expected})"
    return None


_ISSN = re.compile(r"(\d{4})[-\u2010\u2011 ]?(\d{3}[\dX])")
_ISSN_PREFIX = re.compile(r"^e?ISSN(?:-L)?:?\s*", re.IGNORECASE)


def issn_check_digit(first7: str) -> str:
    """The check digit of an ISSN given its first seven digits (``X`` for 10)."""
    total = sum((8 - i) * int(d) for i, d in enumerate(first7))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def check_issn(text: str) -> str | None:
    """Whether ``text`` is one ISSN, ``NNNN-NNNC`` (the hyphen may be left out),
    with a correct check digit ``C``. Answers None or the reason it is not."""
    if is_placeholder(text):
        return None
    match = _ISSN.fullmatch(_ISSN_PREFIX.sub("", text.strip()).upper())
    if match is None:
        return "is not an ISSN (NNNN-NNNN expected)"
    digits = match[1] + match[2]
    expected = issn_check_digit(digits[:7])
    if digits[-1] != expected:
        return f"has a wrong check digit (expected {expected})"
    return None


_REMARK = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s{2,}|\s*/\s+")
_REMARK_WORD = re.compile(r"(?<![\w-])[^\W\d_][^\W\d_.]+\.?(?![\w-])")


def split_identifiers(text: str) -> list[tuple[int, int]]:
    """Where the identifiers of an ``isbn`` or ``issn`` field holding several are:
    ``(start, end)`` offsets into ``text`` of each, with remarks in parentheses
    ("0-201-13447-0 (paperback), 0-201-13448-9 (hardcover)"), words
    ("hardback", "ISBN") and the separators (commas, semicolons, two spaces or
    more) left out."""
    blanked = _REMARK.sub(lambda m: " " * len(m[0]), text)
    blanked = _REMARK_WORD.sub(lambda m: " " * len(m[0]), blanked)
    out = []
    pos = 0
    for sep in _LIST_SEPARATOR.finditer(blanked):
        out.append((pos, sep.start()))
        pos = sep.end()
    out.append((pos, len(blanked)))
    spans = []
    for start, end in out:
        part = blanked[start:end]
        stripped = part.strip()
        if stripped:
            lead = len(part) - len(part.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


# ----------------------------------------------------------------------------------------
# DOI and URL
# ----------------------------------------------------------------------------------------

_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_AS_URL = re.compile(
    r"(?:https?://(?:dx\.|www\.)?doi\.org/|doi:\s*)(10\..*)", re.IGNORECASE | re.DOTALL
)


def check_doi(text: str) -> str | None:
    """Whether ``text`` is a bare DOI: ``10.``, a registrant code of four to nine
    digits (perhaps with dotted sub-codes), ``/`` and a suffix without spaces."""
    text = text.strip()
    if _DOI.fullmatch(text):
        return None
    if not text.startswith("10."):
        return "does not start with `10.`"
    if "/" not in text:
        return "has no `/` between prefix and suffix"
    if any(c.isspace() for c in text):
        return "contains a space"
    return "has no valid prefix (`10.` and 4 to 9 digits)"


def doi_from_url(text: str) -> str | None:
    """The bare DOI of a DOI written as a link or with a ``doi:`` prefix
    (``https://doi.org/10.1000/182``, ``http://dx.doi.org/...``, ``doi:10.1000/182``);
    None if ``text`` is not one. Percent-escapes of a link are decoded."""
    match = _DOI_AS_URL.fullmatch(text.strip())
    if match is None:
        return None
    doi = match[1]
    if not text.lstrip().lower().startswith("doi:"):
        doi = unquote(doi)
    return doi


_WHITE = re.compile(r"\s")
_SECOND_URL = re.compile(r"[;,]?\s+[a-z]+://")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
_NEEDS_HOST = frozenset({"http", "https", "ftp", "ftps", "sftp", "ws", "wss", "git", "svn"})


_URL_WRAPPER = re.compile(r"\\url\{[^{}]*\}")


def check_url(text: str) -> str | None:
    """Whether ``text`` is one absolute URL: a scheme, and a host for the schemes
    that have one (``http``, ``https``, ``ftp``...); no spaces."""
    text = text.strip()
    if not text:
        return "is empty"
    wrapped = _URL_WRAPPER.fullmatch(text)
    if wrapped is not None:
        return "is wrapped in `\\url{}`: the field is a URL already (styles add the command)"
    if _WHITE.search(text):
        if _SECOND_URL.search(text):
            return "holds several URLs (styles print one link)"
        return "contains a space (write it as %20)"
    try:
        parts = urlsplit(text)
    except ValueError as error:  # e.g. a malformed IPv6 host
        return f"is not a URL ({error})"
    if not parts.scheme or not _SCHEME.fullmatch(parts.scheme):
        return "has no scheme (such as https://)"
    scheme = parts.scheme.lower()
    if scheme in _NEEDS_HOST and not parts.netloc:
        return f"has no host after {scheme}://"
    if not (parts.netloc or parts.path):
        return "has nothing after the scheme"
    return None


# ----------------------------------------------------------------------------------------
# Years, dates and months
# ----------------------------------------------------------------------------------------

_YEAR_INTEGER = re.compile(r"-?\d+")
_FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")


def check_year(text: str, dialect: str) -> str | None:
    """Whether ``text`` is a usable year.

    biblatex: biber reads ``year`` as an integer; anything else (``1986a``,
    ``1900--1925``, ``in press``) makes it drop the field ("Invalid value of field
    'year' must be datatype 'datepart' - ignoring field"). BibTeX prints the text as
    it is, so only text with no four-digit year in it is reported (``19xx``, ``??``),
    and TeX commands (``{\\noopsort{1986a}}1986``) are left alone. In both, a number
    of two digits (``92``) is reported: it sorts before every real year. Other
    lengths are left alone: years before 1000 (and negative ones, which biber takes)
    are real for historical works.
    """
    text = text.strip()
    if not text or is_placeholder(text):
        return None
    if dialect == "biblatex":
        if not _YEAR_INTEGER.fullmatch(text):
            if re.fullmatch(r"\d{4}\s*(?:--?|\u2013|/)\s*\d{2,4}", text):
                return "is a range: biber drops it (use `date = {YYYY/YYYY}`)"
            return "is not an integer: biber drops it"
        if text.startswith("-"):
            return None
    elif "\\" in text or "{" in text:
        return None
    elif not _YEAR_INTEGER.fullmatch(text):
        return None if _FOUR_DIGITS.search(text) else "has no four-digit year"
    if len(text) == 2:
        return "looks abbreviated (write the year in full)"
    return None


# A date: [Y]year[-month[-day[Thh:mm[:ss][zone]]]] with X for unspecified digits and
# ~ ? % after the date; a year division 21-41 instead of a month.
_DATE = re.compile(
    r"""(?P<year>Y-?\d{5,}|-?[\dX]{4})
        (?:-(?P<month>[\dX]{2})(?:-(?P<day>[\dX]{2})
        (?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)
           (?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?
        (?P<qualifier>[~?%])?""",
    re.VERBOSE,
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _check_one_date(text: str) -> str | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return "is not YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = match["year"], match["month"], match["day"]
    if month is None or "X" in month:
        if month is not None and day is not None and "X" not in day:
            return None  # 1984-XX-12: biber accepts it
        return None
    m = int(month)
    if day is None:
        if 1 <= m <= 12 or 21 <= m <= 41:
            return None
        return f"month {month} is not 01 to 12 (or a season, 21 to 41)"
    if not 1 <= m <= 12:
        return f"month {month} is not 01 to 12"
    if "X" in day:
        return None
    d = int(day)
    days = _DAYS[m - 1]
    if m == 2 and "X" not in year and not year.startswith("Y"):
        days = 29 if _leap(int(year)) else 28
    if not 1 <= d <= days:
        return f"day {day} does not exist"
    return None


def check_date(text: str) -> str | None:
    """Whether ``text`` is a date biblatex accepts: ISO 8601 ``YYYY``, ``YYYY-MM``,
    ``YYYY-MM-DD`` (with a time ``THH:MM[:SS]`` and zone), a range ``A/B``, an open
    range (``2020/``, ``/2020``, ``2020/..``, ``../2020``), and the EDTF bits biblatex
    supports: ``~``, ``?`` or ``%`` after a date (approximate, uncertain, both),
    ``X`` for unspecified digits (``19XX``, ``1999-XX``), negative years (``-0876``),
    ``Y`` years of five digits or more, and year divisions 21 to 41 in place of a
    month (seasons 21-24, and since biblatex 3.16 quarters, semesters...)."""
    text = text.strip()
    if not text:
        return None
    if text.count("/") > 1:
        return "is not an ISO 8601 date (YYYY-MM-DD, or a range A/B)"
    start, slash, end = text.partition("/")
    if not slash:
        return _check_one_date(text)
    if start in ("", "..") and end in ("", ".."):
        return "is an open range with no date"
    for part in (start, end):
        if part not in ("", ".."):
            reason = _check_one_date(part)
            if reason is not None:
                return f"`{part}`: {reason}"
    return None


_SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
_WORD = re.compile(r"[^\W\d_]+\.?")


def check_month(text: str, dialect: str) -> str | None:
    """Whether ``text`` (a month field's literal text, with BibTeX's month macros
    already replaced by their numbers for biblatex) is a usable month.

    biblatex: biber takes an integer 1-12 or an English month name or abbreviation
    (``May``, ``jun.``) and drops anything else (``Mai``, ``Fall``, ``1--2``).
    BibTeX prints the text as it is: only a number outside 1-12 or a single word
    that is neither an English month (full or abbreviated) nor a season is
    reported (``Mai``, ``Okt``), since the macros ``jan``... ``dec`` were likely meant.
    """
    text = text.strip()
    if not text or is_placeholder(text):
        return None
    if text.isdigit():
        return None if 1 <= int(text) <= 12 else "is not a month (1 to 12)"
    word = text.lower().rstrip(".")
    if word in ENGLISH_MONTHS:
        return None
    if dialect == "biblatex":
        if word in _SEASONS:
            return "is a season: biber drops it (use `date`, e.g. 2020-21 for spring 2020)"
        return "is not a month: biber takes 1 to 12 or an English month name"
    if _WORD.fullmatch(text) and word not in _SEASONS:
        return "is not an English month name (use the macros `jan`...`dec`)"
    return None


# ----------------------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------------------

# A page: a number with an optional letter prefix or suffix (e123, S12, 12a, c3),
# a letter and a hyphen (G-1, in manuals), an article:page pair (ACM's 4:1), a section
# number (2.1.1, 11/3), a roman numeral, or ?? for unknown.
_PAGE = (
    r"(?:(?![Pp]{1,2}\.)[A-Za-z]{1,3}(?:\.\s?|-)?\d+[a-z]?|\d+[A-Za-z]?|\d+(?:[:./](?:\d+|\?+))+"
    r"|[ivxlcdm]+|[IVXLCDM]+|\?+)"
)
_DASH = r"(?:--?-?|\u2013|\u2014|\\textendash\s*|\{--\})"
_ITEM = re.compile(
    rf"(?P<first>{_PAGE})(?:\s*(?P<dash>{_DASH})\s*(?P<last>{_PAGE})|\s*(?:\+|ff?\.?))?"
)
_ITEM_SEPARATOR = re.compile(r"\s*(?:,|;|\+|&|\band\b)\s*")


@dataclass(frozen=True, slots=True)
class PagesProblem:
    """A part of a pages value: ``kind`` is ``"hyphen"`` (a range written with a
    single ``-``, at ``start``) or ``"bad"`` (text that is not a page or range)."""

    start: int
    end: int
    kind: str


def check_pages(text: str) -> list[PagesProblem]:
    """Problems of a ``pages`` value: a page (``12``, ``xiv``, ``e123``, ``S12``,
    ``4:1``), a range (``12--19``, ``12-19``, ``12\u201319``), an open range (``12+``,
    ``12ff.``), and lists of these joined by commas or ``+`` (page counts such as
    ``xvi + 542``). Remarks in parentheses are ignored, and so are values with TeX
    commands. A range with a single hyphen is reported as ``"hyphen"``."""
    if "\\" in text.replace("\\textendash", ""):
        return []
    blanked = _REMARK.sub(lambda m: " " * len(m[0]), text).replace("{", " ").replace("}", " ")
    problems = []
    pos = 0
    items = []
    for sep in _ITEM_SEPARATOR.finditer(blanked):
        items.append((pos, sep.start()))
        pos = sep.end()
    items.append((pos, len(blanked)))
    for start, end in items:
        part = blanked[start:end]
        stripped = part.strip()
        if not stripped:
            continue
        start += len(part) - len(part.lstrip())
        end = start + len(stripped)
        match = _ITEM.fullmatch(stripped)
        if match is None:
            problems.append(PagesProblem(start, end, "bad"))
        elif match["dash"] == "-":
            dash = start + match.start("dash")
            problems.append(PagesProblem(dash, dash + 1, "hyphen"))
    return problems
