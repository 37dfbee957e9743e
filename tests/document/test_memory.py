"""An edited document frees what its edits replaced, even with the heap out of the
cyclic collector's reach (the server freezes it after opening a document)."""

from __future__ import annotations

import gc
import tracemalloc

from bib_lsp.document import Document

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
