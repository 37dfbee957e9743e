"""Comments addressed to bib-lsp (see ``rules/checker.py`` for what they do):

- ``% bib-lsp: ignore[code, ...]`` on the line(s) just before an entry, or just
  before a field inside it;
- ``% bib-lsp: ignore[code:field, ...]`` before an entry: that code in that field
  of the entry only. Outside the entry, so BibTeX, which has no comments inside an
  entry, reads the entry as it is (a `%` line inside one makes BibTeX 0.99 skip the
  rest of the entry);
- ``% bib-lsp: ignore-file[code, ...]`` anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bib_lsp.syntax.block import Block

MARK = "bib-lsp:"
_COMMENT = re.compile(r"%[ \t]*bib-lsp:[ \t]*(ignore-file|ignore)\[([^\]\n]*)\]")
_CODE = re.compile(r"[^,\s]+")


@dataclass(frozen=True, slots=True)
class Suppression:
    whole_file: bool
    codes: tuple[tuple[str, int, int], ...]  # (code or code:field, start, end) in the block
    line_end: int  # the block offset just after the comment's line break
    alone: bool  # nothing but the comment on its line
    line_start: int = 0  # the block offset where the comment's line starts
    close: int = 0  # the block offset of the comment's `]`


def split_code(written: str) -> tuple[str, str | None]:
    """``code`` or ``code:field`` as (code, lower-case field or None)."""
    code, colon, field = written.partition(":")
    return (code, field.lower()) if colon else (code, None)


def suppressions(block: Block) -> list[Suppression]:
    """The suppression comments in a block (cached)."""
    if MARK not in block.text:
        return []
    return block.cached("suppressions", _read)


def _read(block: Block) -> list[Suppression]:
    text = block.text
    out = []
    for m in _COMMENT.finditer(text):
        codes = tuple(
            (c.group(), m.start(2) + c.start(), m.start(2) + c.end())
            for c in _CODE.finditer(m.group(2))
        )
        line_start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
        breaks = [i for i in (text.find("\n", m.end()), text.find("\r", m.end())) if i >= 0]
        line_break = min(breaks) if breaks else len(text)
        if text[line_break : line_break + 2] == "\r\n":
            line_break += 1
        alone = not text[line_start : m.start()].strip() and not text[m.end() : line_break].strip()
        whole = m.group(1) == "ignore-file"
        out.append(Suppression(whole, codes, line_break + 1, alone, line_start, m.end() - 1))
    return out


def before_entry(previous: Block) -> list[Suppression]:
    """The ``ignore[...]`` comments that apply to the block after ``previous``: each
    alone on its line, on the lines directly above that block's line (no other
    line between them; the block's own line may be indented), in text order."""
    found = [s for s in suppressions(previous) if not s.whole_file]
    if not found:
        return []
    text = previous.text
    out: list[Suppression] = []
    end = len(text)
    for s in reversed(found):
        if not s.alone or s.line_end > end or text[s.line_end : end].strip(" \t"):
            break
        out.append(s)
        end = s.line_start
    out.reverse()
    return out


def file_ignores(block: Block) -> list[str]:
    """The codes a block's ``ignore-file`` comments silence (a code naming a field
    is not one: fields are named only before an entry)."""
    return [c for s in suppressions(block) if s.whole_file for c, _, _ in s.codes if ":" not in c]
