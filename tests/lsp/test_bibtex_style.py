"""The `bibtex.style`, `bibtex.extraTypes` and `bibtex.extraFields` settings through
the real server: diagnostics follow the chosen .bst, a bad style is told."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, start

STYLE = (
    "ENTRY { title colour } {} {}\n"
    "FUNCTION {fin.entry} { write$ }\n"
    'FUNCTION {output.warn} { \'t := duplicate$ empty$ { pop$ "empty " t * " in " * '
    "cite$ * warning$ } 'write$ if$ }\n"
    'FUNCTION {webpage} { title "title" output.warn fin.entry }\n'
    "READ\nITERATE {call.type$}\n"
)
TEXT = "@webpage{w, colour = {red}}\n@electronic{e, title = {T}, hue = {blue}}\n"


def _codes(diagnostics: list[lsp.Diagnostic]) -> list[tuple[int, str, str]]:
    return [(d.range.start.line, str(d.code), d.message) for d in diagnostics]


@pytest.mark.parametrize("profile", PROFILES)
async def test_style_path_relative_to_the_workspace(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "web.bst").write_text(STYLE, encoding="latin-1")
    options = {
        "diagnostics": {"debounceMs": 0, "ignore": ["empty-field"]},
        "bibtex": {"style": "styles/web.bst", "extraTypes": ["Electronic"]},
    }
    session = await start(client, profile, options, root=tmp_path.as_uri())
    result = await session.open((tmp_path / "refs.bib").as_uri(), TEXT)
    assert _codes(result) == [
        (0, "missing-required-field", "`@webpage` needs `title` (web.bst)"),
        (1, "unknown-field", "`hue` is not a field of web.bst: it is ignored"),
    ]


@pytest.mark.parametrize("profile", PROFILES)
async def test_style_setting_changed_takes_effect(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "web.bst").write_text(STYLE, encoding="latin-1")
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    before = [c for _, c, _ in _codes(await session.open(uri, TEXT))]
    assert before.count("unknown-entry-type") == 2  # @webpage, @electronic
    settings = {"bibtex": {"style": "web", "extraFields": ["hue"]}}
    client.set_configuration(settings, section="bibLsp")
    expected = [
        (0, "missing-required-field", "`@webpage` needs `title` (web.bst)"),
        (
            1,
            "unknown-entry-type",
            "`@electronic` is not an entry type of web.bst: BibTeX prints it with the "
            "style's `default.type`",
        ),
    ]
    if session.pull:
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        for _ in range(100):
            if _codes(await session.diagnostics(uri)) == expected:
                break
            await asyncio.sleep(0.05)
        assert _codes(await session.diagnostics(uri)) == expected
    else:
        waiter = session._waiter()
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        assert _codes(await session._published(uri, waiter, session.versions[uri])) == expected


@pytest.mark.parametrize("profile", PROFILES)
async def test_unknown_style_is_told_and_plain_used(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    waiter = client.protocol.wait_for_notification_async(lsp.WINDOW_SHOW_MESSAGE)
    options = {"diagnostics": {"debounceMs": 0}, "bibtex": {"style": "./missing.bst"}}
    session = await start(client, profile, options, root=tmp_path.as_uri())
    result = await session.open((tmp_path / "refs.bib").as_uri(), TEXT)
    message: lsp.ShowMessageParams = await waiter
    assert message.type == lsp.MessageType.Warning
    assert message.message == (
        f"bib-lsp: BibTeX style './missing.bst': no style file {tmp_path / 'missing.bst'}; "
        "using plain.bst"
    )
    assert [c for _, c, m in _codes(result) if "is not a BibTeX entry type" in m] == [
        "unknown-entry-type",
        "unknown-entry-type",
    ]


def _found(name: str) -> bool:
    exe = shutil.which("kpsewhich")
    return exe is not None and bool(
        subprocess.run([exe, name], capture_output=True, text=True, check=False).stdout.strip()
    )


@pytest.mark.skipif(
    not (_found("IEEEtran.bst") and _found("IEEEexample.bib")),
    reason="kpsewhich cannot find IEEEtran.bst and IEEEexample.bib (texlive-publishers)",
)
@pytest.mark.parametrize("profile", PROFILES)
async def test_ieeetran_by_name(client: LanguageClient, profile: str, tmp_path: Path) -> None:
    bib = subprocess.run(
        ["kpsewhich", "IEEEexample.bib"], capture_output=True, text=True, check=True
    ).stdout.strip()
    text = Path(bib).read_text(encoding="utf-8")
    uri = (tmp_path / "IEEEexample.bib").as_uri()
    plain = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    codes = [c for _, c, _ in _codes(await plain.open(uri, text))]
    assert (codes.count("unknown-entry-type"), codes.count("unknown-field")) == (22, 14)
    client.set_configuration({"bibtex": {"style": "IEEEtran"}}, section="bibLsp")
    if plain.pull:
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        for _ in range(100):
            codes = [c for _, c, _ in _codes(await plain.diagnostics(uri))]
            if "unknown-entry-type" not in codes:
                break
            await asyncio.sleep(0.05)
    else:
        waiter = plain._waiter()
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        published = await plain._published(uri, waiter, plain.versions[uri])
        codes = [c for _, c, _ in _codes(published)]
    assert (codes.count("unknown-entry-type"), codes.count("unknown-field")) == (0, 0)


@pytest.mark.parametrize("profile", PROFILES)
async def test_completion_and_hover_follow_the_style(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "web.bst").write_text(STYLE, encoding="latin-1")
    options = {"diagnostics": {"debounceMs": 0}, "bibtex": {"style": "web.bst"}}
    session = await start(client, profile, options, root=tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    await session.open(uri, "@webpage{w, }\n@\n")
    doc = lsp.TextDocumentIdentifier(uri)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(doc, lsp.Position(1, 1))
    )
    assert isinstance(result, lsp.CompletionList)
    types = {i.label for i in result.items} - {"string", "preamble", "comment"}
    assert types == {"webpage"}
    result = await client.text_document_completion_async(
        lsp.CompletionParams(doc, lsp.Position(0, 12))
    )
    assert isinstance(result, lsp.CompletionList)
    fields = {i.label for i in result.items}
    assert {"title", "colour", "url"} <= fields and "journal" not in fields
    found = await client.text_document_hover_async(lsp.HoverParams(doc, lsp.Position(0, 2)))
    assert found is not None and isinstance(found.contents, lsp.MarkupContent)
    assert "(web.bst)" in found.contents.value and "Required: `title`." in found.contents.value
