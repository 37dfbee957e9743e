"""duplicate-field, unknown-entry-type, unknown-field, empty-field, author-and-editor and
volume-and-number: positive and negative cases per dialect, with their ranges; the
last two also against the real `bibtex` with plain.bst."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bib_lsp.document import Document
from bib_lsp.rules import RULES, Checker, RuleOptions
from bib_lsp.syntax.tree import Problem, Severity


def found(text: str, code: str, dialect: str) -> list[Problem]:
    checker = Checker(Document(text), RuleOptions(dialect=dialect))
    return [p for p in checker.diagnose() if p.code == code]


def spans(text: str, code: str, dialect: str) -> list[str]:
    """The text each problem of ``code`` points at."""
    return [text[p.start : p.end] for p in found(text, code, dialect)]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The range of the ``nth`` occurrence of ``needle`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


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
    [p] = found(text, "duplicate-field", dialect)
    assert (p.start, p.end) == at(text, "Title")
    assert p.message == "`Title` is given twice: BibTeX keeps the first, biber the last"
    assert p.data == {"field": "title"}
    assert [(r.start, r.end) for r in p.related] == [at(text, "title")]
    assert p.severity is Severity.ERROR


def test_duplicate_field_three_times() -> None:
    text = "@misc{k, note = {a}, NOTE = {b}, note = {c}}"
    problems = found(text, "duplicate-field", "bibtex")
    assert [(p.start, p.end) for p in problems] == [at(text, "NOTE"), at(text, "note", 1)]
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
    assert p.severity is Severity.HINT


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


# --------------------------------------------------------------------------------------------
# author-and-editor and volume-and-number (plain.bst)
# --------------------------------------------------------------------------------------------

_BOOK = "title = {T}, publisher = {P}, year = 2000"

# (entry, the code bib-lsp reports in the BibTeX dialect, or None)
PAIR_CASES = [
    (f"@book{{ae1, author = {{A}}, editor = {{E}}, {_BOOK}}}", "author-and-editor"),
    (f"@BOOK{{ae2, EDITOR = {{E}}, Author = {{A}}, {_BOOK}}}", "author-and-editor"),
    (f"@inbook{{ae3, author = {{A}}, editor = {{E}}, chapter = 1, {_BOOK}}}", "author-and-editor"),
    # `{ {} }` is not empty to BibTeX's empty$, `{ }` is.
    (f"@book{{ae4, author = {{ {{}} }}, editor = {{E}}, {_BOOK}}}", "author-and-editor"),
    (f"@book{{ae5, author = {{ }}, editor = {{E}}, {_BOOK}}}", None),
    (f"@book{{ae6, author = {{A}}, editor = {{}}, {_BOOK}}}", None),
    (f"@book{{ae7, author = {{A}}, editor = {{E}}, crossref = {{parent}}, {_BOOK}}}", None),
    (
        "@incollection{ae8, author = {A}, editor = {E}, title = {T}, booktitle = {B}, "
        "publisher = {P}, year = 2000}",
        None,
    ),
    ("@proceedings{ae9, author = {A}, editor = {E}, title = {T}, year = 2000}", None),
    (f"@book{{vn1, author = {{A}}, volume = 1, number = 2, {_BOOK}}}", "volume-and-number"),
    (
        f"@book{{vn2, author = {{A}}, Number = 2, SERIES = {{S}}, Volume = 1, {_BOOK}}}",
        "volume-and-number",
    ),
    (
        f"@inbook{{vn3, author = {{A}}, chapter = 1, volume = 1, number = 2, {_BOOK}}}",
        "volume-and-number",
    ),
    (
        "@incollection{vn4, author = {A}, title = {T}, booktitle = {B}, publisher = {P}, "
        "year = 2000, volume = 1, number = 2}",
        "volume-and-number",
    ),
    (
        "@inproceedings{vn5, author = {A}, title = {T}, booktitle = {B}, year = 2000, "
        "volume = 1, number = 2}",
        "volume-and-number",
    ),
    (
        "@conference{vn6, author = {A}, title = {T}, booktitle = {B}, year = 2000, "
        "volume = 1, number = 2}",
        "volume-and-number",
    ),
    (
        "@proceedings{vn7, editor = {E}, title = {T}, year = 2000, volume = 1, number = 2}",
        "volume-and-number",
    ),
    # proceedings is checked even with a crossref, and counts what the parent supplies.
    (
        "@proceedings{vn8, editor = {E}, title = {T}, year = 2000, volume = 1, number = 2, "
        "crossref = {parent}}",
        "volume-and-number",
    ),
    (
        "@proceedings{vn9, editor = {E}, title = {T}, year = 2000, number = 2, "
        "crossref = {PROCPARENT}}",
        "volume-and-number",
    ),
    # ... but not when the child's own field is present, even empty.
    (
        "@proceedings{vn10, editor = {E}, title = {T}, year = 2000, number = 2, volume = {}, "
        "crossref = {procparent}}",
        None,
    ),
    (
        f"@book{{vn11, author = {{A}}, volume = 1, number = 2, crossref = {{parent}}, {_BOOK}}}",
        None,
    ),
    (
        "@article{vn12, author = {A}, title = {T}, journal = {J}, year = 2000, volume = 1, "
        "number = 2}",
        None,
    ),
    (
        "@techreport{vn13, author = {A}, title = {T}, institution = {I}, year = 2000, "
        "volume = 1, number = 2}",
        None,
    ),
    (
        "@inproceedings{vn14, author = {A}, title = {T}, booktitle = {B}, year = 2000, "
        "volume = 1, number = {}}",
        None,
    ),
]
PARENTS = (
    "@book{parent, editor = {E}, title = {P}, publisher = {P}, year = 2000}\n"
    "@proceedings{procparent, editor = {E}, title = {P}, year = 2000, volume = 3}\n"
)


@pytest.mark.parametrize(("entry", "code"), PAIR_CASES)
def test_pairs_in_the_bibtex_dialect(entry: str, code: str | None) -> None:
    text = entry + "\n" + PARENTS
    problems = [
        p
        for p in Checker(Document(text), RuleOptions(dialect="bibtex")).diagnose()
        if p.code in ("author-and-editor", "volume-and-number") and p.start < len(entry)
    ]
    assert [p.code for p in problems] == ([] if code is None else [code])
    assert found(text, "author-and-editor", "biblatex") == []
    assert found(text, "volume-and-number", "biblatex") == []


def test_pair_range_is_the_second_name_and_related_the_first() -> None:
    text = f"@BOOK{{k, EDITOR = {{E}}, Author = {{A}}, {_BOOK}}}"
    [p] = found(text, "author-and-editor", "bibtex")
    assert (p.start, p.end) == at(text, "Author")
    assert [(r.start, r.end) for r in p.related] == [at(text, "EDITOR")]
    assert "plain.bst prints the author only" in p.message
    text = f"@book{{k, author = {{A}}, number = 2, volume = 1, {_BOOK}}}"
    [p] = found(text, "volume-and-number", "bibtex")
    assert (p.start, p.end) == at(text, "volume")
    assert [(r.start, r.end) for r in p.related] == [at(text, "number")]


def test_volume_from_the_crossref_parent() -> None:
    text = "@proceedings{k, title = {T}, year = 1, number = 2, crossref = {p}}\n" + (
        "@proceedings{p, title = {P}, year = 1, volume = 3}"
    )
    [p] = found(text, "volume-and-number", "bibtex")
    assert (p.start, p.end) == at(text, "number")
    assert p.related == ()  # the parent is another entry
    assert "`volume` from `p` through `crossref`" in p.message


_CANT = re.compile(
    r"^Warning--can't use both (author and editor|volume and number) fields in (.+)$"
)
_CODES = {"author and editor": "author-and-editor", "volume and number": "volume-and-number"}


@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex is not installed")
def test_pairs_agree_with_bibtex(tmp_path: Path) -> None:
    """Every positive case makes plain.bst warn, and no negative case does."""
    (tmp_path / "refs.bib").write_text(
        "\n".join(entry for entry, _ in PAIR_CASES) + "\n" + PARENTS, encoding="ascii"
    )
    (tmp_path / "main.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="ascii"
    )
    subprocess.run(["bibtex", "-terse", "main"], cwd=tmp_path, capture_output=True, check=False)
    warned = {}
    for line in (tmp_path / "main.blg").read_text(encoding="latin-1").splitlines():
        m = _CANT.match(line.strip())
        if m is not None:
            warned[m.group(2)] = _CODES[m.group(1)]
    expected = {
        entry[entry.index("{") + 1 : entry.index(",")]: code
        for entry, code in PAIR_CASES
        if code is not None
    }
    assert warned == expected


def test_no_rename_is_offered_to_a_field_the_entry_has_already() -> None:
    # Found in review: `titel` -> `title` beside a `title` made a duplicate field.
    text = "@misc{k, title = {A}, titel = {B}}"
    problems = Checker(Document(text), RuleOptions(dialect="bibtex")).diagnose()
    (problem,) = [p for p in problems if p.code == "unknown-field"]
    assert problem.data is None
    assert "the entry has one already" in problem.message
