"""bad-isbn, bad-issn, bad-doi, doi-as-url and bad-url (bib_lsp.rules.identifiers) on
inline entries, with their ranges."""

from __future__ import annotations

from bib_lsp.syntax.tree import Severity
from tests.rules.helpers import entry, expect


def test_bad_isbn_points_at_the_wrong_isbn_of_a_list() -> None:
    marked = entry("isbn = {0-201-13447-0 (paperback), «978-3-16-148410-1» (hardcover)}", "book")
    (problem,) = expect(marked, "bad-isbn")
    assert problem.message == "`isbn` 978-3-16-148410-1 has a wrong check digit (expected 0)"
    expect(entry("isbn = {978-3-16-148410-0}", "book"), "bad-isbn")
    expect(entry("isbn = {????}", "book"), "bad-isbn")


def test_bad_issn() -> None:
    expect(entry('issn = "0003-049X (print), «2326-9244» (electronic)"'), "bad-issn")
    expect(entry("issn = {0317-8471}"), "bad-issn")


def test_bad_doi() -> None:
    expect(entry("doi = {«10.1145.62523»}"), "bad-doi")
    expect(entry("doi = {10.1000/182}"), "bad-doi")


def test_doi_as_url_covers_the_content_and_offers_the_bare_doi() -> None:
    marked = entry("doi = { «https://doi.org/10.1000/182» }")
    (problem,) = expect(marked, "doi-as-url")
    assert problem.data == {"replace": "10.1000/182"}
    assert problem.severity is Severity.WARNING
    expect(marked.replace("«", "").replace("»", ""), "bad-doi")
    # A link to something that is not a DOI is both.
    marked = entry("doi = {«http://dx.doi.org/10.1145.62523»}")
    expect(marked, "doi-as-url")
    expect(marked, "bad-doi")


def test_doi_as_url_has_no_fix_when_the_value_has_several_pieces() -> None:
    (problem,) = expect(entry('doi = "«https://doi.org/" # "10.1000/182»"'), "doi-as-url")
    assert problem.data is None


def test_bad_url() -> None:
    expect(entry("url = {«www.example.org»}"), "bad-url")
    expect(entry("url = {https://example.org/a_b}"), "bad-url")
    expect(entry("url = {}"), "bad-url")
