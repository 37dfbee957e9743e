"""Diagnostics for a document: the parser's problems and (as they are added) the
content rules, with the user's choices of codes to ignore and severities applied.

The language server and ``bib-lsp check`` both call ``diagnose``, so the same file
with the same options gives the same diagnostics in both.
"""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.rules import duplicates, required  # noqa: F401  (they register their rules)
from bib_lsp.rules.checker import Checker
from bib_lsp.rules.options import DIALECTS, RuleOptions
from bib_lsp.rules.registry import RULES
from bib_lsp.syntax.tree import Problem

__all__ = ["DIALECTS", "RULES", "Checker", "RuleOptions", "diagnose"]


def diagnose(document: Document, options: RuleOptions | None = None) -> list[Problem]:
    """Every problem of the document, in text order, with the options applied."""
    return Checker(document, options).diagnose()
