"""The value rules (bib_lsp.rules.values) on small inline files, with their ranges."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.rules.registry import RULES
from bib_lsp.syntax.tree import Problem, Severity

CODES = (
    "bad-year",
    "bad-date",
    "bad-month",
    "bad-pages",
    "page-range-hyphen",
    "bad-isbn",
    "bad-issn",
    "bad-doi",
    "doi-as-url",
    "bad-url",
    "bad-name-list",
    "unescaped-special-char",
    "all-caps-title",
    "unprotected-acronym",
)


def found(text: str, code: str, dialect: str = "bibtex") -> list[Problem]:
    problems = Checker(Document(text), RuleOptions(dialect=dialect)).diagnose()
    return [p for p in problems if p.code == code]


def spans(text: str, code: str, dialect: str = "bibtex") -> list[str]:
    """The text each problem of ``code`` covers."""
    return [text[p.start : p.end] for p in found(text, code, dialect)]


def entry(field: str, kind: str = "article") -> str:
    return f"@{kind}{{k,\n  author = {{Jane Doe}},\n  {field},\n}}\n"


def test_every_code_is_registered_with_the_expected_severity() -> None:
    information = {"page-range-hyphen", "all-caps-title", "unprotected-acronym"}
    for code in CODES:
        wanted = Severity.INFORMATION if code in information else Severity.WARNING
        assert RULES[code].doc.severity is wanted, code


# ---------------------------------------------------------------------------- year, date


@pytest.mark.parametrize(
    ("field", "dialect", "expected"),
    [
        ("year = 2020", "bibtex", []),
        ("year = {92}", "bibtex", ["92"]),
        ('year = " 92 "', "biblatex", ["92"]),
        ("year = {1986a}", "bibtex", []),
        ("year = {1986a}", "biblatex", ["1986a"]),
        ("year = {in press}", "bibtex", ["in press"]),
        ("year = {????}", "bibtex", []),
        ("year = y2k", "bibtex", []),  # a macro: not checked
    ],
)
def test_bad_year(field: str, dialect: str, expected: list[str]) -> None:
    assert spans(entry(field), "bad-year", dialect) == expected


def test_bad_year_message() -> None:
    (problem,) = found(entry("year = {1900--1925}"), "bad-year", "biblatex")
    assert problem.message == (
        "`year` 1900--1925 is a range: biber drops it (use `date = {YYYY/YYYY}`)"
    )


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("date = {2020-05-04}", []),
        ("date = {2020/}", []),
        ("date = {2020-21~}", []),
        ("urldate = {04/05/2021}", ["04/05/2021"]),
        ("eventdate = {2021-02-29}", ["2021-02-29"]),
        ("origdate = {1850-13}", ["1850-13"]),
    ],
)
def test_bad_date(field: str, expected: list[str]) -> None:
    assert spans(entry(field), "bad-date", "biblatex") == expected


def test_dates_are_checked_for_biblatex_only() -> None:
    assert spans(entry("urldate = {04/05/2021}"), "bad-date", "bibtex") == []
    (problem,) = found(entry("date = {2021-02-29}"), "bad-date", "biblatex")
    assert problem.message == "`date` 2021-02-29 day 29 does not exist"


# ---------------------------------------------------------------------------- month


@pytest.mark.parametrize(
    ("field", "dialect", "expected"),
    [
        ("month = may", "bibtex", []),
        ("month = {13}", "bibtex", ["13"]),
        ("month = {13}", "biblatex", ["13"]),
        ("month = {Mai}", "bibtex", ["Mai"]),
        ("month = {May}", "bibtex", []),
        ("month = {Spring}", "bibtex", []),
        ("month = {Spring}", "biblatex", ["Spring"]),
        ('month = jan # "--" # feb', "bibtex", []),
        ('month = jan # "--" # feb', "biblatex", ['jan # "--" # feb']),
        ("month = mymacro", "biblatex", []),
        ('month = sep # " 4"', "biblatex", ['sep # " 4"']),
    ],
)
def test_bad_month(field: str, dialect: str, expected: list[str]) -> None:
    assert spans(entry(field), "bad-month", dialect) == expected


def test_bad_month_message_names_the_field_and_value() -> None:
    (problem,) = found(entry("month = {Mai}"), "bad-month")
    assert problem.message == (
        "`month` Mai is not an English month name (use the macros `jan`...`dec`)"
    )
    assert problem.severity is Severity.WARNING


# ---------------------------------------------------------------------------- pages


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("pages = {12--19}", []),
        ("pages = {e123}", []),
        ("pages = {S12--S19, 22}", []),
        ("pages = {12+}", []),
        ("pages = {pp. 12--19}", ["pp. 12--19"]),
        ("pages = {12, various}", ["various"]),
        ("pages = 12", []),
        ("pages = pagemacro", []),
    ],
)
def test_bad_pages(field: str, expected: list[str]) -> None:
    assert spans(entry(field), "bad-pages") == expected


def test_pp_gets_its_own_message() -> None:
    (problem,) = found(entry("pages = {pp. 12--19}"), "bad-pages")
    assert problem.message == "`pages` pp. 12--19 starts with `pp.`: styles add it themselves"


def test_page_range_hyphen_sits_on_the_hyphen_with_a_fix() -> None:
    text = entry("pages = {12-19, S1-S4}")
    problems = found(text, "page-range-hyphen")
    assert [text[p.start : p.end] for p in problems] == ["-", "-"]
    assert [text[p.start - 2 : p.end + 2] for p in problems] == ["12-19", "S1-S4"]
    assert all(p.data == {"replace": "--"} for p in problems)
    assert all(p.severity is Severity.INFORMATION for p in problems)
    assert found(entry("pages = {12--19}"), "page-range-hyphen") == []


def test_page_range_hyphen_is_bibtex_only() -> None:
    # biblatex parses the range and prints its own dash.
    assert found(entry("pages = {12-19}"), "page-range-hyphen", "biblatex") == []


def test_pieces_joined_with_hash_map_back_to_their_place() -> None:
    text = entry('pages = "1" # "2-19"')
    (problem,) = found(text, "page-range-hyphen")
    assert text[problem.start : problem.end] == "-"
    assert text[problem.start - 1 : problem.end + 2] == "2-19"


# ---------------------------------------------------------------------------- identifiers


def test_bad_isbn_points_at_the_wrong_isbn_of_a_list() -> None:
    text = entry("isbn = {0-201-13447-0 (paperback), 978-3-16-148410-1 (hardcover)}", "book")
    (problem,) = found(text, "bad-isbn")
    assert text[problem.start : problem.end] == "978-3-16-148410-1"
    assert problem.message == "`isbn` 978-3-16-148410-1 has a wrong check digit (expected 0)"
    assert found(entry("isbn = {978-3-16-148410-0}", "book"), "bad-isbn") == []
    assert found(entry("isbn = {????}", "book"), "bad-isbn") == []


def test_bad_issn() -> None:
    text = entry('issn = "0003-049X (print), 2326-9244 (electronic)"')
    assert spans(text, "bad-issn") == ["2326-9244"]
    assert found(entry("issn = {0317-8471}"), "bad-issn") == []


def test_bad_doi() -> None:
    assert spans(entry("doi = {10.1145.62523}"), "bad-doi") == ["10.1145.62523"]
    assert spans(entry("doi = {10.1000/182}"), "bad-doi") == []


def test_doi_as_url_covers_the_content_and_offers_the_bare_doi() -> None:
    text = entry("doi = { https://doi.org/10.1000/182 }")
    (problem,) = found(text, "doi-as-url")
    assert text[problem.start : problem.end] == "https://doi.org/10.1000/182"
    assert problem.data == {"replace": "10.1000/182"}
    assert problem.severity is Severity.WARNING
    assert found(text, "bad-doi") == []
    # A link to something that is not a DOI is both.
    text = entry("doi = {http://dx.doi.org/10.1145.62523}")
    assert spans(text, "doi-as-url") == ["http://dx.doi.org/10.1145.62523"]
    assert spans(text, "bad-doi") == ["http://dx.doi.org/10.1145.62523"]


def test_doi_as_url_has_no_fix_when_the_value_has_several_pieces() -> None:
    text = entry('doi = "https://doi.org/" # "10.1000/182"')
    (problem,) = found(text, "doi-as-url")
    assert problem.data is None


def test_bad_url() -> None:
    assert spans(entry("url = {www.example.org}"), "bad-url") == ["www.example.org"]
    assert spans(entry("url = {https://example.org/a_b}"), "bad-url") == []
    assert spans(entry("url = {}"), "bad-url") == []


# ---------------------------------------------------------------------------- names


def test_bad_name_list() -> None:
    text = "@article{k, author = {Doe, J., Roe, R.}, editor = {A and and B}, title = {T}}"
    assert spans(text, "bad-name-list") == ["Doe, J., Roe, R.", "and"]
    assert text.index("and and") == text.find("and", text.index("editor"))
    problems = found(text, "bad-name-list")
    assert problems[1].start == text.index("and and") + 4  # the second `and`
    assert spans("@article{k, author = {Doe, Jane and Roe, R.}}", "bad-name-list") == []
    assert spans("@article{k, translator = {Doe and}}", "bad-name-list") == ["and"]


# ---------------------------------------------------------------------------- special chars


def test_unescaped_special_char_sits_on_the_character() -> None:
    text = entry("title = {Examples & 50% of $x_1$ a_b}")
    assert spans(text, "unescaped-special-char") == ["&", "%", "_"]
    problems = found(text, "unescaped-special-char")
    assert problems[0].message == "`title` has an unescaped `&` (write `\\&`)"


def test_special_chars_outside_text_fields_are_fine() -> None:
    text = entry("url = {http://a.org/x_y%20}, doi = {10.1000/a_b}, note = {\\url{http://a_b}}")
    assert found(text, "unescaped-special-char") == []
    assert found('@preamble{ "\\def\\a#1{#1}" }', "unescaped-special-char") == []
    assert found('@string{s = "A & B"}', "unescaped-special-char") == []
    assert found(entry("bibsource = {a_b}"), "unescaped-special-char") == []


def test_unbalanced_dollar() -> None:
    text = entry("note = {costs $5}")
    (problem,) = found(text, "unescaped-special-char")
    assert text[problem.start : problem.end] == "$"
    assert "never closes" in problem.message


# ---------------------------------------------------------------------------- capitals


def test_all_caps_title() -> None:
    text = entry("title = { A BOOK OF EXAMPLES }", "book")
    for dialect in ("bibtex", "biblatex"):
        assert spans(text, "all-caps-title", dialect) == ["A BOOK OF EXAMPLES"]
    assert spans(text, "unprotected-acronym") == []  # one finding, not one per word
    assert spans(entry("title = {The {NASA} Way}"), "all-caps-title") == []
    assert spans(entry("journal = {JOURNAL OF EXAMPLES}"), "all-caps-title") == []


def test_unprotected_acronym_sits_on_the_word_with_a_fix() -> None:
    text = entry("title = {Examples from NASA and {IBM} with \\LaTeX}")
    problems = found(text, "unprotected-acronym")
    assert [text[p.start : p.end] for p in problems] == ["NASA", "\\LaTeX"]
    assert [p.data for p in problems] == [{"replace": "{NASA}"}, {"replace": "{\\LaTeX}"}]
    assert problems[0].message == ("`title`: NASA is lower-cased by styles that do (write {NASA})")


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        (entry("title = {Examples from NASA}"), "biblatex"),  # styles keep the case
        (entry("title = {Examples from NASA}", "book"), "bibtex"),  # plain.bst keeps it
        (entry("booktitle = {Proceedings of NASA}", "inproceedings"), "bibtex"),
        (entry("journal = {NASA Tech Briefs}"), "bibtex"),
        (entry("title = {Examples from {NASA}}"), "bibtex"),
    ],
)
def test_unprotected_acronym_not_reported(text: str, dialect: str) -> None:
    assert found(text, "unprotected-acronym", dialect) == []


def test_damaged_entries_are_skipped() -> None:
    assert found("@article{k, year = {92}, title = {A & B}", "bad-year") == []


def test_findings_are_cached_per_dialect() -> None:
    document = Document(entry("pages = {12-19}"))
    checker = Checker(document, RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose() if p.code == "page-range-hyphen"] == [
        "page-range-hyphen"
    ]
    checker.options = RuleOptions(dialect="biblatex")
    assert [p.code for p in checker.diagnose() if p.code == "page-range-hyphen"] == []
