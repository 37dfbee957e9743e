"""The rule pages in docs/rules are generated from the code documentation and
every documented example really produces its code."""

from __future__ import annotations

import sys
from importlib.resources import files as resources_files
from pathlib import Path

import pytest

from bib_lsp import docgen
from bib_lsp.document import Document
from bib_lsp.document.io import decode_bib
from bib_lsp.rules import diagnose
from bib_lsp.syntax.codes import NOT_UTF8, CodeDoc

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@pytest.mark.parametrize("folder", [docgen.DOCS_DIR, docgen.PACKAGE_DOCS_DIR], ids=["docs", "pkg"])
def test_generated_pages_are_up_to_date(folder: Path) -> None:
    stale = []
    for name, content in docgen.pages().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            stale.append(name)
    assert not stale, f"{folder} is stale for {stale}: run `python -m bib_lsp.docgen`"


def test_the_pages_are_package_data() -> None:
    """An installed server links its diagnostics to pages inside the package: the
    wheel must carry them (pyproject's package-data), and they are found as the
    package's resources."""
    with (docgen.ROOT / "pyproject.toml").open("rb") as file:
        config = tomllib.load(file)
    globs = config["tool"]["setuptools"]["package-data"]["bib_lsp"]
    package = docgen.PACKAGE_DOCS_DIR.parent
    shipped = {p.relative_to(package).as_posix() for g in globs for p in package.glob(g)}
    resources = resources_files("bib_lsp").joinpath("rule_docs")
    for name, content in docgen.pages().items():
        assert f"rule_docs/{name}" in shipped
        assert resources.joinpath(name).read_text(encoding="utf-8") == content


def test_vscode_extension_offers_every_code() -> None:
    text = docgen.VSCODE_MANIFEST.read_text(encoding="utf-8")
    assert text == docgen.vscode_manifest(text), (
        "editors/vscode/package.json lists stale codes: run `python -m bib_lsp.docgen`"
    )


def test_every_code_has_a_page_linked_from_the_index() -> None:
    index = docgen.pages()["README.md"]
    for doc in docgen.all_docs():
        assert f"]({doc.code}.md)" in index


@pytest.mark.parametrize(
    "doc", [d for d in docgen.all_docs() if d.code != NOT_UTF8], ids=lambda d: d.code
)
def test_documented_example_triggers_its_code(doc: CodeDoc) -> None:
    # With the dialect the example is written for: biblatex if it uses biblatex.
    codes = {p.code for p in diagnose(Document(doc.example))}
    assert doc.code in codes


def test_not_utf8_example_triggers_its_code() -> None:
    loaded = decode_bib("author = {Stra\xdfe}\n".encode("latin-1"))
    assert [p.code for p in loaded.problems] == [NOT_UTF8]
    assert loaded.text == "author = {Stra\xdfe}\n"
