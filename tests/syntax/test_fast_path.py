"""The parser reads a well-formed field whole (``FAST_FIELD_RE``) and gives fields
of the same shape one shared node; the tree must be the very tree that reading it
token by token gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bib_lsp.syntax import parse, parser
from bib_lsp.syntax.tree import Node
from tests.syntax.helpers import corpus_files, read_source
from tests.syntax.test_fuzz import FUZZ, mixed_texts, structured_texts

NEVER = re.compile(r"(?!)")


def trees(text: str) -> list[tuple[int, Node, tuple[object, ...]]]:
    return [(start, block.node, block.problems) for start, block in parse(text)]


def slow_trees(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[int, Node, tuple[object, ...]]]:
    with monkeypatch.context() as m:
        m.setattr(parser, "FAST_FIELD_RE", NEVER)
        return trees(text)


def test_corpus_trees_are_those_of_the_token_by_token_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = corpus_files()
    if not files:
        pytest.skip("the .bib corpus is not available")
    shared = 0
    for path in files[::7]:
        source = read_source(path)
        fast = trees(source)
        assert fast == slow_trees(source, monkeypatch), Path(path).name
        shared += len(parser._FIELD_NODES)
    assert shared, "no field was read by the fast path"


@FUZZ
@given(st.one_of(structured_texts, mixed_texts))
def test_fuzzed_trees_are_those_of_the_token_by_token_path(text: str) -> None:
    with pytest.MonkeyPatch.context() as m:
        fast = trees(text)
        m.setattr(parser, "FAST_FIELD_RE", NEVER)
        assert trees(text) == fast
