"""Workspace symbols over open documents and the other files' summaries."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.features.workspace_symbols import find_symbols, rank
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import EntryDef, MacroDef, summarise_text

OPEN = "@string{knuthpress = {AW}}\n@book{Knuth84, title = {The {\\TeX}book}}\n@misc{aknuth}\n"
DISK = "@misc{knuth86, title = {Fonts}}\n@misc{other, title = {On Knuth}}\n@string{KNU = {k}}\n"


def names(hits: list[object]) -> list[str]:
    out = []
    for hit in hits:
        item = hit.item  # type: ignore[attr-defined]
        out.append(item.key if isinstance(item, EntryDef) else item.name)
    return out


def test_keys_starting_with_the_query_first_then_containing_it_then_titles() -> None:
    doc = Document(OPEN, uri="file:///w/open.bib")
    summary = summarise_text("/w/disk.bib", DISK)
    hits = find_symbols("KNU", [("file:///w/open.bib", doc, BibIndex(doc))], [summary])
    assert names(hits) == ["Knuth84", "knuthpress", "knuth86", "KNU", "aknuth", "other"]
    first = hits[0]
    assert first.open and first.where == "file:///w/open.bib"
    assert isinstance(first.item, EntryDef)
    assert (first.item.line, first.item.lead, first.item.title) == (1, "@book{", "The \\TeXbook")
    macro = hits[1].item
    assert isinstance(macro, MacroDef) and (macro.line, macro.lead, macro.text) == (
        0,
        "@string{",
        "{AW}",
    )
    assert not hits[2].open and hits[2].where == "/w/disk.bib"
    assert names(find_symbols("knu", [], [summary], limit=2)) == ["knuth86", "KNU"]
    assert len(find_symbols("", [], [summary])) == 3


def test_rank() -> None:
    assert [rank("ab", "abc"), rank("ab", "cab"), rank("ab", "x", "Abba"), rank("ab", "x")] == [
        0,
        1,
        2,
        None,
    ]
    assert rank("", "x", "") == 0
