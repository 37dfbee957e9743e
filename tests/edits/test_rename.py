"""Renaming an entry key or an `@string` macro through the LSP layer
(``bib_lsp/lsp/references.py``), its workspace edit applied client-side: the
name changes at its definitions and at every use (keys in `crossref`, `xref`,
`xdata`, `related`, `entryset`; macros in values, `@string`s and `@preamble`s),
compared as BibTeX compares names (case-insensitively), and nothing else; a
new name that is taken or that BibTeX or biber reject is refused."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.features.references import NameKind, new_name_problem, target_at
from bib_lsp.lsp.references import Refused, check_rename, find_all, workspace_edit
from bib_lsp.lsp.workspace import WorkspaceFiles
from bib_lsp.model.index import BibIndex
from bib_lsp.model.keys import KEY_FIELDS
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import entry_view
from bib_lsp.text import PositionEncoding
from tests.edits.apply import apply_edits
from tests.edits.strategies import KEYS, MACROS, documents, examples
from tests.meaning import Thing, meaning

URI = "file:///t.bib"
NEW_NAMES = [
    *KEYS, *MACROS, "renamed", "Renamed2", "neu:2024", "with space", "a,b", "{x}", "1abc",
    "ü-name", "x😀", "",
]  # fmt: skip


def places(text: str) -> list[int]:
    """Offsets inside a key, a key in a reference field, a macro's name or use."""
    out = []
    for start, block in parse(text):
        entry = entry_view(block, start)
        if entry is None:
            continue
        if entry.key_span is not None:
            out.append(entry.key_span.start)
        values = [f.value for f in entry.fields]
        for f in entry.fields:
            if entry.kind is K.STRING:
                out.append(f.name_span.start)
            if f.name_lower in KEY_FIELDS and f.value is not None:
                out += [p.span.start + 1 for p in f.value.pieces if len(p.text) > 2]
        for value in [*values, entry.preamble]:
            out += [p.span.start for p in (value.pieces if value else ()) if p.kind is K.MACRO]
    return out


def _renamed_list(text: str, old: str, new: str) -> str:
    """A list of keys (a piece's content) with ``old`` renamed, spacing kept."""
    parts = text.split(",")
    out = []
    for part in parts:
        if part.strip().lower() == old.lower() and part.strip():
            lead = part[: len(part) - len(part.lstrip())]
            out.append(lead + new + part[len(lead) + len(part.strip()) :])
        else:
            out.append(part)
    return ",".join(out)


def expected(before: list[Any], kind: NameKind, old: str, new: str) -> list[Any]:
    out = []
    low = old.lower()
    for thing in before:
        if not isinstance(thing, Thing):
            out.append(thing)
            continue
        if kind is NameKind.KEY:
            key = new if thing.kind == "entry" and (thing.key or "").lower() == low else thing.key
            fields = tuple(
                (
                    name,
                    tuple(
                        (k, _renamed_list(t, old, new))
                        if name in KEY_FIELDS and k == "s"
                        else (k, t)
                        for k, t in pieces
                    ),
                )
                for name, pieces in thing.fields
            )
            out.append(replace(thing, key=key, fields=fields, broken=None))
            continue

        def piece(k: str, t: str) -> tuple[str, str]:
            return (k, new.lower()) if k == "m" and t == low else (k, t)

        fields = tuple(
            (
                new.lower() if thing.kind == "string" and name == low else name,
                tuple(piece(k, t) for k, t in pieces),
            )
            for name, pieces in thing.fields
        )
        preamble = tuple(piece(k, t) for k, t in thing.preamble)
        out.append(replace(thing, fields=fields, preamble=preamble, broken=None))
    return out


def _unbroken(things: list[Any]) -> list[Any]:
    return [replace(t, broken=None) if isinstance(t, Thing) else t for t in things]


def rename(text: str, offset: int, new: str, encoding: PositionEncoding) -> str | None:
    """The text after renaming what is at ``offset`` to ``new`` (None: refused)."""
    doc = Document(text)
    found = target_at(doc, offset)
    assert found is not None, offset
    documents = {URI: (doc, BibIndex(doc))}

    async def go() -> Any:
        check_rename(found, new, documents, WorkspaceFiles())
        everything = await find_all(found, documents, [])
        return workspace_edit(everything, new, documents, encoding, False)

    try:
        edit = asyncio.run(go())
    except Refused:
        return None
    assert edit.changes is not None and list(edit.changes) == [URI]
    return apply_edits(text, edit.changes[URI], encoding.value)


@settings(max_examples=examples(400, 3000), deadline=None)
@given(documents, st.sampled_from(NEW_NAMES), st.sampled_from(list(PositionEncoding)), st.data())
@example(
    "@string{acm = {A}}\n@misc{a, crossref = {b}, note = acm # {x}}\n@misc{B, related = { b ,a}}",
    "renamed",
    PositionEncoding.UTF16,
    None,
)
@example(
    "@misc{a, crossref={knuth84}}\n@misc{knuth84, crossref={kn\n@uth84}}\n",
    "x",
    PositionEncoding.UTF8,
    None,
)  # `{kn` read as `k`
def test_rename_changes_the_name_everywhere_and_nothing_else(
    text: str, new: str, encoding: PositionEncoding, data: st.DataObject | None
) -> None:
    candidates = places(text)
    assume(candidates)
    offset = data.draw(st.sampled_from(candidates)) if data else candidates[-1]
    doc = Document(text)
    found = target_at(doc, offset)
    assume(found is not None)
    assert found is not None
    index = BibIndex(doc)
    names = index.keys if found.kind is NameKind.KEY else index.strings
    taken = new.lower() != found.name.lower() and new.lower() in names
    after = rename(text, offset, new, encoding)
    if new_name_problem(found.kind, new) is not None or taken:
        assert after is None  # refused: a name BibTeX rejects, or one already in use
        event(f"refused {found.kind.value}")
        return
    event(f"renamed {found.kind.value}")
    assert after is not None
    assert _unbroken(meaning(after)) == expected(meaning(text), found.kind, found.name, new)


def test_renaming_to_a_taken_name_is_refused() -> None:
    text = "@misc{a, crossref = {b}}\n@misc{b, note = acm}\n@string{acm = {A}}\n@string{ieee = {I}}"
    assert rename(text, text.index("b,"), "A", PositionEncoding.UTF16) is None
    assert rename(text, text.index("acm}"), "IEEE", PositionEncoding.UTF16) is None
    # A change of case only is a rename.
    assert rename(text, text.index("b,"), "B", PositionEncoding.UTF16) == text.replace(
        "{b}", "{B}"
    ).replace("{b,", "{B,")


@pytest.mark.parametrize("bad", ["with space", "a,b", "", "{x}"])
def test_renaming_to_a_bad_key_is_refused(bad: str) -> None:
    assert rename("@misc{a}", 6, bad, PositionEncoding.UTF16) is None
