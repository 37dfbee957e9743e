"""Tests for the BibTeX field and entry-type catalogue (the last ones need TeX Live)."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from bib_lsp.model import catalogue_bibtex as cat
from bib_lsp.model import requirements as req

ALL_FIELDS = req.BIBTEX_FIELDS | req.COMMON_BIBTEX_EXTRA_FIELDS
ALL_TYPES = req.BIBTEX_TYPES | req.COMMON_BIBTEX_EXTRA_TYPES


def flat(requirements: tuple[tuple[str, ...], ...]) -> set[str]:
    return {name for alternatives in requirements for name in alternatives}


# --- fields -------------------------------------------------------------------------------------


def test_fields_cover_exactly_the_bibtex_and_extra_fields() -> None:
    assert set(cat.FIELDS) == ALL_FIELDS


@pytest.mark.parametrize("name", sorted(ALL_FIELDS))
def test_field_entry_is_well_formed(name: str) -> None:
    info = cat.FIELDS[name]
    assert info.name == name
    assert info.kind in cat.KINDS
    assert info.description.strip() == info.description
    assert info.description and "\n" not in info.description
    assert len(info.description) <= 90
    assert info.description.endswith(".")


@pytest.mark.parametrize("name", sorted(req.COMMON_BIBTEX_EXTRA_FIELDS - req.BIBTEX_FIELDS))
def test_extra_field_says_plain_bst_ignores_it(name: str) -> None:
    assert "ignored by plain.bst" in cat.FIELDS[name].description


@pytest.mark.parametrize("name", sorted(req.BIBTEX_FIELDS))
def test_standard_field_is_not_called_ignored(name: str) -> None:
    assert "ignored" not in cat.FIELDS[name].description


def test_selected_kinds() -> None:
    kinds = {name: info.kind for name, info in cat.FIELDS.items()}
    assert {n for n, k in kinds.items() if k == cat.NAME_LIST} == {"author", "editor", "translator"}
    assert kinds["pages"] == cat.RANGE
    assert kinds["month"] == cat.MONTH
    assert kinds["year"] == cat.INTEGER
    assert kinds["crossref"] == cat.ENTRY_KEY
    assert kinds["key"] == cat.LITERAL
    assert kinds["url"] == cat.URI


def test_every_kind_is_used() -> None:
    assert {info.kind for info in cat.FIELDS.values()} == cat.KINDS


# --- types --------------------------------------------------------------------------------------


def test_types_cover_exactly_the_bibtex_and_extra_types() -> None:
    assert set(cat.TYPES) == ALL_TYPES


@pytest.mark.parametrize("name", sorted(ALL_TYPES))
def test_type_entry_is_well_formed(name: str) -> None:
    info = cat.TYPES[name]
    assert info.name == name
    assert info.description.strip() == info.description
    assert info.description and "\n" not in info.description
    assert len(info.description) <= 90
    assert info.description.endswith(".")
    assert len(set(info.optional)) == len(info.optional), "optional field listed twice"
    assert set(info.optional) <= ALL_FIELDS
    assert flat(info.required) <= ALL_FIELDS


@pytest.mark.parametrize("name", sorted(ALL_TYPES))
def test_optional_is_disjoint_from_required(name: str) -> None:
    info = cat.TYPES[name]
    assert not set(info.optional) & flat(info.required)


@pytest.mark.parametrize("name", sorted(req.BIBTEX_TYPES))
def test_required_is_plain_bst_requirements(name: str) -> None:
    assert cat.TYPES[name].required == req.BIBTEX_REQUIRED[name]


@pytest.mark.parametrize("name", sorted(req.COMMON_BIBTEX_EXTRA_TYPES - req.BIBTEX_TYPES))
def test_extra_type_falls_back_to_misc(name: str) -> None:
    info = cat.TYPES[name]
    assert info.required == req.BIBTEX_REQUIRED["misc"] == ()
    assert "@misc" in info.description


@pytest.mark.parametrize("name", sorted(ALL_TYPES))
def test_key_and_crossref_are_optional_everywhere(name: str) -> None:
    assert cat.TYPES[name].optional[-2:] == ("key", "crossref")


def test_conference_is_inproceedings() -> None:
    assert cat.TYPES["conference"].required == cat.TYPES["inproceedings"].required
    assert cat.TYPES["conference"].optional == cat.TYPES["inproceedings"].optional


def test_documented_optional_fields_of_article() -> None:
    assert cat.TYPES["article"].optional == (
        "volume",
        "number",
        "pages",
        "month",
        "note",
        "key",
        "crossref",
    )


# --- against plain.bst --------------------------------------------------------------------------


@cache
def _plain_bst() -> Path | None:
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    proc = subprocess.run([exe, "plain.bst"], capture_output=True, text=True, check=False)
    path = proc.stdout.strip()
    return Path(path) if proc.returncode == 0 and path else None


needs_plain_bst = pytest.mark.skipif(
    _plain_bst() is None, reason="kpsewhich cannot find plain.bst (TeX Live not installed)"
)

_TOKEN = re.compile(r'"[^"]*"|[{}]|[^\s{}"]+')


def _strip_comment(line: str) -> str:
    # A `%` starts a comment outside string literals; plain.bst has none inside strings.
    return line.split("%", 1)[0] if '"' not in line else line


def _group(tokens: list[str], i: int) -> tuple[list[str], int]:
    """The tokens inside the brace group that starts at ``tokens[i]``, and the next index."""
    assert tokens[i] == "{", tokens[i]
    depth = 0
    start = i
    while True:
        if tokens[i] == "{":
            depth += 1
        elif tokens[i] == "}":
            depth -= 1
        i += 1
        if depth == 0:
            return tokens[start + 1 : i - 1], i


@cache
def _parse_plain_bst() -> tuple[frozenset[str], dict[str, list[str]]]:
    """plain.bst's ENTRY field names and its FUNCTION bodies (as token lists)."""
    path = _plain_bst()
    assert path is not None
    text = "\n".join(_strip_comment(line) for line in path.read_text().splitlines())
    tokens = _TOKEN.findall(text)
    fields: frozenset[str] = frozenset()
    functions: dict[str, list[str]] = {}
    arguments = {"ENTRY": 3, "FUNCTION": 2, "MACRO": 2, "INTEGERS": 1, "STRINGS": 1}
    arguments |= {"EXECUTE": 1, "ITERATE": 1, "REVERSE": 1, "READ": 0, "SORT": 0}
    i = 0
    while i < len(tokens):
        command = tokens[i].upper()
        i += 1
        groups = []
        for _ in range(arguments[command]):
            group, i = _group(tokens, i)
            groups.append(group)
        if command == "ENTRY":
            fields = frozenset(groups[0])
        elif command == "FUNCTION":
            functions[groups[0][0]] = groups[1]
    return fields, functions


