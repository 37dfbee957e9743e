"""End-to-end fixtures: the real server process (`python -m bib_lsp`) driven over
stdio by pytest-lsp, as VS Code (push diagnostics, UTF-16) and as Neovim 0.11
(pull diagnostics, UTF-8) would drive it."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

PROFILES = ["visual-studio-code", "neovim"]
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "bib_lsp"])


class Session:
    """A client and what it negotiated, with helpers that wait on the server (never
    on a fixed delay)."""

    def __init__(self, client: LanguageClient, profile: str, result: lsp.InitializeResult):
        self.client = client
        self.profile = profile
        self.capabilities = result.capabilities
        self.pull = profile == "neovim"
        self.versions: dict[str, int] = {}

    @property
    def encoding(self) -> str:
        return str(self.capabilities.position_encoding or "utf-16")

    async def open(self, uri: str, text: str) -> list[lsp.Diagnostic]:
        waiter = self._waiter()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "bibtex", 1, text))
        )
        return await self.diagnostics(uri, waiter)

    async def change(
        self, uri: str, changes: list[lsp.TextDocumentContentChangeEvent]
    ) -> list[lsp.Diagnostic]:
        waiter = self._waiter()
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]), changes
            )
        )
        return await self.diagnostics(uri, waiter)

    async def close(self, uri: str) -> list[lsp.Diagnostic] | None:
        waiter = self._waiter()
        self.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri))
        )
        if self.pull:
            return None
        return await self._published(uri, waiter, version=None)

    def _waiter(self) -> Any:
        if self.pull:
            return None
        return self.client.protocol.wait_for_notification_async(
            lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        )

    async def diagnostics(self, uri: str, waiter: Any = None) -> list[lsp.Diagnostic]:
        if self.pull:
            report = await self.client.text_document_diagnostic_async(
                lsp.DocumentDiagnosticParams(lsp.TextDocumentIdentifier(uri))
            )
            assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
            return list(report.items)
        return await self._published(uri, waiter or self._waiter(), self.versions[uri])

    async def _published(self, uri: str, waiter: Any, version: int | None) -> list[Any]:
        """The next publication for ``uri`` (and ``version``), skipping others."""
        while True:
            params: lsp.PublishDiagnosticsParams = await waiter
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)
            waiter = self._waiter()


async def start(
    client: LanguageClient,
    profile: str,
    options: dict[str, Any] | None = None,
    root: str = "file:///tmp/bib-lsp-tests",
) -> Session:
    result = await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities(profile),
            initialization_options=options if options is not None else {},
            root_uri=root,
        )
    )
    return Session(client, profile, result)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    """A client connected to a fresh server process (shut down afterwards); it
    accepts registrations as editors do, and keeps them in ``registrations``."""
    registrations: list[lsp.Registration] = []
    lsp_client.registrations = registrations  # type: ignore[attr-defined]

    @lsp_client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    yield
    await lsp_client.shutdown_session()


@pytest.fixture(params=PROFILES)
async def session(client: LanguageClient, request: pytest.FixtureRequest) -> Session:
    # Debounce 0: a test waits for the server's answer, not for a timer.
    return await start(client, request.param, {"diagnostics": {"debounceMs": 0}})
