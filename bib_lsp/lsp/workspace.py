"""The server's view of the workspace's `.bib` files: found and summarised in a
worker thread after start-up (never on the request path), kept current through
`workspace/didChangeWatchedFiles` and when an open file is closed (its text on
disk may have changed). Open documents speak for themselves: their live index
is used, not their summary. The first scan reports `$/progress` when the client
takes it."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from bib_lsp.document import Document
from bib_lsp.document.files import MAX_BYTES, changed_files, find_bib_files, inside, stamp
from bib_lsp.features.completion import document_macros
from bib_lsp.lsp.handlers import Features, guarded
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import FileSummary, MacroDef, Workspace, summarise

if TYPE_CHECKING:
    from bib_lsp.lsp.server import BibLanguageServer

logger = logging.getLogger(__name__)
WATCHER_ID = "bib-lsp-watch-bib-files"


def uri_path(uri: str) -> str | None:
    """The normalised file-system path of a `file:` URI; None for other schemes."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.normcase(os.path.abspath(path)) if path else None


def folders_of(params: lsp.InitializeParams) -> list[str]:
    """The workspace folders' paths (or the root's, from older clients)."""
    uris = [f.uri for f in params.workspace_folders or ()]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    paths = [uri_path(u) for u in uris]
    if not uris and params.root_path:
        paths = [os.path.normcase(os.path.abspath(params.root_path))]
    return [p for p in paths if p]


class ScanProgress(Protocol):
    """Where the first scan tells how far it is."""

    async def begin(self, total: int) -> None: ...
    def report(self, done: int, total: int) -> None: ...
    def end(self, message: str) -> None: ...


class ClientProgress:
    """Work-done progress shown by the client (`window/workDoneProgress/create`,
    then `$/progress` begin, report and end); nothing when the client cannot."""

    def __init__(
        self,
        server: Any,
        enabled: bool,
        token: str = "bib-lsp-workspace-scan",
        title: str = "bib-lsp: reading the workspace's .bib files",
    ) -> None:
        self.server = server  # a pygls LanguageServer
        self.enabled = enabled
        self.token = token
        self.title = title
        self.shown = -1  # the last percentage sent

    async def begin(self, total: int) -> None:
        if self.enabled:
            try:
                await self.server.work_done_progress.create_async(self.token)
            except Exception:  # the client refused: go on without
                self.enabled = False
                return
            value = lsp.WorkDoneProgressBegin(self.title, message=f"0/{total}", percentage=0)
            self.server.work_done_progress.begin(self.token, value)
            self.shown = 0

    def report(self, done: int, total: int) -> None:
        percentage = done * 100 // max(total, 1)
        if self.enabled and percentage != self.shown:
            self.shown = percentage
            value = lsp.WorkDoneProgressReport(message=f"{done}/{total}", percentage=percentage)
            self.server.work_done_progress.report(self.token, value)

    def end(self, message: str) -> None:
        if self.enabled:
            self.enabled = False  # once
            value = lsp.WorkDoneProgressEnd(message=message)
            self.server.work_done_progress.end(self.token, value)


