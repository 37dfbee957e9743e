"""Formatting the real corpus: the meaning of every file is kept, formatting twice
gives what formatting once gave, and broken entries stay byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document.io import read_bib
from bib_lsp.formatting import FormatOptions, format_text
from bib_lsp.syntax import parse
from tests.format.meaning import meaning

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FILES = sorted(CORPUS.rglob("*.bib")) if CORPUS.is_dir() else []

OPTION_SETS = {
    "defaults": FormatOptions(),
    "everything": FormatOptions(
        indent="\t",
        align=-1,
        delimiter="braces",
        type_case="lower",
        field_case="lower",
        blank_lines=1,
        sort_fields="standard",
        trailing_comma=True,
        wrap=60,
        page_dashes=True,
        strip_double_braces=True,
    ),
    "quotes": FormatOptions(
        indent="    ",
        align=24,
        delimiter="quotes",
        type_case="upper",
        field_case="upper",
        one_field_per_line=False,
        trailing_comma=False,
        blank_lines=0,
    ),
    "sorted": FormatOptions(sort_entries="year", blank_lines=2),
}


@pytest.mark.skipif(not FILES, reason="../shared/corpus is not there")
@pytest.mark.parametrize("name", sorted(OPTION_SETS))
def test_the_corpus_keeps_its_meaning(name: str) -> None:
    options = OPTION_SETS[name]
    changed = 0
    # Every file with the defaults and with every option on; a quarter of them
    # (spread through the corpus) with the other sets, to keep the run short.
    files = FILES if name in ("defaults", "everything") else FILES[::4]
    for path in files:
        text = read_bib(path).text
        once = format_text(text, options)
        assert meaning(once, options) == meaning(text, options), path
        assert format_text(once, options) == once, f"{path}: not idempotent"
        broken = [b.text for _, b in parse(text) if b.problems]
        for block in broken:
            assert block in once, f"{path}: a broken entry changed"
        changed += once != text
    assert changed > 0  # the option sets do change files
