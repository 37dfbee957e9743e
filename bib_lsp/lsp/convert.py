"""The one place where domain values become LSP values and back."""

from __future__ import annotations

from functools import cache
from pathlib import Path

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


def to_range(doc: LineMapping, start: int, end: int, enc: PositionEncoding) -> lsp.Range:
    r = doc.range(start, end, enc)
    return lsp.Range(
        lsp.Position(r.start.line, r.start.character),
        lsp.Position(r.end.line, r.end.character),
    )


def from_range(r: lsp.Range) -> Range:
    return Range(Position(r.start.line, r.start.character), Position(r.end.line, r.end.character))


@cache
def rule_doc(code: str) -> lsp.CodeDescription | None:
    """A link to the rule's page, when the documentation is installed beside the code
    (a source checkout or an editable install)."""
    page = _DOCS / f"{code}.md"
    return lsp.CodeDescription(href=page.as_uri()) if page.is_file() else None


def to_diagnostic(
    problem: Problem, doc: LineMapping, enc: PositionEncoding, uri: str
) -> lsp.Diagnostic:
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri, to_range(doc, r.start, r.end, enc)), message=r.message
        )
        for r in problem.related
    ]
    return lsp.Diagnostic(
        range=to_range(doc, problem.start, problem.end, enc),
        message=problem.message,
        severity=_SEVERITIES[problem.severity],
        code=problem.code,
        code_description=rule_doc(problem.code),
        source=SOURCE,
        related_information=related or None,
        data=problem.data,
    )
