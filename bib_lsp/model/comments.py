"""Comments addressed to bib-lsp: ``% bib-lsp: ignore[code, ...]`` and
``% bib-lsp: ignore-file[code, ...]`` (see ``rules/checker.py`` for what
they do)."""

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
    codes: tuple[tuple[str, int, int], ...]  # (code, start, end) in the block
    line_end: int  # the block offset just after the comment's line break
    alone: bool  # nothing but the comment on its line


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
        out.append(Suppression(m.group(1) == "ignore-file", codes, line_break + 1, alone))
    return out


def file_ignores(block: Block) -> list[str]:
    """The codes a block's ``ignore-file`` comments silence."""
    return [c for s in suppressions(block) if s.whole_file for c, _, _ in s.codes]
