"""Fixes of an entry's fields: add the missing required ones, remove a duplicate,
remove a field biber drops."""

from __future__ import annotations

from collections.abc import Sequence

from bib_lsp.document import Document
from bib_lsp.features.fixes.base import Finding, Fix, entry_at, fix, line_break
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.lexer import BLANK as _BLANK
from bib_lsp.syntax.views import Entry, Field
from bib_lsp.text.edits import Edit


@fix("missing-required-field")
def missing_required_field(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Add the first alternative of the finding's requirement, and, when the entry
    lacks more (its other findings), all of them at once."""
    fields = finding.details.get("fields")
    located = entry_at(doc, finding.start)
    if located is None or not isinstance(fields, list):
        return []
    gaps = [[str(f) for f in fields]]
    for other in others:  # the entry's other gaps, in order
        if other.code == finding.code and other.start == finding.start and other != finding:
            more = other.details.get("fields")
            if isinstance(more, list) and more:
                gaps.append([str(f) for f in more])
    return _add_fields(doc, *located, gaps)


@fix("duplicate-field")
def duplicate_field(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Remove this field, or keep it and remove the others of its name."""
    name = finding.details.get("field")
    located = entry_at(doc, finding.start)
    if located is None or not isinstance(name, str):
        return []
    base, entry = located
    same = [f for f in entry.fields if f.name_lower == name]
    here = next((f for f in same if base + f.name_span.start == finding.start), None)
    if here is None or len(same) < 2:
        return []
    rest = [f for f in same if f is not here]
    remove_this = Fix(f"Remove this `{here.name}`", (_field_removal(doc, base, here),))
    keep_this = Fix(
        f"Keep this `{here.name}`, remove the other" + ("s" if len(rest) > 1 else ""),
        tuple(_field_removal(doc, base, f) for f in rest),
    )
    return [remove_this, keep_this]


@fix("date-overrides-year")
@fix("legacy-field-dropped")
def dropped_field(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    """Remove the field biber drops (the finding is on its name)."""
    name = finding.details.get("field")
    located = entry_at(doc, finding.start)
    if located is None or not isinstance(name, str):
        return []
    base, entry = located
    here = next(
        (
            f
            for f in entry.fields
            if f.name_lower == name and base + f.name_span.start == finding.start
        ),
        None,
    )
    if here is None:
        return []
    return [Fix(f"Remove `{here.name}` (biber drops it)", (_field_removal(doc, base, here),))]


def _add_fields(doc: Document, base: int, entry: Entry, gaps: list[list[str]]) -> list[Fix]:
    """Add ``name = {}`` after the last field, for the first alternative of the
    finding's requirement (``gaps[0]``), and, when the entry lacks more, for all
    of them at once (in the order the findings come)."""
    fixes = []
    names = gaps[0]
    title = f"Add `{names[0]}`" + "".join(f" (or `{n}`)" for n in names[1:])
    single = _insertion(doc, base, entry, [names[0]])
    if single is not None:
        fixes.append(Fix(title, (single,), preferred=True))
    if len(gaps) > 1:
        every = [g[0] for g in gaps]
        combined = _insertion(doc, base, entry, every)
        if combined is not None:
            listed = ", ".join(f"`{n}`" for n in every)
            fixes.append(Fix(f"Add all missing fields ({listed})", (combined,)))
    return fixes


def _insertion(doc: Document, base: int, entry: Entry, names: list[str]) -> Edit | None:
    """One edit adding ``name = {}`` lines after the entry's last field."""
    nl = line_break(doc)
    if entry.fields:
        last = entry.fields[-1]
        indent = _indent_of(doc, base + last.span.start)
        if doc.line_of(base + last.span.start) == doc.line_of(base):
            indent = "  "  # a one-line entry: the new fields go on lines of their own
        lines = "".join(f"{nl}{indent}{name} = {{}}," for name in names)
        if last.has_comma:
            return Edit(base + last.span.end, base + last.span.end, lines)
        at = base + (last.value.span.end if last.value is not None else last.name_span.end)
        return Edit(at, at, "," + lines[:-1])  # no comma after the new last field
    anchor = entry.key_span
    if anchor is None:  # `@article{}`: after the type would be outside the entry
        return None
    at = base + anchor.end
    has_comma = doc.slice(at, at + 1) == ","
    at += has_comma
    lines = "".join(f"{nl}  {name} = {{}}," for name in names)
    return Edit(at, at, ("" if has_comma else ",") + lines)


def _indent_of(doc: Document, offset: int) -> str:
    """The whitespace that starts the line holding ``offset``."""
    line_start = doc.line_start(doc.line_of(offset))
    line = doc.slice(line_start, offset)
    return line[: len(line) - len(line.lstrip(" \t"))]


def _field_removal(doc: Document, base: int, field: Field) -> Edit:
    """Remove a field with its comma, and its line when it has one to itself."""
    start, end = base + field.span.start, base + field.span.end
    before = doc.slice(doc.line_start(doc.line_of(start)), start)
    after_end = doc.line_end(doc.line_of(end), include_break=True)
    after = doc.slice(end, after_end)
    if not before.strip(_BLANK) and not after.strip(_BLANK):  # (\xa0, \x1f are text)
        return Edit(start - len(before), after_end, "")
    trailing = len(after) - len(after.lstrip(" \t"))
    return Edit(start, end + trailing, "")
