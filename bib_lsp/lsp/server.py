"""The language server: its state (open documents, settings, what the client
takes), the diagnostics it publishes, the lifecycle and text synchronisation
handlers, and ``create_server``, which registers every method group's handlers.

Documents are kept as incremental ``Document``s, not in pygls's workspace: pygls
rebuilds a document's whole text on every change (see ``lsp/protocol.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import threading
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcInvalidParams

from bib_lsp import __version__
from bib_lsp.document import Document, TextChange
from bib_lsp.features.citation import DEFAULT_STYLE, StyleError, load_style
from bib_lsp.lsp import (
    actions,
    completion,
    convert,
    diagnostics,
    formatting,
    hover,
    navigation,
    project,
    references,
    semantic,
    workspace,
)
from bib_lsp.lsp.analysis import STAGED_ABOVE, settle_heap, start_analysis
from bib_lsp.lsp.config import SECTION, Settings, parse_settings
from bib_lsp.lsp.documents import OpenDocument
from bib_lsp.lsp.handlers import Features, guarded, on_document
from bib_lsp.lsp.jsontext import JsonPieces, dumps
from bib_lsp.lsp.protocol import HardenedServer
from bib_lsp.lsp.workspace import ClientProgress, WorkspaceFiles, folders_of, uri_path
from bib_lsp.model.bst import forget_lookups, load_bibtex_style
from bib_lsp.model.index import BibIndex
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.text import PositionEncoding, Range

logger = logging.getLogger(__name__)
POLL_SECONDS = 5.0  # how often workspace files are checked when the client does not watch them
PARENT_POLL_SECONDS = 2.0  # how often the client's process is looked for (initialize's processId)
# How long the first diagnostics wait for the client's answer to workspace/configuration.
CONFIGURATION_WAIT_SECONDS = 3.0
STATUS = "bibLsp/status"


class BibLanguageServer(HardenedServer):
    def __init__(self) -> None:
        super().__init__("bib-lsp", __version__)
        self.documents: dict[str, OpenDocument] = {}  # the open ones, by URI
        self.initial_settings = Settings()
        self.settings = Settings()
        self.generation = 0  # bumped when the settings change
        self.encoding = PositionEncoding.UTF16
        self.pull = False  # the client asks for diagnostics (textDocument/diagnostic)
        self.can_fetch_configuration = False
        self.can_refresh_diagnostics = False
        self.snippets = False  # the client takes snippets in completion items
        self.resolve_documentation = False  # the client asks for it on completionItem/resolve
        self.watch_files = False  # the client watches files for us when asked to
        # Set once the client's configuration is known (or not coming): until then no
        # diagnostics go out, so that the first report already follows the settings.
        self.configured = asyncio.Event()
        self.configured.set()
        self._held: set[str] = set()  # documents whose publication waits for it
        self.files = WorkspaceFiles()
        self.projects = project.ProjectFiles()  # bib-lsp.toml and pyproject.toml files
        self.result_ids = itertools.count(1)  # never repeated, even across re-opens
        self._style_failures: set[str] = set()  # styles the user was told about
        # Documents of more blocks than this are checked in stages (see did_open);
        # BIB_LSP_STAGED_ABOVE changes it (for tests and benchmarks).
        self.staged_above = int(os.environ.get("BIB_LSP_STAGED_ABOVE", STAGED_ABOVE))

    def checker(self, document: OpenDocument) -> Checker:
        """The document's checker with its index complete (a staged document's may
        still be building: a request that needs it finishes it now) and the current
        options."""
        checker = document.checker
        if not checker.index.complete:
            with gc_paused():
                checker.index.build()
        checker.options = project.rule_options(self, document.uri)
        project.sync_macros(self, document)
        return checker

    def open_documents(self) -> dict[str, tuple[Document, BibIndex]]:
        """The open documents with their live (complete) indexes, by URI."""
        return {u: (d.doc, self.checker(d).index) for u, d in self.documents.items()}

    def citation_style(self) -> object:
        """The configured citation style, loaded (once); the default one, after a
        message, when it cannot be read."""
        spec = self.settings.citation_style
        try:
            return load_style(spec)
        except StyleError as error:
            if spec not in self._style_failures:
                self._style_failures.add(spec)
                self.warn(f"bib-lsp: {error}; using {DEFAULT_STYLE}")
            return load_style(DEFAULT_STYLE)

    @property
    def rule_options(self) -> RuleOptions:
        """The rule options of the settings, with the BibTeX style they name loaded
        (a relative path from the first workspace folder; the reading is cached per
        version of the file); plain.bst, after a message, when it cannot be."""
        options = self.settings.rule_options
        chosen = self.settings.bibtex
        if not chosen.style and not chosen.extra_types and not chosen.extra_fields:
            return options
        base = Path(self.files.folders[0]) if self.files.folders else None
        style, trouble = load_bibtex_style(
            chosen.style, base, chosen.extra_types, chosen.extra_fields
        )
        if trouble is not None and trouble not in self._style_failures:
            self._style_failures.add(trouble)
            self.warn(f"bib-lsp: {trouble}")
        return replace(options, style=style)

    # -- messages --------------------------------------------------------------------
    def warn(self, message: str) -> None:
        self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Warning, message))

    def log_info(self, message: str) -> None:
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Info, message))

    def log_failure(self, where: str) -> None:
        text = f"bib-lsp: {where} failed:\n{traceback.format_exc()}"
        logger.error(text)
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error, text))

    # -- settings --------------------------------------------------------------------
    def apply_settings(self, raw: object, base: Settings) -> None:
        settings, problems = parse_settings(raw, base)
        for problem in problems:
            self.warn(problem)
        self.files.max_bytes = settings.max_file_size
        if settings != self.settings:
            if settings.bibtex != self.settings.bibtex:
                forget_lookups()  # a style installed since is found
                self._style_failures.clear()
            self.settings = settings
            self.generation += 1
            self.refresh_all()

    def configuration_known(self) -> None:
        """The settings are final for now: publish what was held back for them."""
        if self.configured.is_set():
            return
        self.configured.set()
        held, self._held = self._held, set()
        for uri in held:
            self.schedule(uri, 0)

    async def until_configured(self) -> None:
        """Wait (``CONFIGURATION_WAIT_SECONDS`` at most) for the client's settings:
        a pulling client without refresh support cannot be told to pull again."""
        if not self.configured.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.configured.wait(), CONFIGURATION_WAIT_SECONDS)

    async def fetch_settings(self) -> None:
        if not self.can_fetch_configuration:
            return
        items = [lsp.ConfigurationItem(section=SECTION)]
        result = await self.workspace_configuration_async(lsp.ConfigurationParams(items))
        if result:
            self.apply_settings(result[0], self.initial_settings)

    # -- diagnostics -----------------------------------------------------------------
    def report(self, document: OpenDocument) -> tuple[str, JsonPieces]:
        """The document's diagnostics as a JSON array (in pieces), in text order,
        and their result id; cached, and costing about the chunks an edit changed
        (see ``DiagnosticsCache``)."""
        checker = document.checker
        checker.options = project.rule_options(self, document.uri)
        if checker.index.complete:
            project.sync_macros(self, document)
        state = (self.generation, self.projects.version, document.doc.version)
        if document.report is not None and document.report[0] == state:
            return document.report[1], document.report[2]
        with gc_paused():
            cache = document.diagnostics()
            pieces = cache.update(document.doc, checker, self.generation, self.encoding)
        result_id = str(next(self.result_ids))
        document.report = (state, result_id, pieces)
        return result_id, pieces

    def schedule(self, uri: str, delay_ms: int) -> None:
        """Publish the document's diagnostics after ``delay_ms`` (debounce); a later
        change cancels an earlier pending publication."""
        document = self.documents.get(uri)
        if self.pull or document is None:
            return
        document.cancel_publication()
        if not self.configured.is_set():
            self._held.add(uri)
            return
        if delay_ms <= 0:
            self.publish(uri, document.doc.version)
            return
        loop = asyncio.get_running_loop()
        version = document.doc.version
        document.pending = loop.call_later(delay_ms / 1000, self.publish, uri, version)

    def publish(self, uri: str, version: int) -> None:
        document = self.documents.get(uri)
        if document is None or document.doc.version != version:
            return  # closed, or a newer version has its own publication coming
        document.pending = None
        try:
            _, items = self.report(document)
        except Exception:
            self.log_failure(f"diagnostics for {uri}")
            items = [b"[]"]
        head = b'{"uri":' + dumps(uri) + b',"version":%d,"diagnostics":' % version
        self.bib_protocol.notify_json(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, [head, *items, b"}"])

    def refresh_all(self) -> None:
        for document in self.documents.values():
            document.report = None
        if self.pull:
            if self.can_refresh_diagnostics:
                self.workspace_diagnostic_refresh(None)
            return
        for uri in list(self.documents):
            self.schedule(uri, 0)

    # -- the client's process --------------------------------------------------------
    def watch_parent(self, pid: int | None) -> None:
        """LSP, on `initialize`'s processId: "If the parent process is not alive
        then the server should exit". A daemon thread looks for it every
        ``PARENT_POLL_SECONDS``; one not there at `initialize` is not watched (it is
        another machine's), nor any on Windows (``os.kill(pid, 0)`` would end it)."""
        if pid is None or pid <= 0 or pid == os.getpid() or os.name != "posix":
            return
        if not _alive(pid):
            self.log_info(f"bib-lsp: no process {pid} here (the client's); not watching it")
            return
        watcher = threading.Thread(
            target=self._watch_parent, args=(pid,), name="bib-lsp-parent", daemon=True
        )
        watcher.start()

    def _watch_parent(self, pid: int) -> None:
        while _alive(pid):
            time.sleep(PARENT_POLL_SECONDS)
        logger.error("bib-lsp: the client's process %d has gone; exiting", pid)
        # Not through the event loop: the thread reading stdin waits for a message
        # that will not come. Nothing is lost: the documents are the editor's.
        os._exit(self.exit_code)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (signal 0 is only a check)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # there, but another user's
    return True


FEATURES = Features()  # the lifecycle, text synchronisation and bibLsp/status


@FEATURES.feature(lsp.INITIALIZE)
@guarded(lambda: None)
def initialize(ls: BibLanguageServer, params: lsp.InitializeParams) -> None:
    caps = params.capabilities
    chosen = ServerCapabilitiesBuilder.choose_position_encoding(caps)
    ls.encoding = convert.encoding(chosen)
    ls.pull = caps.text_document is not None and caps.text_document.diagnostic is not None
    workspace = caps.workspace
    ls.can_fetch_configuration = bool(workspace and workspace.configuration)
    completion_caps = caps.text_document.completion if caps.text_document else None
    item_caps = completion_caps.completion_item if completion_caps else None
    ls.snippets = bool(item_caps and item_caps.snippet_support)
    resolvable = item_caps.resolve_support if item_caps else None
    ls.resolve_documentation = bool(resolvable and "documentation" in resolvable.properties)
    watching = workspace.did_change_watched_files if workspace else None
    ls.watch_files = bool(watching and watching.dynamic_registration)
    ls.files.folders = folders_of(params)
    ls.can_refresh_diagnostics = bool(
        workspace and workspace.diagnostics and workspace.diagnostics.refresh_support
    )
    settings, problems = parse_settings(params.initialization_options)
    for problem in problems:
        ls.warn(problem)
    ls.initial_settings = ls.settings = settings
    ls.files.max_bytes = settings.max_file_size
    ls.files.tell = ls.log_info
    if ls.can_fetch_configuration:
        ls.configured.clear()
    ls.projects.tell = ls.warn
    ls.files.on_change = lambda: project.workspace_changed(ls)
    ls.files.on_project_file = lambda: project.project_file_changed(ls)
    ls.watch_parent(params.process_id)


@FEATURES.feature(lsp.INITIALIZED)
async def initialized(ls: BibLanguageServer, params: lsp.InitializedParams) -> None:
    # Without the client's watcher, files changed on disk are found by polling.
    window = ls.client_capabilities.window
    progress = ClientProgress(ls, bool(window and window.work_done_progress))
    ls.files.start(ls.log_failure, 0 if ls.watch_files else POLL_SECONDS, progress)
    # The settings first: the first diagnostics wait for them (a client that does
    # not answer in time gets them with the settings of initialize).
    asyncio.get_running_loop().call_later(CONFIGURATION_WAIT_SECONDS, ls.configuration_known)
    try:
        await ls.fetch_settings()
    except Exception:
        ls.log_failure("reading the configuration")
    finally:
        ls.configuration_known()
    try:
        if ls.watch_files and ls.files.folders:
            await ls.client_register_capability_async(WorkspaceFiles.watcher())
    except Exception:
        ls.log_failure("asking the client to watch .bib files")


@FEATURES.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: BibLanguageServer, params: lsp.DidChangeConfigurationParams
) -> None:
    try:
        if ls.can_fetch_configuration:
            await ls.fetch_settings()
        elif isinstance(params.settings, dict):
            ls.apply_settings(params.settings.get(SECTION), ls.initial_settings)
    except Exception:
        ls.log_failure("reading the configuration")


