"""Settings from initializationOptions and workspace/configuration, bad values
reported, and a request the server cannot read still answered."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.conftest import PROFILES, start

URI = "file:///tmp/bib-lsp-tests/refs.bib"
TEXT = "@misc{a, title = {x} year = 1}\n@misc{b, t = }\n"  # missing comma, missing value


@pytest.mark.parametrize("profile", PROFILES)
async def test_initialization_options_ignore_and_regrade(
    client: LanguageClient, profile: str
) -> None:
    options = {
        "diagnostics": {
            "debounceMs": 0,
            "ignore": ["missing-value"],
            "severity": {"missing-comma": "hint"},
        }
    }
    session = await start(client, profile, options)
    result = await session.open(URI, TEXT)
    assert [(d.code, d.severity) for d in result] == [
        ("missing-comma", lsp.DiagnosticSeverity.Hint)
    ]


@pytest.mark.parametrize("profile", PROFILES)
async def test_configuration_change_takes_effect(client: LanguageClient, profile: str) -> None:
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}})
    assert [d.code for d in await session.open(URI, TEXT)] == ["missing-comma", "missing-value"]
    client.set_configuration({"diagnostics": {"ignore": ["missing-comma"]}}, section="bibLsp")
    if session.pull:
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        for _ in range(100):  # the server applies it when it has read the configuration
            if [d.code for d in await session.diagnostics(URI)] == ["missing-value"]:
                break
            await asyncio.sleep(0.05)
        assert [d.code for d in await session.diagnostics(URI)] == ["missing-value"]
    else:
        waiter = session._waiter()
        client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
        result = await session._published(URI, waiter, session.versions[URI])
        assert [d.code for d in result] == ["missing-value"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_bad_setting_is_reported_and_the_default_used(
    client: LanguageClient, profile: str
) -> None:
    waiter = client.protocol.wait_for_notification_async(lsp.WINDOW_SHOW_MESSAGE)
    session = await start(client, profile, {"dialect": "latex", "diagnostics": {"debounceMs": 0}})
    message: lsp.ShowMessageParams = await waiter
    assert message.type == lsp.MessageType.Warning
    assert "bibLsp.dialect" in message.message and '"latex"' in message.message
    # The server goes on with the default.
    assert [d.code for d in await session.open(URI, TEXT)] == ["missing-comma", "missing-value"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_status_request_tells_the_dialect_and_how_it_was_chosen(
    client: LanguageClient, profile: str
) -> None:
    """`bibLsp/status`, which the VS Code status bar shows."""
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}})
    biblatex = "file:///tmp/bib-lsp-tests/new.bib"
    await session.open(URI, TEXT)
    await session.open(biblatex, "@online{o, date = {2020-01}, url = {https://x.org}}\n")

    async def status(uri: str) -> object:
        params = {"textDocument": {"uri": uri}}
        return await client.protocol.send_request_async("bibLsp/status", params)

    plain, modern = await status(URI), await status(biblatex)
    assert (plain.dialect, plain.detected, plain.entries) == ("bibtex", True, 2)  # type: ignore[attr-defined]
    assert (modern.dialect, modern.detected, modern.entries) == ("biblatex", True, 1)  # type: ignore[attr-defined]
    assert await status("file:///tmp/bib-lsp-tests/not-open.bib") is None

    client.set_configuration({"dialect": "biblatex"}, section="bibLsp")
    client.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings=None))
    for _ in range(100):  # once the server has read the configuration
        chosen = await status(URI)
        if chosen.dialect == "biblatex":  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.05)
    assert (chosen.dialect, chosen.detected) == ("biblatex", False)  # type: ignore[attr-defined]
