"""The .bst reader (bib_lsp.model.bst): what a BibTeX style defines, checked on small
styles, on the real plain.bst and IEEEtran.bst, and against real `bibtex`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bib_lsp.model.bst import (
    PLAIN,
    BstError,
    load_bibtex_style,
    read_bst,
    resolve_style,
    style_from_file,
)
from tests.backends import kpsewhich

PLAIN_BST = kpsewhich("plain.bst")
IEEETRAN_BST = kpsewhich("IEEEtran.bst")
needs_ieeetran = pytest.mark.skipif(
    IEEETRAN_BST is None, reason="kpsewhich cannot find IEEEtran.bst (texlive-publishers)"
)

SMALL = r"""
ENTRY { author title journal year publisher editor crossref } {} { label }
FUNCTION {output.check}
{ 't := duplicate$ empty$ { pop$ "empty " t * " in " * cite$ * warning$ } 'write$ if$ }
FUNCTION {fin.entry} { add.period$ write$ newline$ }
FUNCTION {either.or.check}
{ empty$ 'pop$ { "can't use both " swap$ * " fields in " * cite$ * warning$ } if$ }
FUNCTION {format.title} { title "title" output.check }
FUNCTION {article}
{ author "author" output.check
  format.title
  crossref missing$ { journal "journal" output.check } { "In " crossref * write$ } if$
  fin.entry }
FUNCTION {book}
{ author empty$ { editor "author and editor" output.check }
                { "author and editor" editor either.or.check } if$
  publisher empty$ { year "year" output.check } { year "year" output.check } if$
  fin.entry }
FUNCTION {web} { journal empty$ { title "title" output.check } 'skip$ if$ fin.entry }
FUNCTION {paper} { article }
FUNCTION {misc} { format.title fin.entry }
FUNCTION {default.type} { misc }
FUNCTION {presort} { author empty$ not { author } { "" } if$ sortify 'sort.key$ := }
FUNCTION {not} { { #0 } { #1 } if$ }
READ
ITERATE {presort}
ITERATE {call.type$}
"""


def test_types_are_the_functions_meant_as_types() -> None:
    style = read_bst(SMALL)
    # `paper` is an alias; helpers, `default.type` and ITERATE's `presort` are not types
    assert style.types == {"article", "book", "web", "paper", "misc"}
    assert style.fields == {"author", "title", "journal", "year", "publisher", "editor", "crossref"}


def test_requirements_follow_warnings_calls_and_branches() -> None:
    style = read_bst(SMALL)
    assert style.required["article"] == (("author",), ("title",), ("journal",))
    assert style.required["paper"] == style.required["article"]
    # warned in both branches of `publisher empty$`: always required
    assert style.required["book"] == (("author", "editor"), ("year",))
    # warned only when `journal` is empty: `journal` will do instead
    assert style.required["web"] == (("title", "journal"),)
    assert style.required["misc"] == (("title",),)
    skip = frozenset({"journal"})
    assert style.crossref_skips == {"article": skip, "paper": skip}
    assert style.either_or == {"author and editor"}


@pytest.mark.parametrize(
    "text", ["", "FUNCTION", "FUNCTION {x", "ENTRY {", '"unclosed', "}}} {{{", "FUNCTION {a} b"]
)
def test_broken_styles_are_read_without_raising(text: str) -> None:
    assert read_bst(text).types <= {"a", "x"}


@pytest.mark.skipif(PLAIN_BST is None, reason="kpsewhich cannot find plain.bst")
def test_plain_bst_gives_the_built_in_tables() -> None:
    assert PLAIN_BST is not None
    style = style_from_file(PLAIN_BST)
    assert style.name == "plain.bst"
    assert dict(style.required) == dict(PLAIN.required)
    assert style.crossref_skips == PLAIN.crossref_skips
    assert style.either_or == PLAIN.either_or
    assert style.types == PLAIN.types - {"patent", "periodical", "software", "standard"}


@needs_ieeetran
def test_ieeetran_types_fields_and_requirements() -> None:
    assert IEEETRAN_BST is not None
    style = style_from_file(IEEETRAN_BST)
    assert {"electronic", "online", "www", "patent", "periodical", "standard"} <= style.types
    assert "ieeetranbstctl" in style.types  # IEEEexample.bib's control entry
    assert {"output", "emphasize", "format.names"}.isdisjoint(style.types)
    assert {"assignee", "nationality", "yearfiled", "ctluse_url", "url"} <= style.fields
    assert style.required["patent"] == (("nationality",), ("number",), ("year", "yearfiled"))
    assert style.required["standard"] == (("title",), ("institution", "organization"))
    assert style.required["electronic"] == ()
    assert style.either_or == frozenset()  # IEEEtran prints author and editor both


_WARNING = re.compile(r"^Warning--(?:empty|missing|no) (.+?) in k-(\S+)$")


def _bibtex_warnings(style: str, bib: str, tmp_path: Path) -> dict[str, list[tuple[str, ...]]]:
    (tmp_path / "refs.bib").write_text(bib, encoding="utf-8")
    (tmp_path / "main.aux").write_text(
        f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n", encoding="ascii"
    )
    subprocess.run(
        ["bibtex", "-terse", "main"], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    found: dict[str, list[tuple[str, ...]]] = {}
    for line in (tmp_path / "main.blg").read_text(encoding="latin-1").splitlines():
        m = _WARNING.match(line.strip())
        if m is not None:
            label = m.group(1).replace(" or ", " and ")
            found.setdefault(m.group(2), []).append(tuple(label.split(" and ")))
    return found


@needs_ieeetran
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex not installed")
def test_ieeetran_requirements_match_bibtex_warnings(tmp_path: Path) -> None:
    """An entry of each type with no fields: BibTeX with IEEEtran.bst warns about the
    first field of each requirement, once each; given another alternative, not."""
    assert IEEETRAN_BST is not None
    style = style_from_file(IEEETRAN_BST)
    bib = "".join(f"@{t}{{k-{t},}}\n" for t in sorted(style.types))
    bib += "@standard{k-stdorg, title={T}, organization={O}}\n"
    bib += "@patent{k-patfiled, nationality={US}, number={1}, yearfiled={2000}}\n"
    bib += "@book{k-bookeditor, editor={E}, title={T}, publisher={P}, year={2000}}\n"
    warned = _bibtex_warnings("IEEEtran", bib, tmp_path)
    for kind in sorted(style.types):
        firsts = list(dict.fromkeys(warned.get(kind, [])))
        assert [r[: len(w)] for r, w in zip(style.required[kind], firsts, strict=True)] == firsts
    for key in ("stdorg", "patfiled", "bookeditor"):
        assert key not in warned


def test_resolve_style_by_path_relative_to_base(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "mine.bst").write_text(SMALL, encoding="latin-1")
    assert resolve_style("styles/mine.bst", tmp_path) == tmp_path / "styles" / "mine.bst"
    assert resolve_style("mine", tmp_path / "styles") == tmp_path / "styles" / "mine.bst"
    with pytest.raises(BstError, match="no style file"):
        resolve_style("styles/other.bst", tmp_path)


@needs_ieeetran
def test_resolve_style_withkpsewhich(tmp_path: Path) -> None:
    assert resolve_style("IEEEtran", tmp_path) == IEEETRAN_BST
    assert resolve_style("IEEEtran.bst", tmp_path) == IEEETRAN_BST
    with pytest.raises(BstError, match=r"kpsewhich cannot find no-such-style-here\.bst"):
        resolve_style("no-such-style-here", tmp_path)


def test_unreadable_style_falls_back_to_plain_with_a_message(tmp_path: Path) -> None:
    (tmp_path / "empty.bst").write_text("% nothing here\n", encoding="latin-1")
    style, message = load_bibtex_style("./empty.bst", tmp_path, ["thing"], ["colour"])
    assert message is not None and "defines no entry types" in message
    assert message.endswith("using plain.bst")
    assert style.types == PLAIN.types | {"thing"} and "colour" in style.fields
    style, message = load_bibtex_style("", tmp_path)
    assert style is PLAIN and message is None


def test_reading_is_cached_until_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "mine.bst"
    path.write_text(SMALL, encoding="latin-1")
    first = style_from_file(path)
    assert style_from_file(path) is first
    path.write_text(SMALL.replace("FUNCTION {web}", "FUNCTION {site}"), encoding="latin-1")
    os.utime(path, ns=(first_ns := path.stat().st_mtime_ns + 10**9, first_ns))
    second = style_from_file(path)
    assert "site" in second.types and "web" not in second.types
    assert second != first


def test_extras_are_declared_by_hand() -> None:
    style = PLAIN.with_extras(["Dataset", " "], ["Colour"])
    assert "dataset" in style.types and "colour" in style.fields
    assert style.required.get("dataset", ()) == ()
    assert style != PLAIN and style == PLAIN.with_extras(["dataset"], ["colour"])
    assert PLAIN.with_extras([], []) is PLAIN


def test_a_style_nested_too_deeply_is_told_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "deep.bst"
    path.write_text("FUNCTION {article} " + "{" * 100_000 + "}" * 100_000, encoding="latin-1")
    style, message = load_bibtex_style(str(path), tmp_path)
    assert style is PLAIN
    assert message is not None and "nests its braces too deeply" in message
