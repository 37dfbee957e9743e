"""Deep and wide input in process (issue 10): 10,000 and 100,000 nested braces,
10,000 chained `@string`s and `#` pieces, 100,000 fields, a 1 MB key. Every layer
(parser, views, rules, formatting, CSL conversion and the citation preview of
hover, LaTeX decoding, cursor, places, selection, outline, folds, tokens, links)
answers without a RecursionError (nor one caught and shown) and in bounded time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from bib_lsp.document import Document
from bib_lsp.features import folding, links, semantic
from bib_lsp.features.citation import DEFAULT_STYLE, load_style
from bib_lsp.features.cursor import cursor_at
from bib_lsp.features.hover import HoverContext, hover
from bib_lsp.features.places import place_at
from bib_lsp.features.selection import selection_ranges
from bib_lsp.formatting import format_text
from bib_lsp.model.csl import document_items
from bib_lsp.model.latex import to_text
from bib_lsp.model.summaries import summarise_text
from bib_lsp.rules import diagnose
from bib_lsp.rules.checker import Checker
from tests.reliability.hostile import small_cases

DEEP = [
    c
    for c in small_cases()
    if c.name.startswith(("braces-", "strings-", "concatenation-", "fields-", "key-"))
    or c.name in ("quotes-10k", "dollars-10k", "at-signs", "commas")
]
BOUND = 20.0  # seconds for any one step (the slowest, the rules over 100,000 fields, take ~5)


def timed(what: str, step: Callable[[], Any]) -> Any:
    began = time.monotonic()
    result = step()
    took = time.monotonic() - began
    assert took < BOUND, (what, took)
    return result


@pytest.fixture(scope="module")
def style() -> Any:
    return load_style(DEFAULT_STYLE)


@pytest.mark.parametrize(
    "case",
    # 100,000 fields: about 25 s in all (each layer reads a 2 MB entry).
    [pytest.param(c, marks=pytest.mark.slow) if c.name == "fields-100k" else c for c in DEEP],
    ids=[c.name for c in DEEP],
)
def test_every_layer(case: Any, style: Any) -> None:
    text = case.data.decode("utf-8")
    doc = timed("parse", lambda: Document(text))
    assert "".join(b.text for _, b in doc.blocks()) == text
    timed("rules", lambda: list(diagnose(doc)))
    formatted = timed("format", lambda: format_text(text))
    assert timed("format again", lambda: format_text(formatted)) == formatted
    items = timed("csl", lambda: document_items(doc, "auto"))
    for item in items[:3]:
        for value in item.values():
            assert "RecursionError" not in str(value)
    timed("summary", lambda: summarise_text("deep.bib", text))
    checker = Checker(doc)
    context = HoverContext(checker.index, "biblatex", style)
    n = len(text)
    # Each request reads the whole 2 MB entry (about 2 s): one place is enough there.
    offsets = [n // 2] if case.name == "fields-100k" else [0, 1, 8, 10, 30, n // 2, n - 40, n]
    for offset in offsets:
        offset = max(0, min(offset, n))
        shown = timed("hover", lambda o=offset: hover(doc, o, context))
        if shown is not None:
            assert "RecursionError" not in shown.markdown
        timed("cursor", lambda o=offset: cursor_at(doc, o))
        timed("place", lambda o=offset: place_at(doc, o))
        chain = timed("selection", lambda o=offset: selection_ranges(doc, o))
        # A chain a client can step through and the server can write as JSON.
        assert len(chain) <= 200
    for _, block in doc.blocks():
        timed("folds", lambda b=block: folding.block_folds(b))
        timed("tokens", lambda b=block: semantic.block_tokens(b))
        timed("links", lambda b=block: links.block_links(b))


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_latex_decoding_of_deep_groups_gives_text_back(depth: int) -> None:
    for latex in (
        "{" * depth + "x" + "}" * depth,
        "{\\em " * depth + "x" + "}" * depth,
        "\\textbf{" * depth + "x" + "}" * depth,
        "$" * depth,
    ):
        text = timed("to_text", lambda s=latex: to_text(s))
        assert isinstance(text, str)


def test_completion_in_an_entry_of_100000_fields_is_linear() -> None:
    """The cursor read each field's name by scanning all the entry's tokens: for
    100,000 fields, hours (b74cc3e reads them in one pass)."""
    text = next(c for c in DEEP if c.name == "fields-100k").data.decode()
    doc = Document(text)
    for offset in (len(text) // 2, len(text) - 5):
        timed("cursor", lambda o=offset: cursor_at(doc, o))
