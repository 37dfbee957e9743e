"""Completion candidates per context (values so far)."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.features.completion import complete
from bib_lsp.rules import Checker


def labels(marked: str, dialect: str = "bibtex") -> list[str]:
    text = marked.replace("|", "")
    doc = Document(text)
    _, items = complete(doc, Checker(doc).index, marked.index("|"), dialect)
    return [i.label for i in sorted(items, key=lambda i: (i.sort, i.label.lower()))]


TEXT = (
    '@string{TUB = "TUGboat"}\n'
    '@string{acm = "ACM"}\n'
    "@book{knuth84, title = {The TeXbook}}\n"
    "@proceedings{tug2020, title = {TUG 2020}}\n"
)


def test_a_bare_value_offers_the_files_macros_and_the_predefined_ones() -> None:
    found = labels(TEXT + "@article{k, journal = |}\n")
    assert {"TUB", "acm", "jan", "dec", "cacm"} <= set(found)
    # With their text as detail.
    doc = Document(TEXT + "@article{k, journal = T}\n")
    _, items = complete(doc, Checker(doc).index, doc.length - 3, "bibtex")
    assert next(i for i in items if i.label == "TUB").detail == "TUGboat"


def test_months_come_first_in_month() -> None:
    found = labels(TEXT + "@article{k, month = |}\n")
    assert found[:12] == [
        "apr",
        "aug",
        "dec",
        "feb",
        "jan",
        "jul",
        "jun",
        "mar",
        "may",
        "nov",
        "oct",
        "sep",
    ]
    assert "cacm" not in labels(TEXT + "@article{k, month = |}\n", "biblatex")


def test_reference_fields_offer_the_keys_of_other_entries() -> None:
    found = labels(TEXT + "@inproceedings{k, crossref = {tug|}}\n")
    assert found[0] == "tug2020"
    assert set(found) == {"tug2020", "knuth84", "k"}
    assert "knuth84" in labels(TEXT + "@online{k, related = {tug2020, |}}\n", "biblatex")


def test_closed_sets_of_values() -> None:
    assert "forthcoming" in labels("@article{k, pubstate = {|}}\n", "biblatex")
    assert labels("@thesis{k, type = {|}}\n", "biblatex") == ["candthesis", "mathesis", "phdthesis"]
    assert "ngerman" in labels("@book{k, langid = {|}}\n", "biblatex")
    assert labels("@book{k, note = {|}}\n") == []
