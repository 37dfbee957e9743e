"""Text edits: replacements of code-point spans, applied together, and the minimal
edit between two texts (quick fixes and formatting hand out the least they change,
so an editor keeps its cursor and undo history)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` (code points) with ``text``."""

    start: int
    end: int
    text: str


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text after non-overlapping ``edits`` (insertions at one place keep their
    order)."""
    out = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


def trimmed(start: int, old: str, new: str) -> Edit:
    """The edit turning ``old`` (at ``start``) into ``new``, the ends they share
    left out, but never ending between the `\r` and `\n` of a line break of
    ``old``: LSP positions cannot point there."""
    prefix = shared_start(old, new)
    suffix = shared_end(old, new, min(len(old), len(new)) - prefix)
    if 0 < prefix < len(old) and old[prefix - 1 : prefix + 1] == "\r\n":
        prefix -= 1
    end = len(old) - suffix
    if 0 < end < len(old) and old[end - 1 : end + 1] == "\r\n":
        suffix -= 1
    return Edit(start + prefix, start + len(old) - suffix, new[prefix : len(new) - suffix])


def shared_start(a: str, b: str) -> int:
    """The length of the longest common prefix (compared a chunk at a time)."""
    n = min(len(a), len(b))
    i = 0
    while i + _CHUNK <= n and a[i : i + _CHUNK] == b[i : i + _CHUNK]:
        i += _CHUNK
    while i < n and a[i] == b[i]:
        i += 1
    return i


def shared_end(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix, at most ``limit``."""
    n = min(len(a), len(b), limit)
    la, lb = len(a), len(b)
    i = 0
    while i + _CHUNK <= n and a[la - i - _CHUNK : la - i] == b[lb - i - _CHUNK : lb - i]:
        i += _CHUNK
    while i < n and a[la - 1 - i] == b[lb - 1 - i]:
        i += 1
    return i
