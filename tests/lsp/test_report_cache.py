"""The server's diagnostics, built from per-chunk caches, equal a fresh conversion
of a fresh check after any sequence of edits (in-process, no transport)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.lsp import convert
from bib_lsp.lsp.documents import OpenDocument
from bib_lsp.lsp.server import BibLanguageServer
from bib_lsp.rules import Checker
from bib_lsp.text import PositionEncoding
from tests.document.strategies import chunk_size, edits
from tests.rules.test_incremental_checker import FRAGMENTS

URI = "file:///tmp/cache.bib"


def fresh(text: str, encoding: PositionEncoding) -> list[dict[str, object]]:
    doc = Document(text)
    return [convert.diagnostic_json(p, doc, encoding, URI) for p in Checker(doc).diagnose()]


# Some pieces end without a line break: chunks then start mid-line.
PIECES = [*FRAGMENTS, "% 😀 東\n", "x}", "@misc{q} ", "\n"]


def served(server: BibLanguageServer) -> list[dict[str, object]]:
    """The document's diagnostics as the server would send them."""
    items: list[dict[str, object]] = json.loads(b"".join(server.report(server.documents[URI])[1]))
    return items


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
    st.sampled_from(list(PositionEncoding)),
    st.sampled_from([2, 4, 8]),  # 4 and 8: chunks also merge with neighbours
    st.data(),
)
def test_cached_report_equals_a_fresh_one(
    text: str, encoding: PositionEncoding, size: int, data: st.DataObject
) -> None:
    with chunk_size(size):  # many chunks: their caches are what is tested
        server = BibLanguageServer()
        server.encoding = encoding
        doc = Document(text, uri=URI, version=1)
        server.documents[URI] = OpenDocument(URI, doc, Checker(doc))
        assert served(server) == fresh(text, encoding)
        for version in range(2, data.draw(st.integers(3, 8))):
            for _ in range(data.draw(st.integers(1, 3))):  # several edits per report
                start, end, new = data.draw(edits(doc.length))
                if data.draw(st.booleans()):
                    new = data.draw(st.sampled_from(FRAGMENTS))
                server.documents[URI].checker.update(doc.edit(start, end, new))
            doc.version = version
            assert served(server) == fresh(doc.text, encoding)


def test_chunk_starting_mid_line_follows_edits_before_it_on_that_line() -> None:
    with chunk_size(4):
        # One line: five blocks in two chunks; the second chunk starts mid-line and
        # holds a stray `}` whose column depends on text in the first chunk.
        text = "@misc{a}@misc{b}@misc{c}@misc{d} } tail\n"
        server = BibLanguageServer()
        doc = Document(text, uri=URI, version=1)
        assert doc.chunk_count == 2
        server.documents[URI] = OpenDocument(URI, doc, Checker(doc))
        assert served(server) == fresh(text, server.encoding)
        server.documents[URI].checker.update(doc.edit(0, 0, "😀 "))
        doc.version = 2
        # (Four entries on one last line are also `entries-on-last-line`.)
        (stray,) = [d for d in served(server) if d["code"] == "unbalanced-braces"]
        assert stray in fresh(doc.text, server.encoding)
        assert stray["range"]["start"]["character"] == doc.text.index("} tail") + 1  # 😀 = 2


def test_cached_chunks_follow_a_change_of_dialect() -> None:
    # Found by the property above: adding a biblatex-only entry switches the `auto`
    # dialect, so an untouched chunk's findings change although the chunk did not.
    # The article sits in the first chunk; the edit lands in the last one.
    article = "@article{a, author = {A}, title = {T}, journal = {J}}\n"
    text = article + "".join(f"@misc{{m{i}}}\n" for i in range(8))
    server = BibLanguageServer()
    with chunk_size(4):
        doc = Document(text, uri=URI, version=1)
    assert doc.chunk_count > 1
    server.documents[URI] = OpenDocument(URI, doc, Checker(doc))
    (before,) = served(server)
    assert before["data"] == {"fields": ["year"]}  # plain.bst
    end = len(text)
    server.documents[URI].checker.update(doc.edit(end, end, "@online{c, date = {2020}}\n"))
    doc.version = 2
    report = served(server)
    assert report == fresh(doc.text, server.encoding)
    assert report[0]["data"] == {"fields": ["date", "year"]}  # biblatex, same chunk


def test_a_report_that_failed_half_way_does_not_leave_the_next_one_stale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found in review: the cache took the journal before converting; a conversion
    # that raised (the server then publishes nothing) left the changed chunks
    # unconverted for good.
    text = "".join(f"@misc{{m{i}}}\n" for i in range(12))
    with chunk_size(4):
        server = BibLanguageServer()
        doc = Document(text, uri=URI, version=1)
        server.documents[URI] = OpenDocument(URI, doc, Checker(doc))
        assert served(server) == []
        server.documents[URI].checker.update(doc.edit(1, 5, "article"))  # @misc{m0} -> @article
        doc.version = 2
        real = convert.diagnostic_json
        calls = []

        def fail_once(*args: Any) -> dict[str, Any]:
            calls.append(args)
            if len(calls) == 1:
                raise RuntimeError("boom")
            return real(*args)

        monkeypatch.setattr(convert, "diagnostic_json", fail_once)
        with pytest.raises(RuntimeError):
            server.report(server.documents[URI])
        at = doc.text.index("m11")
        server.documents[URI].checker.update(doc.edit(at, at, "x"))  # another chunk
        doc.version = 3
        assert served(server) == fresh(doc.text, server.encoding)
        assert len(served(server)) == 4  # the article's four missing fields


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PIECES), min_size=4, max_size=14).map("".join),
    st.integers(0, 20),
    st.data(),
)
def test_a_staged_check_primed_in_slices_reports_as_a_fresh_one(
    text: str, slices_before_edit: int, data: st.DataObject
) -> None:
    """The end of a staged check: the findings converted ahead in slices
    (``DiagnosticsCache.prime``), with an edit perhaps landing between two slices,
    then reported once the checker turns to every rule's findings."""
    with chunk_size(2):
        server = BibLanguageServer()
        doc = Document(text, uri=URI, version=1)
        checker = Checker(doc, staged=True)
        server.documents[URI] = OpenDocument(URI, doc, checker)
        assert served(server) == fresh_syntax(text)
        checker.index.build()
        cache = server.documents[URI].diagnostics()
        done = False
        for step in range(100):
            done = cache.prime(doc, checker, server.generation, server.encoding, deadline=0)
            if step == slices_before_edit:
                start, end, new = data.draw(edits(doc.length))
                checker.update(doc.edit(start, end, new))
                doc.version = 2
            if done and step >= slices_before_edit:
                break
        assert done
        checker.staged = False
        server.documents[URI].report = None
        assert served(server) == fresh(doc.text, server.encoding)


def fresh_syntax(text: str) -> list[dict[str, object]]:
    """The parser's problems only, as a staged check first reports them."""
    doc = Document(text)
    found = sorted(doc.problems(), key=lambda p: (p.start, p.end, p.code))
    return [convert.diagnostic_json(p, doc, PositionEncoding.UTF16, URI) for p in found]
