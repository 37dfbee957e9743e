"""The `bad-suppression` code: a `% bib-lsp: ignore[...]` comment naming a code that
does not exist. The Checker applies these comments and reports this code
(``rules/checker.py``); this module documents it.
"""

from __future__ import annotations

from bib_lsp.rules.registry import documented
from bib_lsp.syntax.tree import Severity

BAD = "bad-suppression"


@documented(BAD, Severity.WARNING)
def bad_suppression() -> None:
    """
    What it checks:
    A `% bib-lsp: ignore[...]` or `% bib-lsp: ignore-file[...]` comment naming a
    code that bib-lsp does not have (a typo, or a code from another tool), or a
    `code:field` where no field can be named (in `ignore-file`, or with the field
    left out).

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
