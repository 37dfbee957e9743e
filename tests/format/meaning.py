"""What a `.bib` text means, for checking that formatting does not change it:
entries (type, key, fields and values, names case-folded as BibTeX reads them,
white space in values collapsed), `@string`s and `@preamble`s, `@comment`s,
comments inside entries, free text between entries, and broken entries byte for
byte. Options that change values on purpose (dashes in pages, double braces)
are applied to both sides."""

from __future__ import annotations

import re
from typing import Any

from bib_lsp.formatting import FormatOptions
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import WHITESPACE_RE
from bib_lsp.syntax.tree import Node
from bib_lsp.syntax.views import entry_view

_PAGES = re.compile(r"(?<=[0-9A-Za-z])\s*(?:-|\u2013|--)\s*(?=[0-9A-Za-z])")


def _value(kind: K, text: str, field: str, options: FormatOptions) -> tuple[str, str]:
    if kind is K.NUMBER:
        return ("n", text)
    if kind is K.MACRO:
        return ("m", text.lower())
    content = text[1:-1]
    while options.strip_double_braces and _wrapped_in_braces(content):
        content = content[1:-1]
    if options.page_dashes and field in ("pages", "pagetotal"):
        content = _PAGES.sub("--", content)
    return ("s", WHITESPACE_RE.sub(" ", content).strip(" "))


def _wrapped_in_braces(text: str) -> bool:
    """`{...}` around all of it, not starting with a command."""
    if not (text.startswith("{") and text.endswith("}")) or text.startswith("{\\"):
        return False
    depth = 0
    for i, c in enumerate(text):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _comments(block_node: Node, text: str) -> list[str]:
    """The text of the comments inside a block (between fields, in values)."""
    return list(text[s:e].strip() for kind, s, e in block_node.tokens() if kind is K.COMMENT)


def meaning(text: str, options: FormatOptions) -> dict[str, Any]:
    heads: list[Any] = []  # @string, @preamble, @comment, in order
    entries: list[Any] = []
    free: list[str] = []
    broken: list[str] = []
    problems = False
    for _, block in parse(text):
        problems = problems or bool(block.problems)
        if block.kind is K.JUNK_BLOCK:
            core = "\n".join(line.rstrip() for line in block.text.strip().split("\n"))
            if core:
                free.append(core)
            continue
        if block.problems or block.kind is K.COMMENT_ENTRY:
            broken.append(block.text.rstrip())  # what follows it is not part of it
            continue
        view = entry_view(block, 0)
        assert view is not None
        fields = tuple(
            (
                f.name_lower,
                tuple(
                    _value(p.kind, p.text, f.name_lower, options)
                    for p in (f.value.pieces if f.value else ())
                ),
            )
            for f in view.fields
        )
        if options.sort_fields != "off":
            fields = tuple(sorted(fields))
        preamble = (
            tuple(_value(p.kind, p.text, "", options) for p in view.preamble.pieces)
            if view.preamble
            else ()
        )
        item = (
            view.kind.name,
            view.type_lower,
            view.key,
            fields,
            preamble,
            tuple(_comments(block.node, block.text)),
        )
        (entries if view.kind is K.ENTRY else heads).append(item)
    if options.sort_entries != "off" and not problems:  # a broken file is not sorted
        entries.sort(key=repr)
        free.sort()
        broken.sort()
    return {"heads": heads, "entries": entries, "free": free, "broken": broken}
