"""Rules on `pages`: what is not a page or a range, and ranges with a hyphen."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.model import values as v
from bib_lsp.rules.context import Context
from bib_lsp.rules.registry import entry_rule
from bib_lsp.rules.value_pass import Findings, add, field_check, findings, literal_text, shown
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, Field

BAD_PAGES = "bad-pages"
PAGE_RANGE_HYPHEN = "page-range-hyphen"


@field_check(["pages"])
def _check_pages(f: Field, dialect: str, out: Findings, kind: str) -> None:
    text = literal_text(f)
    if text is None:
        return
    for problem in v.check_pages(text.text):
        start, end = text.span(problem.start, problem.end)
        if problem.kind == "hyphen":
            if dialect == "bibtex":
                message = f"`{f.name}`: a range takes `--` (an en dash), not `-`"
                add(out, PAGE_RANGE_HYPHEN, start, end, message, {"replace": "--"})
            continue
        part = text.text[problem.start : problem.end]
        message = f"`{f.name}` has {shown(part)!r}, which is not a page or page range"
        if part.lower().startswith(("pp", "p.")):
            message = f"`{f.name}` {shown(part)} starts with `pp.`: styles add it themselves"
        add(out, BAD_PAGES, start, end, message)


@entry_rule(BAD_PAGES, Severity.WARNING)
def bad_pages(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A `pages` value with a part that is not a page or a page range. Accepted: a page
    (`12`, `xiv`, `e123`, `S12`, `4:1`), a range (`12--19`, `12-19`, `12` en dash `19`), an
    open range (`12+`, `12ff.`), unknown pages (`??`), lists of these joined by
    commas, and page counts such as `xvi + 542`; remarks in parentheses are ignored,
    and values with TeX commands are not checked. A value starting with `pp.` gets
    its own message.

    Why it matters:
    Styles print the value after "pp." and biblatex parses it as a range: `pp. 12`
    comes out as "pp. pp. 12", a word as "pp. various".

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      pages   = {pp. 12--19},
    }
    ```

    How to fix:
    Keep only the pages (`12--19`); put remarks in `note`, and a book's page count in
    biblatex's `pagetotal`.
    """
    return findings(entry, context, BAD_PAGES)


@entry_rule(PAGE_RANGE_HYPHEN, Severity.INFORMATION)
def page_range_hyphen(entry: Entry, context: Context) -> Iterable[Problem]:
    """
    What it checks:
    A page range written with a single hyphen, `12-19`, in the BibTeX dialect. The
    problem sits on the hyphen; the quick fix makes it `--`. Not reported with
    biblatex, which parses ranges and prints its own range dash whatever was written.

    Why it matters:
    TeX prints `-` as a hyphen, and a range takes an en dash (`--`). `plain.bst` and
    styles derived from it (`n.dashify`) double a single hyphen themselves, but many
    styles print the field as it is, and the file is consistent with `--` everywhere.

    Example:
    ```bibtex
    @article{doe2020,
      author  = {Jane Doe},
      title   = {On Examples},
      journal = {Journal of Examples},
      year    = 2020,
      pages   = {12-19},
    }
    ```

    How to fix:
    Write `12--19` (the quick fix does).
    """
    return findings(entry, context, PAGE_RANGE_HYPHEN)
