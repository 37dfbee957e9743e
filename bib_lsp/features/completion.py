"""Completion candidates for the cursor's context (no LSP types here: the server
turns ``Item``s into completion items).

Values so far: the `@string` macros of the document and the month macros where a
bare value goes, keys in the fields that name other entries, and the values
biblatex knows for fields with a closed set of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.features.cursor import VALUE, Cursor, cursor_at
from bib_lsp.model.index import BibIndex, view
from bib_lsp.rules.strings import MONTHS, predefined
from bib_lsp.syntax.kinds import SyntaxKind as K

MACRO, KEY, CONSTANT = "macro", "key", "constant"

# Fields whose value names other entries: one key, or a comma-separated list.
KEY_FIELDS = {"crossref": False, "xref": False, "xdata": True, "related": True, "entryset": True}

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# Values biblatex gives a meaning to, by field (from the biblatex manual's lists).
CLOSED_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "pubstate": (
        ("inpreparation", "in preparation"),
        ("submitted", "submitted for publication"),
        ("forthcoming", "accepted, not yet published"),
        ("inpress", "in press: being printed"),
        ("prepublished", "published ahead of the final version"),
    ),
    "gender": (
        ("sf", "a single female author or editor"),
        ("sm", "a single male author or editor"),
        ("sn", "a single neuter author or editor"),
        ("pf", "several female authors or editors"),
        ("pm", "several male authors or editors"),
        ("pn", "several neuter authors or editors"),
        ("pp", "several authors or editors of mixed gender"),
    ),
    "editortype": (
        ("editor", "the default role"),
        ("compiler", "compiled the work"),
        ("founder", "founded the series or work"),
        ("continuator", "continued the work of a founder"),
        ("redactor", "prepared the text"),
        ("reviser", "revised the work"),
        ("collaborator", "collaborated on the work"),
        ("organizer", "organised the event or collection"),
    ),
}
for _role in ("editoratype", "editorbtype", "editorctype"):
    CLOSED_VALUES[_role] = CLOSED_VALUES["editortype"]
# `type` of theses and reports: localisation keys biblatex prints as text.
TYPE_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "thesis": (
        ("phdthesis", "PhD thesis"),
        ("mathesis", "Master's thesis"),
        ("candthesis", "Candidate thesis"),
    ),
    "report": (("techreport", "technical report"), ("resreport", "research report")),
    "patent": tuple(
        (f"patent{c}", f"patent ({c.upper()})")
        for c in ("de", "eu", "fr", "uk", "us", "jp", "ch", "at", "kr", "cn")
    ),
}
LANGUAGES = [
    "american",
    "british",
    "english",
    "canadian",
    "australian",
    "newzealand",
    "german",
    "ngerman",
    "austrian",
    "naustrian",
    "swissgerman",
    "nswissgerman",
    "french",
    "spanish",
    "italian",
    "portuguese",
    "brazilian",
    "dutch",
    "danish",
    "norwegian",
    "nynorsk",
    "swedish",
    "finnish",
    "icelandic",
    "polish",
    "czech",
    "slovak",
    "slovene",
    "croatian",
    "serbian",
    "russian",
    "ukrainian",
    "greek",
    "latin",
    "catalan",
    "galician",
    "basque",
    "hungarian",
    "romanian",
    "turkish",
    "hebrew",
    "estonian",
    "latvian",
    "lithuanian",
    "bulgarian",
]


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str
    detail: str = ""
    documentation: str = ""
    insert: str = ""  # the text to put in the cursor's range (the label if empty)
    sort: str = ""  # sorts before another item when smaller


def complete(
    doc: Document, index: BibIndex, offset: int, dialect: str
) -> tuple[Cursor, list[Item]]:
    """The cursor's context and the candidates for it (filtering by the prefix is
    left to the editor, which does it as the user types)."""
    cursor = cursor_at(doc, offset)
    if cursor.kind == VALUE:
        return cursor, _values(cursor, doc, index, dialect)
    return cursor, []


def _values(cursor: Cursor, doc: Document, index: BibIndex, dialect: str) -> list[Item]:
    name = cursor.field_name
    if name in KEY_FIELDS:
        return _keys(cursor, index) if cursor.delimiter else []
    if cursor.delimiter:
        return _closed(cursor, name)
    return _macros(index, name, dialect)


def _keys(cursor: Cursor, index: BibIndex) -> list[Item]:
    own = cursor.prefix.lower()
    items = []
    for key, holders in index.keys.items():
        block = next(iter(holders.values()))
        entry = view(block)
        if entry is None or not entry.key:
            continue
        title = entry.field("title")
        shown = ""
        if title is not None and title.value is not None:
            shown = "".join(p.content for p in title.value.pieces)[:80]
        detail = f"@{entry.type_lower}" + (f": {shown}" if shown else "")
        items.append(Item(entry.key, KEY, detail, sort="0" if key.startswith(own) else "1"))
    return items


def _closed(cursor: Cursor, name: str) -> list[Item]:
    if name in CLOSED_VALUES:
        return [Item(v, CONSTANT, meaning) for v, meaning in CLOSED_VALUES[name]]
    if name == "type":
        values = TYPE_VALUES.get(cursor.entry_type, ())
        return [Item(v, CONSTANT, meaning) for v, meaning in values]
    if name in ("langid", "language", "hyphenation"):
        return [Item(lang, CONSTANT, "babel/polyglossia language") for lang in LANGUAGES]
    if name == "month":
        return [Item(m, CONSTANT, f"month {i}") for i, m in enumerate(MONTH_NAMES, 1)]
    return []


def _macros(index: BibIndex, name: str, dialect: str) -> list[Item]:
    """The document's `@string` macros with their text, and the predefined ones
    (months first in `month`)."""
    items = []
    for macro, holders in index.strings.items():
        written, text = macro, ""
        entry = view(next(iter(holders.values())))
        for f in entry.fields if entry is not None else ():
            if f.name_lower == macro and f.value is not None:
                written = f.name
                text = " # ".join(
                    p.content if p.kind in (K.BRACED, K.QUOTED) else p.text for p in f.value.pieces
                )
                break
        items.append(Item(written, MACRO, text, sort="1"))
    month_first = name == "month"
    for macro in sorted(predefined(dialect), key=lambda m: (m not in MONTHS, m)):
        if macro in index.strings:
            continue
        detail = "month (predefined)" if macro in MONTHS else "journal (plain.bst)"
        items.append(
            Item(macro, MACRO, detail, sort="0" if month_first and macro in MONTHS else "1")
        )
    return items
