"""The one place where domain values become LSP values and back."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from bib_lsp.syntax.block import Block
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.text import LineMapping, Position, PositionEncoding, Range, relative_position

SOURCE = "bib-lsp"

_ENCODINGS = {
    lsp.PositionEncodingKind.Utf8: PositionEncoding.UTF8,
    lsp.PositionEncodingKind.Utf16: PositionEncoding.UTF16,
    lsp.PositionEncodingKind.Utf32: PositionEncoding.UTF32,
}
_SEVERITIES = {
    Severity.ERROR: lsp.DiagnosticSeverity.Error,
    Severity.WARNING: lsp.DiagnosticSeverity.Warning,
    Severity.INFORMATION: lsp.DiagnosticSeverity.Information,
    Severity.HINT: lsp.DiagnosticSeverity.Hint,
}
_DOCS = Path(__file__).resolve().parents[1] / "rule_docs"  # package data (docgen)


def encoding(kind: str | lsp.PositionEncodingKind | None) -> PositionEncoding:
    """The domain encoding for a negotiated LSP position encoding (UTF-16 default)."""
    for lsp_kind, ours in _ENCODINGS.items():
        if kind == lsp_kind or kind == lsp_kind.value:
            return ours
    return PositionEncoding.UTF16


def from_position(p: lsp.Position) -> Position:
    return Position(p.line, p.character)


def from_range(r: lsp.Range) -> Range:
    return Range(from_position(r.start), from_position(r.end))


def to_position(p: Position) -> lsp.Position:
    return lsp.Position(p.line, p.character)


def to_range(r: Range) -> lsp.Range:
    return lsp.Range(to_position(r.start), to_position(r.end))


def range_of(doc: LineMapping, start: int, end: int, enc: PositionEncoding) -> lsp.Range:
    """The LSP range of the offsets ``start`` to ``end`` of ``doc``."""
    return to_range(doc.range(start, end, enc))


# -- straight to JSON data (the answers sent as raw JSON: see lsp/jsontext.py) -----------

PositionJson = Callable[[int], dict[str, int]]
"""Offsets (of a document, or of a block) to LSP positions as JSON data."""


def document_positions(doc: LineMapping, base: int, enc: PositionEncoding) -> PositionJson:
    """Offsets counted from ``base`` in ``doc`` to positions in ``doc``."""

    def position(offset: int) -> dict[str, int]:
        p = doc.position(base + offset, enc)
        return {"line": p.line, "character": p.character}

    return position


def block_positions(block: Block, enc: PositionEncoding) -> PositionJson:
    """Offsets in ``block`` to positions with lines counted from its first line;
    the columns on that line are right only when the block starts a line."""
    text, breaks = block.text, block.line_starts

    def position(offset: int) -> dict[str, int]:
        line, column = relative_position(text, breaks, offset, enc)
        return {"line": line, "character": column}

    return position


def range_json(position: PositionJson, start: int, end: int) -> dict[str, Any]:
    """An LSP range as JSON data."""
    a = position(start)
    return {"start": a, "end": a if end == start else position(end)}


@cache
def rule_doc(code: str) -> str | None:
    """A link to the rule's page, shipped in the package (``bib_lsp/rule_docs``);
    None if it is missing (a broken install)."""
    page = _DOCS / f"{code}.md"
    return page.as_uri() if page.is_file() else None


_SEVERITY_NUMBERS = {severity: int(value) for severity, value in _SEVERITIES.items()}


def diagnostic_json(
    problem: Problem, doc: LineMapping, enc: PositionEncoding, uri: str
) -> dict[str, Any]:
    """A problem as an LSP ``Diagnostic``, built straight as JSON data: thousands of
    them go out on every change of a large file, and lsprotocol's validated objects
    plus cattrs cost about ten times more."""
    position = document_positions(doc, 0, enc)
    out: dict[str, Any] = {
        "range": range_json(position, problem.start, problem.end),
        "message": problem.message,
        "severity": _SEVERITY_NUMBERS[problem.severity],
        "code": problem.code,
        "source": SOURCE,
    }
    doc_link = rule_doc(problem.code)
    if doc_link is not None:
        out["codeDescription"] = {"href": doc_link}
    if problem.related:
        out["relatedInformation"] = [
            {
                "location": {"uri": uri, "range": range_json(position, r.start, r.end)},
                "message": r.message,
            }
            for r in problem.related
        ]
    if problem.data is not None:
        out["data"] = problem.data
    return out
