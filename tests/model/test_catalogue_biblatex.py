"""Tests for the biblatex field and entry-type catalogue (TeX Live needed only for the last)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bib_lsp.model import catalogue_biblatex as cat
from bib_lsp.model import catalogue_biblatex_data as data
from bib_lsp.model import requirements as req

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "make_catalogue.py"

KINDS = {
    "name list",
    "literal list",
    "key list",
    "literal",
    "key",
    "entry key",
    "entry key list",
    "keyword list",
    "option list",
    "integer",
    "range",
    "date",
    "date part",
    "URI",
    "verbatim",
    "code",
}


def flat(requirements: tuple[tuple[str, ...], ...]) -> set[str]:
    return {field for alternatives in requirements for field in alternatives}


# --- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(req.BIBLATEX_FIELD_TYPES))
def test_every_data_model_field_is_described(name: str) -> None:
    info = cat.FIELDS[name]
    assert info.name == name
    assert info.description.strip()
    assert info.kind in KINDS


@pytest.mark.parametrize("alias", sorted(req.BIBLATEX_FIELD_ALIASES))
def test_legacy_field_names_point_to_their_target(alias: str) -> None:
    target = req.BIBLATEX_FIELD_ALIASES[alias]
    info = cat.FIELDS[alias]
    assert target in info.description
    assert "legacy" in info.description.lower()
    assert info.kind == cat.FIELDS[target].kind


def test_fields_are_exactly_the_data_model_and_aliases() -> None:
    assert set(cat.FIELDS) == set(req.BIBLATEX_FIELD_TYPES) | set(req.BIBLATEX_FIELD_ALIASES)


def test_hand_written_descriptions_name_real_fields() -> None:
    assert set(cat._FIELD_DESCRIPTIONS) <= set(req.BIBLATEX_FIELD_TYPES)
    assert set(cat._TYPE_DESCRIPTIONS) == set(req.BIBLATEX_REQUIRED) | set(
        req.BIBLATEX_TYPE_ALIASES
    )


def test_descriptions_are_one_short_line() -> None:
    infos: list[cat.FieldInfo | cat.TypeInfo] = [*cat.FIELDS.values(), *cat.TYPES.values()]
    for info in infos:
        assert "\n" not in info.description, info.name
        assert len(info.description) <= 90, info.name
        assert not info.description.endswith("."), info.name


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("author", "name list"),
        ("publisher", "literal list"),
        ("language", "key list"),
        ("title", "literal"),
        ("pubstate", "key"),
        ("crossref", "entry key"),
        ("related", "entry key list"),
        ("ids", "entry key list"),
        ("keywords", "keyword list"),
        ("options", "option list"),
        ("volume", "integer"),
        ("pages", "range"),
        ("date", "date"),
        ("urlyear", "date part"),
        ("url", "URI"),
        ("doi", "verbatim"),
        ("execute", "code"),
        ("journal", "literal"),
    ],
)
def test_kinds(name: str, kind: str) -> None:
    assert cat.FIELDS[name].kind == kind


def test_kinds_constant() -> None:
    assert cat.KINDS == KINDS


def test_field_kind_of_unknown_field_is_empty() -> None:
    assert cat.field_kind("notafield") == ""


# --- entry types ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(req.BIBLATEX_REQUIRED))
def test_every_data_model_type_is_described(name: str) -> None:
    info = cat.TYPES[name]
    assert info.name == name
    assert info.description.strip()
    assert info.required == req.BIBLATEX_REQUIRED[name]


def test_types_are_exactly_the_data_model_and_aliases() -> None:
    assert set(cat.TYPES) == set(req.BIBLATEX_REQUIRED) | set(req.BIBLATEX_TYPE_ALIASES)
    assert set(cat.ACCEPTED_FIELDS) == set(req.BIBLATEX_REQUIRED)


@pytest.mark.parametrize(
    "name", sorted(set(req.BIBLATEX_REQUIRED) | set(req.BIBLATEX_TYPE_ALIASES))
)
def test_optional_fields_are_sound(name: str) -> None:
    info = cat.TYPES[name]
    assert len(set(info.optional)) == len(info.optional)
    assert not flat(info.required) & set(info.optional)
    assert set(info.optional) <= set(req.BIBLATEX_FIELD_TYPES)
    target = req.BIBLATEX_TYPE_ALIASES.get(name, name)
    accepted = cat.ACCEPTED_FIELDS[target]
    for field in info.optional:
        if req.BIBLATEX_FIELD_TYPES[field] == "date":
            assert field.removesuffix("date") + "year" in accepted, field
        else:
            assert field in accepted, field


@pytest.mark.parametrize("alias", sorted(req.BIBLATEX_TYPE_ALIASES))
def test_type_aliases(alias: str) -> None:
    info = cat.TYPES[alias]
    target = req.BIBLATEX_TYPE_ALIASES[alias]
    filled = set(req.BIBLATEX_TYPE_ALIAS_FIELDS.get(alias, {}))
    assert target in info.description
    assert info.required == tuple(
        r for r in req.BIBLATEX_REQUIRED[target] if not filled.intersection(r)
    )
    assert set(info.optional) == set(cat.TYPES[target].optional) | filled


def test_phdthesis_needs_no_type() -> None:
    assert ("type",) in cat.TYPES["thesis"].required
    assert ("type",) not in cat.TYPES["phdthesis"].required
    assert "type" in cat.TYPES["phdthesis"].optional


def test_usual_fields_come_first() -> None:
    optional = cat.TYPES["book"].optional
    assert optional[:3] == ("editor", "subtitle", "month")
    assert optional[-1] == "execute"
    assert cat.TYPES["misc"].optional[0] == "author"


def test_date_fields_replace_their_parts() -> None:
    optional = cat.TYPES["inproceedings"].optional
    assert {"eventdate", "urldate", "origdate", "month"} <= set(optional)
    assert not {"eventyear", "urlmonth", "endyear", "day"} & set(optional)
    assert "date" in cat.TYPES["artwork"].optional


def test_article_accepts_journal_fields() -> None:
    accepted = cat.ACCEPTED_FIELDS["article"]
    assert {"journaltitle", "volume", "number", "pages", "issn", "eid"} <= accepted
    assert "publisher" not in accepted
    assert "journaltitle" not in cat.TYPES["article"].optional  # it is required


# --- against an installed TeX Live ------------------------------------------------------------


def _blx_dm_def() -> Path | None:
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    proc = subprocess.run([exe, "blx-dm.def"], capture_output=True, text=True, check=False)
    found = proc.stdout.strip()
    return Path(found) if proc.returncode == 0 and found else None


BLX_DM_DEF = _blx_dm_def()

needs_blx_dm = pytest.mark.skipif(
    BLX_DM_DEF is None, reason="kpsewhich cannot find blx-dm.def (texlive-bibtex-extra)"
)


def _load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_catalogue", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look it up there
    spec.loader.exec_module(module)
    return module


@needs_blx_dm
def test_accepted_fields_agree_with_blx_dm_def(monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _load_generator(monkeypatch)
    assert BLX_DM_DEF is not None
    facts = generator.parse_blx_dm(BLX_DM_DEF)
    assert set(facts.types) == set(req.BIBLATEX_REQUIRED)
    assert set(facts.types) == set(cat.ACCEPTED_FIELDS)
    for name in facts.types:
        assert facts.accepted(name) == cat.ACCEPTED_FIELDS[name], name
    assert set(facts.xsv) == set(data.XSV_FIELDS)
    assert facts.accepted("artwork") == frozenset(facts.common)


@needs_blx_dm
def test_generated_module_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
