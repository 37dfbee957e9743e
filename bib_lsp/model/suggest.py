"""The known name a misspelt entry type or field name most likely meant (difflib and
letter swaps), and its spelling in the writer's case style."""

from __future__ import annotations

import difflib
from functools import lru_cache

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.known_names import suggested_names

_SIMILAR = 0.8  # difflib ratio from which a known name is suggested
_CLOSER = 0.85  # ... when it is two letters longer or shorter


@lru_cache(maxsize=4096)
def suggest(name: str, dialect: str, types: bool, style: BibtexStyle = PLAIN) -> str | None:
    """The known name nearest to ``name`` (lower-case), if it is close enough (once per
    name: a large file repeats its few unknown names many times); in the bibtex
    dialect, among the style's names."""
    candidates = suggested_names(dialect, types, style)
    anagram = _anagrams(candidates).get("".join(sorted(name)))
    if anagram is not None:
        return anagram  # letters swapped: `yaer`, `isnb`, `ulr`
    for found in difflib.get_close_matches(name, candidates, n=3, cutoff=_SIMILAR):
        # A known name inside a longer one is a name of its own (`subseries`,
        # `inarticle`), and a slip of the fingers rarely adds or drops more than a
        # letter or two (`xmldata` is not `xdata`).
        extra = len(name) - len(found)
        if found in name and extra >= 2:
            continue
        if abs(extra) <= 1 or (
            abs(extra) == 2 and difflib.SequenceMatcher(None, name, found).ratio() >= _CLOSER
        ):
            return found
    return None


@lru_cache(maxsize=32)
def _anagrams(names: tuple[str, ...]) -> dict[str, str]:
    return {"".join(sorted(n)): n for n in sorted(names, reverse=True)}


def same_case(written: str, suggestion: str) -> str:
    """``suggestion`` in the case style of ``written`` (TITLE, Title or title)."""
    if written.isupper():
        return suggestion.upper()
    if written[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion
