"""What the user chose: the dialect, codes to drop, severities to change, and the
BibTeX style whose types, fields and requirements the bibtex dialect checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.syntax.tree import Problem, Severity

DIALECTS = ("auto", "bibtex", "biblatex")


@dataclass(frozen=True)
class RuleOptions:
    dialect: str = "auto"
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    # The bibtex dialect's types, fields and requirements (see model/bst.py).
    style: BibtexStyle = PLAIN

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
