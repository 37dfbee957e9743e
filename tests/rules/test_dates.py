"""bad-year, bad-date and bad-month (bib_lsp.rules.dates) on inline entries, with their ranges."""

from __future__ import annotations

import pytest

from bib_lsp.syntax.tree import Severity
from tests.rules.helpers import entry, expect


@pytest.mark.parametrize(
    ("field", "dialect"),
    [
        ("year = 2020", "bibtex"),
        ("year = {«92»}", "bibtex"),
        ('year = " «92» "', "biblatex"),
        ("year = {1986a}", "bibtex"),
        ("year = {«1986a»}", "biblatex"),
        ("year = {«in press»}", "bibtex"),
        ("year = {????}", "bibtex"),
        ("year = y2k", "bibtex"),  # a macro: not checked
    ],
)
def test_bad_year(field: str, dialect: str) -> None:
    expect(entry(field), "bad-year", dialect)


def test_bad_year_message() -> None:
    (problem,) = expect(entry("year = {«1900--1925»}"), "bad-year", "biblatex")
    assert problem.message == (
        "`year` 1900--1925 is a range: biber drops it (use `date = {YYYY/YYYY}`)"
    )


@pytest.mark.parametrize(
    "field",
    [
        "date = {2020-05-04}",
        "date = {2020/}",
        "date = {2020-21~}",
        "urldate = {«04/05/2021»}",
        "eventdate = {«2021-02-29»}",
        "origdate = {«1850-13»}",
    ],
)
def test_bad_date(field: str) -> None:
    expect(entry(field), "bad-date", "biblatex")


def test_dates_are_checked_for_biblatex_only() -> None:
    expect(entry("urldate = {04/05/2021}"), "bad-date", "bibtex")
    (problem,) = expect(entry("date = {«2021-02-29»}"), "bad-date", "biblatex")
    assert problem.message == "`date` 2021-02-29 day 29 does not exist"


@pytest.mark.parametrize(
    ("field", "dialect"),
    [
        ("month = may", "bibtex"),
        ("month = {«13»}", "bibtex"),
        ("month = {«13»}", "biblatex"),
        ("month = {«Mai»}", "bibtex"),
        ("month = {May}", "bibtex"),
        ("month = {Spring}", "bibtex"),
        ("month = {«Spring»}", "biblatex"),
        ('month = jan # "--" # feb', "bibtex"),
        ('month = «jan # "--" # feb»', "biblatex"),
        ("month = mymacro", "biblatex"),
        ('month = «sep # " 4"»', "biblatex"),
    ],
)
def test_bad_month(field: str, dialect: str) -> None:
    expect(entry(field), "bad-month", dialect)


def test_bad_month_message_names_the_field_and_value() -> None:
    (problem,) = expect(entry("month = {«Mai»}"), "bad-month")
    assert problem.message == (
        "`month` Mai is not an English month name (use the macros `jan`...`dec`)"
    )
    assert problem.severity is Severity.WARNING
