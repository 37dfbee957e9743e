"""Silencing findings in the file itself, with comments:

- ``% bib-lsp: ignore[code, ...]`` on the line just before an entry silences those
  codes in that entry; on the line just before a field, in that field;
- ``% bib-lsp: ignore-file[code, ...]`` anywhere silences them in the whole file.

A code these comments name that does not exist is reported (``bad-suppression``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bib_lsp.model.comments import Suppression, suppressions
from bib_lsp.rules.registry import RULES, documented
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.codes import NOT_UTF8, SYNTAX_CODES
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry

BAD = "bad-suppression"


@cache
def known_codes() -> frozenset[str]:
    return frozenset(RULES) | {doc.code for doc in SYNTAX_CODES} | {NOT_UTF8}


def apply(
    found: list[Problem], block: Block, previous: Block | None, entry: Entry | None
) -> list[Problem]:
    """The block's findings with its suppressions applied, and its comments'
    unknown codes reported."""
    own = suppressions(block)
    before = [s for s in suppressions(previous) if not s.whole_file] if previous else []
    if not own and not before:
        return found
    out = found
    if entry is not None and before:
        last = before[-1]
        rest = previous.text[last.line_end :] if previous is not None else "\n"
        if last.alone and not rest.strip(" \t"):  # the entry's line may be indented
            silenced = {c for c, _, _ in last.codes}
            out = [p for p in out if p.code not in silenced]
    if entry is not None:
        for s in own:
            if s.whole_file or not s.alone:
                continue
            field = next((f for f in entry.fields if f.span.start >= s.line_end), None)
            if field is None or block.text[s.line_end : field.span.start].strip(" \t"):
                continue  # not on the line directly above a field
            silenced = {c for c, _, _ in s.codes}
            span = field.span
            out = [p for p in out if not (p.code in silenced and span.start <= p.start < span.end)]
    bad = list(_unknown(own))
    return out + bad if bad else out


def _unknown(own: Iterable[Suppression]) -> Iterable[Problem]:
    known = known_codes()
    severity = RULES[BAD].doc.severity
    for s in own:
        for code, start, end in s.codes:
            if code not in known:
                message = f"`{code}` is not a bib-lsp code: this comment silences nothing"
                yield Problem(start, end, BAD, message, severity)


@documented(BAD, Severity.WARNING)
def bad_suppression() -> None:
    """
    What it checks:
    A `% bib-lsp: ignore[...]` or `% bib-lsp: ignore-file[...]` comment naming a
    code that bib-lsp does not have (a typo, or a code from another tool).

    Why it matters:
    The comment silences nothing, so the finding it was meant for stays, and the
    comment misleads the next reader.

    Example:
    ```bibtex
    % bib-lsp: ignore[missing-required-fields]
    @article{doe2020, author = {Jane Doe}, title = {T}, year = 2020}
    ```

    How to fix:
    Use the code as the diagnostic shows it (here `missing-required-field`); the
    codes are listed in `docs/rules/`.
    """
