"""Fixes of names: a duplicate key renamed, an undefined macro defined, a name
list's stray comma removed, an `ids` alias that is a key removed."""

from __future__ import annotations

from collections.abc import Sequence

from bib_lsp.document import Document
from bib_lsp.features.fixes.base import Finding, Fix, entry_at, fix, line_break
from bib_lsp.model.index import BibIndex
from bib_lsp.text.edits import Edit


@fix("key-case-mismatch")
@fix("duplicate-key")
def duplicate_key(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Rename the key to the first free `key-n` (n from 2)."""
    located = entry_at(doc, finding.start)
    if located is None or index is None:
        return []
    base, entry = located
    if not entry.key or entry.key_span is None:
        return []
    n = 2
    while f"{entry.key}-{n}".lower() in index.keys:
        n += 1
    new = f"{entry.key}-{n}"
    span = entry.key_span
    return [Fix(f"Rename the key to `{new}`", (Edit(base + span.start, base + span.end, new),))]


@fix("undefined-macro")
def undefined_macro(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """``@string{NAME = {}}`` on the first line of the file, the name spelt as the
    entry spells it, with the cursor between the braces: the value is the user's
    to give (above an entry it would come between that entry and a
    `% bib-lsp: ignore` comment for it); offered for a macro used in an entry."""
    name = finding.details.get("macro")
    if entry_at(doc, finding.start) is None or not isinstance(name, str):
        return []
    written = doc.slice(finding.start, finding.end)
    if written.lower() == name.lower():
        name = written
    head = f"@string{{{name} = {{"
    text = f"{head}}}}}{line_break(doc)}"
    return [Fix(f"Define `{name}` at the top", (Edit(0, 0, text),), cursor=len(head))]


@fix("bad-name-list")
def bad_name_list(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Remove the comma that ends a name (what biber does; BibTeX reads the name
    the same way without it)."""
    if finding.details.get("remove") != "comma" or doc.slice(finding.start, finding.end) != ",":
        return []
    return [Fix("Remove the comma", (Edit(finding.start, finding.end, ""),), safe=True)]


@fix("ids-is-key")
def ids_is_key(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Remove the alias from `ids`, with the comma and blanks that part it from
    its neighbour."""
    alias = finding.details.get("alias")
    if not isinstance(alias, str) or doc.slice(finding.start, finding.end) != alias:
        return []
    located = entry_at(doc, finding.start)
    f = located[1].field("ids") if located is not None else None
    if located is None or f is None or f.value is None or len(f.value.pieces) != 1:
        return []
    base, piece = located[0], f.value.pieces[0]
    inner = len(piece.text) > len(piece.content)
    lo, hi = base + piece.span.start + inner, base + piece.span.end - inner
    before, after = doc.slice(lo, finding.start), doc.slice(finding.end, hi)
    start, end = finding.start, finding.end
    if after.lstrip().startswith(","):  # take the comma after, and the blanks to the next
        rest = after.lstrip()[1:]
        end += len(after) - len(rest.lstrip())
    elif before.rstrip().endswith(","):  # the last alias: take the comma before
        start -= len(before) - len(before.rstrip()[:-1].rstrip())
    return [Fix(f"Remove `{alias}` from `ids`", (Edit(start, end, ""),))]
