"""What a `.bib` text means, block by block, so that two texts can be compared
modulo layout: as the library parses them (``bib_lsp.syntax``), each block is

- an entry, `@string` or `@preamble`: ``Thing(kind, type, key, fields, preamble,
  comments, broken)`` with the type and field names lower-cased (BibTeX ignores
  their case), the key as written, each value as its pieces (``("s", text)`` for
  a braced or quoted string, without its delimiters: braces and quotes mean the
  same; ``("n", digits)``; ``("m", macro)`` lower-cased, kept as written, not
  resolved), the `%` comments inside it, and for an entry the parser found a
  problem in, its text verbatim (trailing blanks aside);
- an `@comment`: ``("comment", its text)``;
- free text that is not only blanks: ``("text", its words)``.

``loose=True`` collapses white space inside values and free text (BibTeX reads
any run of blanks and line breaks as one space), for formatting.

``kept_by_formatting`` is the view the formatting tests compare: stricter where
formatting keeps bytes (free text line by line, `@comment`s and broken blocks
verbatim), looser where its options change values or order on purpose."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bib_lsp.formatting import FormatOptions
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import WHITESPACE_RE
from bib_lsp.syntax.tree import Node
from bib_lsp.syntax.views import entry_view

Pieces = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Thing:
    kind: str  # "entry", "string", "preamble"
    type: str
    key: str | None
    fields: tuple[tuple[str, Pieces], ...]
    preamble: Pieces
    comments: tuple[str, ...]
    broken: str | None = None  # the text, when the parser found a problem

    def without(self, index: int) -> Thing:
        return replace(self, fields=self.fields[:index] + self.fields[index + 1 :])


Meaning = Any  # Thing | tuple[str, str]


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    meaning: Meaning | None  # None: blanks only


def _pieces(
    value: Any, loose: bool, field: str = "", options: FormatOptions | None = None
) -> Pieces:
    """The value's pieces; with ``options``, strings as those options change them."""
    out = []
    for p in value.pieces if value is not None else ():
        if p.kind is K.NUMBER:
            out.append(("n", p.text))
        elif p.kind is K.MACRO:
            out.append(("m", p.text.lower()))
        else:
            text = p.content if options is None else _as_formatted(p.content, field, options)
            out.append(("s", WHITESPACE_RE.sub(" ", text).strip(" ") if loose else text))
    return tuple(out)


_PAGES = re.compile(r"(?<=[0-9A-Za-z])\s*(?:-|\u2013|--)\s*(?=[0-9A-Za-z])")


def _as_formatted(content: str, field: str, options: FormatOptions) -> str:
    """A string's content as the options change it on purpose (double braces,
    dashes in pages)."""
    while options.strip_double_braces and _wrapped_in_braces(content):
        content = content[1:-1]
    if options.page_dashes and field in ("pages", "pagetotal"):
        content = _PAGES.sub("--", content)
    return content


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


def _comments(node: Node, text: str) -> tuple[str, ...]:
    """The text of the comments inside a block (between fields, in values)."""
    return tuple(text[s:e].strip() for kind, s, e in node.tokens() if kind is K.COMMENT)


def located(text: str, loose: bool = False) -> list[Located]:
    """Each block of ``text`` with its span and meaning."""
    out = []
    for start, block in parse(text):
        end = start + len(block.text)
        if block.kind is K.JUNK_BLOCK:
            words = block.text.split()
            core = " ".join(words) if loose else block.text.strip()
            out.append(Located(start, end, ("text", core) if words else None))
            continue
        if block.kind is K.COMMENT_ENTRY:
            body = re.sub(r"^@\s*comment", "@comment", block.text.rstrip(), flags=re.IGNORECASE)
            out.append(Located(start, end, ("comment", body)))  # the type's case aside
            continue
        view = entry_view(block, 0)
        assert view is not None
        kind = {K.ENTRY: "entry", K.STRING: "string", K.PREAMBLE: "preamble"}[view.kind]
        thing = Thing(
            kind,
            view.type_lower,
            view.key,
            tuple((f.name_lower, _pieces(f.value, loose)) for f in view.fields),
            _pieces(view.preamble, loose),
            _comments(block.node, block.text),
            block.text.rstrip() if block.problems else None,
        )
        out.append(Located(start, end, thing))
    return out


def meaning(text: str, loose: bool = False) -> list[Meaning]:
    """The meanings of the blocks of ``text`` that are not only blanks, in order."""
    return [b.meaning for b in located(text, loose) if b.meaning is not None]


def broken_texts(text: str) -> list[str]:
    """The text of each `@` block the parser found a problem in."""
    return [
        block.text.rstrip()
        for _, block in parse(text)
        if block.problems and block.kind is not K.JUNK_BLOCK
    ]


def kept_by_formatting(text: str, options: FormatOptions) -> dict[str, Any]:
    """What formatting ``text`` with ``options`` must keep: the `@string`s and
    `@preamble`s in order ("heads"), the entries ("entries", as tuples of kind,
    type, key, fields, preamble and comments, values as the options change them,
    fields sorted when they sort them), free text ("free", each line without its
    trailing blanks), and `@comment`s and broken blocks ("broken", verbatim);
    entries, free text and broken blocks as sets when the options sort entries
    (a file with syntax errors is not sorted)."""
    heads: list[Any] = []
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
            (f.name_lower, _pieces(f.value, True, f.name_lower, options)) for f in view.fields
        )
        if options.sort_fields != "off":
            fields = tuple(sorted(fields))
        preamble = _pieces(view.preamble, True, "", options)
        comments = _comments(block.node, block.text)
        item = (view.kind.name, view.type_lower, view.key, fields, preamble, comments)
        (entries if view.kind is K.ENTRY else heads).append(item)
    if options.sort_entries != "off" and not problems:
        entries.sort(key=repr)
        free.sort()
        broken.sort()
    return {"heads": heads, "entries": entries, "free": free, "broken": broken}
