"""Completion at random places, each item's text edit (a snippet expanded with
its placeholders' defaults) and additional edits applied client-side: the range
an item replaces holds the cursor and lies within the word being typed (no
blank, line break or delimiter in it), and the blocks before and after the
edited one mean what they meant, at the same places."""

from __future__ import annotations

from collections import Counter

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.lsp.completion import ClientTakes, completion
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding
from tests.edits.apply import apply_edits, expand_snippet, position_of, spans
from tests.edits.strategies import documents, examples
from tests.meaning import Thing, located

URI = "file:///t.bib"
TRIED: Counter[str] = Counter()
OUTSIDE_A_WORD = set(' \t\r\n{}(),=#"@%')


def _kept(old: str, new: str, a: int, b: int) -> None:
    """The blocks wholly before ``a`` and wholly after ``b`` are unchanged."""
    before, after = located(old), located(new)
    delta = len(new) - len(old)
    kept_before = [x for x in before if x.end < a]
    assert after[: len(kept_before)] == kept_before
    kept_after = [(x.end + delta, x.meaning) for x in before if x.start > b + 1]
    if kept_after:  # (where free text starts may move over blanks)
        assert [(x.end, x.meaning) for x in after[len(after) - len(kept_after) :]] == kept_after


def _one_value(old: str, new: str, a: int, b: int) -> None:
    """A value item replaces (part of) one value: by design the whole content of
    a braced or quoted piece (a value used before replaces the value), so the
    entry keeps its type, key and field names, and one field's value changes."""
    was = next(x.meaning for x in located(old) if x.start <= a and b <= x.end)
    now = next(x.meaning for x in located(new) if x.start <= a and a + 1 <= x.end)
    assert isinstance(was, Thing) and isinstance(now, Thing)
    assert (was.kind, was.type, was.key) == (now.kind, now.type, now.key)
    assert [f[0] for f in was.fields] == [f[0] for f in now.fields]
    assert sum(f != g for f, g in zip(was.fields, now.fields, strict=True)) <= 1


@settings(max_examples=examples(300, 3000), deadline=None)
@given(documents, st.sampled_from(list(PositionEncoding)), st.booleans(), st.data())
@example("@art\n@misc{a, title = {x}}\n", PositionEncoding.UTF16, True, None)
@example("@article {knuth84}\n", PositionEncoding.UTF16, False, None)  # the body was lost
@example("@misc{a, year = {x} # {y}}\n", PositionEncoding.UTF16, False, None)  # `{x} jan# {y}`
@example("@misc{a, year = {x}}\n", PositionEncoding.UTF16, False, None)  # `= jan{x}`
@example("@misc{a, year = 1 #2}\n", PositionEncoding.UTF16, False, None)  # `# jan2`
@example('@stringjan  "A"}\n@misc{k}\n', PositionEncoding.UTF16, False, None)
def test_completion_edits_replace_the_word_only(
    text: str, encoding: PositionEncoding, snippets: bool, data: st.DataObject | None
) -> None:
    cuts = [
        i for i in range(len(text) + 1) if not (0 < i < len(text) and text[i - 1 : i + 1] == "\r\n")
    ]
    offset = (
        data.draw(st.sampled_from(cuts))
        if data
        else (
            4
            if text.startswith("@art\n")
            else (text.find("#2") + 1 or text.find(" #") + 1 or text.find("= {") + 1 or 1)
        )
    )
    doc = Document(text)
    checker = Checker(doc)
    params = lsp.CompletionParams(
        lsp.TextDocumentIdentifier(URI), position_of(text, offset, encoding.value)
    )
    answer = completion(params, doc, checker, encoding, ClientTakes(snippets=snippets))
    for item in answer.items[:60]:
        edit = item.text_edit
        assert isinstance(edit, lsp.TextEdit)
        new_text = edit.new_text
        if item.insert_text_format == lsp.InsertTextFormat.Snippet:
            assert snippets
            new_text = expand_snippet(new_text)
        edits = [lsp.TextEdit(edit.range, new_text), *(item.additional_text_edits or [])]
        ((a, b, _), *_) = spans(text, [edits[0]], encoding.value)
        assert a <= offset <= b
        new = apply_edits(text, edits, encoding.value)
        if item.kind in (lsp.CompletionItemKind.Class, lsp.CompletionItemKind.Field):
            # (`@a@rticle`: the parser reads `a@rticle` as the type, `@` and all)
            assert not OUTSIDE_A_WORD - {"@"} & set(text[a:b]), (text[a:b], item.label)
        else:
            _one_value(text, new, a, b)
        if item.label.lower() in ("comment", "string", "preamble"):
            # `@comment(...)` reads no body, `@string` and `@preamble` other
            # bodies: the block is read anew, as the item says; before it, kept.
            _kept(text, new, a, len(text))
        else:
            _kept(text, new, a, b)
        TRIED[str(item.kind)] += 1


def teardown_module() -> None:
    print("\ncompletion items applied:", dict(TRIED))
