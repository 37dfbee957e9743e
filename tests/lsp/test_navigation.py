"""Navigation and structure requests.

In process: the JSON built from per-block parts cached on the blocks (with
lines counted from each block and re-based) equals a direct conversion of the
features' results, after any sequence of edits, in UTF-8 and UTF-16.

End to end, through pytest-lsp in both client profiles: every request, with
non-ASCII text before the positions, CRLF line breaks and broken entries.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from bib_lsp.document import Document
from bib_lsp.features.folding import document_folds
from bib_lsp.features.links import document_links
from bib_lsp.features.semantic import block_tokens
from bib_lsp.features.symbols import Symbol, document_symbols
from bib_lsp.lsp import navigation, semantic
from bib_lsp.lsp.navigation import FoldingClient
from bib_lsp.text import PositionEncoding
from tests.document.strategies import SMALL_FRAGMENTS, edits, small_texts
from tests.lsp.conftest import PROFILES, Session, start

ENCODINGS = [PositionEncoding.UTF16, PositionEncoding.UTF8]

# -- in process -----------------------------------------------------------------------


def loads(pieces: list[bytes]) -> Any:
    return json.loads(b"".join(pieces))


def position(doc: Document, offset: int, encoding: PositionEncoding) -> dict[str, int]:
    p = doc.position(offset, encoding)
    return {"line": p.line, "character": p.character}


def a_range(doc: Document, start: int, end: int, encoding: PositionEncoding) -> dict[str, Any]:
    return {"start": position(doc, start, encoding), "end": position(doc, end, encoding)}


def expected_symbol(doc: Document, s: Symbol, encoding: PositionEncoding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": s.name,
        "kind": int(navigation.SYMBOL_KINDS[s.kind]),
        "range": a_range(doc, s.start, s.end, encoding),
        "selectionRange": a_range(doc, s.selection_start, s.selection_end, encoding),
    }
    if s.detail:
        out["detail"] = s.detail
    if s.children:
        out["children"] = [expected_symbol(doc, c, encoding) for c in s.children]
    return out


def expected_tokens(doc: Document, encoding: PositionEncoding) -> list[tuple[int, ...]]:
    """(line, character, length, type, modifiers) of every token, absolute."""
    out = []
    for begin, block in doc.blocks():
        found = block_tokens(block)
        for i in range(0, len(found), 4):
            at = begin + found[i]
            a = doc.position(at, encoding)
            b = doc.position(at + found[i + 1], encoding)
            out.append((a.line, a.character, b.character - a.character, *found[i + 2 : i + 4]))
    return out


def decoded(data: list[int]) -> list[tuple[int, ...]]:
    out, line, character = [], 0, 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, modifiers = data[i : i + 5]
        line += delta_line
        character = character + delta_start if delta_line == 0 else delta_start
        out.append((line, character, length, kind, modifiers))
    return out


def check_everything(doc: Document) -> None:
    for encoding in ENCODINGS:
        symbols = loads(navigation.document_symbols(doc, encoding))
        assert symbols == [expected_symbol(doc, s, encoding) for s in document_symbols(doc)]
        links = loads(navigation.document_links(doc, encoding))
        assert links == [
            {
                "range": a_range(doc, x.start, x.end, encoding),
                "target": x.target,
                "tooltip": x.tooltip,
            }
            for x in document_links(doc)
        ]
        untitled = loads(navigation.document_links(doc, encoding, tooltips=False))
        assert untitled == [{k: v for k, v in x.items() if k != "tooltip"} for x in links]
        folds = loads(navigation.folding_ranges(doc, encoding, FoldingClient()))
        expected = []
        for f in document_folds(doc):
            a, b = position(doc, f.start, encoding), position(doc, f.end, encoding)
            if b["line"] > a["line"]:
                expected.append(
                    {
                        "startLine": a["line"],
                        "endLine": b["line"],
                        "kind": f.kind.value,
                        "startCharacter": a["character"],
                        "endCharacter": b["character"],
                    }
                )
        assert folds == expected
        tokens = loads(semantic.semantic_tokens(doc, encoding))["data"]
        assert decoded(tokens) == expected_tokens(doc, encoding)


MORE = [*SMALL_FRAGMENTS, "@misc{Ü, doi = {10.1/ü},\n  note = {a\n b\n c}}", "% a\n% b\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MORE), max_size=12).map("".join), st.data())
def test_cached_parts_equal_a_direct_conversion_after_edits(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    check_everything(doc)
    for _ in range(data.draw(st.integers(1, 4))):
        start, end, new = data.draw(edits(doc.length))
        doc.edit(start, end, new)
        check_everything(doc)


@settings(max_examples=60, deadline=None)
@given(small_texts, st.integers(0, 5), st.integers(0, 5))
def test_tokens_of_a_range_are_those_of_the_blocks_it_touches(
    text: str, first: int, count: int
) -> None:
    doc = Document(text)
    start = doc.position(min(first * 7, doc.length))
    end = doc.position(min(first * 7 + count * 11, doc.length))
    within = lsp.Range(lsp.Position(start.line, 0), lsp.Position(end.line, end.character))
    full = decoded(loads(semantic.semantic_tokens(doc, PositionEncoding.UTF16))["data"])
    part = decoded(loads(semantic.semantic_tokens(doc, PositionEncoding.UTF16, within))["data"])
    assert set(part) <= set(full)
    inside = [t for t in full if (start.line, 0) <= t[:2] and t[:2] < (end.line, end.character)]
    assert set(inside) <= set(part)


def test_line_only_folding_with_collapsed_text_and_a_limit() -> None:
    text = "@book{k,\n  title = {T},\n  abstract = {a\n  b\n  c\n  }\n}\n% x\n% y\n"
    doc = Document(text)
    client = FoldingClient(line_folding_only=True, collapsed_text=True)
    assert loads(navigation.folding_ranges(doc, PositionEncoding.UTF16, client)) == [
        {"startLine": 0, "endLine": 5, "kind": "region", "collapsedText": "@book{k, …"},
        {"startLine": 2, "endLine": 4, "kind": "region", "collapsedText": "abstract = {a b c}"},
        {"startLine": 7, "endLine": 8, "kind": "comment", "collapsedText": "% x …"},
    ]
    limited = FoldingClient(line_folding_only=True, range_limit=2)
    found = loads(navigation.folding_ranges(doc, PositionEncoding.UTF16, limited))
    assert [f["startLine"] for f in found] == [0, 7]  # the value's fold goes first


def test_titles_decoded_roughly_are_decoded_by_a_later_request() -> None:
    doc = Document('@book{k, title = {Schr{\\"o}dinger}}\n')

    def detail(budget: float) -> str:
        found = loads(navigation.document_symbols(doc, PositionEncoding.UTF16, budget=budget))
        return str(found[0]["detail"])

    assert detail(0) == "@book · Schrodinger"  # out of time: roughly
    assert detail(0) == "@book · Schrodinger"  # still no time: as it was
    assert detail(1) == "@book · Schrödinger"
    assert detail(0) == "@book · Schrödinger"  # kept


def test_flat_symbols_for_clients_without_hierarchy() -> None:
    doc = Document("@book{k, title = {T}}\n", uri="file:///x.bib")
    found = loads(navigation.document_symbols(doc, PositionEncoding.UTF16, hierarchical=False))
    assert [(s["name"], s.get("containerName")) for s in found] == [("k", None), ("title", "k")]
    assert found[1]["location"]["uri"] == "file:///x.bib"


# -- end to end -----------------------------------------------------------------------

URI = "file:///tmp/bib-lsp-tests/navigation.bib"
TEXT = (
    "% Références\r\n"
    "% de test\r\n"
    '@string{jfm = "J. Fluid Mech."}\r\n'
    "@proceedings{Conf20, title = {Actes {\\'e}t{\\'e} 2020}, year = 2020}\r\n"
    "@article{Ünal:p, author = {Ayşe Ünal}, title = {Über {DNA}},\r\n"
    "  journal = jfm, crossref = {conf20}, doi = {10.1000/ü-1},\r\n"
    "  abstract = {one\r\n    two\r\n    three}\r\n"
    "}\r\n"
    "@book{broken, title = {Open\r\n"
    "@misc{after, url = {https://tug.org}}\r\n"
)


def units(session: Session, text: str) -> int:
    """The length of ``text`` in the session's position encoding."""
    if session.encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def at(session: Session, line: int, before: str) -> lsp.Position:
    """The position just after ``before`` (the start of ``line``)."""
    return lsp.Position(line, units(session, before))


