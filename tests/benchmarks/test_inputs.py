"""The benchmarks' generated files (benchmarks/inputs.py) are self-consistent: every
copy of a corpus file keeps its keys unique and its macros and cross references
resolved, and later copies cite other works, so that bib-lsp's own checker finds
no more undefined macros, duplicate keys, dangling references or duplicate works
than in the files copied."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.inputs import PROBE_KEY, corpus_files, edit_site, generate, source_blocks
from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import entry_view
from tests.syntax.helpers import CORPUS_DIR

# Small files with @strings, crossref, xdata, related and entryset; one whose
# macros live in another file (so undefined in the source already).
SOURCES = [
    "texlive/base/xampl.bib",
    "texlive/biblatex/biblatex/biblatex-examples.bib",
    "texlive/beebe/texbook1.bib",
    "texlive/archaeologie/archaeologie-examples.bib",
]
CODES = (
    "undefined-macro",
    "macro-defined-after-use",
    "duplicate-key",
    "duplicate-string",
    "dangling-reference",
    "crossref-before-entry",
    "crossref-chain",
    "duplicate-entry",
    "duplicate-doi",
)
COUNT = 1_000

pytestmark = pytest.mark.skipif(
    not all((CORPUS_DIR / s).is_file() for s in SOURCES), reason="the corpus is not available"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for source in SOURCES:
        shutil.copy(CORPUS_DIR / source, root / Path(source).name)
    return root


def findings(text: str, dialect: str = "auto") -> Counter[str]:
    problems = Checker(Document(text), RuleOptions(dialect=dialect)).diagnose()
    return Counter(p.code for p in problems if p.code in CODES)


def test_copies_stay_self_consistent(corpus: Path) -> None:
    text = generate(corpus, COUNT)
    assert generate(corpus, COUNT) == text  # deterministic

    doc = Document(text)
    views = [v for s, b in doc.blocks() if (v := entry_view(b, s)) and v.kind is K.ENTRY]
    assert len(views) == COUNT
    keys = [v.key.lower() for v in views if v.key]
    assert len(set(keys)) == len(keys)
    assert sum(k + "," == PROBE_KEY.lower() for k in keys) == 1
    assert edit_site(doc).key + "," == PROBE_KEY

    # What the copied files have themselves, once per copy (the cut copy counted
    # whole), and the duplicate works across the files of the first pass: the
    # generated file may not have more. All read in the generated file's dialect
    # (biblatex compares keys with case: a file read as BibTeX alone may not).
    dialect = Checker(doc).dialect
    files = corpus_files(corpus)
    allowed: Counter[str] = Counter()
    copied, copies = 0, 0
    while copied < COUNT:
        path = files[copies % len(files)]
        copied += sum(b.regular for b in source_blocks(path))
        for code, n in findings(read_bib(path).text, dialect).items():
            allowed[code] += n
        copies += 1
        if copies == len(files):
            first_pass = findings(generate(corpus, copied), dialect)
            for code in ("duplicate-entry", "duplicate-doi"):
                allowed[code] = first_pass[code]
    assert copies > len(files)  # every file copied at least twice
    found = findings(text, dialect)
    for code in CODES:
        assert found[code] <= allowed[code], code

    # The references were renamed with their targets, not dropped.
    linked = [v for v in views if v.field("crossref") or v.field("related")]
    assert len(linked) >= copies - len(files)
