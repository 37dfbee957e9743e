"""The value validators of bib_lsp.model.values, on plain strings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bib_lsp.model import values as v

# ------------------------------------------------------------------------------ ISBN / ISSN

REAL_ISBNS = [
    "978-3-16-148410-0",  # the usual textbook example
    "0-201-13447-0",  # Knuth, The TeXbook (paperback)
    "978-0-201-13447-6",  # the same, ISBN-13
    "0-201-52983-1",  # Lamport, LaTeX (2nd ed.)
    "0-8044-2957-X",  # a check digit X
    "0 8044 2957 x",  # spaces and a lower-case x
    "ISBN 978-0-262-13472-9",  # with a prefix
    "979-10-90636-07-1",  # a 979 prefix
]


@pytest.mark.parametrize("isbn", REAL_ISBNS)
def test_real_isbns_pass(isbn: str) -> None:
    assert v.check_isbn(isbn) is None


@pytest.mark.parametrize(
    ("isbn", "reason"),
    [
        ("978-3-16-148410-1", "has a wrong check digit (expected 0)"),
        ("0-201-13447-1", "has a wrong check digit (expected 0)"),
        ("0-8044-2957-0", "has a wrong check digit (expected X)"),
        ("977-3-16-148410-0", "is not an ISBN-13 (those start with 978 or 979)"),
        ("0-393-70201", "is not an ISBN (10 or 13 digits expected, found 9)"),
        ("X-201-13447-0", "is not an ISBN (10 or 13 digits expected, found 9)"),
    ],
)
def test_bad_isbns_say_why(isbn: str, reason: str) -> None:
    assert v.check_isbn(isbn) == reason


def test_placeholders_are_unknown_values_not_errors() -> None:
    assert v.check_isbn("????") is None
    assert v.check_issn("??") is None
    assert v.check_year("????", "biblatex") is None
    assert v.check_month("????", "biblatex") is None


def _with_isbn10_check(digits: str) -> str:
    return digits + v.isbn10_check_digit(digits)


def _with_isbn13_check(digits: str) -> str:
    return digits + v.isbn13_check_digit(digits)


digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
digits12 = st.tuples(st.sampled_from(["978", "979"]), st.text("0123456789", min_size=9, max_size=9))


@given(digits)
def test_every_isbn10_with_its_check_digit_passes(first9: str) -> None:
    assert v.check_isbn(_with_isbn10_check(first9)) is None


@given(digits12)
def test_every_isbn13_with_its_check_digit_passes(parts: tuple[str, str]) -> None:
    assert v.check_isbn(_with_isbn13_check(parts[0] + parts[1])) is None


@given(digits, st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_of_an_isbn10_fails(first9: str, at: int, delta: int) -> None:
    isbn = _with_isbn10_check(first9)
    changed = isbn[:at] + str((int(isbn[at]) + delta) % 10) + isbn[at + 1 :]
    assert v.check_isbn(changed) is not None  # ISBN-10 catches every single-digit error


@given(digits12, st.integers(3, 11), st.integers(1, 9))
def test_changing_one_digit_of_an_isbn13_fails(parts: tuple[str, str], at: int, delta: int) -> None:
    isbn = _with_isbn13_check(parts[0] + parts[1])
    changed = isbn[:at] + str((int(isbn[at]) + delta) % 10) + isbn[at + 1 :]
    assert v.check_isbn(changed) is not None  # weights 1 and 3 are prime to 10


@given(st.text(alphabet="0123456789", min_size=7, max_size=7), st.integers(0, 6), st.integers(1, 9))
def test_issn_check_digit_round_trip(first7: str, at: int, delta: int) -> None:
    issn = first7 + v.issn_check_digit(first7)
    assert v.check_issn(issn[:4] + "-" + issn[4:]) is None
    changed = issn[:at] + str((int(issn[at]) + delta) % 10) + issn[at + 1 :]
    assert v.check_issn(changed) is not None


@pytest.mark.parametrize(
    "issn",
    ["0317-8471", "0028-0836", "1476-4687", "0003-049X", "2049-3630", "1558-173x", "03178471"],
)
def test_real_issns_pass(issn: str) -> None:  # incl. Nature print/online, an X check digit
    assert v.check_issn(issn) is None


def test_bad_issns_say_why() -> None:
    assert v.check_issn("0317-8472") == "has a wrong check digit (expected 1)"
    assert v.check_issn("1080-2070") == "has a wrong check digit (expected X)"
    assert v.check_issn("317-8471") == "is not an ISSN (NNNN-NNNN expected)"


def test_identifier_lists_are_split_around_remarks_and_words() -> None:
    text = "0-534-13326-6 (single-user version), 0-534-13329-0\n    (site-license)"
    assert [text[s:e] for s, e in v.split_identifiers(text)] == [
        "0-534-13326-6",
        "0-534-13329-0",
    ]
    text = "0003-049X (print), 2326-9243 (electronic)"
    assert [text[s:e] for s, e in v.split_identifiers(text)] == ["0003-049X", "2326-9243"]
    text = "90-5199-187-8 (IOS Press) 4-274-90017-7; 0-901420-59-X hardback"
    assert [text[s:e] for s, e in v.split_identifiers(text)] == [
        "90-5199-187-8",
        "4-274-90017-7",
        "0-901420-59-X",
    ]
    assert v.split_identifiers("978 3 16 148410 0") == [(0, 17)]


# ------------------------------------------------------------------------------ DOI / URL


@pytest.mark.parametrize(
    "doi",
    [
        "10.1000/182",
        "10.1145/3368089.3409675",
        "10.1016/S0095-4470(19)30815-0",
        "10.1007/3-540-36477-3_5",
        "10.47397/tb/42-3/tb132beeton-spivak",
        "10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-0",
        "10.5555.1/abc",
    ],
)
def test_real_dois_pass(doi: str) -> None:
    assert v.check_doi(doi) is None


@pytest.mark.parametrize(
    ("doi", "reason"),
    [
        ("10.1145.62523", "has no `/` between prefix and suffix"),
        ("11.1000/182", "does not start with `10.`"),
        ("10.1000 182/x y", "contains a space"),
        ("10.12/abc", "has no valid prefix (`10.` and 4 to 9 digits)"),
    ],
)
def test_bad_dois_say_why(doi: str, reason: str) -> None:
    assert v.check_doi(doi) == reason


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("https://doi.org/10.1000/182", "10.1000/182"),
        ("http://dx.doi.org/10.1109/6.4550", "10.1109/6.4550"),
        ("HTTPS://www.doi.org/10.1000/182", "10.1000/182"),
        ("doi:10.1000/182", "10.1000/182"),
        ("DOI: 10.1000/182", "10.1000/182"),
        ("https://doi.org/10.1002/%28SICI%291097", "10.1002/(SICI)1097"),
        ("10.1000/182", None),
        ("https://example.org/10.1000/182", None),
    ],
)
def test_doi_from_url(text: str, bare: str | None) -> None:
    assert v.doi_from_url(text) == bare


@pytest.mark.parametrize(
    "url",
    [
        "https://tug.org/TUGboat/tb41-1/tb127edit.pdf",
        "ftp://ftp.ctan.org/tex-archive/",
        "http://catalogue.bnf.fr/ark:/12148/cb437602764",
        "file:///usr/share/doc/x.pdf",
        "mailto:someone@example.org",
        "https://example.org/a?b=c&d=e#frag",
        "urn:isbn:0-201-13447-0",
    ],
)
def test_good_urls_pass(url: str) -> None:
    assert v.check_url(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("www.example.org/page", "has no scheme (such as https://)"),
        ("http:///path", "has no host after http://"),
        ("https://example.org/a b", "contains a space (write it as %20)"),
        ("http://a.org/x;\n   http://b.org/y", "holds several URLs (styles print one link)"),
        ("http://[::1", "is not a URL (Invalid IPv6 URL)"),
        ("1http://x", "has no scheme (such as https://)"),
    ],
)
def test_bad_urls_say_why(url: str, reason: str) -> None:
    assert v.check_url(url) == reason


# ------------------------------------------------------------------------------ years, dates


@pytest.mark.parametrize(
    ("year", "dialect", "reason"),
    [
        ("2020", "bibtex", None),
        ("2020", "biblatex", None),
        ("-50", "biblatex", None),  # biber keeps negative years (it warns about sorting)
        ("92", "bibtex", "looks abbreviated (write the year in full)"),
        ("92", "biblatex", "looks abbreviated (write the year in full)"),
        ("1986a", "bibtex", None),  # BibTeX prints it; natbib-style disambiguation
        ("1986a", "biblatex", "is not an integer: biber drops it"),
        ("1900--1925", "bibtex", None),
        ("1900--1925", "biblatex", "is a range: biber drops it (use `date = {YYYY/YYYY}`)"),
        ("in press", "bibtex", "has no four-digit year"),
        ("19xx", "bibtex", "has no four-digit year"),
        ("{\\noopsort{1986a}}1986", "bibtex", None),
        ("1994 (to appear)", "bibtex", None),
    ],
)
def test_years(year: str, dialect: str, reason: str | None) -> None:
    assert v.check_year(year, dialect) == reason


# What biber 2.18 accepts (`biber --tool --validate-datamodel`), and what it rejects.
GOOD_DATES = [
    "2020",
    "2020-05",
    "2020-05-04",
    "2020-02-29",
    "2000-02-29",
    "2020/",
    "/2020",
    "../2020",
    "2020/..",
    "1984/1986",
    "1984-05/1986-07-03",
    "2020-21",  # spring
    "2020-24",
    "2020-41",  # a year division of biblatex 3.16+
    "19XX",
    "198X",
    "1999-XX",
    "1999-XX-XX",
    "2004-22~",
    "2004?",
    "2004-06-11%",
    "-0876",
    "Y-170000002",
    "2004-04-05T14:34:00",
    "2004-04-05T14:34:00Z",
    "2004-04-05T14:34+02:00",
]
BAD_DATES = [
    ("2020-02-30", "day 30 does not exist"),
    ("1900-02-29", "day 29 does not exist"),
    ("2020-42", "month 42 is not 01 to 12 (or a season, 21 to 41)"),
    ("2004-13", "month 13 is not 01 to 12 (or a season, 21 to 41)"),
    ("2020-13-01", "month 13 is not 01 to 12"),
    ("15/05/84", "is not an ISO 8601 date (YYYY-MM-DD, or a range A/B)"),
    ("2020-1-5", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("20", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("02020", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("?2004-06", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("2004~-06", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("May 2020", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("/", "is an open range with no date"),
    ("2019/2020-13", "`2020-13`: month 13 is not 01 to 12 (or a season, 21 to 41)"),
]


@pytest.mark.parametrize("date", GOOD_DATES)
def test_dates_biber_accepts(date: str) -> None:
    assert v.check_date(date) is None


@pytest.mark.parametrize(("date", "reason"), BAD_DATES)
def test_dates_biber_rejects(date: str, reason: str) -> None:
    assert v.check_date(date) == reason


@given(st.dates())
def test_every_calendar_date_passes(day: date) -> None:
    assert v.check_date(f"{day.year:04d}-{day.month:02d}-{day.day:02d}") is None


@pytest.mark.parametrize(
    ("month", "dialect", "reason"),
    [
        ("5", "bibtex", None),
        ("12", "biblatex", None),
        ("13", "bibtex", "is not a month (1 to 12)"),
        ("0", "biblatex", "is not a month (1 to 12)"),
        ("May", "biblatex", None),  # biber maps English names
        ("jun.", "biblatex", None),
        ("September", "bibtex", None),
        ("Sept.", "bibtex", None),
        ("Mai", "bibtex", "is not an English month name (use the macros `jan`...`dec`)"),
        ("Mai", "biblatex", "is not a month: biber takes 1 to 12 or an English month name"),
        ("Fall", "bibtex", None),
        (
            "Fall",
            "biblatex",
            "is a season: biber drops it (use `date`, e.g. 2020-21 for spring 2020)",
        ),
        ("1--2", "biblatex", "is not a month: biber takes 1 to 12 or an English month name"),
        ("July/August", "bibtex", None),  # BibTeX prints it as it is
        ("First Quarter", "bibtex", None),
    ],
)
def test_months(month: str, dialect: str, reason: str | None) -> None:
    assert v.check_month(month, dialect) == reason


# ------------------------------------------------------------------------------ pages


@pytest.mark.parametrize(
    "pages",
    [
        "12",
        "12--19",
        "12\u201319",
        "xiv",
        "xi--xiv",
        "e123",
        "S12--S19",
        "L5",
        "12+",
        "12ff.",
        "4:1--4:25",
        "27--30, 32, 34, 36",
        "xvi + 542",
        "??--??",
        "109--??",
        "c1--c1",
        "G-1--G-28",
        "12.5.1--12.5.4",
        "A. 12--A. 19",
        "12--19 (or 20)",
        "{c\\,3}-{c\\,4}",  # TeX commands: not checked
    ],
)
def test_good_pages(pages: str) -> None:
    assert [p for p in v.check_pages(pages) if p.kind == "bad"] == []


@pytest.mark.parametrize(
    ("pages", "bad"),
    [
        ("pp. 12--19", ["pp. 12--19"]),
        ("p. 5", ["p. 5"]),
        ("various", ["various"]),
        ("12, Cover 3", ["Cover 3"]),
        ("208.", ["208."]),
        ("12---", ["12---"]),
    ],
)
def test_bad_pages_are_located(pages: str, bad: list[str]) -> None:
    found = [pages[p.start : p.end] for p in v.check_pages(pages) if p.kind == "bad"]
    assert found == bad


def test_a_single_hyphen_is_located_on_the_hyphen() -> None:
    text = "12-19, 30--31, S1-S4, {c3}-{c4}"
    hyphens = [(p.start, p.end) for p in v.check_pages(text) if p.kind == "hyphen"]
    assert hyphens == [(2, 3), (17, 18), (26, 27)]
    assert all(text[s:e] == "-" for s, e in hyphens)
    assert v.check_pages("12--19") == []


def test_a_url_wrapped_in_the_url_command_says_so() -> None:
    from bib_lsp.model.values import check_url

    reason = check_url(r"\url{http://x.org}")
    assert reason is not None and "wrapped" in reason
    assert check_url("http://x.org") is None