def doc_id() -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(URI)


async def test_the_capabilities(session: Session) -> None:
    caps = session.capabilities
    assert caps.document_symbol_provider and caps.folding_range_provider
    assert caps.selection_range_provider and caps.definition_provider
    assert caps.document_link_provider is not None
    tokens = caps.semantic_tokens_provider
    assert tokens is not None and tokens.full and tokens.range
    assert "macro" in tokens.legend.token_types


async def test_document_symbols(session: Session) -> None:
    await session.open(URI, TEXT)
    found = await session.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(doc_id())
    )
    assert found is not None
    shown = [(s.name, s.detail, s.kind) for s in found if isinstance(s, lsp.DocumentSymbol)]
    assert shown == [
        ("jfm", "J. Fluid Mech.", lsp.SymbolKind.Constant),
        ("Conf20", "@proceedings · Actes été 2020", lsp.SymbolKind.Struct),
        ("Ünal:p", "@article · Über DNA", lsp.SymbolKind.Struct),
        ("broken", "@book · Open", lsp.SymbolKind.Struct),
        ("after", "@misc", lsp.SymbolKind.Struct),
    ]
    article = found[2]
    assert isinstance(article, lsp.DocumentSymbol)
    assert article.selection_range == lsp.Range(
        at(session, 4, "@article{"), at(session, 4, "@article{Ünal:p")
    )
    assert article.range == lsp.Range(lsp.Position(4, 0), lsp.Position(9, 1))
    children = article.children or []
    assert [c.name for c in children] == [
        "author",
        "title",
        "journal",
        "crossref",
        "doi",
        "abstract",
    ]
    title = children[1]
    line = "@article{Ünal:p, author = {Ayşe Ünal}, "
    assert title.range.start == at(session, 4, line)
    assert title.range.end == at(session, 4, line + "title = {Über {DNA}},")
    assert children[5].range.end == at(session, 8, "    three}")


