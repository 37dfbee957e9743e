"""duplicate-field, unknown-entry-type, unknown-field and empty-field (bib_lsp.rules.fields):
positive and negative cases per dialect, with their ranges."""

from __future__ import annotations

import pytest

from bib_lsp.rules import RULES
from bib_lsp.syntax.tree import Severity
from tests.rules.helpers import at, expect, found, spans


def test_severities() -> None:
    expected = {
        "duplicate-field": Severity.ERROR,
        "unknown-entry-type": Severity.WARNING,
        "unknown-field": Severity.HINT,
        "empty-field": Severity.WARNING,
        "author-and-editor": Severity.WARNING,
        "volume-and-number": Severity.WARNING,
    }
    assert {code: RULES[code].doc.severity for code in expected} == expected


# --------------------------------------------------------------------------------------------
# duplicate-field
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_duplicate_field_points_at_the_later_name(dialect: str) -> None:
    text = "@book{k, title = {A}, year = 1, Title = {B}}"
    [p] = expect("@book{k, title = {A}, year = 1, «Title» = {B}}", "duplicate-field", dialect)
    assert p.message == "`Title` is given twice: BibTeX keeps the first, biber the last"
    assert p.data == {"field": "title"}
    assert [(r.start, r.end) for r in p.related] == [at(text, "title")]
    assert p.severity is Severity.ERROR


def test_duplicate_field_three_times() -> None:
    text = "@misc{k, note = {a}, NOTE = {b}, note = {c}}"
    problems = expect("@misc{k, note = {a}, «NOTE» = {b}, «note» = {c}}", "duplicate-field")
    assert all("given 3 times" in p.message for p in problems)
    # Each points at the other two.
    assert [(r.start, r.end) for r in problems[1].related] == [at(text, "note"), at(text, "NOTE")]


@pytest.mark.parametrize(
    "text",
    [
        "@book{k, title = {A}, booktitle = {B}}",
        "@string{a = {x}}\n@string{a = {y}}",  # duplicate-string's business
        "@book{k, title = {A}, title = {B",  # damaged: fix the syntax first
    ],
)
def test_duplicate_field_negative(text: str) -> None:
    assert found(text, "duplicate-field", "bibtex") == []


def test_related_places_are_absolute_for_a_later_entry() -> None:
    # Found while writing this rule: Problem.shifted moved the range only.
    text = "@misc{a, note = {x}}\n\n@book{k, title = {A}, TITLE = {B}}"
    [p] = found(text, "duplicate-field", "bibtex")
    assert [(r.start, r.end) for r in p.related] == [at(text, "title")]


# --------------------------------------------------------------------------------------------
# unknown-entry-type
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "dialect", "message", "replace"),
    [
        (
            "@artcle{k, title = {T}}",
            "bibtex",
            "`@artcle` is not a BibTeX entry type: BibTeX styles print it as `@misc` "
            "(did you mean `@article`?)",
            "article",
        ),
        (
            "@INPROCEEDING{k, title = {T}}",
            "biblatex",
            "`@INPROCEEDING` is not a biblatex entry type: biber treats it as `@misc` "
            "(did you mean `@INPROCEEDINGS`?)",
            "INPROCEEDINGS",
        ),
        (
            "@gadget{k, title = {T}}",
            "biblatex",
            "`@gadget` is not a biblatex entry type: biber treats it as `@misc`",
            None,
        ),
        (
            "@Online{k, title = {T}}",
            "bibtex",
            "`@Online` is a biblatex type: BibTeX styles print it as `@misc`",
            None,
        ),
    ],
)
def test_unknown_entry_type(text: str, dialect: str, message: str, replace: str | None) -> None:
    [p] = found(text, "unknown-entry-type", dialect)
    assert (p.start, p.end) == at(text, text[1 : text.index("{")])
    assert p.message == message
    assert p.data == (None if replace is None else {"replace": replace})


