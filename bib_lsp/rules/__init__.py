"""Diagnostics for a document: the parser's problems and (as they are added) the
content rules, with the user's choices of codes to ignore and severities applied.

The language server and ``bib-lsp check`` both call ``diagnose``, so the same file
with the same options gives the same diagnostics in both.
"""

from __future__ import annotations

import importlib
import pkgutil

from bib_lsp.document import Document
from bib_lsp.rules.checker import Checker
from bib_lsp.rules.options import DIALECTS, RuleOptions
from bib_lsp.rules.registry import RULES, known_codes
from bib_lsp.syntax.tree import Problem

__all__ = ["DIALECTS", "RULES", "Checker", "RuleOptions", "diagnose", "known_codes"]

# Every other module of this package is a rule module: importing it registers its
# rules (in name order, so that the registry's order is stable).
_INFRASTRUCTURE = {"checker", "context", "options", "registry", "value_pass"}
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _module not in _INFRASTRUCTURE:
        importlib.import_module(f"{__name__}.{_module}")


def diagnose(document: Document, options: RuleOptions | None = None) -> list[Problem]:
    """Every problem of the document, in text order, with the options applied."""
    return Checker(document, options).diagnose()
