"""Runs every rule over a document, reusing per-block results between edits."""

from __future__ import annotations

from collections.abc import Callable

from bib_lsp.document import BlockChanges, Document
from bib_lsp.model.index import BibIndex, view
from bib_lsp.rules.options import RuleOptions
from bib_lsp.rules.registry import RULES, Rule
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.parser import gc_paused
from bib_lsp.syntax.tree import Problem


class Checker:
    """The diagnostics of one document. Keep it beside the document and hand it the
    ``BlockChanges`` of each edit; ``diagnose()`` then costs about the number of
    chunks plus the findings, not the size of the document."""

    def __init__(self, document: Document, options: RuleOptions | None = None) -> None:
        self.document = document
        self.options = options or RuleOptions()
        with gc_paused():  # many small objects, no cycles: see parser.gc_paused
            self.index = BibIndex(document)

    def update(self, changes: BlockChanges) -> None:
        with gc_paused():
            self.index.update(changes)

    @property
    def dialect(self) -> str:
        if self.options.dialect != "auto":
            return self.options.dialect
        return "biblatex" if self.index.biblatex_markers else "bibtex"

    def diagnose(self) -> list[Problem]:
        """Every finding, in text order, with the user's options applied."""
        with gc_paused():
            return self._diagnose()

    def _diagnose(self) -> list[Problem]:
        rules = [r for r in RULES.values() if r.code not in self.options.ignore]
        dialect = self.dialect
        problems = self.document.problems()
        local = [r for r in rules if r.entry_check is not None]
        if local:
            key = "rules:" + dialect + ":" + ",".join(r.code for r in local)
            problems += self.document.collect(key, _local_checks(local, dialect))
        for rule in rules:
            if rule.document_check is not None:
                problems.extend(rule.document_check(self))
        problems.sort(key=lambda p: (p.start, p.end, p.code))
        return self.options.apply(problems)


def _local_checks(rules: list[Rule], dialect: str) -> Callable[[Block], list[Problem]]:
    def run(block: Block) -> list[Problem]:
        entry = view(block)
        if entry is None:
            return []
        return [p for rule in rules if rule.entry_check for p in rule.entry_check(entry, dialect)]

    return run
