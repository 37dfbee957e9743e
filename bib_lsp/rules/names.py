"""Rules on name lists (`author`, `editor` and the other name fields)."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.model import text_values as v
from bib_lsp.model.requirements import BIBLATEX_FIELD_TYPES
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import entry_rule
from bib_lsp.rules.value_pass import Findings, add, field_check, findings, literal_text
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field

BAD_NAME_LIST = "bad-name-list"


_NAME_FIELDS = frozenset(name for name, kind in BIBLATEX_FIELD_TYPES.items() if kind == "name")


@field_check(_NAME_FIELDS)
def _check_names(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    for problem in v.check_name_list(text.text):
        start, end = text.span(problem.start, problem.end)
        message = f"`{f.name}` {problem.message}"
        if problem.kind == "empty-name" and dialect == "biblatex":
            message += ": an empty name, for which biber skips the whole entry"
        data = {"remove": "comma"} if problem.kind == "trailing-comma" else None
        add(out, BAD_NAME_LIST, start, end, message, data)


@entry_rule(BAD_NAME_LIST, Severity.WARNING)
def bad_name_list(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    Name lists (`author`, `editor`, `translator` and the other name fields of
    biblatex's data model, in both dialects) as BibTeX splits them at `and` outside
    braces: a list that starts or ends with `and`, `and and` (an empty name), a
    name ending with a comma (`Schechter, Harold, and Kurt Brown`), and a name with
    more than two commas, which is usually a list separated by commas instead of
    `and`.

    Why it matters:
    BibTeX stops with "Too many commas in name" or "has a comma at the end", and an
    empty name prints as a stray separator ("Doe and"); biber skips an entry with
    an empty name altogether ("Name ... is empty") and removes a trailing comma
    with a warning. With commas instead of `and`, several people become one name
    with a garbled first name.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Doe, Jane, Roe, Richard},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
    }
    ```

    How to fix:
    Separate the names with `and` (`Doe, Jane and Roe, Richard`), remove the extra
    `and` or the comma at a name's end (the quick fix does that); protect a comma
    that belongs to a name with braces (`{Doe, Inc.}`).
    """
    return findings(entry, context, BAD_NAME_LIST)
