"""Diagnostics as JSON text, kept parallel to a document's chunks so that a report
after an edit costs about the chunks the edit changed (see ``DiagnosticsCache``).
"""

from __future__ import annotations

import heapq
import json
import time
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from bib_lsp.document import ChunkFindings, Document
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, on_document_async
from bib_lsp.lsp.jsontext import JsonPieces, LineTemplate, array, dumps, items_text
from bib_lsp.lsp.protocol import RawJson
from bib_lsp.rules import Checker
from bib_lsp.syntax.tree import Problem
from bib_lsp.text import PositionEncoding

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer


class DiagnosticsCache:
    """A document's diagnostics as JSON, kept parallel to its chunks: what the
    server sent last, ready to be updated for the next report.

    Each chunk's diagnostics are converted once, with lines relative to the chunk
    (``_ChunkItems``), and kept as JSON text for the line the chunk starts on. On
    each report only what ``Document.chunk_changes`` names is converted again; the
    chunks after an edit that added or removed line breaks are re-based; chunks
    that start mid-line just after an edit have their first-line columns checked;
    the whole-document findings (duplicate keys) are converted and merged in. The
    report is the chunks' texts as they are, so an edit inside a line of a
    50,000-entry file costs the same as in a small one.
    """

    __slots__ = ("_priming", "chunks", "config", "cursor", "uri")

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.chunks: list[_ChunkItems] = []
        self.config: tuple[object, ...] = ()
        self.cursor: tuple[int, int] | None = None
        # A conversion of every chunk under way in slices (``prime``): its
        # configuration, the document's cursor when it began, the chunks so far.
        self._priming: tuple[tuple[object, ...], tuple[int, int], list[_ChunkItems]] | None = None

    def prime(
        self,
        doc: Document,
        checker: Checker,
        generation: int,
        encoding: PositionEncoding,
        deadline: float,
    ) -> bool:
        """Convert every rule's findings of the chunks ahead of the ``update`` that
        would convert them all at once (at the end of a staged check, when the
        checker turns to every rule's findings), a few chunks at a time, until
        ``time.perf_counter()`` passes ``deadline``; whether done. An edit in between
        makes it start over; ``update`` takes the result if its configuration is the
        same."""
        config = (checker.findings_key(full=True), generation, encoding)
        _, now = doc.chunk_changes(None)
        if self._priming is None or self._priming[0] != config or self._priming[1] != now:
            self._priming = (config, now, [])
        converted = self._priming[2]
        count = doc.chunk_count
        while len(converted) < count:
            converted.append(self._convert(doc, checker, len(converted), encoding, full=True))
            if time.perf_counter() >= deadline:
                break
        return len(converted) == count

    def update(
        self, doc: Document, checker: Checker, generation: int, encoding: PositionEncoding
    ) -> JsonPieces:
        config = (checker.findings_key(), generation, encoding)
        primed, self._priming = self._priming, None
        if primed is not None and primed[0] == config and len(primed[2]) == doc.chunk_count:
            # Converted ahead (``prime``): as if the last update had been then.
            self.chunks, self.config, self.cursor = primed[2], config, primed[1]
        changes, cursor = doc.chunk_changes(self.cursor)
        # Should converting fail half-way, the next report starts over.
        self.cursor = None
        count = doc.chunk_count
        if changes is None or config != self.config or len(self.chunks) != count:
            self.chunks = [self._convert(doc, checker, ci, encoding) for ci in range(count)]
            self.config = config
        else:
            self._follow(doc, checker, changes, encoding)
        self.cursor = cursor
        texts = [chunk.text for chunk in self.chunks]
        whole = checker.whole_findings()
        if whole:
            self._merge(doc, whole, encoding, texts)
        return array([t for t in texts if t])

    def _convert(
        self,
        doc: Document,
        checker: Checker,
        ci: int,
        encoding: PositionEncoding,
        full: bool = False,
    ) -> _ChunkItems:
        part = checker.chunk_findings(ci, full)
        return _ChunkItems(part, _column(doc, part, encoding), doc, encoding, self.uri)

    def _follow(
        self,
        doc: Document,
        checker: Checker,
        changes: list[tuple[int, int]],
        encoding: PositionEncoding,
    ) -> None:
        count = len(self.chunks)
        shift_from = count  # the first chunk whose start line may have moved
        changed = set()
        for ci, line_delta in changes:
            changed.add(ci)
            if line_delta:
                shift_from = min(shift_from, ci + 1)
        for ci in sorted(changed):
            part = checker.chunk_findings(ci)
            old = self.chunks[ci]
            column = _column(doc, part, encoding) if old.first_line_used else old.column
            if part.token is old.token and part.problems == old.problems:
                if column == old.column:
                    continue  # re-checked, same findings (a macro renamed elsewhere)
            else:
                column = _column(doc, part, encoding)
            self.chunks[ci] = _ChunkItems(part, column, doc, encoding, self.uri)
        # A chunk that starts in the middle of a line an edit touched: its columns on
        # that line count from a line start before it.
        for ci in changed:
            j = ci
            while j + 1 < count and not doc.chunk_ends_line(j):
                j += 1
                chunk = self.chunks[j]
                if chunk.first_line_used and j not in changed:
                    part = checker.chunk_findings(j)
                    if _column(doc, part, encoding) != chunk.column:
                        self.chunks[j] = self._convert(doc, checker, j, encoding)
                if doc.chunk_breaks(j):
                    break
        if shift_from < count:
            line = doc.chunk_line(shift_from)
            for j in range(shift_from, count):
                self.chunks[j].rebase(line)
                line += doc.chunk_breaks(j)

    def _merge(
        self, doc: Document, whole: list[Problem], encoding: PositionEncoding, texts: list[bytes]
    ) -> None:
        """Put the whole-document findings into ``texts`` at their chunks, in order."""
        by_chunk: dict[int, list[dict[str, Any]]] = {}
        for p in whole:
            item = convert.diagnostic_json(p, doc, encoding, self.uri)
            by_chunk.setdefault(doc.chunk_at(p.start), []).append(item)
        for ci, items in by_chunk.items():
            merged = heapq.merge(self.chunks[ci].items(), items, key=_position_order)
            texts[ci] = dumps(list(merged))[1:-1]


