"""The content rules through the server, and the CLI saying exactly the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, Session, start

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


async def test_duplicate_keys_point_at_each_other(session: Session) -> None:
    uri = "file:///tmp/bib-lsp-tests/dup.bib"
    text = "@misc{knuth84, title = {A}}\n@misc{Knuth84, title = {B}}\n"
    problems = await session.open(uri, text)
    assert [(d.code, d.range.start.line) for d in problems] == [
        ("duplicate-key", 0),
        ("duplicate-key", 1),
    ]
    first, second = problems
    assert first.related_information is not None
    (other,) = first.related_information
    assert other.location.uri == uri
    assert other.location.range == second.range
    assert "also on line 2" in first.message


async def test_missing_required_field_carries_the_fields_to_add(session: Session) -> None:
    uri = "file:///tmp/bib-lsp-tests/req.bib"
    text = "@article{k, author = {A}, title = {T}, year = 2000}\n"
    (d,) = await session.open(uri, text)
    assert d.code == "missing-required-field"
    assert d.severity == lsp.DiagnosticSeverity.Warning
    assert d.range == lsp.Range(lsp.Position(0, 9), lsp.Position(0, 10))
    assert d.data == {"fields": ["journal"]}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("dialect", "wanted"),
    [
        # plain.bst wants `year`.
        ("bibtex", [{"fields": ["year"]}]),
        # biblatex takes `journal` for `journaltitle` and asks for `date` or `year`.
        ("biblatex", [{"fields": ["date", "year"]}]),
    ],
)
async def test_dialect_from_initialization_options(
    client: LanguageClient, profile: str, dialect: str, wanted: list[object]
) -> None:
    uri = "file:///tmp/bib-lsp-tests/dialect.bib"
    text = "@article{k, author = {A}, title = {T}, journal = {J}}\n"
    options = {"dialect": dialect, "diagnostics": {"debounceMs": 0}}
    session = await start(client, profile, options)
    assert [d.data for d in await session.open(uri, text)] == wanted


async def test_cli_and_server_agree_on_every_diagnostic(session: Session) -> None:
    if session.encoding != "utf-16":
        return  # the CLI's JSON ranges are UTF-16, as the VS Code profile's
    path = EXAMPLES / "broken.bib"
    text = path.read_text(encoding="utf-8")
    served = await session.open(path.as_uri(), text)
    cli = subprocess.run(
        [sys.executable, "-m", "bib_lsp", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    printed = json.loads(cli.stdout)
    severities = {1: "error", 2: "warning", 3: "information", 4: "hint"}
    assert [
        (
            d.code,
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
            d.message,
            severities[d.severity],
        )
        for d in served
    ] == [
        (
            item["code"],
            item["range"]["start"]["line"],
            item["range"]["start"]["character"],
            item["range"]["end"]["line"],
            item["range"]["end"]["character"],
            item["message"],
            item["severity"],
        )
        for item in printed
    ]
    assert len(served) == 6
