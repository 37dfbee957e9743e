"""`%` lines outside entries, end to end: the server reads them as the dialect's
backend does, and reads the document again when the dialect setting changes."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, start

URI = "file:///tmp/bib-lsp-tests/comment-lines.bib"
TEXT = "%@misc{old, title = {Old}}\n@misc{old, title = {New}, year = 2000}\n"


@pytest.mark.parametrize("profile", PROFILES)
async def test_switching_to_biblatex_reads_comment_lines_as_biber(
    client: LanguageClient, profile: str
) -> None:
    session = await start(client, profile, {"dialect": "bibtex", "diagnostics": {"debounceMs": 0}})
    codes = [d.code for d in await session.open(URI, TEXT)]
    assert codes == ["commented-out-entry", "duplicate-key", "duplicate-key"]
    client.set_configuration({"dialect": "biblatex"}, section="bibLsp")
    if session.pull:
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        for _ in range(100):  # the server applies it when it has read the configuration
            if [d.code for d in await session.diagnostics(URI)] == []:
                break
            await asyncio.sleep(0.05)
        assert [d.code for d in await session.diagnostics(URI)] == []
    else:
        waiter = session._waiter()
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        result = await session._published(URI, waiter, session.versions[URI])
        assert [d.code for d in result] == []


@pytest.mark.parametrize("profile", PROFILES)
async def test_the_biblatex_dialect_reports_nothing_on_comment_lines(
    client: LanguageClient, profile: str
) -> None:
    session = await start(
        client, profile, {"dialect": "biblatex", "diagnostics": {"debounceMs": 0}}
    )
    assert await session.open(URI, TEXT) == []
