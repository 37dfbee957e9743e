"""Record types shared by the field and entry-type catalogues (BibTeX and biblatex)."""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.model.requirements import Requirement


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """What a catalogue knows about one field."""

    name: str
    """Lower-case field name, as written in a ``.bib`` entry."""
    kind: str
    """What sort of value the field holds (each catalogue documents its vocabulary)."""
    description: str
    """One line of plain English: what the field is for."""


@dataclass(frozen=True, slots=True)
class TypeInfo:
    """What a catalogue knows about one entry type."""

    name: str
    """Lower-case entry type, as written after ``@``."""
    description: str
    """One line of plain English: what the entry type is for."""
    required: tuple[Requirement, ...]
    """Required fields; each requirement is met by any one of its alternatives."""
    optional: tuple[str, ...]
    """Fields the type also uses, in a sensible order; none of them is in ``required``."""
