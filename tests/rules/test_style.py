"""The bibtex dialect with a chosen style (RuleOptions.style): the style's entry
types, fields and requirements replace plain.bst's, and names declared by hand add
to them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bib_lsp.document import Document
from bib_lsp.model.bst import PLAIN, BibtexStyle, style_from_file
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.tree import Problem

STYLE = r"""
ENTRY { author title journal year url nationality } {} { label }
FUNCTION {output.warn}
{ 't := duplicate$ empty$ { pop$ "empty " t * " in " * cite$ * warning$ } 'write$ if$ }
FUNCTION {fin.entry} { write$ newline$ }
FUNCTION {article} { author "author" output.warn title "title" output.warn fin.entry }
FUNCTION {patent} { nationality "nationality" output.warn fin.entry }
FUNCTION {misc} { title write$ fin.entry }
FUNCTION {electronic} { misc }
FUNCTION {default.type} { misc }
READ
ITERATE {call.type$}
"""


@pytest.fixture
def style(tmp_path: Path) -> BibtexStyle:
    path = tmp_path / "mine.bst"
    path.write_text(STYLE, encoding="latin-1")
    return style_from_file(path)


def _found(text: str, style: BibtexStyle, code: str, dialect: str = "bibtex") -> list[Problem]:
    checker = Checker(Document(text), RuleOptions(dialect=dialect, style=style))
    return [p for p in checker.diagnose() if p.code == code]


def test_the_styles_types_are_known_and_others_are_not(style: BibtexStyle) -> None:
    text = "@electronic{a, title={T}}\n@patent{b, nationality={US}}\n@book{c, title={T}}\n"
    assert _found(text, PLAIN, "unknown-entry-type")[0].message.startswith("`@electronic`")
    found = _found(text, style, "unknown-entry-type")
    assert [text[p.start : p.end] for p in found] == ["book"]
    assert found[0].message == (
        "`@book` is not an entry type of mine.bst: BibTeX prints it with the style's `default.type`"
    )
    # the biblatex dialect does not read BibTeX styles
    assert _found("@electronic{a, title={T}}", style, "unknown-entry-type", "biblatex") == []


def test_the_styles_fields_are_known(style: BibtexStyle) -> None:
    text = "@patent{b, nationality={US}, url={http://x}, doi={10.1/x}, colour={red}}"
    assert [text[p.start : p.end] for p in _found(text, PLAIN, "unknown-field")] == [
        "nationality",
        "colour",
    ]
    found = _found(text, style, "unknown-field")
    assert [text[p.start : p.end] for p in found] == ["colour"]
    assert found[0].message == "`colour` is not a field of mine.bst: it is ignored"
    extended = style.with_extras(fields=["colour"])
    assert _found(text, extended, "unknown-field") == []


def test_requirements_are_the_styles(style: BibtexStyle) -> None:
    text = "@article{a, author={A}, year={2000}}\n@patent{b, title={T}}\n"
    found = _found(text, style, "missing-required-field")
    assert [p.message for p in found] == [
        "`@article` needs `title` (mine.bst)",
        "`@patent` needs `nationality` (mine.bst)",
    ]
    # plain.bst wants the journal too, and nothing of an unknown type's entry
    assert [p.message for p in _found(text, PLAIN, "missing-required-field")] == [
        "`@article` needs `title` (plain.bst)",
        "`@article` needs `journal` (plain.bst)",
    ]


def test_types_declared_by_hand_require_nothing(style: BibtexStyle) -> None:
    text = "@dataset{d, author={A}}\n"
    assert len(_found(text, style, "unknown-entry-type")) == 1
    assert _found(text, style.with_extras(types=["DataSet"]), "unknown-entry-type") == []
    assert _found(text, style.with_extras(types=["dataset"]), "missing-required-field") == []


def test_plain_pairs_are_checked_only_with_styles_that_check_them(style: BibtexStyle) -> None:
    text = "@book{b, author={A}, editor={E}, title={T}, publisher={P}, year={2000}}"
    assert len(_found(text, PLAIN, "author-and-editor")) == 1
    assert _found(text, style, "author-and-editor") == []


def test_changing_the_style_changes_the_findings_of_an_unchanged_document(
    style: BibtexStyle,
) -> None:
    checker = Checker(Document("@electronic{a, title={T}}"), RuleOptions(dialect="bibtex"))
    assert [p.code for p in checker.diagnose()] == ["unknown-entry-type"]
    checker.options = RuleOptions(dialect="bibtex", style=style)
    assert checker.diagnose() == []
    checker.options = RuleOptions(dialect="bibtex")
    assert [p.code for p in checker.diagnose()] == ["unknown-entry-type"]


def test_a_chosen_style_makes_auto_mean_bibtex(style: BibtexStyle) -> None:
    text = "@online{o, title={T}, journaltitle={J}}"  # would look like biblatex
    assert Checker(Document(text), RuleOptions()).dialect == "biblatex"
    assert Checker(Document(text), RuleOptions(style=style)).dialect == "bibtex"
    assert Checker(Document(text), RuleOptions(style=PLAIN.with_extras(["online"]))).dialect == (
        "biblatex"
    )


def _ieeetran() -> BibtexStyle | None:
    exe = shutil.which("kpsewhich")
    if exe is None or shutil.which("bibtex") is None:
        return None
    found = subprocess.run([exe, "IEEEtran.bst"], capture_output=True, text=True, check=False)
    return style_from_file(Path(found.stdout.strip())) if found.stdout.strip() else None


IEEETRAN = _ieeetran()

SMALL_IEEE = """\
@patent{pat, author = {A. Inventor}, title = {A Gadget}, number = {123}}
@patent{filed, nationality = {US}, number = {7}, yearfiled = {2001}}
@standard{std, title = {Wireless LAN}, organization = {IEEE}}
@standard{nobody, title = {Ethernet}}
@inproceedings{proc, author = {B. Author}, title = {T}, booktitle = {Proc.}, year = {2000}}
@incollection{coll, author = {C. Author}, title = {T}, year = {2000}}
@periodical{per, title = {Journal of Things}}
@electronic{web, url = {https://example.org}}
"""


@pytest.mark.skipif(IEEETRAN is None, reason="bibtex or IEEEtran.bst (texlive-publishers) absent")
def test_missing_required_fields_agree_with_bibtex_and_ieeetran(tmp_path: Path) -> None:
    assert IEEETRAN is not None
    (tmp_path / "refs.bib").write_text(SMALL_IEEE, encoding="utf-8")
    (tmp_path / "main.aux").write_text(
        "\\citation{*}\n\\bibstyle{IEEEtran}\n\\bibdata{refs}\n", encoding="ascii"
    )
    subprocess.run(
        ["bibtex", "-terse", "main"], cwd=tmp_path, capture_output=True, timeout=120, check=False
    )
    warned = set()
    for line in (tmp_path / "main.blg").read_text(encoding="latin-1").splitlines():
        m = re.match(r"^Warning--(?:empty|missing|no) (.+?) in (\S+)$", line.strip())
        if m is not None:
            warned.add((m.group(2), m.group(1).replace(" or ", " and ").split(" and ")[0]))
    doc = Document(SMALL_IEEE)
    ours = set()
    for p in Checker(doc, RuleOptions(style=IEEETRAN)).diagnose():
        if p.code == "missing-required-field":
            key = SMALL_IEEE[p.start : p.end]
            assert p.message.endswith("(IEEEtran.bst)")
            assert p.data is not None
            ours.add((key, p.data["fields"][0]))
    assert ours == warned
    assert ours == {
        ("pat", "nationality"),
        ("pat", "year"),
        ("nobody", "institution"),
        ("coll", "booktitle"),
        ("per", "year"),
    }