@pytest.mark.parametrize(
    ("text", "dialect"),
    [
        ("@ARTICLE{k, title = {T}}", "bibtex"),
        ("@Software{k, title = {T}}", "bibtex"),  # a common extra type
        ("@online{k, title = {T}}", "biblatex"),
        ("@phdthesis{k, title = {T}}", "biblatex"),  # a BibTeX name biblatex maps
        ("@electronic{k, title = {T}}", "biblatex"),
        ("@string{a = {x}}", "bibtex"),
        ("@preamble{{x}}", "biblatex"),
        ("@comment{anything}", "bibtex"),
        ("@symbol{alpha, name = {\\ensuremath{\\alpha}}}", "bibtex"),  # bib2gls
        ("@artcle{k, title = {T}", "bibtex"),  # damaged
    ],
)
def test_unknown_entry_type_negative(text: str, dialect: str) -> None:
    assert found(text, "unknown-entry-type", dialect) == []


def test_the_dialect_decides_which_types_are_known() -> None:
    text = "@techreport{a, title = {T}}\n@report{b, title = {T}}\n"
    assert spans(text, "unknown-entry-type", "bibtex") == ["report"]
    assert spans(text, "unknown-entry-type", "biblatex") == []


# --------------------------------------------------------------------------------------------
# unknown-field
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "dialect", "message", "replace"),
    [
        (
            "jounral",
            "bibtex",
            "`jounral` is not a BibTeX field: it is ignored (did you mean `journal`?)",
            "journal",
        ),
        (
            "ADRESS",
            "biblatex",
            "`ADRESS` is not a biblatex field: it is ignored (did you mean `ADDRESS`?)",
            "ADDRESS",
        ),
        (
            "Yaer",
            "bibtex",
            "`Yaer` is not a BibTeX field: it is ignored (did you mean `Year`?)",
            "Year",
        ),
        ("frobnicate", "bibtex", "`frobnicate` is not a BibTeX field: it is ignored", None),
        (
            "journaltitle",
            "bibtex",
            "`journaltitle` is a biblatex field: BibTeX styles ignore it "
            "(BibTeX calls it `journal`)",
            "journal",
        ),
        (
            "date",
            "bibtex",
            "`date` is a biblatex field: BibTeX styles ignore it (they read `year` and `month`)",
            None,
        ),
        (
            "Issue",
            "bibtex",
            "`Issue` is a biblatex field: BibTeX styles ignore it (BibTeX calls it `Number`)",
            "Number",
        ),
        (
            "author+an",
            "bibtex",
            "`author+an` is a biblatex data annotation: BibTeX ignores it",
            None,
        ),
        # A known name inside a longer one is not offered as a correction.
        ("subseries", "biblatex", "`subseries` is not a biblatex field: it is ignored", None),
    ],
)
def test_unknown_field(field: str, dialect: str, message: str, replace: str | None) -> None:
    text = f"@misc{{k, title = {{T}}, {field} = {{x}}}}"
    [p] = found(text, "unknown-field", dialect)
    assert (p.start, p.end) == at(text, field)
    assert p.message == message
    assert p.data == (None if replace is None else {"replace": replace})
    # One slip from exactly one known field: a warning; anything else: a hint.
    sure = field in {"jounral", "ADRESS", "Yaer"}
    assert p.severity is (Severity.WARNING if sure else Severity.HINT)


@pytest.mark.parametrize(
    ("field", "dialect", "severity"),
    [
        ("adress", "bibtex", Severity.WARNING),  # a letter dropped
        ("pubisher", "biblatex", Severity.WARNING),
        ("tilte", "bibtex", Severity.WARNING),  # two neighbours swapped
        ("urll", "bibtex", Severity.WARNING),  # a letter added
        ("ulr", "bibtex", Severity.HINT),  # too short to be sure
        ("editon", "bibtex", Severity.HINT),  # `edition` or `editor`?
        ("booktitl", "bibtex", Severity.WARNING),
        ("jrnl", "bibtex", Severity.HINT),  # no suggestion
    ],
)
def test_unknown_field_is_a_warning_only_when_the_suggestion_is_certain(
    field: str, dialect: str, severity: Severity
) -> None:
    text = f"@misc{{k, note = {{N}}, {field} = {{x}}}}"
    [p] = found(text, "unknown-field", dialect)
    assert p.severity is severity