class WorkspaceFiles:
    """The summaries of the workspace's `.bib` files and the work of keeping them."""

    def __init__(self) -> None:
        self.workspace = Workspace()
        self.folders: list[str] = []
        self.max_bytes = MAX_BYTES  # larger files are not read (bibLsp.workspace.maxFileSize)
        self.tell: Callable[[str], None] = lambda message: None  # to the client's log
        # Called when the summaries changed (after the first scan: once at its end).
        self.on_change: Callable[[], None] = lambda: None
        # Called when a watched project file (bib-lsp.toml, pyproject.toml) changed.
        self.on_project_file: Callable[[], None] = lambda: None
        self._told: set[str] = set()  # the files skipped for their size, told once
        self.ready = asyncio.Event()  # the first scan is over
        self._latest: dict[str, int] = {}  # per path: the newest reading asked for
        self._tasks: set[asyncio.Future[Any]] = set()

    def contains(self, path: str) -> bool:
        """Whether ``path`` is in a workspace folder, links resolved: a link out
        of the folders is not read."""
        lexical = any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in self.folders)
        return lexical and inside(path, self.folders)

    def too_large(self, paths: Iterator[str] | list[str]) -> None:
        """Tell the client's log, once per file, that these files were skipped."""
        for path in paths:
            if path not in self._told:
                self._told.add(path)
                self.tell(
                    f"bib-lsp: {path} is larger than bibLsp.workspace.maxFileSize "
                    f"({self.max_bytes} bytes): not read"
                )

    def start(
        self,
        on_error: Callable[[str], None],
        poll_seconds: float = 0,
        progress: ScanProgress | None = None,
    ) -> None:
        """Find and read every `.bib` file of the folders, in the background,
        telling ``progress``; then, if ``poll_seconds`` (a client that does not
        watch files), look for changed files that often."""
        self._keep(asyncio.ensure_future(self._scan(on_error, poll_seconds, progress)))

    async def _scan(
        self, on_error: Callable[[str], None], poll_seconds: float, progress: ScanProgress | None
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            paths: list[str] = []
            for folder in self.folders:
                paths += await loop.run_in_executor(None, find_bib_files, folder)
            if progress is not None and paths:
                await progress.begin(len(paths))
            for done, path in enumerate(paths, 1):
                await self._read(path)
                if progress is not None:
                    progress.report(done, len(paths))
            if progress is not None and paths:
                progress.end(f"{len(paths)} files read")
        except Exception:
            on_error("indexing the workspace")
        finally:
            self.ready.set()
            self._changed()
        pause = poll_seconds
        while poll_seconds > 0:
            await asyncio.sleep(pause)
            try:
                known = self.workspace.stamps()
                began = loop.time()
                changed, gone = await loop.run_in_executor(None, changed_files, self.folders, known)
                # A huge folder is walked less often: at most 5% of the time.
                pause = max(poll_seconds, 20 * (loop.time() - began))
                for path in gone:
                    self.remove(path)
                for path in changed:
                    await self._read(path)
            except Exception:
                on_error("looking for changed .bib files")

    def refresh(self, path: str) -> None:
        """Read the file again (it changed, appeared, or was closed)."""
        if self.contains(path):
            self._keep(asyncio.ensure_future(self._read(path)))

    def remove(self, path: str) -> None:
        self._latest[path] = self._latest.get(path, 0) + 1  # readings under way are void
        self.workspace.remove(path)
        self._changed()

    def _changed(self) -> None:
        if self.ready.is_set():
            self.on_change()

    async def _read(self, path: str) -> None:
        ticket = self._latest[path] = self._latest.get(path, 0) + 1
        loop = asyncio.get_running_loop()
        summary: FileSummary | None = await loop.run_in_executor(
            None, summarise, path, self.max_bytes
        )
        if self._latest.get(path) != ticket:
            return  # a newer reading or a removal came after this one
        if summary is None:
            self.workspace.remove(path)
            when = stamp(path)
            if when is not None and when[1] > self.max_bytes:
                self.too_large([path])
        else:
            self.workspace.update(summary)
        self._changed()

    def _keep(self, task: asyncio.Future[Any]) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def changed(self, params: lsp.DidChangeWatchedFilesParams) -> None:
        names = {os.path.basename(uri_path(e.uri) or "") for e in params.changes}
        if names & {"bib-lsp.toml", "pyproject.toml"}:
            self.on_project_file()
        for event in params.changes:
            path = uri_path(event.uri)
            if path is None or not path.lower().endswith(".bib"):
                continue
            if event.type == lsp.FileChangeType.Deleted:
                self.remove(path)
            else:
                self.refresh(path)

    def macros_elsewhere(
        self, uri: str, open_documents: dict[str, tuple[Document, BibIndex]]
    ) -> Callable[[str], Iterator[MacroDef]]:
        """For completion in ``uri``: the macros of the other open documents, then
        of the workspace's files that are not open."""
        skip = frozenset(p for p in map(uri_path, [uri, *open_documents]) if p)

        def macros(prefix: str) -> Iterator[MacroDef]:
            seen: set[str] = set()
            for other, (doc, index) in open_documents.items():
                if other == uri:
                    continue
                path = uri_path(other) or other
                for macro in document_macros(doc, index, prefix):
                    if macro.name.lower() not in seen:
                        seen.add(macro.name.lower())
                        yield MacroDef(macro.name, macro.text, path, macro.line, macro.expansion)
            for macro in self.workspace.macros(prefix, skip):
                if macro.name.lower() not in seen:
                    yield macro

        return macros

    @staticmethod
    def watcher() -> lsp.RegistrationParams:
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[
                lsp.FileSystemWatcher(glob_pattern=pattern)
                for pattern in ("**/*.bib", "**/bib-lsp.toml", "**/pyproject.toml")
            ]
        )
        registration = lsp.Registration(WATCHER_ID, lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
        return lsp.RegistrationParams([registration])


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


@FEATURES.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded(lambda: None)
def did_change_watched_files(
    ls: BibLanguageServer, params: lsp.DidChangeWatchedFilesParams
) -> None:
    ls.files.changed(params)
