"""Rules about an entry's type and fields: duplicate, unknown or empty fields, and
unknown entry types (the names known are in ``model/known_names.py``)."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.known_names import (
    BIB2GLS_TYPES,
    BIBTEX_COUNTERPART,
    DATE_COUNTERPART,
    DISABLED_PREFIXES,
    NUMBERED_PREFIXES,
    known_fields,
    known_types,
)
from bib_lsp.model.requirements import (
    BIBLATEX_FIELD_ALIASES,
    BIBLATEX_ONLY_FIELDS,
    BIBLATEX_ONLY_TYPES,
)
from bib_lsp.model.suggest import certain, same_case, suggest
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.rules.required import missing_required_field
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import VALUE_BLANK
from bib_lsp.syntax.tree import Problem, Related, Severity
from bib_lsp.syntax.views import Entry, Field, Value

DUPLICATE_FIELD = "duplicate-field"
UNKNOWN_ENTRY_TYPE = "unknown-entry-type"
UNKNOWN_FIELD = "unknown-field"
EMPTY_FIELD = "empty-field"


_EMPTY_CHARS = VALUE_BLANK + '{}"'


# --------------------------------------------------------------------------------------------
# duplicate-field
# --------------------------------------------------------------------------------------------


@entry_rule(DUPLICATE_FIELD, Severity.ERROR)
def duplicate_field(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A field given more than once in the same entry. Field names are compared without
    regard to case, so `title` and `TITLE` are the same field.

    Why it matters:
    Only one of the values is used, and BibTeX and biber disagree on which: BibTeX
    keeps the first and warns that it ignores the extra field, biber keeps the last
    without a word. The same file then prints differently with the two.

    Example:
    ```bibtex
    @misc{knuth84,
      title = {The {\\TeX}book},
      year  = 1984,
      TITLE = {The TeXbook},
    }
    ```

    How to fix:
    Keep the value you mean and delete the other occurrences.
    """
    if entry.kind is not K.ENTRY or entry.damaged:
        return []
    fields = entry.fields
    if len({f.name_lower for f in fields}) == len(fields):
        return []  # the common case: no name twice
    by_name: dict[str, list[Field]] = {}
    for f in fields:
        by_name.setdefault(f.name_lower, []).append(f)
    severity = RULES[DUPLICATE_FIELD].doc.severity
    out = []
    for name, same in by_name.items():
        if len(same) < 2:
            continue
        times = "twice" if len(same) == 2 else f"{len(same)} times"
        for i, f in enumerate(same[1:], start=1):
            message = f"`{f.name}` is given {times}: BibTeX keeps the first, biber the last"
            related = tuple(
                Related(
                    o.name_span.start,
                    o.name_span.end,
                    f"`{o.name}` is also given here" + (" (BibTeX's)" if j == 0 else ""),
                )
                for j, o in enumerate(same)
                if j != i
            )
            out.append(
                Problem(
                    f.name_span.start,
                    f.name_span.end,
                    DUPLICATE_FIELD,
                    message,
                    severity,
                    related,
                    data={"field": name},
                )
            )
    return out


# --------------------------------------------------------------------------------------------
# unknown-entry-type
# --------------------------------------------------------------------------------------------