async def test_folding_ranges(session: Session) -> None:
    await session.open(URI, TEXT)
    found = await session.client.text_document_folding_range_async(lsp.FoldingRangeParams(doc_id()))
    assert found is not None
    shown = [(f.start_line, f.end_line, f.kind) for f in found]
    # Both profiles fold whole lines: the `}` alone on line 9 stays visible; the
    # broken entry spans one line of its own.
    assert shown == [(0, 1, "comment"), (4, 8, "region"), (6, 8, "region")]
    assert all(f.start_character is None for f in found)
    collapsed = [f.collapsed_text for f in found]
    if session.profile == "neovim":  # it shows them
        assert collapsed[:2] == ["% Références …", "@article{Ünal:p, …"]
    else:
        assert collapsed == [None] * 3


async def test_selection_ranges(session: Session) -> None:
    await session.open(URI, TEXT)
    line = "@article{Ünal:p, author = {Ayşe Ünal}, title = {Über {D"
    found = await session.client.text_document_selection_range_async(
        lsp.SelectionRangeParams(doc_id(), [at(session, 4, line), lsp.Position(1, 3)])
    )
    assert found is not None and len(found) == 2
    ranges = []
    current: lsp.SelectionRange | None = found[0]
    while current is not None:
        ranges.append(current.range)
        current = current.parent
    title = "@article{Ünal:p, author = {Ayşe Ünal}, title = "
    assert ranges[:4] == [
        lsp.Range(at(session, 4, title + "{Über {"), at(session, 4, title + "{Über {DNA")),
        lsp.Range(at(session, 4, title + "{Über "), at(session, 4, title + "{Über {DNA}")),
        lsp.Range(at(session, 4, title + "{"), at(session, 4, title + "{Über {DNA}")),
        lsp.Range(at(session, 4, title), at(session, 4, title + "{Über {DNA}}")),
    ]
    assert ranges[-2] == lsp.Range(lsp.Position(4, 0), lsp.Position(9, 1))  # the entry
    word = found[1]
    assert word.range == lsp.Range(lsp.Position(1, 2), lsp.Position(1, 4))  # "de"
    assert word.parent is not None
    assert word.parent.range == lsp.Range(lsp.Position(1, 0), lsp.Position(1, 9))  # its line


