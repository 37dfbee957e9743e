"""An edited document frees what its edits replaced, even with the heap out of the
cyclic collector's reach (the server freezes it after opening a document)."""

from __future__ import annotations

import gc
import random
import tracemalloc
from collections import Counter

from bib_lsp.document import Document
from bib_lsp.rules import Checker
from bib_lsp.syntax import views

ENTRY = (
    "@article{key{n},\n  author = {A. Author and B. Writer},\n  title = {Title {n}},\n"
    "  journal = {J},\n  year = 2001,\n}\n\n"
)


def test_edits_taken_back_leave_memory_flat_with_the_heap_frozen() -> None:
    text = "".join(ENTRY.replace("{n}", str(n)) for n in range(400))
    doc = Document(text)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.freeze()  # as the server does after opening: cycles in here are never collected
    gc.disable()
    tracemalloc.start()
    try:

        def type_and_undo(rounds: int) -> None:
            for n in range(rounds):
                at = (n * 7919) % len(text)  # all over the file: most chunks are replaced
                doc.edit(at, at, "x")
                doc.edit(at, at + 1, "")

        type_and_undo(100)
        before = tracemalloc.get_traced_memory()[0]
        type_and_undo(300)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
    assert doc.text == text
    # Each replaced chunk with its blocks is about 10 KB: kept, 600 edits would
    # hold megabytes.
    assert grown < 300_000, f"{grown:,} bytes more after 600 edits taken back"


def test_edits_taken_back_leave_no_object_behind_in_the_checker() -> None:
    """Edits of every kind (typing, deleting, pasting an entry, cutting a line)
    each taken back, with the rules and the index kept current after each: the
    same objects live afterwards, by type, but for the shared field nodes of new
    shapes (a table bounded at 100,000)."""
    text = "".join(ENTRY.replace("{n}", str(n)) for n in range(300))
    text += "@string{jn = {Journal}}\n@misc{dup, crossref = {key1}, journal = jn}\n"
    text += "@misc{dup, title = {Twice}}\n"
    doc = Document(text)
    checker = Checker(doc)
    checker.diagnose()
    rng = random.Random(10)
    pastes = ["  note = {x},\n", ENTRY.replace("{n}", "new"), "@misc{dup}\n", "{", "}", "@"]

    def edit_and_undo(rounds: int) -> None:
        for _ in range(rounds):
            at = rng.randrange(doc.length + 1)
            roll = rng.random()
            if roll < 0.4:
                start, end, new = at, at, rng.choice('ab ={},\n@"#')
            elif roll < 0.8:
                start, end, new = at, min(doc.length, at + rng.choice([1, 2, 5])), ""
            else:
                start = doc.line_start(doc.line_of(at))
                end, new = start, rng.choice(pastes)
            old = doc.slice(start, end)
            checker.update(doc.edit(start, end, new))
            checker.diagnose()
            checker.update(doc.edit(start, start + len(new), old))
            checker.diagnose()

    def live() -> Counter[str]:
        views.forget_views(list(views._VIEWS))  # the last 1,024 views asked for
        gc.collect()
        return Counter(type(o).__qualname__ for o in gc.get_objects())

    edit_and_undo(200)  # the caches and the shape table warm up
    before = live()
    edit_and_undo(600)
    grown = live() - before
    assert doc.text == text
    grown.pop("tuple", None)  # the shared field nodes' children, with their layouts:
    shapes = grown.pop("_FieldLayout", 0) + grown.pop("Node", 0)
    assert shapes < 600, grown
    # The ABCs' caches of classes seen (a weak reference and its callback each).
    grown.pop("ReferenceType", None)
    grown.pop("builtin_function_or_method", None)
    # What stays is this test's own (the `before` count); an edit's leftovers
    # would be thousands (600 edits).
    assert sum(grown.values()) <= 3, f"live after 600 edits taken back: {grown}"