@FEATURES.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
@guarded(lambda: None)
def did_open(ls: BibLanguageServer, params: lsp.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    # One pause for the whole opening: each re-enabling of the collector after a
    # large step would set off a full collection over the new heap.
    with gc_paused():
        biber_comments = ls.settings.dialect == "biblatex"  # else the checker sees to it
        doc = Document(item.text, uri=item.uri, version=item.version, biber_comments=biber_comments)
        # A large document is checked in stages (lsp/analysis.py); a client that
        # pulls diagnostics must be able to be told to pull again.
        staged = doc.block_count > ls.staged_above and (not ls.pull or ls.can_refresh_diagnostics)
        document = OpenDocument(
            item.uri, doc, Checker(doc, project.rule_options(ls, item.uri), staged=staged)
        )
        old = ls.documents.get(item.uri)
        if old is not None:
            old.close()
        ls.documents[item.uri] = document
        ls.schedule(item.uri, 0)
        settle_heap()
    if staged:
        start_analysis(ls, document)


@FEATURES.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
@on_document(lambda: None)
def did_change(
    ls: BibLanguageServer, params: lsp.DidChangeTextDocumentParams, document: OpenDocument
) -> None:
    changes = [
        TextChange(c.text, _change_range(c.range) if isinstance(c, _Partial) else None)
        for c in params.content_changes
    ]
    version = params.text_document.version
    document.checker.update(document.doc.apply_changes(changes, ls.encoding, version))
    # Not left to the version in the report's state: a client may send one twice.
    document.report = None
    ls.schedule(document.uri, ls.settings.debounce_ms)


@FEATURES.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
@guarded(lambda: None)
def did_close(ls: BibLanguageServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    document = ls.documents.pop(uri, None)
    if document is not None:
        document.close()
    path = uri_path(uri)
    if path is not None:
        ls.files.refresh(path)  # what the editor left on disk
    if not ls.pull:
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))


