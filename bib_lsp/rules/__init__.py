"""Diagnostics for a document: the parser's problems and (as they are added) the
content rules, with the user's choices of codes to ignore and severities applied.

The language server and ``bib-lsp check`` both call ``diagnose``, so the same file
with the same options gives the same diagnostics in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bib_lsp.document import Document
from bib_lsp.syntax.tree import Problem, Severity

DIALECTS = ("auto", "bibtex", "biblatex")


@dataclass(frozen=True)
class RuleOptions:
    """What the user chose: the dialect, codes to drop, severities to change."""

    dialect: str = "auto"
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)

    def apply(self, problems: list[Problem]) -> list[Problem]:
        if not self.ignore and not self.severity:
            return problems
        out = []
        for p in problems:
            if p.code in self.ignore:
                continue
            wanted = self.severity.get(p.code)
            out.append(p if wanted is None else p.with_severity(wanted))
        return out


def diagnose(document: Document, options: RuleOptions | None = None) -> list[Problem]:
    """Every problem of the document, in text order, with the options applied."""
    options = options or RuleOptions()
    return options.apply(document.problems())
