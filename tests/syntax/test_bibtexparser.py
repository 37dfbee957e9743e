"""Second opinion: bibtexparser 2 reads the same entries and field names as we do."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from tests.syntax.helpers import CORPUS_DIR, corpus_params, entries, read_source

bibtexparser = pytest.importorskip("bibtexparser")

# Where bibtexparser itself is wrong, by (corpus path, key):
KNOWN_BIBTEXPARSER_ERRORS = {
    # bibtexparser 2.1 ends a quoted value at the `"` of `{"a}` (a `"` inside braces
    # does not end a quoted string in BibTeX), so it mis-reads the fields of this
    # entry, which contains `"...{"a}..."`.
    ("texlive/beebe/texbook1.bib", "Tschichold:NT91"),
}


@pytest.fixture(autouse=True)
def _quiet_bibtexparser() -> Iterator[None]:
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        yield
    finally:
        logging.disable(previous)


def failed_block_text(library: object) -> list[str]:
    return [getattr(b, "raw", "") or "" for b in library.failed_blocks]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", corpus_params())
def test_bibtexparser_entries_are_ours(path: Path) -> None:
    source = read_source(path)
    relative = str(path.relative_to(CORPUS_DIR))
    library = bibtexparser.parse_string(source)
    failed = failed_block_text(library)

    ours = [
        (e.key, {f.name_lower for f in e.fields})
        for e in entries(parse(source))
        if e.kind is K.ENTRY
    ]
    # Their entries must be a subsequence of ours (same relative order).
    position = 0
    checked = 0
    for theirs in library.entries:
        key = theirs.key
        if any(key in raw for raw in failed):
            continue  # bibtexparser failed around this entry
        while position < len(ours) and ours[position][0] != key:
            position += 1
        assert position < len(ours), f"{key!r} read by bibtexparser is missing or out of order"
        our_fields = ours[position][1]
        position += 1
        checked += 1
        if (relative, key) in KNOWN_BIBTEXPARSER_ERRORS:
            continue
        their_fields = {name.lower() for name in theirs.fields_dict}
        assert our_fields == their_fields, key
    # Not vacuous: files with entries were compared entry by entry.
    assert checked == len(library.entries) - sum(
        1 for e in library.entries if any(e.key in raw for raw in failed)
    )


def test_known_bibtexparser_error_is_still_there() -> None:
    # Document why the exception above exists: bibtexparser cuts `"Ein {"a}ra"`.
    text = '@book{k, title = "Ein {"a}ra", year = 1990}'
    library = bibtexparser.parse_string(text)
    ours = entries(parse(text))[0]
    assert {f.name for f in ours.fields} == {"title", "year"}
    theirs = library.entries[0].fields_dict if library.entries else {}
    title = theirs.get("title")
    assert title is None or title.value != "Ein {" + '"' + "a}ra"