async def test_definitions(session: Session) -> None:
    await session.open(URI, TEXT)

    async def definition(line: int, before: str) -> Any:
        return await session.client.text_document_definition_async(
            lsp.DefinitionParams(doc_id(), at(session, line, before))
        )

    macro = await definition(5, "  journal = jf")
    key = await definition(5, "  journal = jfm, crossref = {con")
    assert await definition(5, "  jour") is None  # a field name
    # Both profiles take links: the whole target, its name, and what was clicked.
    assert macro == [
        lsp.LocationLink(
            URI,
            lsp.Range(lsp.Position(2, 0), lsp.Position(2, 31)),
            lsp.Range(lsp.Position(2, 8), lsp.Position(2, 11)),
            lsp.Range(lsp.Position(5, 12), lsp.Position(5, 15)),
        )
    ]
    crossref = "  journal = jfm, crossref = {"
    assert key == [
        lsp.LocationLink(
            URI,
            lsp.Range(lsp.Position(3, 0), lsp.Position(3, units(session, TEXT.split("\r\n")[3]))),
            lsp.Range(lsp.Position(3, 13), lsp.Position(3, 19)),
            lsp.Range(at(session, 5, crossref), at(session, 5, crossref + "conf20")),
        )
    ]


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_macro_defined_in_another_file(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "strings.bib").write_text('% abbreviations\n@string{jfm = "J. Fluid Mech."}\n')
    session = await start(client, profile, {"diagnostics": {"debounceMs": 0}}, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    await session.open(uri, "@article{k, journal = jfm}\n")
    params = lsp.DefinitionParams(lsp.TextDocumentIdentifier(uri), lsp.Position(0, 24))
    for _ in range(200):  # the workspace is read in the background
        found = await client.text_document_definition_async(params)
        if found:
            break
        await asyncio.sleep(0.05)
    assert found is not None and len(found) == 1
    link = found[0]
    assert isinstance(link, lsp.LocationLink)
    assert link.target_uri == (tmp_path / "strings.bib").as_uri()
    assert link.target_selection_range.start == lsp.Position(1, 0)
    # Open, the other file is read as it is in the editor, to the name.
    other = (tmp_path / "strings.bib").as_uri()
    await session.open(other, '@comment{moved}\n\n@string{ jfm = "J. Fluid Mech."}\n')
    found = await client.text_document_definition_async(params)
    assert found is not None
    link = found[0]
    assert isinstance(link, lsp.LocationLink)
    assert link.target_selection_range == lsp.Range(lsp.Position(2, 9), lsp.Position(2, 12))


async def test_document_links(session: Session) -> None:
    await session.open(URI, TEXT)
    found = await session.client.text_document_document_link_async(lsp.DocumentLinkParams(doc_id()))
    assert found is not None
    doi = "  journal = jfm, crossref = {conf20}, doi = {"
    assert [(link.range, link.target) for link in found] == [
        (
            lsp.Range(at(session, 5, doi), at(session, 5, doi + "10.1000/ü-1")),
            "https://doi.org/10.1000/%C3%BC-1",
        ),
        (
            lsp.Range(
                at(session, 11, "@misc{after, url = {"),
                at(session, 11, "@misc{after, url = {https://tug.org"),
            ),
            "https://tug.org",
        ),
    ]


async def test_semantic_tokens(session: Session) -> None:
    await session.open(URI, TEXT)
    legend = session.capabilities.semantic_tokens_provider
    assert legend is not None
    types = legend.legend.token_types
    full = await session.client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(doc_id())
    )
    assert full is not None
    tokens = decoded(list(full.data))
    lines = TEXT.split("\r\n")

    def shown(token: tuple[int, ...]) -> tuple[str, str]:
        line, character, length, kind, _ = token
        data = lines[line].encode("utf-8" if session.encoding == "utf-8" else "utf-16-le")
        size = 1 if session.encoding == "utf-8" else 2
        text = data[character * size : (character + length) * size]
        return text.decode("utf-8" if size == 1 else "utf-16-le"), types[kind]

    on_article = [shown(t) for t in tokens if t[0] == 4]
    assert on_article == [
        ("@article", "type"),
        ("Ünal:p", "variable"),
        ("author", "property"),
        ("{Ayşe Ünal}", "string"),
        ("title", "property"),
        ("{Über {DNA}}", "string"),
    ]
    assert shown(tokens[0]) == ("% Références", "comment")
    assert [shown(t) for t in tokens if t[0] in (6, 7, 8)] == [
        ("abstract", "property"),
        ("{one", "string"),
        ("two", "string"),
        ("three}", "string"),
    ]
    assert [shown(t) for t in tokens if t[0] == 10] == [
        ("@book", "type"),
        ("broken", "variable"),
        ("title", "property"),
        ("{Open", "string"),
    ]
    assert [shown(t) for t in tokens if t[0] == 11][:2] == [
        ("@misc", "type"),
        ("after", "variable"),
    ]
    if session.profile == "visual-studio-code":  # Neovim does not ask for ranges
        part = await session.client.text_document_semantic_tokens_range_async(
            lsp.SemanticTokensRangeParams(
                doc_id(), lsp.Range(lsp.Position(5, 0), lsp.Position(5, 5))
            )
        )
        assert part is not None
        assert {shown(t) for t in decoded(list(part.data))} >= {
            ("jfm", "macro"),
            ("conf20", "variable"),
        }
        assert len(part.data) < len(full.data)


