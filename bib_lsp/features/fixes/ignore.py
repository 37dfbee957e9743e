"""The two fixes offered for every finding: silence its code in this entry (or in
this field of it) with a ``% bib-lsp: ignore[...]`` comment before the entry, or in
the whole file with ``% bib-lsp: ignore-file[...]`` at the top. Never safe nor
preferred: they hide a finding rather than repair it."""

from __future__ import annotations

import re

from bib_lsp.document import Document
from bib_lsp.features.fixes.base import Finding, Fix, line_break
from bib_lsp.model.comments import before_entry, suppressions
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, view
from bib_lsp.text.edits import Edit

_LOOK_BACK = 4096  # how far back the start of an entry's line is looked for
_SAFE_NAME = re.compile(r"[\w.+\-/]+")  # a field name the comment may hold


def ignore_fixes(finding: Finding, doc: Document) -> list[Fix]:
    """ "Ignore `code` in this entry" (for a finding in an entry or `@string`; the
    `code:field` form for a finding in or about one field) and "Ignore `code` in
    this file"."""
    out = []
    here = _in_entry(finding, doc)
    if here is not None:
        out.append(here)
    out.append(_in_file(finding.code, doc))
    return out


def _in_entry(finding: Finding, doc: Document) -> Fix | None:
    located = doc.block_at(finding.start)
    if located is None:
        return None
    start, block = located
    entry = view(block)
    if entry is None or entry.kind not in (K.ENTRY, K.STRING):
        return None
    field = _field_of(finding, entry, start)
    if field is not None and not _SAFE_NAME.fullmatch(field):
        field = None  # an `@` or `]` in the comment would be read as more than a name
    written = f"{finding.code}:{field}" if field else finding.code
    title = (
        f"Ignore `{finding.code}` in `{field}` of this entry"
        if field
        else f"Ignore `{finding.code}` in this entry"
    )
    previous = doc.block_at(start - 1) if start > 0 else None
    if previous is not None and not _ends_cleanly(previous[1]):
        return None  # a comment inserted here would fall inside the block before
    comments = before_entry(previous[1]) if previous is not None else []
    if previous is not None and comments:
        last = comments[-1]
        if any(c == written for s in comments for c, _, _ in s.codes):
            return None  # already there: the finding is not from this text
        at = previous[0] + last.close
        separator = ", " if last.codes else ""
        return Fix(title, (Edit(at, at, separator + written),))
    comment = f"% bib-lsp: ignore[{written}]"
    before = doc.slice(max(0, start - _LOOK_BACK), start)
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    indent = before[line_start:]
    lb = line_break(doc)
    if not indent.strip(" \t"):  # the entry starts its line (perhaps indented)
        at = start - len(indent)
        return Fix(title, (Edit(at, at, indent + comment + lb),))
    return Fix(title, (Edit(start, start, lb + comment + lb),))


def _ends_cleanly(block: Block) -> bool:
    """Whether text after ``block`` is outside it: free text, or a block read to its
    closing delimiter (an unclosed entry would take in a comment after it)."""
    if block.node.kind is K.JUNK_BLOCK:
        return True
    entry = view(block)
    return entry is not None and not entry.damaged and block.text.endswith(("}", ")"))


def _field_of(finding: Finding, entry: Entry, start: int) -> str | None:
    """The field (lower-case) a finding lies in, or the missing one it names."""
    for f in entry.fields:
        if start + f.span.start <= finding.start < start + f.span.end:
            return f.name_lower or None
    named = finding.details.get("field")
    if isinstance(named, str) and named:
        return named.lower()
    listed = finding.details.get("fields")
    if isinstance(listed, list) and listed and isinstance(listed[0], str):
        return listed[0].lower()
    return None


def _in_file(code: str, doc: Document) -> Fix:
    title = f"Ignore `{code}` in this file"
    first = doc.block_at(0)
    if first is not None and first[1].node.kind is K.JUNK_BLOCK:
        for s in suppressions(first[1]):
            if s.whole_file and s.alone:
                separator = ", " if s.codes else ""
                return Fix(title, (Edit(s.close, s.close, separator + code),))
    return Fix(title, (Edit(0, 0, f"% bib-lsp: ignore-file[{code}]{line_break(doc)}"),))
