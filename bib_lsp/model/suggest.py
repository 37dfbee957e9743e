"""The known name a misspelt entry type or field name most likely meant (difflib and
letter swaps), and its spelling in the writer's case style."""

from __future__ import annotations

import difflib
from functools import lru_cache

from bib_lsp.model.bst import PLAIN, BibtexStyle
from bib_lsp.model.known_names import known_fields, suggested_names

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


CERTAIN_LENGTH = 4  # shorter names are one slip away from too many others


@lru_cache(maxsize=4096)
def certain(name: str, suggestion: str, dialect: str, style: BibtexStyle = PLAIN) -> bool:
    """Whether the field name ``name`` (lower-case) is surely a slip for
    ``suggestion``: it has at least ``CERTAIN_LENGTH`` letters, one slip of the
    fingers (a letter added, dropped or changed, or two neighbours swapped) turns it
    into ``suggestion``, and into no other field the dialect knows (its metadata
    fields included; in the bibtex dialect, the style's). `adress`, `jounral`,
    `yaer` are certain; `ur` (for `url`?) and `editorb` (`editor`, `editora`,
    `editorc`?) are not. A certain typo is
    worth a warning: the field is lost, and the fix is not a guess."""
    if len(name) < CERTAIN_LENGTH or not one_slip(name, suggestion):
        return False
    known = known_fields(dialect, style)
    return not any(one_slip(name, other) for other in known if other != suggestion)


def one_slip(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one slip: a letter added, dropped or
    changed, or two neighbouring letters swapped (optimal string alignment
    distance 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one letter changed
        swapped = a[i : i + 2] == b[i + 1 : i + 2] + b[i : i + 1]
        return swapped and a[i + 2 :] == b[i + 2 :]  # two neighbours swapped
    if len(a) > len(b):
        return a[i + 1 :] == b[i:]  # a letter added
    return a[i:] == b[i + 1 :]  # a letter dropped


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
