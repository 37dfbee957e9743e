"""duplicate-key and duplicate-string."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.rules import diagnose, known_codes
from bib_lsp.syntax.tree import Severity
from tests.backends import biber_document, needs_biber_document
from tests.rules.helpers import found, located

DUPLICATES = (
    "duplicate-doi",
    "duplicate-entry",
    "duplicate-field",
    "duplicate-key",
    "duplicate-string",
)
TEXT = """\
@book{knuth84, title = {The TeXbook}}
@misc{other, title = {x}}
@article{Knuth84, title = {Literate Programming}}
@string{acm = "ACM"}
@string{ACM = "Association for Computing Machinery"}
"""


def codes(text: str) -> list[tuple[str, str]]:
    """The duplicate-* findings: (code, flagged text)."""
    return [(code, flagged) for code, flagged, _ in located(text, DUPLICATES, "auto")]


def test_the_duplicate_codes_are_all_there() -> None:
    assert set(DUPLICATES) == {c for c in known_codes() if c.startswith("duplicate-")}


def test_keys_differing_only_in_case_collide_and_each_is_flagged() -> None:
    problems = found(TEXT, "duplicate-key", "auto")
    assert [TEXT[p.start : p.end] for p in problems] == ["knuth84", "Knuth84"]
    first, second = problems
    assert first.severity is Severity.ERROR
    assert first.message == "`knuth84` is defined more than once: also on line 3 " + (
        "(BibTeX ignores case in names)"
    )
    assert "also on line 1" in second.message
    # Each points at the other.
    assert [TEXT[r.start : r.end] for r in first.related] == ["Knuth84"]
    assert [TEXT[r.start : r.end] for r in second.related] == ["knuth84"]


def test_strings_defined_twice_have_their_own_code() -> None:
    found = [(c, s) for c, s in codes(TEXT) if c == "duplicate-string"]
    assert found == [("duplicate-string", "acm"), ("duplicate-string", "ACM")]


def test_three_copies_name_the_two_other_lines() -> None:
    text = "@misc{a}\n@misc{a}\n@misc{a}\n"
    problems = diagnose(Document(text))
    assert [p.message.split(": ")[1] for p in problems] == [
        "also on lines 2, 3",
        "also on lines 1, 3",
        "also on lines 1, 2",
    ]


def test_unique_keys_and_entries_without_keys_are_quiet() -> None:
    assert codes("@misc{a}\n@misc{b}\n@string{x = 1}\n@string{y = 2}\n") == []
    # Two entries without keys are a missing-key problem each, not duplicates.
    assert codes("@misc{, t = 1}\n@misc{, t = 2}\n") == []


def test_editing_a_key_updates_the_duplicates() -> None:
    from bib_lsp.rules import Checker

    text = "@misc{a, t = 1}\n@misc{b, t = 2}\n"
    doc = Document(text)
    checker = Checker(doc)
    assert [p for p in checker.diagnose() if p.code == "duplicate-key"] == []
    at = text.index("b,")
    checker.update(doc.edit(at, at + 1, "A"))  # now `a` and `A`
    found = [p.code for p in checker.diagnose() if p.code == "duplicate-key"]
    assert found == ["duplicate-key", "duplicate-key"]
    checker.update(doc.edit(at, at + 1, "c"))
    assert [p for p in checker.diagnose() if p.code == "duplicate-key"] == []


def test_the_same_doi_under_two_keys_names_the_other_key() -> None:
    text = (
        "@article{knuth84, title = {Literate Programming}, doi = {10.1093/comjnl/27.2.97}}\n"
        "@article{lp, title = {LP}, doi = {https://doi.org/10.1093/COMJNL/27.2.97}}\n"
        "@article{other, title = {Other}, doi = {10.1000/other}}\n"
    )
    problems = found(text, "duplicate-doi", "auto")
    assert [text[p.start : p.end] for p in problems] == ["knuth84", "lp"]
    assert problems[0].message == (
        "`knuth84` has the same DOI as `lp`: the same work entered twice?"
    )
    assert "`knuth84`" in problems[1].message


def test_the_same_title_year_and_first_author_is_a_duplicate_entry() -> None:
    text = (
        "@book{tb, author = {Donald E. Knuth}, title = {The {\\TeX}book}, year = 1984}\n"
        "@book{texbook, author = {Knuth, Donald}, title = {The TeXbook}, year = 1984}\n"
    )
    assert [c for c in codes(text) if c[0] == "duplicate-entry"] == [
        ("duplicate-entry", "tb"),
        ("duplicate-entry", "texbook"),
    ]


def test_works_told_apart_by_type_or_particulars_are_not_duplicates() -> None:
    text = (
        "@article{e1, author = {Anon}, title = {Editorial}, year = 2000, number = 1}\n"
        "@article{e2, author = {Anon}, title = {Editorial}, year = 2000, number = 2}\n"
        "@mastersthesis{t, author = {W}, title = {Fonts}, year = 1985}\n"
        "@techreport{r, author = {W}, title = {Fonts}, year = 1985}\n"
    )
    assert [c for c in codes(text) if c[0] == "duplicate-entry"] == []


def test_entries_sharing_a_doi_are_not_reported_twice() -> None:
    text = (
        "@book{a, author = {K}, title = {T}, year = 1, doi = {10.1/x}}\n"
        "@book{b, author = {K}, title = {T}, year = 1, doi = {10.1/X}}\n"
    )
    assert {c for c, _ in codes(text)} == {"duplicate-doi"}


CASES = """\
@book{Key, author = {A, B}, title = {T}, date = {2000}}
@book{key, author = {A, B}, title = {T2}, date = {2000}}
"""


def test_biblatex_keys_differing_in_case_are_a_case_warning_not_a_duplicate() -> None:
    assert found(CASES, "duplicate-key", "biblatex") == []
    first, second = found(CASES, "key-case-mismatch", "biblatex")
    assert [CASES[p.start : p.end] for p in (first, second)] == ["Key", "key"]
    assert first.severity is Severity.WARNING
    assert first.message == (
        "`Key` differs only in case from `key` (line 2): biber takes them for two"
        " entries and warns of a possible typo (BibTeX would take them for one)"
    )
    assert [CASES[r.start : r.end] for r in first.related] == ["key"]
    # BibTeX's reading: one key twice.
    assert len(found(CASES, "duplicate-key", "bibtex")) == 2
    assert found(CASES, "key-case-mismatch", "bibtex") == []


def test_biblatex_exact_copies_are_duplicates_beside_a_case_variant() -> None:
    text = CASES + "@misc{key, title = {T3}, date = {2000}}\n"
    dups = found(text, "duplicate-key", "biblatex")
    assert [(text[p.start : p.end], p.start > len(CASES)) for p in dups] == [
        ("key", False),
        ("key", True),
    ]
    assert [text[p.start : p.end] for p in found(text, "key-case-mismatch", "biblatex")] == [
        "Key",
        "key",
        "key",
    ]


@needs_biber_document
def test_biber_warns_of_a_case_mismatch_and_keeps_both_entries() -> None:
    warnings, bbl = biber_document(CASES)
    assert any("Possible typo (case mismatch)" in w for w in warnings)
    assert not any("Duplicate entry key" in w for w in warnings)
    assert "\\entry{Key}" in bbl and "\\entry{key}" in bbl
    warnings, bbl = biber_document(CASES.replace("{key,", "{Key,"))
    assert any("Duplicate entry key" in w for w in warnings)
