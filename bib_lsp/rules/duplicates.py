"""Keys and ``@string`` names defined more than once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bib_lsp.model.index import view
from bib_lsp.rules.registry import RULES, document_rule
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.tree import Problem, Related, Severity

if TYPE_CHECKING:
    from bib_lsp.rules.checker import Checker

DUPLICATE_KEY = "duplicate-key"
DUPLICATE_STRING = "duplicate-string"


@document_rule(DUPLICATE_KEY, Severity.ERROR)
def duplicate_key(checker: Checker) -> Iterable[Problem]:
    """
    What it checks:
    Two or more entries with the same citation key. BibTeX and biber compare keys
    without regard to case, so `Knuth84` and `knuth84` are the same key.

    Why it matters:
    A `\\cite{knuth84}` can only mean one of them: BibTeX keeps the first and reports
    the rest as repeated entries, biber warns and drops the later ones. The entry you
    meant may silently lose.

    Example:
    ```bibtex
    @book{knuth84, title = {The {\\TeX}book}}
    @article{Knuth84, title = {Literate Programming}}
    ```

    How to fix:
    Give each entry its own key (and update the citations), or delete the copy.
    """
    for key in sorted(checker.index.duplicate_keys):
        yield from _report(checker, checker.index.keys.get(key, ()), DUPLICATE_KEY, "key")


@document_rule(DUPLICATE_STRING, Severity.WARNING)
def duplicate_string(checker: Checker) -> Iterable[Problem]:
    """
    What it checks:
    An `@string` macro defined more than once (names compared without regard to
    case).

    Why it matters:
    BibTeX uses the later definition from that point on, so entries above and below
    it expand the same macro differently; biber warns. Usually one of them is a
    leftover.

    Example:
    ```bibtex
    @string{acm = "ACM"}
    @string{ACM = "Association for Computing Machinery"}
    ```

    How to fix:
    Keep one definition, or rename one of the macros.
    """
    for name in sorted(checker.index.duplicate_strings):
        blocks = checker.index.strings.get(name, ())
        yield from _report(checker, blocks, DUPLICATE_STRING, "macro", name)


def _report(
    checker: Checker, blocks: Iterable[Block], code: str, what: str, name: str = ""
) -> Iterable[Problem]:
    """One problem per definition, each pointing at the others."""
    places = []
    for start, block in checker.index.located(blocks):
        entry = view(block)
        if entry is None:
            continue
        if what == "key" and entry.key_span is not None and entry.key:
            places.append((start + entry.key_span.start, start + entry.key_span.end, entry.key))
            continue
        for f in entry.fields:
            if f.name_lower == name:
                span = f.name_span
                places.append((start + span.start, start + span.end, f.name))
    if len(places) < 2:
        return
    doc = checker.document
    for i, (s, e, spelled) in enumerate(places):
        others = [p for j, p in enumerate(places) if j != i]
        lines = ", ".join(str(doc.line_of(o[0]) + 1) for o in others)
        also = "line " if len(others) == 1 else "lines "
        case_note = ""
        if any(o[2] != spelled for o in others):
            case_note = " (BibTeX ignores case in names)"
        message = f"`{spelled}` is defined more than once: also on {also}{lines}{case_note}"
        related = tuple(Related(o[0], o[1], f"`{o[2]}` is also defined here") for o in others)
        yield Problem(s, e, code, message, RULES[code].doc.severity, related)
