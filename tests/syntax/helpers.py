"""Shared helpers for the syntax and document tests: the corpus and tree checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.syntax import Node, SyntaxTree
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, entry_view

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
NO_CORPUS = f"the .bib corpus is not available at {CORPUS_DIR} (expected ../shared/corpus)"
XAMPL = "texlive/base/xampl.bib"
BIBLATEX_EXAMPLES = "texlive/biblatex/biblatex/biblatex-examples.bib"


def corpus_files() -> list[Path]:
    if not CORPUS_DIR.is_dir():
        return []
    return sorted(CORPUS_DIR.rglob("*.bib"))


def corpus_params() -> list[object]:
    """pytest parameters, one per corpus file; one skipped parameter if absent."""
    files = corpus_files()
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_CORPUS), id="no-corpus")]
    return [pytest.param(p, id=str(p.relative_to(CORPUS_DIR))) for p in files]


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_source(path: Path) -> str:
    # newline="" semantics: keep every \r and \r\n exactly as in the file.
    return decode(path.read_bytes())


def corpus_text(relative: str) -> str:
    """The text of one corpus file, or skip the test when it is missing."""
    path = CORPUS_DIR / relative
    if not path.is_file():
        pytest.skip(f"{relative} is not available: {NO_CORPUS}")
    return read_source(path)


def check_node(node: Node) -> None:
    """Every node's width is the sum of its children's; tokens have a width > 0."""
    total = 0
    for child in node.children:
        if isinstance(child, Node):
            assert not child.kind.is_token, child
            check_node(child)
            total += child.width
        else:
            kind, width = child
            assert kind.is_token, child
            assert width > 0, f"empty {kind.name} token in {node!r}"
            total += width
    assert total == node.width, f"{node!r}: children add up to {total}"


def check_tree(tree: SyntaxTree, source: str) -> None:
    """Lossless, contiguous, well-formed; problems inside their blocks."""
    assert tree.tree_text() == source
    pos = 0
    for start, block in tree:
        assert start == pos
        assert block.text, "empty block"
        assert source[start : start + len(block.text)] == block.text
        assert block.node.width == len(block.text)
        check_node(block.node)
        for p in block.problems:
            assert 0 <= p.start <= p.end <= len(block.text), (p, block.text)
        pos += len(block.text)
    assert pos == len(source)
    root = tree.root
    assert root.kind is K.ROOT and root.width == len(source)
    check_node(root)
    tokens = list(root.tokens())
    assert "".join(source[s:e] for _, s, e in tokens) == source
    for p in tree.problems():
        assert 0 <= p.start <= p.end <= len(source), p


def entries(tree: SyntaxTree) -> list[Entry]:
    """Views of all ``@`` blocks in the tree."""
    out = []
    for start, block in tree:
        view = entry_view(block, start)
        if view is not None:
            out.append(view)
    return out


def summary(entry: Entry) -> tuple[object, ...]:
    """What a user sees of an entry: type, key, fields with their value pieces."""
    fields = tuple(
        (f.name, None if f.value is None else tuple((p.kind, p.text) for p in f.value.pieces))
        for f in entry.fields
    )
    return (entry.kind, entry.type, entry.key, fields)