_Partial = lsp.TextDocumentContentChangePartial


def _change_range(r: lsp.Range) -> Range:
    """The range of a change; a reversed one is the same span with its ends
    swapped, as in vscode-languageserver-textdocument (the document clamps
    positions past the end of a line or of the text)."""
    if (r.end.line, r.end.character) < (r.start.line, r.start.character):
        r = lsp.Range(r.end, r.start)
    return convert.from_range(r)


def _no_status() -> dict[str, object] | None:
    return None


def _status_uri(params: Any) -> str:
    """The document URI of ``bibLsp/status`` params (pygls hands the params of a
    method it does not know as named tuples; a dict is taken too)."""
    document = getattr(params, "textDocument", None)
    if document is None and isinstance(params, dict):
        document = params.get("textDocument")
    uri = getattr(document, "uri", None)
    if uri is None and isinstance(document, dict):
        uri = document.get("uri")
    if not isinstance(uri, str):
        raise JsonRpcInvalidParams("bib-lsp: bibLsp/status takes {textDocument: {uri}}")
    return uri


@FEATURES.feature(STATUS)
@on_document(_no_status, uri_of=_status_uri)
def status(ls: BibLanguageServer, params: Any, document: OpenDocument) -> dict[str, object] | None:
    """``bibLsp/status`` (ours, for editors' status bars): the dialect the document
    is checked in, whether it was detected, and how many entries it has. Params:
    ``{"textDocument": {"uri": ...}}``; null for a document that is not open,
    InvalidParams when the params name none."""
    checker = document.checker
    checker.options = project.rule_options(ls, document.uri)
    complete = checker.index.complete  # if not, not worth finishing now: say so
    return {
        "dialect": checker.dialect if complete else None,
        "detected": checker.options.dialect == "auto" and checker.options.style.path is None,
        "entries": checker.index.entry_count if complete else None,
        "checking": checker.staged if complete else True,
        "version": __version__,
    }


def create_server() -> BibLanguageServer:
    server = BibLanguageServer()
    for group in (
        FEATURES,
        workspace.FEATURES,
        completion.FEATURES,
        hover.FEATURES,
        navigation.FEATURES,
        semantic.FEATURES,
        references.FEATURES,
        formatting.FEATURES,
        actions.FEATURES,
        diagnostics.FEATURES,
    ):
        group.register(server)
    return server
