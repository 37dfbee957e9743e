"""Keys as each backend compares them: BibTeX without regard to case, biber with it
(`crossref`, `entryset` and the other reference fields), and biblatex `@set`s, which
take their data from their first member. Each behaviour is also checked against the
real backend."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.backends import biber_warnings, needs_biber_document
from tests.rules.helpers import found

CHILD = (
    "@collection{parent, editor = {Ed, A.}, title = {Parent}, date = {2001}}\n"
    "@incollection{child, author = {Au, B.}, editor = {Ed, A.}, title = {Child},\n"
    "  crossref = {Parent}}\n"
)


def codes(text: str, dialect: str) -> list[tuple[str, str]]:
    return [
        (p.code, text[p.start : p.end])
        for p in found(text, ("dangling-reference", "missing-required-field"), dialect)
    ]


def test_biblatex_crossref_is_case_sensitive_and_the_child_inherits_nothing() -> None:
    assert codes(CHILD, "biblatex") == [
        ("missing-required-field", "child"),
        ("missing-required-field", "child"),
        ("dangling-reference", "Parent"),
    ]
    (dangling,) = found(CHILD, "dangling-reference", "biblatex")
    assert dangling.message == (
        "`crossref` names `Parent`, but no entry in this file has that key"
        " (`parent` differs in case: biber compares keys with case)"
    )
    needed = [p.data["fields"] for p in found(CHILD, "missing-required-field", "biblatex")]
    assert needed == [["booktitle"], ["date", "year"]]  # type: ignore[index]


def test_bibtex_crossref_ignores_case() -> None:
    assert [c for c, _ in codes(CHILD, "bibtex")].count("dangling-reference") == 0


@needs_biber_document
def test_biber_does_not_find_a_crossref_in_another_case() -> None:
    warnings = biber_warnings(CHILD)
    assert "I didn't find a database entry for crossref 'Parent' in entry 'child'" in " ".join(
        warnings
    )
    missing = [w for w in warnings if "Entry 'child'" in w and "Missing mandatory" in w]
    assert set(missing) == {
        "Datamodel: Entry 'child' (refs.bib): Missing mandatory field - one of 'date, year'"
        " must be defined",
        "Datamodel: Entry 'child' (refs.bib): Missing mandatory field 'booktitle'",
    }
    # Spelled alike, the child inherits (and nothing is missing).
    fixed = CHILD.replace("{Parent}}", "{parent}}")
    assert not [w for w in biber_warnings(fixed) if "child" in w]
    assert codes(fixed, "biblatex") == []


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
def test_bibtex_finds_a_crossref_in_another_case(tmp_path: Path) -> None:
    text = (
        "@incollection{child, author = {Au, B.}, title = {Child}, crossref = {Parent}}\n"
        "@book{parent, editor = {Ed, A.}, title = {Parent}, booktitle = {Parent},"
        " publisher = {P}, year = 2001}\n"
    )
    (tmp_path / "refs.bib").write_text(text, encoding="ascii")
    (tmp_path / "main.aux").write_text(
        "\\citation{child}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="ascii"
    )
    subprocess.run(["bibtex", "-terse", "main"], cwd=tmp_path, capture_output=True, check=False)
    log = (tmp_path / "main.blg").read_text(encoding="latin-1")
    assert "bad cross reference" not in log
    # The child got the parent's fields: its book title, publisher and year.
    assert "{\\em Parent}. P, 2001." in (tmp_path / "main.bbl").read_text(encoding="latin-1")
    assert codes(text, "bibtex") == []


# The biblatex manual's @set example (§3.13.5), with members to match.
SET = """\
@set{set1, entryset = {key1,key2,key3}}
@article{key1, author = {Doe, J.}, title = {One}, journaltitle = {J}, date = {2001}}
@article{key2, author = {Doe, J.}, title = {Two}, journaltitle = {J}, date = {2002}}
@article{key3, author = {Doe, J.}, title = {Three}, journaltitle = {J}, date = {2003}}
"""


def test_the_manuals_set_example_is_clean() -> None:
    assert codes(SET, "biblatex") == []


def test_a_set_takes_its_data_from_its_first_member_found() -> None:
    # The first member found lacks a date: biber warns for the set too.
    text = SET.replace(", date = {2001}", "").replace("= {key1,", "= {gone, key1,")
    assert codes(text, "biblatex") == [
        ("missing-required-field", "set1"),
        ("dangling-reference", "gone"),
        ("missing-required-field", "key1"),
    ]
    assert codes(SET.replace("= {key1,", "= {Key1,"), "biblatex") == [
        ("dangling-reference", "Key1")
    ]


@needs_biber_document
def test_biber_agrees_about_sets() -> None:
    assert biber_warnings(SET) == []
    text = SET.replace(", date = {2001}", "").replace("= {key1,", "= {gone, key1,")
    warnings = biber_warnings(text)
    assert "I didn't find a database entry for static set member 'gone' in entry 'set1'" in (
        " ".join(warnings)
    )
    assert sorted(w.split("'")[1] for w in warnings if "Missing mandatory" in w) == [
        "key1",
        "set1",
    ]
