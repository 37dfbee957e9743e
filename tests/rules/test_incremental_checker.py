"""A Checker kept current by edits reports exactly what a fresh one reports."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import BlockChanges, Document
from bib_lsp.model import index as index_module
from bib_lsp.rules import Checker, RuleOptions
from tests.document.strategies import chunk_size, edits

FRAGMENTS = [
    "@misc{a, title = {x}}\n",
    "@misc{A, author = {y}}\n",
    "@article{b, journal = {J}, year = 2000, crossref = {a}}\n",
    '@string{s = "S"}\n',
    '@String{S = "T"}\n',
    "@online{c, date = {2020}}\n",
    "@inbook{e, crossref = {d}, chapter = 1, author = {A}}\n",
    "@book{D, title = {T}, publisher = {P}, year = 1990}\n",
    "@incollection{f, xdata = {b,e}, crossref = {b}}\n",
    "@misc{u, note = m # s, doi = {10.1/x}, title = {Same}, author = {A}, year = 1}\n",
    "@article{j, journal = {J}, publisher = {P}}\n",
    '@string{m = "M"}\n',
    "@misc{w, doi = {https://doi.org/10.1/X}, title = {Same}, author = {A}, year = 1}\n",
    "@book{d, title = {T}\n",
    "free text\n",
    "}",
    "{",
    "@",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join), st.data())
def test_checker_follows_edits(text: str, data: st.DataObject) -> None:
    with chunk_size(2):  # parents and children in different chunks
        follow_edits(text, data)


def follow_edits(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    checker = Checker(doc)
    for _ in range(data.draw(st.integers(1, 8))):
        # One edit, or several in one notification (say, a macro's `@string` cut
        # from the top and pasted at the bottom): their block changes merge.
        changes = BlockChanges()
        for _ in range(data.draw(st.integers(1, 3))):
            start, end, new = data.draw(edits(doc.length))
            if data.draw(st.booleans()):
                new = data.draw(st.sampled_from(FRAGMENTS))
            changes.merge(doc.edit(start, end, new))
        checker.update(changes)
        fresh = Checker(Document(doc.text))
        assert checker.diagnose() == fresh.diagnose()
        assert checker.dialect == fresh.dialect
        assert checker.index.sorted_keys == sorted(fresh.index.keys)
        assert {k: v for k, v in checker.index.values.items() if v} == {
            k: v for k, v in fresh.index.values.items() if v
        }


def test_editing_a_parent_rechecks_its_children_elsewhere() -> None:
    # The child's findings are cached with its chunk, far from the parent's: an edit
    # of the parent alone must still change them, both ways.
    parent = "@book{p, author = {B}, title = {T}, publisher = {P}, year = 1990}\n"
    filler = "".join(f"@misc{{m{i}}}\n" for i in range(20))
    child = "@inbook{c, crossref = {p}, author = {A}, chapter = 2}\n"
    with chunk_size(4):
        doc = Document(parent + filler + child, uri="file:///t.bib")
        # (The parent above its child is `crossref-before-entry`: not this test's.)
        checker = Checker(doc, RuleOptions(ignore=frozenset({"crossref-before-entry"})))
        assert doc.chunk_count > 3
        assert checker.diagnose() == []
        year = parent.index("year")
        checker.update(doc.edit(year, year + len("year = 1990"), "note = {}"))
        at_child = doc.text.index("{c,") + 1
        (gap,) = [p for p in checker.diagnose() if p.start == at_child]  # and the parent's
        assert gap.code == "missing-required-field"
        assert "`year`" in gap.message
        checker.update(doc.edit(year, year + len("note = {}"), "year = 1991"))
        assert checker.diagnose() == []
        # The parent's key renamed: the child has nothing to inherit from.
        checker.update(doc.edit(len("@book{"), len("@book{p"), "q"))
        at_child = doc.text.index("{c,") + 1
        found = [p.message for p in checker.diagnose() if p.start == at_child]
        assert any("`title`" in m for m in found)
        checker.update(doc.edit(len("@book{"), len("@book{q"), "p"))
        assert checker.diagnose() == []


def test_a_definition_moved_below_its_use_in_one_notification() -> None:
    # Two edits in one didChange: the `@string` leaves the top and comes back at
    # the bottom. Each looks like a replacement in place; together they move it.
    definition = '@string{m = "M"}\n'
    fill = "".join(f"@misc{{f{i}, title = {{F}}}}\n" for i in range(3))
    text = definition + fill + "@misc{u, note = m}\n" + fill.replace("f", "g")
    doc = Document(text)
    checker = Checker(doc)
    assert checker.diagnose() == []
    changes = doc.edit(0, len(definition), "")
    changes.merge(doc.edit(doc.length, doc.length, definition))
    checker.update(changes)
    assert [p.code for p in checker.diagnose()] == ["macro-defined-after-use"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
    st.lists(st.integers(0, 12), max_size=4),
    st.data(),
)
def test_staged_checker_with_edits_while_its_index_is_built(
    text: str, edit_after: list[int], data: st.DataObject
) -> None:
    """A staged checker whose index is built a few blocks at a time, with edits
    landing between the steps (blocks not yet indexed removed, blocks added), then
    its rules run: the same findings, dialect and index as a fresh checker."""
    saved, index_module._BUILD_STEP = index_module._BUILD_STEP, 1  # one block per step
    try:
        _staged_with_edits(text, edit_after, data)
    finally:
        index_module._BUILD_STEP = saved


def test_warming_chunks_counted_before_the_dialect_is_decided() -> None:
    """The `auto` verdict, made once the staged index is complete, may re-read `%`
    text and so change the number of chunks while they are warmed one by one."""
    saved, index_module._BUILD_STEP = index_module._BUILD_STEP, 1
    try:
        with chunk_size(2):
            doc = Document("@misc{a, title = {x}}\n@online{c, date = {2020}}\n")
            checker = Checker(doc, staged=True)
            checker.update(doc.edit(0, 0, "%@}"))
            while not checker.index.build(deadline=0):
                pass
            for ci in range(doc.chunk_count):  # counted before the verdict
                checker.warm(ci)
            checker.staged = False
            assert checker.diagnose() == Checker(Document(doc.text)).diagnose()
    finally:
        index_module._BUILD_STEP = saved


def _staged_with_edits(text: str, edit_after: list[int], data: st.DataObject) -> None:
    with chunk_size(2):
        doc = Document(text)
        checker = Checker(doc, staged=True)
        assert checker.diagnose() == sorted(doc.problems(), key=lambda p: (p.start, p.end, p.code))
        step = 0
        while True:
            if step in edit_after:
                start, end, new = data.draw(edits(doc.length))
                if data.draw(st.booleans()):
                    new = data.draw(st.sampled_from(FRAGMENTS))
                checker.update(doc.edit(start, end, new))
            # A deadline already past: one step of the build at a time.
            if checker.index.build(deadline=0):
                break
            step += 1
        for ci in range(doc.chunk_count):
            checker.warm(ci)
        checker.staged = False
        fresh = Checker(Document(doc.text))
        assert checker.diagnose() == fresh.diagnose()
        assert checker.dialect == fresh.dialect
        assert checker.index.sorted_keys == sorted(fresh.index.keys)
        assert checker.index.entry_count == fresh.index.entry_count
        for table, holders in fresh.index.holders.items():
            ours = {name: len(blocks) for name, blocks in checker.index.holders[table].items()}
            assert ours == {name: len(blocks) for name, blocks in holders.items()}, table
