"""References and renaming: what a place names, where a name occurs in `.bib`,
LaTeX and Markdown text, and which new names are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document import Document
from bib_lsp.features.references import (
    NameKind,
    Target,
    citation_occurrences,
    document_occurrences,
    keys_in,
    markdown_citations,
    new_name_problem,
    scan_files,
    target_at,
    tex_citations,
    text_occurrences,
)

BIB = (
    "@string{jacm = {J. ACM}}\n"
    "@article{Doe99, journal = jacm # { (2)}, crossref = {book}}\n"
    '@book{Book, xdata = "x, BOOK , y"}\n'
    "@misc{other, related = {bookish}}\n"
)


def spots(text: str, found: list[object]) -> list[tuple[str, bool]]:
    return [(text[o.start : o.end], o.declaration) for o in found]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("needle", "kind", "name"),
    [
        ("Doe99", NameKind.KEY, "Doe99"),
        ("book}", NameKind.KEY, "book"),
        ("BOOK ", NameKind.KEY, "BOOK"),
        ("jacm =", NameKind.MACRO, "jacm"),
        ("jacm #", NameKind.MACRO, "jacm"),
    ],
)
def test_a_target_is_a_key_or_a_macro(needle: str, kind: NameKind, name: str) -> None:
    doc = Document(BIB)
    offset = BIB.index(needle) + 1
    found = target_at(doc, offset)
    assert found is not None
    assert (found.kind, found.name, BIB[found.start : found.end]) == (kind, name, name)


@pytest.mark.parametrize("needle", ["@article", "journal", "{ (2)}", "related", "\n@misc"])
def test_other_places_are_no_target(needle: str) -> None:
    assert target_at(Document(BIB), BIB.index(needle) + 1) is None


def test_a_key_occurs_where_defined_and_named_in_any_case() -> None:
    found = document_occurrences(Document(BIB), NameKind.KEY, "book")
    assert spots(BIB, found) == [("book", False), ("Book", True), ("BOOK", False)]
    assert spots(BIB, text_occurrences(BIB, NameKind.KEY, "BOOK")) == spots(BIB, found)
    assert text_occurrences(BIB, NameKind.KEY, "absent") == []


def test_a_macro_occurs_where_defined_and_used() -> None:
    text = BIB + '@string{j2 = jacm # "!"}\n@preamble{jacm}\n'
    found = document_occurrences(Document(text), NameKind.MACRO, "JACM")
    assert spots(text, found) == [("jacm", True)] + [("jacm", False)] * 3


def test_keys_in_a_list_with_their_offsets() -> None:
    assert list(keys_in('" a, bb ,,c"')) == [("a", 2), ("bb", 5), ("c", 10)]


def test_latex_citations() -> None:
    text = (
        r"\cite{a, b} \citep*[p.~3][see]{c,d} \parencite [x]{ e } \textcite{f}"
        r" \autocite{g} \footcite{h} \nocite{i} \citet{j} \citeauthorx{no} \cite"
    )
    assert [k for k, _ in tex_citations(text)] == list("abcdefghij")
    assert all(text[at : at + len(k)] == k for k, at in tex_citations(text))


def test_markdown_citations_but_not_mail_addresses_or_code() -> None:
    text = (
        "As [@doe99, p. 3; see @roe2000] and @smith.2020. Mail john@doe.com,\n"
        "<a@b.org> or j.d@x.y. [-@neg] @{odd:key}.\n```\n@code\n```\n@after\n"
    )
    found = list(markdown_citations(text))
    keys = ["doe99", "roe2000", "smith.2020", "neg", "odd:key", "after"]
    assert [k for k, _ in found] == keys
    assert all(text[at : at + len(k)] == k for k, at in found)


def test_citations_of_one_key_by_kind_of_file() -> None:
    assert [(o.start, o.end) for o in citation_occurrences("a.md", "x @Key y", "key")] == [(3, 6)]
    assert citation_occurrences("a.tex", "x @key y", "key") == []
    assert [(o.start, o.end) for o in citation_occurrences("a.tex", r"\cite{key}", "KEY")] == [
        (6, 9)
    ]


def test_files_on_disk_are_scanned(tmp_path: Path) -> None:
    (tmp_path / "a.tex").write_text("\\cite{book}\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("[@book]\n", encoding="utf-8")
    (tmp_path / "c.bib").write_bytes(b"@misc{z, note = {\xe9}, crossref = {book}}\n")
    (tmp_path / "d.tex").write_bytes(b"\xe9 \\cite{none}\n")
    paths = [*sorted(str(p) for p in tmp_path.iterdir()), str(tmp_path / "gone.tex")]
    hits = scan_files(paths, NameKind.KEY, "book")
    assert [(Path(h.path).name, [(o.start, o.end) for o in h.occurrences]) for h in hits] == [
        ("a.tex", [(6, 10)]),
        ("b.md", [(2, 6)]),
        ("c.bib", [(33, 37)]),
    ]
    assert scan_files(paths, NameKind.MACRO, "book") == []


@pytest.mark.parametrize(
    ("kind", "name", "problem"),
    [
        (NameKind.KEY, "doe:2020-a/b.c", None),
        (NameKind.KEY, "Müller2020", None),
        (NameKind.KEY, "", "not a valid key"),
        (NameKind.KEY, "a b", "not a valid key"),
        (NameKind.KEY, "a,b", "not a valid key"),
        (NameKind.KEY, "@a", "not a valid key"),
        (NameKind.KEY, "o'neil", "biber cannot read it"),
        (NameKind.KEY, "a~b", "`\\cite` fails on it"),
        (NameKind.MACRO, "jacm2", None),
        (NameKind.MACRO, "2jacm", "not a valid macro name"),
        (NameKind.MACRO, "a=b", "not a valid macro name"),
        (NameKind.MACRO, "", "not a valid macro name"),
    ],
)
def test_new_names(kind: NameKind, name: str, problem: str | None) -> None:
    found = new_name_problem(kind, name)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_target_is_plain_data() -> None:
    assert Target(NameKind.KEY, "a", 0, 1) == Target(NameKind.KEY, "a", 0, 1)
