"""author-and-editor and volume-and-number (bib_lsp.rules.field_pairs): cases per
dialect with their ranges, and against the real `bibtex` with plain.bst."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.rules.helpers import at, found

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
        for p in found(text)
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
