"""Keys and ``@string`` names defined more than once, and the same work entered
twice under different keys (same DOI; same title, year and first author)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from bib_lsp.model.index import names_of
from bib_lsp.model.index import spelled as spelled_key
from bib_lsp.model.works import literal
from bib_lsp.rules.context import Context, DocumentContext
from bib_lsp.rules.registry import RULES, document_rule, entry_rule
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Related, Severity
from bib_lsp.syntax.views import Entry, view

DUPLICATE_KEY = "duplicate-key"
KEY_CASE = "key-case-mismatch"
IDS_KEY = "ids-is-key"
DUPLICATE_STRING = "duplicate-string"
DUPLICATE_DOI = "duplicate-doi"
DUPLICATE_ENTRY = "duplicate-entry"


@document_rule(DUPLICATE_KEY, Severity.ERROR)
def duplicate_key(context: DocumentContext) -> Iterable[Problem]:
    """
    What it checks:
    Two or more entries with the same citation key. In the `bibtex` dialect keys
    are compared without regard to case, as BibTeX compares them, so `Knuth84` and
    `knuth84` are the same key; in the `biblatex` dialect only keys spelled alike
    are (biber compares case: see `key-case-mismatch`).

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
    for key in sorted(context.index.duplicate_keys):
        blocks = context.index.keys.get(key, {}).values()
        if context.dialect != "biblatex":
            yield from _report(context, blocks, DUPLICATE_KEY, "key")
            continue
        for same in _by_spelling(blocks).values():
            yield from _report(context, same, DUPLICATE_KEY, "key")


@document_rule(KEY_CASE, Severity.WARNING)
def key_case_mismatch(context: DocumentContext) -> Iterable[Problem]:
    """
    What it checks:
    In the `biblatex` dialect, entries whose keys differ only in case (`Knuth84`
    and `knuth84`).

    Why it matters:
    biber compares keys with regard to case: they are two entries, and biber warns
    of a "possible typo (case mismatch)". A `\\cite` or `crossref` spelled the other
    way finds the other entry, or none; BibTeX would take both for one key.

    Example:
    ```bibtex
    @book{knuth84, author = {Knuth, Donald E.}, title = {The {\\TeX}book}, date = 1984}
    @article{Knuth84, author = {Knuth, Donald E.}, title = {Literate Programming},
      journaltitle = {The Computer Journal}, date = 1984}
    ```

    How to fix:
    Give the entries keys that differ by more than case (and update the
    citations), or, if they are one work, delete the copy.
    """
    if context.dialect != "biblatex":
        return
    severity = RULES[KEY_CASE].doc.severity
    doc = context.document
    for key in sorted(context.index.duplicate_keys):
        groups = _by_spelling(context.index.keys.get(key, {}).values())
        if len(groups) < 2:
            continue
        places = []  # (start, end, spelling) of each key, in text order
        for start, block in context.index.located(b for same in groups.values() for b in same):
            entry = view(block)
            if entry is not None and entry.key_span is not None and entry.key:
                span = entry.key_span
                places.append((start + span.start, start + span.end, entry.key))
        for s, e, spelled in places:
            others = [p for p in places if p[2] != spelled]
            if not others:
                continue
            names = ", ".join(
                f"`{o[2]}` (line {doc.line_of(o[0]) + 1})" for o in dict.fromkeys(others)
            )
            message = (
                f"`{spelled}` differs only in case from {names}: biber takes them for"
                " two entries and warns of a possible typo (BibTeX would take them for one)"
            )
            related = tuple(Related(o[0], o[1], f"`{o[2]}` is defined here") for o in others)
            yield Problem(s, e, KEY_CASE, message, severity, related)


