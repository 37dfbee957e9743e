"""missing-required-field, per dialect, with inheritance and empty values."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.tree import Severity
from tests.backends import biber_warnings, needs_biber_document
from tests.rules.helpers import found


def missing(text: str, dialect: str = "auto") -> list[tuple[str, list[str]]]:
    """(the text the problem points at, the fields a quick fix would add)."""
    out = []
    for p in found(text, "missing-required-field", dialect):
        assert p.severity is Severity.WARNING
        assert isinstance(p.data, dict)
        out.append((text[p.start : p.end], p.data["fields"]))
    return out


@pytest.mark.parametrize(
    ("text", "dialect", "expected"),
    [
        # plain.bst's article: author, title, journal, year.
        ("@article{k, author = {A}, title = {T}}", "bibtex", [("k", ["journal"]), ("k", ["year"])]),
        # book: author or editor is one requirement with two alternatives.
        (
            "@book{k, title = {T}, publisher = {P}, year = 1}",
            "bibtex",
            [("k", ["author", "editor"])],
        ),
        ("@misc{k}", "bibtex", []),
        # Unknown types require nothing (another rule reports the type).
        ("@gadget{k}", "bibtex", []),
        # biblatex: date or year; journal counts as journaltitle.
        ("@article{k, author = {A}, title = {T}, journal = {J}, date = {2020}}", "biblatex", []),
        (
            "@online{k, title = {T}, date = {2020}}",
            "biblatex",
            [("k", ["url", "doi", "eprint"])],
        ),
        # The alias @phdthesis fills in biblatex's `type`; `school` is `institution`.
        ("@phdthesis{k, author = {A}, title = {T}, school = {S}, year = 2000}", "biblatex", []),
        # Case does not matter.
        ("@ARTICLE{k, AUTHOR = {A}, Title = {T}, JOURNAL = {J}, YEAR = 1}", "bibtex", []),
    ],
)
def test_requirements_per_dialect(text: str, dialect: str, expected: list[object]) -> None:
    assert missing(text, dialect) == expected


def test_an_empty_value_counts_as_missing() -> None:
    text = "@article{k, author = {}, title = { {} }, journal = {J}, year = 1}"
    assert missing(text, "bibtex") == [("k", ["author"]), ("k", ["title"])]


def test_the_problem_sits_on_the_type_when_the_key_is_missing() -> None:
    assert missing("@article{, title = {T}}", "bibtex")[0][0] == "article"


def test_message_names_the_field_and_the_source() -> None:
    checker = Checker(Document("@article{k, author = {A}, title = {T}}"), RuleOptions("biblatex"))
    messages = [p.message for p in checker.diagnose()]
    assert "`@article` needs `journaltitle` (`journal` counts too) (biblatex)" in messages
    assert "`@article` needs `date` or `year` (biblatex)" in messages


def test_fields_inherited_through_crossref_count_as_present() -> None:
    text = (
        "@incollection{part, author = {A}, title = {T}, crossref = {whole}}\n"
        "@collection{whole, editor = {E}, title = {W}, publisher = {P}, year = 2000}\n"
    )
    # BibTeX copies editor, publisher, year; booktitle's check is skipped with crossref.
    assert missing(text, "bibtex") == []
    # biblatex: the collection's title becomes the part's booktitle.
    assert missing(text, "biblatex") == []


def test_inheritance_follows_edits_to_the_parent() -> None:
    text = (
        "@inproceedings{talk, author = {A}, title = {T}, crossref = {conf}}\n"
        "@proceedings{conf, title = {Proc}, year = 2000}\n"
    )
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect="biblatex"))
    assert [p.code for p in checker.diagnose()] == []
    # Remove the parent's year: now the talk lacks date/year too.
    at = text.index(", year = 2000")
    checker.update(doc.edit(at, at + len(", year = 2000"), ""))
    codes = [(p.code, doc.slice(p.start, p.end)) for p in checker.diagnose()]
    assert ("missing-required-field", "talk") in codes
    assert ("missing-required-field", "conf") in codes


def test_xdata_counts_for_biblatex() -> None:
    text = (
        "@xdata{pub, publisher = {P}, location = {L}}\n"
        "@book{b, author = {A}, title = {T}, date = {2001}, xdata = {pub}}\n"
    )
    assert missing(text, "biblatex") == []


def test_auto_dialect_follows_the_file() -> None:
    bibtex = "@article{k, author = {A}, title = {T}, journal = {J}}"
    # Without biblatex-only fields it reads as BibTeX: year is required.
    assert missing(bibtex) == [("k", ["year"])]
    # One field only biblatex knows makes it biblatex: date or year.
    online = "\n@misc{m, eventtitle = {E}, title = {M}, year = 2020}"
    assert missing(bibtex + online) == [("k", ["date", "year"])]
    # Fields BibTeX files carry as extras (`date`, `subtitle`, `issue`) do so only
    # when they are common: one `date` among many entries is not enough.
    many = "".join(f"\n@misc{{m{i}, title = {{M}}}}" for i in range(40))
    assert missing(bibtex + many + "\n@misc{d, date = {2020}}") == [("k", ["year"])]
    dated = "".join(
        f"\n@misc{{d{i}, author = {{A}}, title = {{T}}, date = {{2020}}}}" for i in range(3)
    )
    assert missing(bibtex + dated) == [("k", ["date", "year"])]


# Fields biber reads and drops, leaving a requirement unmet (biblatex dialect).
DROPPED = """\
@string{known = {Known}}
@misc{um, author = {A, B}, title = undefmacro, date = {2000}}
@misc{ud, author = {A, B}, title = {X}, date = undefmacro}
@misc{uy, author = {A, B}, title = {X}, year = undefmacro}
@misc{ok, author = {A, B}, title = known, date = {2000}}
@misc{cat, author = {A, B}, title = {X} # undefmacro, date = {2000}}
@misc{bad, author = {A, B}, title = {X}, date = {2000-13-45}}
@misc{feb, author = {A, B}, title = {X}, date = {2021-02-29}}
@misc{words, author = {A, B}, title = {X}, date = {May 2000}}
@misc{range, author = {A, B}, title = {X}, date = {2000/2001}}
@misc{openend, author = {A, B}, title = {X}, date = {1992/open}}
@misc{badstart, author = {A, B}, title = {X}, date = {soon/1992}}
@misc{month, author = {A, B}, title = {X}, date = {2000-03}, month = jan}
"""
# (`1992/open`: biber ignores the end it cannot read and keeps 1992.)
DROPPED_KEYS = ["um", "ud", "uy", "bad", "feb", "words", "badstart"]


def test_fields_biber_drops_count_as_missing_in_biblatex() -> None:
    problems = found(DROPPED, "missing-required-field", "biblatex")
    assert [DROPPED[p.start : p.end] for p in problems] == DROPPED_KEYS
    assert problems[0].message == (
        "`@misc` needs `title` (biblatex): `title` is the undefined macro `undefmacro`,"
        " which biber drops"
    )
    assert problems[3].message == (
        "`@misc` needs `date` or `year` (biblatex): biber cannot read `date` 2000-13-45"
        " and drops it"
    )


@needs_biber_document
def test_biber_reports_the_dropped_fields_missing() -> None:
    warnings = biber_warnings(DROPPED)
    reported = [w.split("'")[1] for w in warnings if "Missing mandatory" in w]
    assert reported == DROPPED_KEYS