async def test_after_an_edit(session: Session) -> None:
    """The cached parts follow an edit that adds lines above them."""
    await session.open(URI, TEXT)
    first = await session.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(doc_id())
    )
    await session.change(
        URI,
        [
            lsp.TextDocumentContentChangePartial(
                range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)), text="% new\r\n% lines\r\n"
            )
        ],
    )
    second = await session.client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(doc_id())
    )
    assert first is not None and second is not None
    assert [s.range.start.line + 2 for s in first] == [s.range.start.line for s in second]
    folds = await session.client.text_document_folding_range_async(lsp.FoldingRangeParams(doc_id()))
    assert folds is not None and (folds[0].start_line, folds[0].end_line) == (0, 3)


async def test_unknown_documents_get_empty_answers(session: Session) -> None:
    other = lsp.TextDocumentIdentifier("file:///tmp/bib-lsp-tests/not-open.bib")
    client = session.client
    symbols = await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(other))
    folds = await client.text_document_folding_range_async(lsp.FoldingRangeParams(other))
    links = await client.text_document_document_link_async(lsp.DocumentLinkParams(other))
    for found in (symbols, folds, links):
        assert found is not None and len(found) == 0
    tokens = await client.text_document_semantic_tokens_full_async(lsp.SemanticTokensParams(other))
    assert tokens is not None and list(tokens.data) == []
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(other, lsp.Position(0, 0))
    )
    assert found is None