@pytest.mark.parametrize(
    ("field", "dialect"),
    [
        ("Journal", "bibtex"),
        ("url", "bibtex"),  # the common extras
        ("DOI", "bibtex"),
        ("keywords", "bibtex"),
        ("bibsource", "bibtex"),  # database and reference-manager metadata
        ("timestamp", "biblatex"),
        ("mrnumber", "biblatex"),
        ("bdsk-url-2", "bibtex"),
        ("journal", "biblatex"),  # legacy names biblatex maps
        ("address", "biblatex"),
        ("school", "biblatex"),
        ("urlyear", "biblatex"),  # a date part
        ("title+an:default", "biblatex"),  # a data annotation
        ("OPTeditor", "bibtex"),  # switched off on purpose
        ("xxnote", "biblatex"),
    ],
)
def test_unknown_field_negative(field: str, dialect: str) -> None:
    text = f"@misc{{k, title = {{T}}, {field} = {{x}}}}"
    assert found(text, "unknown-field", dialect) == []


def test_the_dialect_decides_which_fields_are_known() -> None:
    text = "@book{k, location = {L}, subtitle = {S}}"
    assert spans(text, "unknown-field", "bibtex") == ["location", "subtitle"]
    assert spans(text, "unknown-field", "biblatex") == []


@pytest.mark.parametrize(
    "fields",
    ["issue = 3, number = 3", "date = {2020-05}, year = 2020", "location = {L}, address = {A}"],
)
def test_a_biblatex_field_beside_its_bibtex_counterpart_is_a_harmless_extra(fields: str) -> None:
    assert found(f"@misc{{k, {fields}}}", "unknown-field", "bibtex") == []


def test_unknown_field_skips_entries_of_unknown_type_and_non_entries() -> None:
    assert found("@gadget{k, frobnicate = {x}}", "unknown-field", "bibtex") == []
    assert found("@string{frobnicate = {x}}", "unknown-field", "bibtex") == []
    assert found("@misc{k, frobnicate = {x}", "unknown-field", "bibtex") == []  # damaged


# --------------------------------------------------------------------------------------------
# empty-field
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["{}", '""', "{ }", "{ {} }", '"" # {}'])
@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_empty_field(value: str, dialect: str) -> None:
    text = f"@misc{{k, title = {{T}}, Note = {value},\n year = 2000}}"
    [p] = found(text, "empty-field", dialect)
    assert (p.start, p.end) == at(text, f"Note = {value},")
    assert p.message == "`Note` is empty"
    assert p.data == {"field": "note"}


@pytest.mark.parametrize("value", ["{x}", '"x"', "0", "acm", "{} # acm"])
def test_empty_field_negative(value: str) -> None:
    assert found(f"@misc{{k, note = {value}}}", "empty-field", "bibtex") == []


def test_an_empty_required_field_is_reported_once() -> None:
    text = "@article{k, author = {}, title = {T}, journal = {J}, year = 2000, note = {}}"
    assert spans(text, "empty-field", "bibtex") == ["note = {}"]
    missing = found(text, "missing-required-field", "bibtex")
    assert [p.data for p in missing] == [{"fields": ["author"]}]


def test_an_empty_alternative_is_reported_when_the_requirement_is_met() -> None:
    # book needs author or editor: the editor meets it, so the empty author is reported.
    text = "@book{k, author = {}, editor = {E}, title = {T}, publisher = {P}, year = 1}"
    assert spans(text, "empty-field", "bibtex") == ["author = {},"]
    # biblatex: `journal` is read as the required `journaltitle`.
    text = "@article{k, author = {A}, title = {T}, journal = {}, date = {2000}}"
    assert spans(text, "empty-field", "biblatex") == []
    # biblatex's year is one alternative of date/year; with a date it is just empty.
    text = "@article{k, author = {A}, title = {T}, journal = {J}, date = {2000}, year = {}}"
    assert spans(text, "empty-field", "biblatex") == ["year = {}"]
    assert spans(text, "empty-field", "bibtex") == []  # required by plain.bst: missing


def test_no_rename_is_offered_to_a_field_the_entry_has_already() -> None:
    # Found in review: `titel` -> `title` beside a `title` made a duplicate field.
    text = "@misc{k, title = {A}, titel = {B}}"
    problems = found(text)
    (problem,) = [p for p in problems if p.code == "unknown-field"]
    assert problem.data is None
    assert "the entry has one already" in problem.message