def _fields_read_by(function: str) -> set[str]:
    """Fields (plus crossref) named in ``function`` or any function it calls, transitively."""
    entry_fields, functions = _parse_plain_bst()
    fields = entry_fields | {"crossref"}
    seen: set[str] = set()
    todo = [function]
    found: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for token in functions[name]:
            token = token.removeprefix("'")
            if token in fields:
                found.add(token)
            elif token in functions:
                todo.append(token)
    return found


@needs_plain_bst
def test_parser_sees_plain_bst_entry_fields_and_types() -> None:
    entry_fields, functions = _parse_plain_bst()
    assert entry_fields | {"crossref"} == req.BIBTEX_FIELDS
    assert req.BIBTEX_TYPES.issubset(functions)
    assert _fields_read_by("article") >= {"author", "title", "journal", "year", "volume"}


@needs_plain_bst
@pytest.mark.parametrize("name", sorted(req.BIBTEX_TYPES))
def test_optional_fields_occur_in_plain_bst(name: str) -> None:
    path = _plain_bst()
    assert path is not None
    words = set(re.findall(r"[a-z]+", path.read_text()))
    assert set(cat.TYPES[name].optional) <= words


@needs_plain_bst
@pytest.mark.parametrize("name", sorted(req.BIBTEX_TYPES))
def test_optional_fields_are_read_for_the_type(name: str) -> None:
    # `key` is read by the sort functions (`presort`) for every type; `crossref` by BibTeX.
    read = _fields_read_by(name) | _fields_read_by("presort") | {"crossref"}
    optional = set(cat.TYPES[name].optional)
    assert optional <= read, sorted(optional - read)
    # Conversely, every field the type's own function reads is required or optional.
    assert _fields_read_by(name) <= optional | flat(cat.TYPES[name].required)