@entry_rule(IDS_KEY, Severity.WARNING)
def ids_is_key(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the `biblatex` dialect, an alias in `ids` that is the key of an entry: of
    another one, or of the entry itself (keys compared with case, as biber does).

    Why it matters:
    biber skips such an alias ("Entry alias 'X' is also a real entry key") and
    `\\cite{X}` gets the other entry, not this one; an alias equal to the entry's
    own key is refused as a recursion.

    Example:
    ```bibtex
    @book{knuth84, author = {Knuth, Donald E.}, title = {The {\\TeX}book},
      date = 1984, ids = {texbook}}
    @book{texbook, author = {Knuth, Donald E.}, title = {The {\\TeX}book},
      date = 1986}
    ```

    How to fix:
    Remove the alias from `ids` (the quick fix does), or, if the two entries are
    one work, delete the other entry and keep the alias.
    """
    if context.dialect != "biblatex" or entry.kind is not K.ENTRY or entry.damaged:
        return []
    f = entry.field("ids")
    if f is None or f.value is None or len(f.value.pieces) != 1:
        return []
    piece = f.value.pieces[0]
    if piece.kind is K.MACRO:
        return []
    base = piece.span.start + (len(piece.text) > len(piece.content))
    severity = RULES[IDS_KEY].doc.severity
    out = []
    offset = 0
    for part in piece.content.split(","):
        alias = part.strip()
        at = base + offset + (part.index(alias) if alias else 0)
        offset += len(part) + 1
        if not alias:
            continue
        if alias == entry.key:
            message = f"`ids` names `{alias}`, the entry's own key: biber skips it"
        elif context.entry_block(alias) is not None:
            message = (
                f"`ids` names `{alias}`, the key of another entry: biber skips the alias"
                f" and `\\cite{{{alias}}}` gets that entry"
            )
        else:
            continue
        out.append(Problem(at, at + len(alias), IDS_KEY, message, severity, data={"alias": alias}))
    return out


def _by_spelling(blocks: Iterable[Block]) -> dict[str, list[Block]]:
    """The blocks grouped by their key as written."""
    groups: dict[str, list[Block]] = {}
    for block in blocks:
        key = spelled_key(block)
        if key is not None:
            groups.setdefault(key, []).append(block)
    return groups


@document_rule(DUPLICATE_STRING, Severity.WARNING)
def duplicate_string(context: DocumentContext) -> Iterable[Problem]:
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
    for name in sorted(context.index.duplicate_strings):
        blocks = context.index.strings.get(name, {}).values()
        yield from _report(context, blocks, DUPLICATE_STRING, "macro", name)


def _report(
    context: DocumentContext, blocks: Iterable[Block], code: str, what: str, name: str = ""
) -> Iterable[Problem]:
    """One problem per definition, each pointing at the others."""
    places = []
    for start, block in context.index.located(blocks):
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
    doc = context.document
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


@entry_rule(DUPLICATE_DOI, Severity.WARNING)
def duplicate_doi(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Two or more entries with the same DOI (compared without regard to case, with
    or without a `https://doi.org/` prefix) under different keys.

    Why it matters:
    It is one work entered twice: citing one key here and the other there prints
    the same reference twice in the bibliography.

    Example:
    ```bibtex
    @article{knuth84, author = {Donald E. Knuth}, title = {Literate Programming},
      doi = {10.1093/comjnl/27.2.97}}
    @article{knuth-lp, author = {Knuth, D. E.}, title = {Literate programming},
      doi = {https://doi.org/10.1093/COMJNL/27.2.97}}
    ```

    How to fix:
    Keep one entry and cite its key everywhere.
    """
    return _same_work(entry, context, "doi", DUPLICATE_DOI)


@entry_rule(DUPLICATE_ENTRY, Severity.WARNING)
def duplicate_entry(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Two or more entries with the same title, year and first author's family name
    (compared as letters and digits only, ignoring case, braces and LaTeX
    commands), of the same type, under different keys, unless a `volume`,
    `number`, `pages`, `edition`, `chapter`, `part`, `issue`, `isbn`, `publisher`,
    `type`, `school` or `institution` given in both tells them apart. Entries that
    share a DOI are reported as `duplicate-doi` instead.

    Why it matters:
    It is most likely one work entered twice, perhaps from two sources: the
    bibliography can print it twice, with small differences.

    Example:
    ```bibtex
    @book{knuth84, author = {Donald E. Knuth}, title = {The {\\TeX}book}, year = 1984}
    @book{texbook, author = {Knuth, Donald}, title = {The TeXbook}, year = 1984}
    ```

    How to fix:
    Keep one entry and cite its key everywhere; if they are different works (two
    editions, say), tell them apart (`edition`, a different year).
    """
    return _same_work(entry, context, "work", DUPLICATE_ENTRY)


# Fields that tell apart works with the same title, year and author (the
# "Editorial" of each issue of a journal, two volumes of a book).
_DISTINGUISHING = (
    "volume",
    "number",
    "pages",
    "edition",
    "chapter",
    "part",
    "issue",
    "isbn",
    "publisher",
    "type",
    "school",
    "institution",
)


def particulars(block: Block) -> dict[str, str]:
    """The entry's type and distinguishing fields, normalised (cached)."""
    return block.cached("particulars", _particulars)


def _particulars(block: Block) -> dict[str, str]:
    entry = view(block)
    if entry is None:
        return {}
    out = {"@type": entry.type_lower}  # a thesis and the report made of it differ
    for name in _DISTINGUISHING:
        text = literal(entry.field(name))
        if text and text.strip():
            out[name] = "".join(ch for ch in text.lower() if ch.isalnum())
    return out


def _conflict(a: dict[str, str], b: dict[str, str]) -> bool:
    return any(a[name] != b[name] for name in a.keys() & b.keys())


def _same_work(entry: Entry, context: Context, table: str, code: str) -> list[Problem]:
    """The entry's finding (on its key) when other entries, under other keys, have
    the same DOI or work, naming them in text order. (Cached with the entry: the
    context notes the DOI or work asked about, so a change among its holders
    checks it again. Their keys are named, not their lines, which would change
    with every line typed above them.)"""
    block = context.block
    if block is None or entry.key_span is None or not entry.key:
        return []
    names = names_of(block).get(table)
    if not names:
        return []
    mine = particulars(block)
    my_doi = names_of(block).get("doi")
    key = entry.key.lower()
    others: list[tuple[Block, str]] = []
    for other in context.holders(table, names[0]):
        other_entry = view(other) if other is not block else None
        if other_entry is None or not other_entry.key or other_entry.key.lower() == key:
            continue  # itself, or the same key twice: `duplicate-key`
        if table == "work":
            if my_doi and names_of(other).get("doi") == my_doi:
                continue  # they share a DOI: reported as `duplicate-doi`
            if _conflict(mine, particulars(other)):
                continue
        others.append((other, other_entry.key))
    if not others:
        return []

    def before(a: tuple[Block, str], b: tuple[Block, str]) -> int:
        return -1 if context.precedes(a[0], b[0]) else 1

    ordered = sorted(others, key=functools.cmp_to_key(before))
    keys = ", ".join(f"`{other_key}`" for _, other_key in ordered)
    what = "DOI" if table == "doi" else "title, year and first author"
    message = f"`{entry.key}` has the same {what} as {keys}: the same work entered twice?"
    span = entry.key_span
    return [Problem(span.start, span.end, code, message, RULES[code].doc.severity)]
