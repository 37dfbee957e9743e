"""What the rule tests share."""

from __future__ import annotations

from collections.abc import Collection

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions


def located(text: str, codes: Collection[str], dialect: str) -> list[tuple[str, str, int]]:
    """(code, flagged text, 1-based line) of the findings with one of ``codes``."""
    doc = Document(text)
    return [
        (p.code, text[p.start : p.end], doc.line_of(p.start) + 1)
        for p in Checker(doc, RuleOptions(dialect=dialect)).diagnose()
        if p.code in codes
    ]
