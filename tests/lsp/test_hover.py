"""Hover through the server, in both client profiles: each target, two citation
styles, an entry with a crossref, and a bad style told once."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, Session, start

URI = "file:///tmp/bib-lsp-tests/hover.bib"
TEXT = (
    '@string{tub = "TUGboat"}\n'
    "@proceedings{tug20, title = {Proceedings of {TUG} 2020}, editor = {Barbara Beeton},\n"
    "  year = 2020, publisher = tub, booktitle = {Proceedings of {TUG} 2020}}\n"
    "@inproceedings{Ünal:p, author = {Ayşe Ünal}, title = {On {DNA}}, crossref = {tug20},\n"
    "  pages = {1--5}}\n"
)


async def hover(session: Session, line: int, text_before: str) -> lsp.Hover | None:
    """Hover just after ``text_before`` on ``line`` (columns in the negotiated
    encoding: the line has non-ASCII text)."""
    units = text_before.encode("utf-8" if session.encoding == "utf-8" else "utf-16-le")
    column = len(units) // (1 if session.encoding == "utf-8" else 2)
    return await session.client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(URI), lsp.Position(line, column))
    )


def markdown(found: lsp.Hover | None) -> str:
    assert found is not None
    assert isinstance(found.contents, lsp.MarkupContent)
    assert found.contents.kind == lsp.MarkupKind.Markdown
    return found.contents.value


def plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\\(.)", r"\1", text.replace("*", ""))


async def test_every_hover_target(session: Session) -> None:
    await session.open(URI, TEXT)
    key = await hover(session, 3, "@inproceedings{Ün")
    first = plain(markdown(key).split("\n")[0])
    assert first == (
        "Ünal, A. (2020). On DNA. In B. Beeton (ed.), Proceedings of TUG 2020 (pp. 1–5). TUGboat."
    )
    assert key is not None and key.range is not None
    assert key.range.start == lsp.Position(3, 15)
    assert "`@inproceedings{Ünal:p}`" in markdown(key)
    assert "**@inproceedings**" in markdown(await hover(session, 3, "@inpro"))
    assert markdown(await hover(session, 3, "@inproceedings{Ünal:p, aut")).startswith("**author**")
    macro = markdown(await hover(session, 2, "  year = 2020, publisher = tu"))
    assert "TUGboat" in macro and "Defined in this file, line 1." in macro
    target = markdown(
        await hover(
            session,
            3,
            "@inproceedings{Ünal:p, author = {Ayşe Ünal}, title = {On {DNA}}, crossref = {tug",
        )
    )
    assert "`@proceedings{tug20}`" in target
    assert await hover(session, 4, "  pages = {1-") is None  # a plain value: nothing


async def test_an_entry_type_shows_its_required_fields_and_a_short_line_of_the_rest(
    session: Session,
) -> None:
    await session.open(URI, TEXT)
    kind = markdown(await hover(session, 3, "@inpro"))
    required, optional = kind.split("Optional: ")
    assert "Required: `author`, `title`, `booktitle`" in required
    assert optional.count("`") == 20 and optional.endswith("more.")


@pytest.mark.parametrize("profile", PROFILES)
async def test_the_style_setting_and_a_bad_style_told_once(
    client: LanguageClient, profile: str
) -> None:
    options = {"diagnostics": {"debounceMs": 0}, "citation": {"style": "ieee"}}
    session = await start(client, profile, options)
    await session.open(URI, TEXT)
    ieee = plain(markdown(await hover(session, 3, "@inproceedings{Ün")).split("\n")[0])
    assert ieee.startswith("[1] A. Ünal, “On DNA”, in Proceedings of TUG 2020")
    client.set_configuration({"citation": {"style": "no-such-style"}}, section="bibLsp")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    for _ in range(100):  # the server applies it when it has read the configuration
        shown = plain(markdown(await hover(session, 3, "@inproceedings{Ün")).split("\n")[0])
        if not shown.startswith("[1]"):
            break
        await asyncio.sleep(0.05)
    for _ in range(2):
        apa = plain(markdown(await hover(session, 3, "@inproceedings{Ün")).split("\n")[0])
        assert apa.startswith("Ünal, A. (2020).")  # the default style
    told = [m.message for m in client.messages if "no-such-style" in m.message]
    assert len(told) == 1
    assert "is not a citation style id" in told[0]


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_macro_from_another_file_of_the_workspace(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "strings.bib").write_text(
        '% abbreviations\n@string{jfm = "J. Fluid " # mech}\n@string{mech = "Mech."}\n',
        encoding="utf-8",
    )
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    text = "@article{k, author = {A. Writer}, title = {T}, journal = jfm, year = 2001}\n"
    await session.open(uri, text)
    position = lsp.Position(0, text.index("jfm") + 1)
    for _ in range(200):  # the workspace is read in the background
        found = await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), position)
        )
        if "strings.bib" in markdown(found):
            break
        await asyncio.sleep(0.05)
    shown = markdown(found)
    assert "J. Fluid Mech." in shown  # expanded with the other file's own macros
    assert "Defined in `strings.bib`, line 2." in shown
    entry = markdown(
        await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 10))
        )
    )
    assert "*J. Fluid Mech.*" in entry  # the preview uses it too


async def test_a_macro_from_a_windows_1252_file_keeps_its_curly_quotes(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "strings.bib").write_bytes('@string{jq = "“Quarterly” – J."}\n'.encode("cp1252"))
    session = await start(client, "neovim", {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    text = "@article{k, author = {A. Writer}, title = {T}, journal = jq, year = 2001}\n"
    await session.open(uri, text)
    position = lsp.Position(0, text.index("jq") + 1)
    for _ in range(200):  # the workspace is read in the background
        found = await client.text_document_hover_async(
            lsp.HoverParams(lsp.TextDocumentIdentifier(uri), position)
        )
        if "strings.bib" in markdown(found):
            break
        await asyncio.sleep(0.05)
    assert "“Quarterly” – J." in markdown(found)