@entry_rule(UNKNOWN_ENTRY_TYPE, Severity.WARNING)
def unknown_entry_type(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    An entry type that the active dialect does not define. For BibTeX: the types of
    `plain.bst` plus `@patent`, `@periodical`, `@software` and `@standard`, which
    common styles and exporters use; with the `bibtex.style` setting, exactly the
    style's types (BibTeX warns "entry type for X isn't style-file defined" about any
    other), plus those of `bibtex.extraTypes`. For biblatex: the types of its default data
    model and the BibTeX names it maps onto them (`@phdthesis`, `@techreport`,
    `@conference`, `@electronic`, `@www`...). A biblatex type in a BibTeX file (such as
    `@online` or `@thesis`) is reported as such. The types of bib2gls glossary files
    (`@entry`, `@symbol`, `@abbreviation`...) are left alone.

    Why it matters:
    An unknown type is not an error to BibTeX or biber: the style prints the entry as
    a `@misc`, usually without the journal, publisher or school that the intended type
    would show, and only the log says so.

    Example:
    ```bibtex
    @artcle{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Correct the spelling (the quick fix offers the nearest known type) or choose a
    type that the dialect knows; for a biblatex type in a BibTeX file, use the closest
    BibTeX type or switch the document to biblatex.
    """
    if entry.kind is not K.ENTRY or entry.damaged or entry.type_span is None:
        return []
    kind = entry.type_lower
    dialect, style = context.dialect, context.style
    if kind in known_types(dialect, style) or kind in BIB2GLS_TYPES or not kind:
        return []
    span = entry.type_span
    data = None
    if dialect == "bibtex" and kind in BIBLATEX_ONLY_TYPES:
        message = f"`@{entry.type}` is a biblatex type: BibTeX styles print it as `@misc`"
        if not style.is_default:
            message = f"`@{entry.type}` is a biblatex type, not one of {style.name}"
    else:
        who = "BibTeX" if dialect == "bibtex" else "biblatex"
        fallback = "BibTeX styles print" if dialect == "bibtex" else "biber treats"
        message = f"`@{entry.type}` is not a {who} entry type: {fallback} it as `@misc`"
        if dialect == "bibtex" and not style.is_default:
            message = (
                f"`@{entry.type}` is not an entry type of {style.name}: BibTeX prints it "
                "with the style's `default.type`"
            )
        suggestion = suggest(kind, dialect, True, style)
        if suggestion is not None:
            replace = same_case(entry.type, suggestion)
            message += f" (did you mean `@{replace}`?)"
            data = {"replace": replace}
    severity = RULES[UNKNOWN_ENTRY_TYPE].doc.severity
    return [Problem(span.start, span.end, UNKNOWN_ENTRY_TYPE, message, severity, data=data)]


# --------------------------------------------------------------------------------------------
# unknown-field
# --------------------------------------------------------------------------------------------


@entry_rule(UNKNOWN_FIELD, Severity.HINT)
def unknown_field(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A field that the active dialect does not define. For BibTeX: the fields of
    `plain.bst` (or, with the `bibtex.style` setting, the style's own and those of
    `bibtex.extraFields`), the ones that common styles and exporters add (`url`, `doi`, `isbn`,
    `issn`, `abstract`, `keywords`...), and the metadata that databases and reference
    managers write (`bibsource`, `timestamp`, `mrnumber`, `owner`...). For biblatex:
    the fields of its default data model, the BibTeX names it maps onto them
    (`journal`, `address`, `school`...), the same metadata, and data annotations such
    as `author+an`. A biblatex field in a BibTeX file (such as `journaltitle`, `issue`
    or `date`) is reported as such, unless the entry also has the BibTeX field that
    holds the same (`journal`, `number`, `year`). Fields switched off on purpose with
    an `OPT`, `ALT` or `xx` prefix, and the fields of an entry whose type is itself
    unknown, are left alone.

    A hint, but a warning when the suggested name is certain: the name has at least
    four letters and one slip (a letter added, dropped or changed, or two
    neighbouring letters swapped) makes it that known field and no other (`adress`
    for `address`, `yaer` for `year`).

    Why it matters:
    BibTeX and biber ignore a field they do not know without a word, so a misspelt
    field (`adress`, `auhtor`, `jounal`) silently disappears from the bibliography.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      jounral = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Correct the name (the quick fix offers the nearest known field), use the name the
    dialect expects, or delete the field if it only records private notes.
    """
    if entry.kind is not K.ENTRY or entry.damaged:
        return []
    dialect, style = context.dialect, context.style
    known = known_fields(dialect, style)
    unknown = [f for f in entry.fields if f.name_lower not in known]
    if not unknown:
        return []  # the common case
    kind = entry.type_lower
    if kind not in known_types(dialect, style) and kind not in BIBLATEX_ONLY_TYPES:
        return []  # unknown-entry-type reports the entry; its fields follow its type
    severity = RULES[UNKNOWN_FIELD].doc.severity
    out = []
    present = frozenset(f.name_lower for f in entry.fields)
    for f in unknown:
        found = _unknown_field(f.name, f.name_lower, dialect, present, style)
        if found is None:
            continue
        message, replace, sure = found
        out.append(
            Problem(
                f.name_span.start,
                f.name_span.end,
                UNKNOWN_FIELD,
                message,
                Severity.WARNING if sure else severity,
                data=None if replace is None else {"replace": replace},
            )
        )
    return out


def _unknown_field(
    name: str, lower: str, dialect: str, present: frozenset[str], style: BibtexStyle = PLAIN
) -> tuple[str, str | None, bool] | None:
    """The message and suggested name for a field not in the dialect's table, and
    whether the name is certainly a typo of it (``suggest.certain``), or None when it
    is fine after all (``present``: the entry's field names, lower-case)."""
    known = known_fields(dialect, style)
    if lower.startswith(NUMBERED_PREFIXES) and lower.rpartition("-")[2].isdigit():
        return None
    for prefix in DISABLED_PREFIXES:
        if lower.startswith(prefix) and lower[len(prefix) :] in known:
            return None
    if not lower:
        return None
    base, plus, _annotation = lower.partition("+an")
    if plus:
        if dialect == "biblatex" and base in known:
            return None  # a biblatex data annotation (`author+an:default`)
        if dialect == "bibtex":
            return f"`{name}` is a biblatex data annotation: BibTeX ignores it", None, False
    if dialect == "bibtex" and lower in BIBLATEX_ONLY_FIELDS:
        message = f"`{name}` is a biblatex field: BibTeX styles ignore it"
        if lower == "date":
            if DATE_COUNTERPART in present:
                return None
            return f"{message} (they read `year` and `month`)", None, False
        target = BIBTEX_COUNTERPART.get(lower)
        if target is None:
            return message, None, False
        if target in present:
            return None
        replace = same_case(name, target)
        return f"{message} (BibTeX calls it `{replace}`)", replace, False
    who = "BibTeX" if dialect == "bibtex" else "biblatex"
    message = f"`{name}` is not a {who} field: it is ignored"
    if dialect == "bibtex" and not style.is_default:
        message = f"`{name}` is not a field of {style.name}: it is ignored"
    suggestion = suggest(lower, dialect, False, style)
    if suggestion is None:
        return message, None, False
    replace = same_case(name, suggestion)
    if suggestion in present:
        # Renaming it would give the entry that field twice: say so, offer no fix.
        return f"{message} (did you mean `{replace}`? the entry has one already)", None, False
    sure = certain(lower, suggestion, dialect, style)
    return f"{message} (did you mean `{replace}`?)", replace, sure


# --------------------------------------------------------------------------------------------
# empty-field
# --------------------------------------------------------------------------------------------


@entry_rule(EMPTY_FIELD, Severity.WARNING)
def empty_field(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A field whose value is empty: `{}`, `""`, or only spaces and braces. A required
    field with an empty value is left to `missing-required-field`, which counts it as
    missing.

    Why it matters:
    An empty field prints nothing but is not harmless: in BibTeX it stops `crossref`
    from supplying that field, biber drops it, and it is often a template placeholder
    that was never filled in.

    Example:
    ```bibtex
    @book{knuth84,
      author    = {Donald E. Knuth},
      title     = {The {\\TeX}book},
      publisher = {Addison-Wesley},
      year      = 1984,
      note      = {},
    }
    ```

    How to fix:
    Fill in the value or delete the field.
    """
    if entry.kind is not K.ENTRY or entry.damaged:
        return []
    empty = [f for f in entry.fields if f.value is not None and _is_empty(f.value)]
    if not empty:
        return []  # the common case
    dialect = context.dialect
    reported: set[str] = set()  # fields that missing-required-field reports
    for p in missing_required_field(entry, context):
        if isinstance(p.data, dict):
            reported.update(p.data.get("fields", ()))
    severity = RULES[EMPTY_FIELD].doc.severity
    out = []
    for f in empty:
        name = f.name_lower
        as_read = BIBLATEX_FIELD_ALIASES.get(name, name) if dialect == "biblatex" else name
        if as_read in reported:
            continue
        message = f"`{f.name}` is empty"
        out.append(
            Problem(f.span.start, f.span.end, EMPTY_FIELD, message, severity, data={"field": name})
        )
    return out


def _is_empty(value: Value) -> bool:
    """No text at all, only spaces and braces (a macro or a number is not empty)."""
    for p in value.pieces:
        if p.kind not in (K.BRACED, K.QUOTED) or p.text.strip(_EMPTY_CHARS):
            return False
    return True
