"""The one place where domain values become LSP values and back."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.text import LineMapping, Position, PositionEncoding, Range

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
_DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def encoding(kind: str | lsp.PositionEncodingKind | None) -> PositionEncoding:
    """The domain encoding for a negotiated LSP position encoding (UTF-16 default)."""
    for lsp_kind, ours in _ENCODINGS.items():
        if kind == lsp_kind or kind == lsp_kind.value:
            return ours
    return PositionEncoding.UTF16


def from_range(r: lsp.Range) -> Range:
    return Range(Position(r.start.line, r.start.character), Position(r.end.line, r.end.character))


@cache
def rule_doc(code: str) -> str | None:
    """A link to the rule's page, when the documentation is installed beside the code
    (a source checkout or an editable install)."""
    page = _DOCS / f"{code}.md"
    return page.as_uri() if page.is_file() else None


_SEVERITY_NUMBERS = {severity: int(value) for severity, value in _SEVERITIES.items()}


def diagnostic_json(
    problem: Problem, doc: LineMapping, enc: PositionEncoding, uri: str
) -> dict[str, Any]:
    """A problem as an LSP ``Diagnostic``, built straight as JSON data: thousands of
    them go out on every change of a large file, and lsprotocol's validated objects
    plus cattrs cost about ten times more."""
    out: dict[str, Any] = {
        "range": _range_json(doc, problem.start, problem.end, enc),
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
                "location": {"uri": uri, "range": _range_json(doc, r.start, r.end, enc)},
                "message": r.message,
            }
            for r in problem.related
        ]
    if problem.data is not None:
        out["data"] = problem.data
    return out


def _range_json(doc: LineMapping, start: int, end: int, enc: PositionEncoding) -> dict[str, Any]:
    a = doc.position(start, enc)
    b = a if end == start else doc.position(end, enc)
    return {
        "start": {"line": a.line, "character": a.character},
        "end": {"line": b.line, "character": b.character},
    }
