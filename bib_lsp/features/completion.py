"""Completion candidates for the cursor's context (no LSP types here: the server
turns ``Item``s into completion items).

Values so far: the `@string` macros of the document and the month macros where a
bare value goes, keys in the fields that name other entries, and the values
biblatex knows for fields with a closed set of them.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice

from bib_lsp.document import Document
from bib_lsp.features.cursor import FIELD, TYPE, VALUE, Cursor, cursor_at
from bib_lsp.features.style import FieldStyle, case_of, field_style, in_case
from bib_lsp.model import catalogue_bibtex
from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.catalogue_types import FieldInfo, TypeInfo
from bib_lsp.model.csl import document_sources
from bib_lsp.model.index import SHARED_VALUE_FIELDS, BibIndex
from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.model.macros import MONTH_NAMES, MONTHS, predefined
from bib_lsp.model.requirements import BIBLATEX_FIELD_ALIASES, BIBTEX_TYPES
from bib_lsp.model.summaries import MacroDef
from bib_lsp.syntax.views import Entry, view, written

MACRO, KEY, CONSTANT, ENTRY_TYPE, FIELD_NAME = "macro", "key", "constant", "type", "field"

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
    snippet: bool = False  # ``insert`` has snippet placeholders (`$1`, `${2|a,b|}`)
    about: tuple[str, ...] = ()  # what ``describe`` needs for the documentation


Elsewhere = Callable[[str], Iterable[MacroDef]]
"""The macros other files define whose lower-case names start with a prefix."""


def complete(
    doc: Document,
    index: BibIndex,
    offset: int,
    dialect: str,
    snippets: bool = False,
    elsewhere: Elsewhere | None = None,
    bst: BibtexStyle = PLAIN,
) -> tuple[Cursor, list[Item]]:
    """The cursor's context and the candidates for it (filtering by the prefix is
    left to the editor, which does it as the user types). ``snippets``: the client
    takes snippet syntax. ``elsewhere``: the macros of the workspace's other files.
    ``bst``: the BibTeX style whose types and fields the bibtex dialect offers.
    Items carry no documentation: ``describe`` gives it, on request."""
    cursor = cursor_at(doc, offset)
    if cursor.kind == VALUE:
        return cursor, _values(cursor, doc, index, dialect, elsewhere)
    if cursor.kind == TYPE:
        # `@article {key,...}`: blanks may stand between the type and its body.
        after = doc.slice(cursor.end, cursor.end + 200).lstrip(" \t\r\n")
        has_body = after[:1] in ("{", "(")
        style = field_style(doc, offset)
        return cursor, _types(cursor, dialect, snippets and not has_body, has_body, style, bst)
    if cursor.kind == FIELD and cursor.entry_type != "string":  # a new macro's name
        return cursor, _fields(cursor, dialect, snippets, field_style(doc, offset), bst)
    return cursor, []


Catalogue = tuple[Mapping[str, FieldInfo], Mapping[str, TypeInfo]]


def catalogue(dialect: str, bst: BibtexStyle = PLAIN) -> Catalogue:
    """The fields and entry types the dialect knows, with their descriptions; in the
    bibtex dialect, those of the style ``bst``."""
    if dialect == "biblatex":
        from bib_lsp.model import catalogue_biblatex as biblatex

        return biblatex.FIELDS, biblatex.TYPES
    if bst is PLAIN:
        return catalogue_bibtex.FIELDS, catalogue_bibtex.TYPES
    found = _CATALOGUES.get(bst.key)
    if found is None:
        if len(_CATALOGUES) >= 16:
            _CATALOGUES.clear()
        found = _CATALOGUES[bst.key] = (bst, _style_catalogue(bst))
    return found[1]


# Catalogues of chosen styles by BibtexStyle.key: completion items name the style by
# its key (``describe`` finds it here when the client asks for the documentation).
_CATALOGUES: dict[str, tuple[BibtexStyle, Catalogue]] = {}


def _style_catalogue(bst: BibtexStyle) -> Catalogue:
    """A style's types and fields, described as plain.bst's where they are the same
    (the requirements and the optional fields always the style's)."""
    chosen = bst.path is not None
    fields: dict[str, FieldInfo] = {}
    for name in sorted(bst.fields):
        info = catalogue_bibtex.FIELDS.get(name)
        if info is None:
            what = f"A field {bst.name} reads" if chosen else "A field declared by hand"
            info = FieldInfo(name, catalogue_bibtex.LITERAL, f"{what} (or bibtex.extraFields).")
        elif chosen:
            info = FieldInfo(
                name, info.kind, info.description.replace("; ignored by plain.bst", "")
            )
        fields[name] = info
    types: dict[str, TypeInfo] = {}
    for name in sorted(bst.types):
        required = bst.required.get(name, ())
        needed = {f for r in required for f in r}
        known = catalogue_bibtex.TYPES.get(name)
        if known is not None and (name in BIBTEX_TYPES or not chosen):
            optional = tuple(f for f in known.optional if f in bst.fields and f not in needed)
            types[name] = TypeInfo(name, known.description, required, optional)
        else:
            what = f"An entry type of {bst.name}" if chosen else "An entry type declared by hand"
            types[name] = TypeInfo(name, f"{what} (or bibtex.extraTypes).", required, ())
    return fields, types


def _style_of(key: str) -> BibtexStyle:
    found = _CATALOGUES.get(key)
    return found[0] if found is not None else PLAIN


def _cased(name: str, typed: str, usual: str) -> str:
    """``name`` in the case the user is typing in, or (nothing typed yet, or only
    lower-case letters, which editors match to any case) in the file's ``usual``
    case."""
    case = case_of(typed) if typed else None
    if typed[:1].isupper() and case is None:
        case = "title"  # a single capital, or `BookT`
    if case is None or case == "lower":
        case = usual
    return in_case(name, case)


_SPECIAL_TYPES = (
    ("string", 'A macro: `@string{name = "text"}`, used as a bare value'),
    ("preamble", "LaTeX code BibTeX copies to the start of the bibliography"),
    ("comment", "A comment: BibTeX and biber ignore it"),
)


def _types(
    cursor: Cursor,
    dialect: str,
    snippet: bool,
    has_body: bool,
    style: FieldStyle,
    bst: BibtexStyle = PLAIN,
) -> list[Item]:
    _, types = catalogue(dialect, bst)
    items = []
    for name, info in sorted(types.items()):
        label = _cased(name, cursor.prefix, style.type_case)
        insert = label if has_body else _template(label, info.required, snippet, style)
        about = (ENTRY_TYPE, name, dialect, "", bst.key)
        items.append(Item(label, ENTRY_TYPE, info.description, "", insert, "0", snippet, about))
    for name, what in _SPECIAL_TYPES:
        label = _cased(name, cursor.prefix, style.type_case)
        insert = label if has_body else f"{label}{{$1}}" if snippet else f"{label}{{}}"
        items.append(Item(label, ENTRY_TYPE, what, what, insert, "1", snippet))
    return items


def _template(
    label: str, required: tuple[tuple[str, ...], ...], snippet: bool, style: FieldStyle
) -> str:
    """``type{key,`` and a line per required field (alternatives as one choice),
    written in the file's style."""
    indent = style.indent
    required = tuple(tuple(in_case(f, style.field_case) for f in r) for r in required)
    if not snippet:
        lines = "".join(f"\n{indent}{style.field(r[0])}" for r in required)
        return f"{label}{{,{lines}\n}}"
    parts = [label + "{${1:key},"]
    n = 2
    for requirement in required:
        head = style.head(requirement[0])
        if len(requirement) > 1:
            # The choice stands for the name; the padding suits the first one.
            name = "${" + str(n) + "|" + ",".join(requirement) + "|}"
            head = name + head[len(requirement[0]) :]
            n += 1
        parts.append(f"\n{indent}{head}{style.open}${n}{style.close},")
        n += 1
    parts.append("\n}$0")
    return "".join(parts)


def _fields(
    cursor: Cursor, dialect: str, snippet: bool, style: FieldStyle, bst: BibtexStyle = PLAIN
) -> list[Item]:
    fields, types = catalogue(dialect, bst)
    info = types.get(cursor.entry_type)
    rank: dict[str, str] = {}
    if info is not None:
        rank = {name: "0" for requirement in info.required for name in requirement}
        for name in info.optional:
            rank.setdefault(name, "1")
    items = []
    for name, field_info in fields.items():
        if name in cursor.present:
            continue
        label = _cased(name, cursor.prefix, style.field_case)
        insert = style.field(label, "$1") + "$0" if snippet else style.field(label)
        order = rank.get(name, "2")
        detail = field_info.kind + (", required" if order == "0" else "")
        about = (FIELD_NAME, name, dialect, cursor.entry_type, bst.key)
        items.append(Item(label, FIELD_NAME, detail, "", insert, order, snippet, about))
    return items


def _values(
    cursor: Cursor, doc: Document, index: BibIndex, dialect: str, elsewhere: Elsewhere | None
) -> list[Item]:
    name = cursor.field_name
    if name in KEY_FIELDS:
        return _keys(cursor, index) if cursor.delimiter else []
    if cursor.delimiter:
        if name in SHARED_VALUE_FIELDS:
            return _shared(cursor, index, name, doc)
        return _closed(cursor, name)
    return _macros(cursor, doc, index, name, dialect, elsewhere)


VALUE_LIMIT = 100


def _shared(cursor: Cursor, index: BibIndex, name: str, doc: Document) -> list[Item]:
    """The values this field has elsewhere in the file that start with what is
    typed (case aside), most used first, at most ``VALUE_LIMIT``."""
    typed = cursor.prefix.lower()
    counts = index.values.get(name)
    if not counts:
        return []
    here = " ".join(doc.slice(cursor.start, cursor.end).split())  # this entry's own
    found = [
        (n - (v == here), v)
        for v, n in counts.items()
        if v.lower().startswith(typed) and n - (v == here) > 0
    ]
    found.sort(key=lambda pair: (-pair[0], pair[1]))
    return [
        Item(value, CONSTANT, f"used {n} time{'s' if n > 1 else ''}", sort=f"{i:04}")
        for i, (n, value) in enumerate(found[:VALUE_LIMIT])
    ]


KEY_LIMIT = 100  # keys offered at once: the editor asks again as the user types


def _keys(cursor: Cursor, index: BibIndex) -> list[Item]:
    """The keys that start with what is typed (or, when none does, those that
    contain it), at most ``KEY_LIMIT`` of them, in order: a 50,000-entry file must
    not send 50,000 items for each keystroke."""
    typed = cursor.prefix.lower()
    keys = index.sorted_keys
    first = bisect_left(keys, typed)
    chosen = []
    for key in keys[first : first + KEY_LIMIT]:
        if not key.startswith(typed):
            break
        chosen.append(key)
    if not chosen and typed:  # nothing starts with it: the keys that contain it
        chosen = [key for key in keys if typed in key][:KEY_LIMIT]
    items = []
    for key in chosen:
        spellings: dict[str, Entry] = {}  # biber's distinct keys (`Key`, `key`)
        for block in index.keys[key].values():
            entry = view(block)
            if entry is not None and entry.key:
                spellings.setdefault(entry.key, entry)
        for spelled, entry in spellings.items():
            title = entry.field("title")
            shown = ""
            if title is not None and title.value is not None:
                shown = "".join(p.content for p in title.value.pieces)[:80]
            detail = f"@{entry.type_lower}" + (f": {shown}" if shown else "")
            order = "0" if key.startswith(typed) else "1"
            items.append(Item(spelled, KEY, detail, sort=order, about=(KEY, spelled)))
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
        return [Item(m, CONSTANT, f"month {i}") for i, m in enumerate(MONTH_NAMES.values(), 1)]
    return []


def document_macros(doc: Document, index: BibIndex, prefix: str) -> Iterator[MacroDef]:
    """The macros the document defines whose lower-case names start with
    ``prefix``, in name order, each as first defined."""
    sources = document_sources(index, "biblatex")
    for macro in sorted(m for m in index.strings if m.startswith(prefix)):
        block = next(iter(index.strings[macro].values()))
        entry, start = view(block), doc.start_of(block)
        if entry is None or start is None:  # pragma: no cover - the index holds live blocks
            continue
        for f in entry.fields:
            if f.name_lower == macro and f.value is not None:
                line = doc.line_of(start + f.name_span.start)
                expansion = sources.macro_text(macro)
                yield MacroDef(f.name, written(f.value), doc.uri, line, expansion)
                break


def _macro_item(macro: MacroDef, where: str, sort: str) -> Item:
    text = " ".join(macro.text.split())
    shown = text if len(text) <= 60 else text[:59] + "…"
    doc = f"`{macro.name}` = {{{text}}}\n\nDefined in {where}, line {macro.line + 1}."
    return Item(macro.name, MACRO, shown, doc, sort=sort)


def _macros(
    cursor: Cursor,
    doc: Document,
    index: BibIndex,
    name: str,
    dialect: str,
    elsewhere: Elsewhere | None,
) -> list[Item]:
    """The document's `@string` macros that start with what is typed, with their
    text (at most ``VALUE_LIMIT``: a file may define thousands), those of the
    workspace's other files, then the predefined ones (months first in `month`)."""
    typed = cursor.prefix.lower()
    items = [
        _macro_item(macro, "this file", "1")
        for macro in islice(document_macros(doc, index, typed), VALUE_LIMIT)
    ]
    month_first = name == "month"
    for macro in sorted(predefined(dialect), key=lambda m: (m not in MONTHS, m)):
        if macro in index.strings or not macro.startswith(typed):
            continue
        detail = "month (predefined)" if macro in MONTHS else "journal (plain.bst)"
        items.append(
            Item(macro, MACRO, detail, sort="0" if month_first and macro in MONTHS else "3")
        )
    if elsewhere is not None:
        taken = set(index.strings) | predefined(dialect)
        others = (m for m in elsewhere(typed) if m.name.lower() not in taken)
        for other in islice(others, VALUE_LIMIT):
            items.append(_macro_item(other, f"`{os.path.basename(other.path)}`", "2"))
    return items


def describe(about: tuple[str, ...], doc: Document | None, index: BibIndex | None) -> str:
    """The Markdown documentation of an item, from its ``about``; "" when what it
    names is gone (the document changed since it was offered)."""
    kind, name, dialect, entry_type, key = (*about, "", "", "", "", "")[:5]
    if kind == ENTRY_TYPE:
        return describe_type(name, dialect, _style_of(key))
    if kind == FIELD_NAME:
        return describe_field(name, dialect, entry_type, _style_of(key))
    if kind == KEY and doc is not None and index is not None:
        return _describe_key(name, doc, index)
    return ""


def _requirement(requirement: tuple[str, ...]) -> str:
    return " or ".join(f"`{f}`" for f in requirement)


OPTIONAL_SHOWN = 10  # optional fields named in a type's description; the rest counted


def describe_type(name: str, dialect: str, bst: BibtexStyle = PLAIN) -> str:
    """A type's description, its required fields, and one short line of its optional
    ones: the first ``OPTIONAL_SHOWN`` (the catalogue lists the type's own before
    those every type takes) and how many more (biblatex's `@article` has over a
    hundred: listing them all buries the required ones)."""
    _, types = catalogue(dialect, bst)
    info = types.get(name)
    if info is None:
        return ""
    needs = ", ".join(_requirement(r) for r in info.required)
    parts = [info.description, f"Required: {needs}." if needs else "Nothing required."]
    if info.optional:
        shown = ", ".join(f"`{f}`" for f in info.optional[:OPTIONAL_SHOWN])
        more = len(info.optional) - OPTIONAL_SHOWN
        parts.append(f"Optional: {shown}" + (f" and {more} more." if more > 0 else "."))
    return "\n\n".join(parts)


def describe_field(name: str, dialect: str, entry_type: str, bst: BibtexStyle = PLAIN) -> str:
    fields, types = catalogue(dialect, bst)
    info = fields.get(name)
    if info is None:
        return ""
    parts = [f"**{name}** ({info.kind})", info.description]
    target = (BIBLATEX_FIELD_ALIASES if dialect == "biblatex" else {}).get(name)
    if target:
        parts.append(f"An old name for `{target}`: biber reads it as `{target}`.")
    kind = types.get(entry_type)
    if kind is not None:
        required = next((r for r in kind.required if name in r), None)
        if required is not None:
            also = [f for f in required if f != name]
            alternative = f" (or {_requirement(tuple(also))})" if also else ""
            parts.append(f"Required in `@{entry_type}`{alternative}.")
        elif name in kind.optional:
            parts.append(f"Optional in `@{entry_type}`.")
        else:
            parts.append(f"Not among the fields `@{entry_type}` uses.")
    return "\n\n".join(parts)


_PREVIEW_FIELDS = ("author", "editor", "title", "journal", "booktitle", "year", "date")


def _describe_key(key: str, doc: Document, index: BibIndex) -> str:
    block = index.entry_block(key, exact=True) or index.entry_block(key)
    if block is None:
        return ""
    entry, start = view(block), doc.start_of(block)
    if entry is None or start is None:
        return ""
    lines = [f"`@{entry.type_lower}{{{entry.key}}}`, line {doc.line_of(start) + 1}", ""]
    for name in _PREVIEW_FIELDS:
        f = entry.field(name)
        if f is not None and f.value is not None:
            text = " ".join(written(f.value).split())
            lines.append(f"- {name}: {text[:200]}")
    return "\n".join(lines)
