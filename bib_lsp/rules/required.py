"""missing-required-field: what the BibTeX style (plain.bst unless another is chosen)
or biblatex's data model requires."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.inheritance import inherit
from bib_lsp.model.macros import predefined
from bib_lsp.model.requirements import (
    BIBLATEX_FIELD_ALIASES,
    BIBLATEX_REQUIRED,
    BIBLATEX_TYPE_ALIAS_FIELDS,
    BIBLATEX_TYPE_ALIASES,
    Requirement,
)
from bib_lsp.model.values import check_date
from bib_lsp.model.works import literal
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Piece, view

CODE = "missing-required-field"
PARENT_FIELDS = ("crossref", "xdata")


def requirements(
    entry: Entry, dialect: str, style: BibtexStyle = PLAIN
) -> tuple[str, tuple[Requirement, ...]]:
    """The entry's type as the dialect reads it, and what that type requires (in the
    bibtex dialect, what ``style`` requires)."""
    kind = entry.type_lower
    if dialect == "biblatex":
        target = BIBLATEX_TYPE_ALIASES.get(kind, kind)
        return target, BIBLATEX_REQUIRED.get(target, ())
    return kind, style.required.get(kind, ())


def present_fields(entry: Entry, dialect: str) -> frozenset[str]:
    """The fields the entry gives a non-empty value (legacy names mapped for biblatex,
    and the fields a biblatex type alias sets)."""
    names = set()
    for f in entry.fields:
        if f.value is None or not any(_filled(p) for p in f.value.pieces):
            continue
        name = f.name_lower
        names.add(BIBLATEX_FIELD_ALIASES.get(name, name) if dialect == "biblatex" else name)
    if dialect == "biblatex":
        names.update(BIBLATEX_TYPE_ALIAS_FIELDS.get(entry.type_lower, {}))
    return frozenset(names)


def _filled(piece: Piece) -> bool:
    if piece.kind in (K.BRACED, K.QUOTED):
        return bool(piece.text.strip(' \t\r\n{}"'))
    return True  # a number or a macro


def parent_keys(entry: Entry) -> list[str]:
    keys = []
    for name in PARENT_FIELDS:
        f = entry.field(name)
        if f is None or f.value is None:
            continue
        text = "".join(p.content for p in f.value.pieces)
        keys += [k.strip() for k in text.split(",") if k.strip()]
    return keys


def missing(
    entry: Entry,
    dialect: str,
    inherited: set[str],
    has_crossref: bool,
    present: frozenset[str],
    style: BibtexStyle = PLAIN,
) -> list[Requirement]:
    kind, needed = requirements(entry, dialect, style)
    have = present | inherited
    # The style's checks that an entry with a `crossref` skips (plain.bst prints it
    # as "In \cite{parent}" instead).
    skipped = style.crossref_skips.get(kind, frozenset())
    out = []
    for requirement in needed:
        if any(name in have for name in requirement):
            continue
        if dialect == "bibtex" and has_crossref and set(requirement) <= skipped:
            continue
        out.append(requirement)
    return out


def report(
    entry: Entry,
    dialect: str,
    gaps: list[Requirement],
    style: BibtexStyle = PLAIN,
    dropped: Mapping[str, str] | None = None,
) -> list[Problem]:
    anchor = entry.key_span or entry.type_span or entry.span
    severity = RULES[CODE].doc.severity
    out = []
    for requirement in gaps:
        first, *others = requirement
        alternatives = "".join(f" or `{o}`" for o in others)
        legacy = [k for k, v in BIBLATEX_FIELD_ALIASES.items() if v in requirement]
        also = ""
        if dialect == "biblatex" and legacy:
            also = " (" + ", ".join(f"`{k}`" for k in legacy) + " counts too)"
        who = style.name if dialect == "bibtex" else "biblatex"
        message = f"`@{entry.type}` needs `{first}`{alternatives}{also} ({who})"
        why = [dropped[name] for name in requirement if dropped and name in dropped]
        if why:
            message += ": " + "; ".join(why)
        out.append(
            Problem(
                anchor.start,
                anchor.end,
                CODE,
                message,
                severity,
                data={"fields": list(requirement)},
            )
        )
    return out


@entry_rule(CODE, Severity.WARNING)
def missing_required_field(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    An entry without a field its type requires: for BibTeX, the fields whose absence
    makes the style (`plain.bst`, or the one chosen with the `bibtex.style` setting)
    warn "empty X in KEY"; for biblatex, the mandatory fields of its
    default data model, as `biber --validate-datamodel` checks them (alternatives such
    as `date` or `year` count once; legacy names such as `journal` for `journaltitle`
    count). A field with an empty value counts as missing; fields inherited through
    `crossref` (and `xdata` in biblatex) from an entry in the same file count as
    present, and a biblatex `@set` has the fields of its first member, as biber
    gives them to it. In the `biblatex` dialect a field biber drops counts as
    missing, as biber then reports it: a value that is only an undefined macro, a
    `date` biber cannot parse.

    Why it matters:
    The style prints the reference without it (an article without its journal, a
    book without its publisher) and BibTeX or biber only say so in the log, if anyone
    reads it.

    Example:
    ```bibtex
    @article{doe2020,
      author = {Jane Doe},
      title  = {On Examples},
      year   = 2020,
    }
    ```

    How to fix:
    Add the field (the quick fix inserts it), or choose the entry type that matches
    what you cite (`@misc` requires nothing in BibTeX).
    """
    if entry.kind is not K.ENTRY or entry.damaged:
        # A damaged entry's fields may have been swallowed: fix the syntax first.
        return []
    dialect = context.dialect
    present = present_fields(entry, dialect)
    dropped = biber_drops(entry, context) if dialect == "biblatex" else {}
    if dropped:
        present = present - dropped.keys()
    inherited: set[str] = set()
    if parent_keys(entry):
        inherited = _inherited(context, entry, dialect, depth=0, seen=set())
    if dialect == "biblatex" and entry.type_lower == "set":
        inherited |= _first_member_fields(context, entry)
    has_crossref = entry.field("crossref") is not None
    style = context.style
    gaps = missing(entry, dialect, inherited, has_crossref, present, style)
    return report(entry, dialect, gaps, style, dropped)


