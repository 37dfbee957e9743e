"""Go to definition: macros to their `@string`, keys in reference fields to
their entry."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.features.definition import Elsewhere, Target, definition
from bib_lsp.model.index import BibIndex

TEXT = (
    '@string{acm = "ACM Press"}\n'
    '@string{jfm = "J. Fluid " # mech, mech = "Mech."}\n'
    '@string{ACM = "defined twice"}\n'
    "@proceedings{Conf20, title = {Conf}, publisher = acm}\n"
    "@inproceedings{p, crossref = {conf20}, journal = jfm # { } # mech,\n"
    "  related = {p, Conf20 , nowhere}, month = jan, note = undefined}\n"
)


def at(marked: str, text: str = TEXT) -> Target | Elsewhere | None:
    doc = Document(text)
    offset = text.index(marked.replace("|", "")) + marked.index("|")
    return definition(doc, BibIndex(doc), offset)


def target(marked: str) -> tuple[str, str, str]:
    """The whole target, its name and the name the request was on."""
    found = at(marked)
    assert isinstance(found, Target)
    return (
        TEXT[found.start : found.end],
        TEXT[found.name_start : found.name_end],
        TEXT[found.origin_start : found.origin_end],
    )


def test_a_macro_goes_to_its_first_definition() -> None:
    assert target("publisher = a|cm") == ('@string{acm = "ACM Press"}', "acm", "acm")


def test_a_macro_of_a_string_with_several_goes_to_its_field() -> None:
    assert target("{ } # me|ch") == ('mech = "Mech."', "mech", "mech")
    assert target("journal = |jfm") == ('jfm = "J. Fluid " # mech,', "jfm", "jfm")
    assert target('"J. Fluid " # me|ch') == ('mech = "Mech."', "mech", "mech")


def test_a_key_goes_to_its_entry_whatever_its_case() -> None:
    whole, name, origin = target("crossref = {co|nf20}")
    assert whole.startswith("@proceedings{Conf20,") and whole.endswith("publisher = acm}")
    assert (name, origin) == ("Conf20", "conf20")
    assert target("related = {p, Con|f20 ,")[1:] == ("Conf20", "Conf20")
    assert target("related = {|p,")[1] == "p"


@pytest.mark.parametrize(
    "marked",
    ["note = undef|ined", "month = j|an"],
)
def test_a_macro_not_defined_here_is_looked_for_elsewhere(marked: str) -> None:
    found = at(marked)
    assert isinstance(found, Elsewhere)
    assert found.name == marked.replace("|", "").split()[-1]


@pytest.mark.parametrize(
    "marked",
    ["Conf20 , now|here", "title = {Co|nf}", "@procee|dings", "@inproceedings{|p", "pub|lisher"],
)
def test_nothing_elsewhere(marked: str) -> None:
    assert at(marked) is None
