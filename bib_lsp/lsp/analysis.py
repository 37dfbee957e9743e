"""The staged check of a large document: its syntax problems at once, the rest
from a background task that leaves room for edits and requests."""

from __future__ import annotations

import asyncio
import gc
import time
import traceback
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from bib_lsp.lsp.documents import OpenDocument
from bib_lsp.lsp.project import rule_options
from bib_lsp.lsp.workspace import ClientProgress
from bib_lsp.syntax.heap import gc_paused

if TYPE_CHECKING:
    from bib_lsp.lsp.server import BibLanguageServer

STAGED_ABOVE = 4_000  # blocks (entries and the text between them): about 2,000 entries
SLICE_SECONDS = 0.02  # of background analysis between looks at the event loop
INDEX_SHARE = 40  # percent of the progress bar the index takes
JSON_SHARE = 5  # and the conversion of the findings to LSP JSON


def start_analysis(ls: BibLanguageServer, document: OpenDocument) -> None:
    """Check a staged document in the background (instead of a check under way)."""
    if document.analysis is not None:
        document.analysis.cancel()
    task = asyncio.get_running_loop().create_task(analyse(ls, document))
    document.analysis = task
    task.add_done_callback(lambda t: _analysis_done(ls, document, t))


def _analysis_done(ls: BibLanguageServer, document: OpenDocument, task: asyncio.Task[None]) -> None:
    if document.analysis is task:
        document.analysis = None
    if not task.cancelled() and task.exception() is not None:
        error = task.exception()
        text = "".join(traceback.format_exception(error)) if error else ""
        ls.window_log_message(
            lsp.LogMessageParams(
                lsp.MessageType.Error, f"bib-lsp: checking {document.uri}:\n{text}"
            )
        )


async def analyse(ls: BibLanguageServer, document: OpenDocument) -> None:
    """Build the index and run the rules over a staged document in slices of
    about ``SLICE_SECONDS``, yielding to the event loop in between (a request that
    needs the index finishes it), then publish every finding. Reported as
    work-done progress."""
    uri, doc, checker = document.uri, document.doc, document.checker
    name = uri.rsplit("/", 1)[-1]
    window = ls.client_capabilities.window
    progress = ClientProgress(
        ls,
        bool(window and window.work_done_progress),
        token=f"bib-lsp-check-{next(ls.result_ids)}",
        title=f"bib-lsp: checking {name}",
    )
    await progress.begin(100)

    def current() -> bool:
        return ls.documents.get(uri) is document

    # The collector stays paused for the whole check, not per slice: each
    # re-enabling would let it walk the millions of objects made so far.
    try:
        with gc_paused():
            while current() and not checker.index.build(time.perf_counter() + SLICE_SECONDS):
                progress.report(checker.index.progress() * INDEX_SHARE // 100, 100)
                await asyncio.sleep(0)
            ci = 0
            while current() and ci < doc.chunk_count:
                deadline = time.perf_counter() + SLICE_SECONDS
                checker.options = rule_options(ls, document.uri)
                while ci < doc.chunk_count and time.perf_counter() < deadline:
                    checker.warm(ci)
                    ci += 1
                share = ci * (100 - INDEX_SHARE - JSON_SHARE) // max(doc.chunk_count, 1)
                progress.report(INDEX_SHARE + share, 100)
                await asyncio.sleep(0)
            # The findings as LSP JSON, ahead of the publication that would
            # convert them all at once (seconds for 100,000 entries).
            cache = document.diagnostics()
            while current() and not cache.prime(
                doc, checker, ls.generation, ls.encoding, time.perf_counter() + SLICE_SECONDS
            ):
                await asyncio.sleep(0)
            if not current():
                return
            checker.staged = False
            document.report = None
            # Over before the complete diagnostics go out: a client may take the
            # first publication after the end as the complete one.
            progress.end("checked")
            if ls.pull:
                ls.workspace_diagnostic_refresh(None)
            else:
                ls.schedule(uri, 0)  # held, like any, until the configuration is known
            settle_heap()
    finally:
        progress.end("stopped")  # (nothing if it ended above)


def settle_heap() -> None:
    """Move everything alive into the collector's permanent generation: a large
    document is millions of long-lived objects without cycles, which every full
    collection would walk (stalling a keystroke). Frozen objects are still freed
    by reference counting; no collection first (seconds over such a heap)."""
    gc.freeze()