def biber_drops(entry: Entry, context: Context) -> dict[str, str]:
    """The fields biber reads and then drops, by their biblatex name, with why: a
    value that is only an undefined macro (none in this file or a file read before
    it; biber warns and keeps nothing) and a
    `date` biber cannot parse. A requirement they stood for is then missing, as
    biber reports it."""
    known = predefined("biblatex")
    out: dict[str, str] = {}
    for f in entry.fields:
        if f.value is None:
            continue
        name = BIBLATEX_FIELD_ALIASES.get(f.name_lower, f.name_lower)
        pieces = f.value.pieces
        if len(pieces) == 1 and pieces[0].kind is K.MACRO:
            macro = pieces[0].text
            source = context.macro_source(macro)
            if (
                macro.lower() not in known
                and not context.string_blocks(macro)
                and not (source is not None and source.before)
            ):
                out[name] = f"`{f.name}` is the undefined macro `{macro}`, which biber drops"
        elif name == "date":
            text = literal(f)
            if text is not None and _unreadable_start(text):
                out[name] = f"biber cannot read `{f.name}` {text.strip()} and drops it"
    return out


def _unreadable_start(date: str) -> bool:
    """Whether biber drops a whole `date`: its start cannot be read. An end it cannot
    read (`1992/open`) biber ignores alone, keeping the start."""
    start, slash, _end = date.strip().partition("/")
    if slash and start.strip() not in ("", ".."):
        return check_date(start) is not None
    return check_date(date) is not None


def _first_member_fields(context: Context, entry: Entry) -> frozenset[str]:
    """What a biblatex `@set` takes from its members: biber gives a set every field
    of its first member found (for sorting and labels), so the set itself needs no
    date or title."""
    f = entry.field("entryset")
    if f is None or f.value is None:
        return frozenset()
    text = "".join(p.content for p in f.value.pieces)
    for key in (k.strip() for k in text.split(",")):
        member = context.entry_block(key) if key else None
        member_view = view(member) if member is not None else None
        if member_view is not None:
            return present_fields(member_view, "biblatex")
    return frozenset()


def _inherited(
    context: Context, entry: Entry, dialect: str, depth: int, seen: set[str]
) -> set[str]:
    """The fields the entry inherits from its parents in the document (the
    ``context`` notes each parent asked for, so that a change in one re-checks it)."""
    out: set[str] = set()
    for key in parent_keys(entry):
        if key.lower() in seen or depth > 8:
            continue
        seen.add(key.lower())
        parent_block = context.entry_block(key)
        if parent_block is None:
            continue
        parent = view(parent_block)
        if parent is None:
            continue
        fields = present_fields(parent, dialect)
        if dialect == "bibtex":
            out |= fields  # BibTeX copies every missing field, one level deep
            continue
        target, _ = requirements(parent, dialect)
        child, _ = requirements(entry, dialect)
        out |= set(inherit(dict.fromkeys(fields, True), target, child, dialect))
        out |= _inherited(context, parent, dialect, depth + 1, seen)
    return out