class _ChunkItems:
    """A chunk's diagnostics as JSON text (without brackets) for the line the chunk
    starts on.

    The text is kept as a ``LineTemplate`` too, so that moving the chunk to another
    line (a line break typed above it) formats numbers instead of encoding every
    diagnostic again. The diagnostics are not kept as objects: a dict per
    diagnostic is several times its text; the few readers of the objects read
    the text."""

    __slots__ = ("column", "first_line_used", "line", "problems", "relined", "text", "token")

    def __init__(
        self,
        part: ChunkFindings,
        column: int,
        doc: Document,
        encoding: PositionEncoding,
        uri: str,
    ) -> None:
        self.token = part.token  # the chunk the findings are of
        self.problems = part.problems
        self.column = column  # the column at which the chunk starts
        # Lines relative to the chunk's first line.
        items = [
            _moved(convert.diagnostic_json(p.shifted(part.start), doc, encoding, uri), -part.line)
            for p in part.problems
        ]
        # Whether any range starts on the chunk's first line (its columns depend on
        # the text before the chunk on that line).
        self.first_line_used = any(r["start"]["line"] == 0 for d in items for r in _ranges(d))
        self.line = 0
        self.text = items_text(items)
        # None if other numbers look like lines (say a position in `data`).
        self.relined: LineTemplate | None = LineTemplate(self.text)
        if len(self.relined.lines) != 2 * sum(len(_ranges(d)) for d in items):
            self.relined = None
        self.rebase(part.line)

    def rebase(self, line: int) -> None:
        """The chunk now starts on ``line``."""
        if line == self.line:
            return
        if self.relined is None:
            self.text = dumps([_moved(d, line - self.line) for d in self.items()])[1:-1]
        elif self.relined.lines:
            self.text = self.relined.at(line)
        self.line = line

    def items(self) -> list[dict[str, Any]]:
        """The diagnostics, at the line the chunk starts on."""
        return json.loads(b"[" + self.text + b"]")  # type: ignore[no-any-return]


def _column(doc: Document, part: ChunkFindings, encoding: PositionEncoding) -> int:
    """The column at which a chunk starts."""
    return 0 if part.starts_line else doc.position(part.start, encoding).character


def _ranges(d: dict[str, Any]) -> list[dict[str, Any]]:
    """A diagnostic's range and its related places' ranges (in this document: a
    chunk's findings point only inside their own entry)."""
    return [d["range"], *(r["location"]["range"] for r in d.get("relatedInformation", ()))]


def _moved(d: dict[str, Any], lines: int) -> dict[str, Any]:
    """A copy of the diagnostic ``lines`` lines further down (or up)."""
    moved = dict(d)
    moved["range"] = _moved_range(d["range"], lines)
    if "relatedInformation" in d:
        moved["relatedInformation"] = [
            {**r, "location": {**place, "range": _moved_range(place["range"], lines)}}
            for r in d["relatedInformation"]
            for place in (r["location"],)
        ]
    return moved


def _moved_range(r: dict[str, Any], lines: int) -> dict[str, Any]:
    s, e = r["start"], r["end"]
    return {
        "start": {"line": s["line"] + lines, "character": s["character"]},
        "end": {"line": e["line"] + lines, "character": e["character"]},
    }


def _position_order(d: dict[str, Any]) -> tuple[int, int, int, int, str]:
    s, e = d["range"]["start"], d["range"]["end"]
    return s["line"], s["character"], e["line"], e["character"], d["code"]


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _empty_report() -> RawJson:
    return RawJson.of({"kind": "full", "items": []})


@FEATURES.feature(
    lsp.TEXT_DOCUMENT_DIAGNOSTIC,
    lsp.DiagnosticOptions(
        identifier="bib-lsp", inter_file_dependencies=False, workspace_diagnostics=False
    ),
)
@on_document_async(_empty_report)
async def diagnostic(
    ls: BibLanguageServer, params: lsp.DocumentDiagnosticParams, document: OpenDocument
) -> RawJson:
    """The pulled report: as JSON text, like publishDiagnostics (see
    ``BibLanguageServer.report``); "unchanged" when the client has it already.
    The first waits for the client's configuration (``until_configured``)."""
    if not ls.configured.is_set():
        await ls.until_configured()
        if ls.documents.get(document.uri) is not document:
            return _empty_report()  # closed (or re-opened) meanwhile
    result_id, items = ls.report(document)
    if params.previous_result_id == result_id:
        return RawJson.of({"kind": "unchanged", "resultId": result_id})
    head = b'{"kind":"full","resultId":' + dumps(result_id) + b',"items":'
    return RawJson([head, *items, b"}"])
