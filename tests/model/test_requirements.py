"""Tests for the BibTeX/biblatex requirement tables (no TeX Live needed, except the last)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bib_lsp.model import requirements as req

ROOT = Path(__file__).resolve().parents[2]
CHECKER = ROOT / "tools" / "check_requirements.py"


def flat(requirements: tuple[tuple[str, ...], ...]) -> set[str]:
    return {field for alternatives in requirements for field in alternatives}


# --- BibTeX (plain.bst) -----------------------------------------------------------------------


def test_bibtex_article() -> None:
    assert req.BIBTEX_REQUIRED["article"] == (("author",), ("title",), ("journal",), ("year",))


def test_bibtex_book_accepts_author_or_editor() -> None:
    assert req.BIBTEX_REQUIRED["book"] == (
        ("author", "editor"),
        ("title",),
        ("publisher",),
        ("year",),
    )


def test_bibtex_inbook_accepts_chapter_or_pages() -> None:
    assert ("chapter", "pages") in req.BIBTEX_REQUIRED["inbook"]


def test_bibtex_conference_is_inproceedings() -> None:
    assert req.BIBTEX_REQUIRED["conference"] == req.BIBTEX_REQUIRED["inproceedings"]


def test_bibtex_misc_requires_nothing() -> None:
    assert req.BIBTEX_REQUIRED["misc"] == ()


def test_bibtex_standard_types() -> None:
    assert {
        "article",
        "book",
        "booklet",
        "conference",
        "inbook",
        "incollection",
        "inproceedings",
        "manual",
        "mastersthesis",
        "misc",
        "phdthesis",
        "proceedings",
        "techreport",
        "unpublished",
    } == req.BIBTEX_TYPES
    assert set(req.BIBTEX_REQUIRED) == req.BIBTEX_TYPES


def test_bibtex_fields_include_crossref_and_key() -> None:
    assert {"crossref", "key", "journal", "school", "address"} <= req.BIBTEX_FIELDS
    assert "date" not in req.BIBTEX_FIELDS


@pytest.mark.parametrize("entry_type", sorted(req.BIBTEX_REQUIRED))
def test_bibtex_required_fields_are_known(entry_type: str) -> None:
    assert flat(req.BIBTEX_REQUIRED[entry_type]) <= req.BIBTEX_FIELDS


# --- biblatex (blx-dm.def) --------------------------------------------------------------------


def test_biblatex_article_accepts_date_or_year() -> None:
    article = req.BIBLATEX_REQUIRED["article"]
    assert ("date", "year") in article
    assert {("author",), ("title",), ("journaltitle",)} <= set(article)
    assert ("date", "year") in req.BIBLATEX_XOR_REQUIREMENTS


def test_biblatex_online_needs_url_doi_or_eprint() -> None:
    assert ("url", "doi", "eprint") in req.BIBLATEX_REQUIRED["online"]
    assert ("title",) in req.BIBLATEX_REQUIRED["online"]


def test_biblatex_types_without_constraints() -> None:
    for entry_type in ("artwork", "customa", "video", "xdata"):
        assert req.BIBLATEX_REQUIRED[entry_type] == ()
    assert req.BIBLATEX_REQUIRED["suppperiodical"] == (("date", "year"),)


def test_biblatex_types_are_the_required_keys() -> None:
    assert set(req.BIBLATEX_REQUIRED) == req.BIBLATEX_TYPES
    assert len(req.BIBLATEX_TYPES) == 51


@pytest.mark.parametrize("entry_type", sorted(req.BIBLATEX_REQUIRED))
def test_biblatex_required_fields_are_known(entry_type: str) -> None:
    assert flat(req.BIBLATEX_REQUIRED[entry_type]) <= req.BIBLATEX_FIELDS


def test_biblatex_field_types() -> None:
    assert set(req.BIBLATEX_FIELD_TYPES) == req.BIBLATEX_FIELDS
    expected = {
        "author": "name",
        "date": "date",
        "year": "datepart",
        "urlendday": "datepart",
        "title": "literal",
        "publisher": "literal",
        "language": "key",
        "url": "uri",
        "doi": "verbatim",
        "pages": "range",
        "volume": "integer",
        "execute": "code",
        "crossref": "entrykey",
        "keywords": "keyword",
    }
    for field, kind in expected.items():
        assert req.BIBLATEX_FIELD_TYPES[field] == kind, field
    assert {"publisher", "location", "language", "author"} <= req.BIBLATEX_LIST_FIELDS
    assert "title" not in req.BIBLATEX_LIST_FIELDS
    assert req.BIBLATEX_LIST_FIELDS <= req.BIBLATEX_FIELDS


def test_biblatex_aliases() -> None:
    assert req.BIBLATEX_FIELD_ALIASES["journal"] == "journaltitle"
    assert req.BIBLATEX_FIELD_ALIASES["address"] == "location"
    assert req.BIBLATEX_FIELD_ALIASES["school"] == "institution"
    assert req.BIBLATEX_TYPE_ALIASES["conference"] == "inproceedings"
    assert req.BIBLATEX_TYPE_ALIASES["phdthesis"] == "thesis"
    assert req.BIBLATEX_TYPE_ALIAS_FIELDS["techreport"] == {"type": "techreport"}
    assert set(req.BIBLATEX_TYPE_ALIASES.values()) <= req.BIBLATEX_TYPES
    assert set(req.BIBLATEX_FIELD_ALIASES.values()) <= req.BIBLATEX_FIELDS
    assert not set(req.BIBLATEX_TYPE_ALIASES) & req.BIBLATEX_TYPES
    assert set(req.BIBLATEX_TYPE_ALIAS_FIELDS) <= set(req.BIBLATEX_TYPE_ALIASES)


def test_alias_fills_thesis_type() -> None:
    # @phdthesis gets type=phdthesis, which satisfies thesis's mandatory `type`.
    assert ("type",) in req.BIBLATEX_REQUIRED["thesis"]
    assert "type" in req.BIBLATEX_TYPE_ALIAS_FIELDS["phdthesis"]


# --- dialect signals --------------------------------------------------------------------------


def test_biblatex_only_sets_are_disjoint_from_bibtex() -> None:
    assert not req.BIBLATEX_ONLY_TYPES & req.BIBTEX_TYPES
    assert not req.BIBLATEX_ONLY_FIELDS & req.BIBTEX_FIELDS
    assert not req.BIBLATEX_ONLY_TYPES & set(req.BIBLATEX_TYPE_ALIASES)
    assert not req.BIBLATEX_ONLY_FIELDS & set(req.BIBLATEX_FIELD_ALIASES)
    assert req.BIBLATEX_ONLY_TYPES <= req.BIBLATEX_TYPES
    assert req.BIBLATEX_ONLY_FIELDS <= req.BIBLATEX_FIELDS


def test_biblatex_only_fields_skip_common_bibtex_extras() -> None:
    for field in ("doi", "url", "isbn", "issn", "eprint", "abstract", "keywords", "file"):
        assert field not in req.BIBLATEX_ONLY_FIELDS, field
    for field in ("date", "journaltitle", "location", "origdate", "eventtitle", "langid"):
        assert field in req.BIBLATEX_ONLY_FIELDS, field


def test_biblatex_only_types() -> None:
    assert {"online", "thesis", "report", "mvbook", "xdata"} <= req.BIBLATEX_ONLY_TYPES
    assert "article" not in req.BIBLATEX_ONLY_TYPES


# --- against an installed TeX Live ------------------------------------------------------------


def _tex_live_files_found() -> bool:
    exe = shutil.which("kpsewhich")
    if exe is None:
        return False
    for name in ("plain.bst", "blx-dm.def", "biblatex.def"):
        proc = subprocess.run([exe, name], capture_output=True, text=True, check=False)
        if proc.returncode != 0 or not proc.stdout.strip():
            return False
    return True


needs_tex_live = pytest.mark.skipif(
    not _tex_live_files_found(),
    reason="kpsewhich cannot find plain.bst, blx-dm.def and biblatex.def (TeX Live with "
    "texlive-bibtex-extra not installed)",
)


@needs_tex_live
def test_check_requirements_script_passes() -> None:
    proc = subprocess.run(
        [sys.executable, str(CHECKER)], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all checks agree" in proc.stdout


def _load_checker(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_requirements", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    return module


@needs_tex_live
def test_check_requirements_detects_a_wrong_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    checker = _load_checker(monkeypatch)
    wrong = dict(req.BIBTEX_REQUIRED)
    wrong["article"] = (("author",), ("title",), ("year",))
    monkeypatch.setattr(checker.model, "BIBTEX_REQUIRED", wrong)
    assert checker.main(["--no-run"]) == 1
    assert "DIFF  BIBTEX_REQUIRED: article" in capsys.readouterr().out
