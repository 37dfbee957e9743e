"""What the server keeps per open document, in one record dropped whole on close."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.lsp.diagnostics import DiagnosticsCache
from bib_lsp.lsp.jsontext import JsonPieces
from bib_lsp.rules import Checker

# What a diagnostics report was made for: (settings generation, project files'
# version, document version).
ReportState = tuple[int, int, int]


@dataclass(eq=False)
class OpenDocument:
    """An open document with its checker, its last diagnostics report (state,
    result id, JSON array in pieces), the per-chunk JSON behind that report, the
    background check of a staged document and the pending (debounced) publication."""

    uri: str
    doc: Document
    checker: Checker
    report: tuple[ReportState, str, JsonPieces] | None = None
    cache: DiagnosticsCache | None = None
    analysis: asyncio.Task[None] | None = None
    pending: asyncio.TimerHandle | None = None

    def diagnostics(self) -> DiagnosticsCache:
        """The per-chunk JSON of the diagnostics (made on first use)."""
        if self.cache is None:
            self.cache = DiagnosticsCache(self.uri)
        return self.cache

    def close(self) -> None:
        """Stop what is still to come for this document: its check, its publication."""
        if self.analysis is not None:
            self.analysis.cancel()
            self.analysis = None
        self.cancel_publication()

    def cancel_publication(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
