"""The VS Code extension's manifest (editors/vscode/package.json) against the
server: every setting the server reads is offered, with the server's defaults and
choices, and what VS Code sends when nothing is set (every default) is read by the
server without a complaint, as its own defaults."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bib_lsp.formatting.options import _NAMES, CASES, DELIMITERS, ENTRY_SORTS, option_names
from bib_lsp.lsp.config import Settings, parse_settings
from bib_lsp.rules import DIALECTS

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
PROPERTIES: dict[str, dict[str, Any]] = MANIFEST["contributes"]["configuration"]["properties"]
CLIENT_ONLY = {"bibLsp.server.path", "bibLsp.server.args", "bibLsp.trace.server"}


def _server_settings() -> set[str]:
    top = {
        "bibLsp.dialect",
        "bibLsp.diagnostics.debounceMs",
        "bibLsp.diagnostics.ignore",
        "bibLsp.diagnostics.severity",
        "bibLsp.citation.style",
        "bibLsp.workspace.maxFileSize",
        "bibLsp.together",
        "bibLsp.bibtex.style",
        "bibLsp.bibtex.extraTypes",
        "bibLsp.bibtex.extraFields",
    }
    # Some options have two names (`align`, `alignEquals`): the manifest offers the shorter.
    camel: dict[str, str] = {}
    for name, target in _NAMES.items():
        if "_" not in name and len(name) < len(camel.get(target, name + "_")):
            camel[target] = name
    return top | {f"bibLsp.format.{camel[field]}" for field in option_names()}


def _as_sent(properties: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The `bibLsp` section as VS Code sends it with nothing set: nested defaults."""
    section: dict[str, Any] = {}
    for key, schema in properties.items():
        *parents, leaf = key.split(".")[1:]
        node = section
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = schema["default"]
    return section


def test_every_server_setting_is_offered_and_nothing_else() -> None:
    assert set(PROPERTIES) - CLIENT_ONLY == _server_settings()


def test_defaults_as_sent_are_the_servers_own_and_raise_no_complaint() -> None:
    settings, problems = parse_settings(_as_sent(PROPERTIES))
    assert problems == []
    assert settings == Settings()


def test_choices_match_the_server() -> None:
    assert tuple(PROPERTIES["bibLsp.dialect"]["enum"]) == DIALECTS
    assert set(PROPERTIES["bibLsp.format.delimiter"]["enum"]) == set(DELIMITERS)
    assert set(PROPERTIES["bibLsp.format.typeCase"]["enum"]) == set(CASES)
    assert set(PROPERTIES["bibLsp.format.fieldCase"]["enum"]) == set(CASES)
    assert tuple(PROPERTIES["bibLsp.format.sortEntries"]["enum"]) == ENTRY_SORTS
    severities = PROPERTIES["bibLsp.diagnostics.severity"]["additionalProperties"]["enum"]
    assert severities == ["error", "warning", "information", "hint"]
    _, problems = parse_settings({"diagnostics": {"severity": dict.fromkeys(["bad-doi"], "hint")}})
    assert problems == []


def test_every_setting_is_described() -> None:
    for key, schema in PROPERTIES.items():
        text = schema.get("markdownDescription") or schema.get("description") or ""
        assert len(text) > 20, key


def test_the_language_and_its_files() -> None:
    contributes = MANIFEST["contributes"]
    (language,) = contributes["languages"]
    assert language["id"] == "bibtex" and language["extensions"] == [".bib"]
    (grammar,) = contributes["grammars"]
    assert grammar["language"] == "bibtex"
    for relative in (language["configuration"], grammar["path"]):
        assert (ROOT / "editors" / "vscode" / relative).is_file()
    commands = {c["command"] for c in contributes["commands"]}
    assert "bibLsp.restartServer" in commands
    # @types/vscode must not be newer than the oldest VS Code the extension claims.
    engine = MANIFEST["engines"]["vscode"].lstrip("^")
    assert MANIFEST["devDependencies"]["@types/vscode"] == engine
    # Exact versions only: what CI tested is what ships.
    for name, version in {**MANIFEST["dependencies"], **MANIFEST["devDependencies"]}.items():
        assert version[0].isdigit(), (name, version)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_icon_is_a_128_pixel_png() -> None:
    # The marketplace and the extensions view show it; 128x128 is what they ask for.
    icon = ROOT / "editors" / "vscode" / MANIFEST["icon"]
    assert _png_size(icon.read_bytes()) == (128, 128)


VSIX = ROOT / "editors" / "vscode" / "dist" / "bib-lsp.vsix"


@pytest.mark.skipif(
    not VSIX.exists() and os.environ.get("BIB_LSP_REQUIRE_VSCODE") != "1",
    reason="the extension is not packaged (editors/vscode: npm run package)",
)
def test_the_package_has_the_icon_and_no_source_map() -> None:
    with zipfile.ZipFile(VSIX) as vsix:
        names = vsix.namelist()
        assert "extension/images/icon.png" in names
        assert _png_size(vsix.read("extension/images/icon.png")) == (128, 128)
        assert 'Path="extension/images/icon.png"' in vsix.read("extension.vsixmanifest").decode()
        assert [name for name in names if name.endswith(".map")] == []
        bundle = vsix.read("extension/dist/extension.js")
        assert b"sourceMappingURL" not in bundle
