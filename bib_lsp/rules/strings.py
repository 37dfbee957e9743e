"""`@string` macros: used but not defined, used before their definition, defined
but not used."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace

from bib_lsp.model.macros import MONTHS, predefined
from bib_lsp.rules.context import Context, MacroSource
from bib_lsp.rules.registry import RULES, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry

UNDEFINED = "undefined-macro"
AFTER_USE = "macro-defined-after-use"
UNUSED = "unused-macro"


@entry_rule(UNDEFINED, Severity.WARNING)
def undefined_macro(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A value that uses a macro (`journal = jacm`, `month = jan # "~1"`) with no
    `@string` defining it in the file. The month macros `jan` to `dec` are defined
    by BibTeX's styles and by biber; plain.bst also defines a few journal names
    (`cacm`, `jacm`, `tcs`, ...), which count in the `bibtex` dialect.

    The macros of the files read before this one count too
    (`\\bibliography{IEEEabrv,refs}`: the files named together on `bib-lsp check`'s
    command line, or a set of `[check] together` in the project file); the message
    names a file that defines the macro but is read after this one, or not with it.

    Why it matters:
    BibTeX warns "string name ... is undefined" and uses an empty value; the field
    is printed empty or the entry lacks it. Often the macro is a typo, or its
    definition lives in another `.bib` file that is not passed along.

    Example:
    ```bibtex
    @article{knuth1974, author = {Donald E. Knuth}, title = {Structured Programming},
      journal = acmcs, year = 1974}
    @article{dijkstra1968, author = {Edsger W. Dijkstra}, title = {Go To Statement},
      journal = cacmm, year = 1968}
    ```

    How to fix:
    Define it (`@string{cacmm = "Communications of the ACM"}` above its first use;
    the quick fix does that), correct the name, or write the value in braces. When
    another file defines it, read that file first (`\\bibliography{abbrev,refs}`) and
    say so in `bib-lsp.toml` (`[check] together = [["abbrev.bib", "refs.bib"]]`;
    the quick fix "Read FILE together with this one" does that).
    """
    return _uses(entry, context, only=UNDEFINED)


@entry_rule(AFTER_USE, Severity.WARNING)
def macro_defined_after_use(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A macro used by an entry (or by another `@string`) above the `@string` that
    defines it.

    Why it matters:
    BibTeX reads the file from top to bottom: at the use, the macro is not defined
    yet, so BibTeX warns that it is undefined and uses an empty value, although the
    definition is right there further down.

    Example:
    ```bibtex
    @article{doe2020, author = {Jane Doe}, title = {T}, journal = jtug, year = 2020}
    @string{jtug = "TUGboat"}
    ```

    How to fix:
    Move the `@string` above every entry that uses it (the top of the file is the
    usual place).
    """
    return _uses(entry, context, only=AFTER_USE)


def _uses(entry: Entry, context: Context, only: str) -> list[Problem]:
    if entry.kind not in (K.ENTRY, K.STRING):
        return []
    known = predefined(context.dialect)
    block = context.block
    out = []
    for f in entry.fields:
        if f.value is None:
            continue
        for piece in f.value.pieces:
            if piece.kind is not K.MACRO:
                continue
            name = piece.text.lower()
            holders = context.string_blocks(name)
            source = context.macro_source(name) if name not in known else None
            if source is not None and source.before:
                continue  # defined by a file read before this one
            if not holders:
                if only == UNDEFINED and name not in known:
                    message = f"`{piece.text}` is not defined: no `@string` for it in this file"
                    if source is not None:
                        message += _elsewhere(source)
                    elif name[:3] in MONTHS:
                        message += " (the month macros are `jan` to `dec`)"
                    problem = _problem(piece.span.start, piece.span.end, only, message, name)
                    if source is not None:
                        problem = replace(problem, data={"macro": name, "file": source.path})
                    out.append(problem)
                continue
            if only != AFTER_USE or block is None or name in known:
                continue
            if not any(context.precedes(h, block) for h in holders):
                message = (
                    f"`{piece.text}` is used before its `@string` further down:"
                    " BibTeX reads top to bottom and finds it undefined here"
                )
                out.append(_problem(piece.span.start, piece.span.end, only, message, name))
    return out


def _elsewhere(source: MacroSource) -> str:
    """Where the macro was found when another file defines it but is not read
    before this one."""
    name = os.path.basename(source.path)
    if source.together:
        return f"; `{name}` defines it but is read after this file"
    return f"; `{name}` defines it but is not read together with this file"


def _problem(start: int, end: int, code: str, message: str, name: str) -> Problem:
    return Problem(start, end, code, message, RULES[code].doc.severity, data={"macro": name})


@entry_rule(UNUSED, Severity.HINT)
def unused_macro(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    An `@string` macro that no value in the file uses. Files that hold only
    `@string`s (macro libraries for other files) are left alone.

    Why it matters:
    A leftover definition is harmless to BibTeX but clutters the file, and often
    means an entry spells the macro differently than intended.

    Example:
    ```bibtex
    @string{tugboat = "TUGboat"}
    @article{doe2020, author = {Jane Doe}, title = {T}, journal = {TUGboat}, year = 2020}
    ```

    How to fix:
    Use the macro where its text is written out, or delete the definition.
    """
    if entry.kind is not K.STRING:
        return []
    out = []
    for f in entry.fields:
        if not f.name:
            continue
        block = context.block
        if any(b is not block for b in context.macro_users(f.name)):
            continue
        if not context.has_entries():
            continue
        message = f"`{f.name}` is not used in this file"
        out.append(_problem(f.name_span.start, f.name_span.end, UNUSED, message, f.name_lower))
    return out
