"""Every rule over the whole real corpus: nothing crashes, and the count of each
code is kept in `corpus_counts.json`, so that a change in what the rules find on
real bibliographies shows up in review.

After a deliberate change, write the new counts with
`BIB_LSP_UPDATE_SNAPSHOT=1 python -m pytest tests/rules/test_corpus_snapshot.py`.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.rules import Checker

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
SNAPSHOT = Path(__file__).with_name("corpus_counts.json")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not there")


def corpus_counts() -> dict[str, int]:
    counts: Counter[str] = Counter()
    for path in sorted(CORPUS.rglob("*.bib")):
        loaded = read_bib(path)
        counts.update(p.code for p in loaded.problems)
        counts.update(p.code for p in Checker(Document(loaded.text)).diagnose())
    return dict(sorted(counts.items()))


def test_the_counts_of_each_code_on_the_corpus_are_as_recorded() -> None:
    counts = corpus_counts()
    if os.environ.get("BIB_LSP_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert counts == recorded, "rerun with BIB_LSP_UPDATE_SNAPSHOT=1 if the change is meant"


def test_findings_do_not_depend_on_which_views_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Views are kept for a bounded number of blocks and built again when asked
    for: with room for a single one (every look-up at another entry, such as a
    crossref parent, rebuilds it), each corpus file's findings are the same."""
    from bib_lsp.syntax import views

    paths = sorted(CORPUS.rglob("*.bib"))
    assert paths
    kept = views.VIEWS_KEPT
    for path in paths:
        text = read_bib(path).text
        monkeypatch.setattr(views, "VIEWS_KEPT", kept)
        expected = Checker(Document(text)).diagnose()
        monkeypatch.setattr(views, "VIEWS_KEPT", 1)
        views._VIEWS.clear()
        assert Checker(Document(text)).diagnose() == expected, path.name
