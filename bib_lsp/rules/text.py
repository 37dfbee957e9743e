"""Rules on text that styles print: unescaped special characters, capitals in titles."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bib_lsp.model import text_values as v
from bib_lsp.model.requirements import BIBLATEX_FIELD_TYPES
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import entry_rule
from bib_lsp.rules.value_pass import (
    Findings,
    add,
    content_start,
    field_check,
    findings,
    literal_text,
    piece_content,
)
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field

UNESCAPED_SPECIAL_CHAR = "unescaped-special-char"
ALL_CAPS_TITLE = "all-caps-title"
UNPROTECTED_ACRONYM = "unprotected-acronym"


_NOT_PRINTED = frozenset(
    {
        "entrysubtype",
        "eprintclass",
        "eprinttype",
        "gender",
        "indexsorttitle",
        "indextitle",
        "isan",
        "isbn",
        "ismn",
        "isrn",
        "issn",
        "iswc",
        "label",
        "langid",
        "langidopts",
        "presort",
        "sortkey",
        "sortname",
        "sortshorthand",
        "sorttitle",
    }
)
# Fields printed as text: biblatex's literal and name fields, plain.bst's text fields.
_TEXT_FIELDS = (
    frozenset(name for name, kind in BIBLATEX_FIELD_TYPES.items() if kind in ("literal", "name"))
    | {"address", "annote", "howpublished", "journal", "school", "type"}
) - _NOT_PRINTED
_TITLE_FIELDS = frozenset({"title", "booktitle", "subtitle", "maintitle"})


_MAY_BE_SPECIAL = re.compile(r"[&%$#_]")


@field_check(_TEXT_FIELDS)
def _check_special(f: Field, dialect: str, out: Findings, kind: str) -> None:
    value = f.value
    if value is None:
        return
    for piece in value.pieces:
        if piece.kind not in (K.BRACED, K.QUOTED):
            continue
        content = piece_content(piece)
        if _MAY_BE_SPECIAL.search(content) is None:
            continue
        base = content_start(piece)
        for found in v.find_special_chars(content):
            if found.unbalanced:
                message = f"`{f.name}` has a `$` that opens math mode and never closes it"
            else:
                message = f"`{f.name}` has an unescaped `{found.char}` (write `\\{found.char}`)"
            at = base + found.offset
            add(out, UNESCAPED_SPECIAL_CHAR, at, at + 1, message)


# plain.bst prints these types' `title` with format.btitle, which keeps its case.
_BOOK_TITLE_TYPES = frozenset({"book", "inbook", "manual", "phdthesis", "proceedings"})


@field_check(_TITLE_FIELDS)
def _check_title(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    words = v.unprotected_words(text.text)
    if v.is_all_caps(words):
        start, end = text.span(*text.stripped())
        message = f"`{f.name}` is in capitals: write it in title or sentence case"
        add(out, ALL_CAPS_TITLE, start, end, message)
        return
    if dialect != "bibtex" or f.name_lower != "title" or kind in _BOOK_TITLE_TYPES:
        return
    for word in words:
        if v.capitals(word.text) < 2:
            continue
        start, end = text.span(word.start, word.end)
        message = (
            f"`{f.name}`: {word.text} is lower-cased by styles that do (write {{{word.text}}})"
        )
        # A word across two pieces (`{B. Other} # "A."` reads `OtherA`) has no one
        # place to put braces: no replacement (it would swallow the `} # "`).
        whole = end - start == len(word.text)
        data = {"replace": "{" + word.text + "}"} if whole else None
        add(out, UNPROTECTED_ACRONYM, start, end, message, data)


@entry_rule(UNESCAPED_SPECIAL_CHAR, Severity.WARNING)
def unescaped_special_char(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    The characters `&`, `%`, `$`, `#` and `_` in fields printed as text (titles,
    names, publishers, notes...: biblatex's literal and name fields and BibTeX's text
    fields) when they are not escaped with a backslash: `_` inside math (`$x_1$`) is
    fine, and the arguments of `\\url`, `\\href`, `\\path` and `\\doi` are skipped. A
    `$` that opens math mode and never closes it is reported too. URL, DOI, eprint,
    file and other verbatim fields, `@string` and `@preamble` are not checked, nor are
    fields that styles do not print (such as `bibsource`).

    Why it matters:
    The field is copied into the `.bbl` file as TeX: `&` is an alignment tab, `%` a
    comment that swallows the rest of the line, `#` a macro parameter, `_` and `$`
    need math mode. LaTeX stops with an error (or silently drops text) where the
    entry is cited.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {Examples & Counterexamples},
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Escape the character: `\\&`, `\\%`, `\\$`, `\\#`, `\\_`.
    """
    return findings(entry, context, UNESCAPED_SPECIAL_CHAR)


@entry_rule(ALL_CAPS_TITLE, Severity.INFORMATION)
def all_caps_title(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `title`, `booktitle`, `subtitle` or `maintitle` written in capitals (outside
    braces, at least two words of two letters or more, no lower-case letter), in
    both dialects. Journal names are not checked.

    Why it matters:
    A title copied from a catalogue or a cover in capitals is printed in capitals by
    styles that keep titles as written (biblatex's standard styles, book titles in
    BibTeX) and turned into lower case, acronyms and names included, by styles that
    lower-case titles.

    Example:
    ```bibtex
    @book{doe2020,
      author    = {Jane Doe},
      title     = {A BOOK OF EXAMPLES},
      publisher = {Example Press},
      year      = 2020,
    }
    ```

    How to fix:
    Retype the title in title case ("A Book of Examples"), with acronyms in braces.
    """
    return findings(entry, context, ALL_CAPS_TITLE)


@entry_rule(UNPROTECTED_ACRONYM, Severity.INFORMATION)
def unprotected_acronym(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    In the BibTeX dialect, a word of a `title` with two capitals or more (`NASA`,
    `LaTeX`, `McDonald`, `\\TeX`) that is not inside braces. Only `title`, and not for
    the types whose title `plain.bst` prints as written (`@book`, `@inbook`, `@manual`,
    `@phdthesis`, `@proceedings`): `plain.bst` and the many styles built on it
    lower-case `title` (`change.case$`) and nothing else, and journal names are never
    changed. Not reported with biblatex, whose standard styles keep the case of
    every field (styles that call `\\MakeSentenceCase` are the exception). The
    problem sits on the word; the quick fix puts it in braces.

    Why it matters:
    The style prints "Nasa", "Latex" or "Mcdonald", and a command such as `\\TeX`
    becomes `\\tex`, an undefined command.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {Examples from NASA},
      journal = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Put the word in braces, `{NASA}` (the quick fix does), and leave the rest of the
    title unbraced so that the style can still change its case.
    """
    return findings(entry, context, UNPROTECTED_ACRONYM)
