"""Formatting the real corpus: the meaning of every file is kept, formatting twice
gives what formatting once gave, and broken entries stay byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document.io import read_bib
from bib_lsp.formatting import FormatOptions, format_text
from bib_lsp.syntax import parse
from tests.meaning import kept_by_formatting

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
        assert kept_by_formatting(once, options) == kept_by_formatting(text, options), path
        assert format_text(once, options) == once, f"{path}: not idempotent"
        broken = [b.text for _, b in parse(text) if b.problems]
        for block in broken:
            assert block in once, f"{path}: a broken entry changed"
        changed += once != text
    assert changed > 0  # the option sets do change files


@pytest.mark.skipif(not FILES, reason="../shared/corpus is not there")
def test_the_format_command_on_corpus_files(tmp_path: Path) -> None:
    """`bib-lsp format` in place over copies of real files (one from each corner
    of the corpus): the meaning is kept, and `--check` then passes (exit 0) where
    before it failed (exit 1) for the files it changed."""
    import io

    from bib_lsp.cli import run_format

    chosen = FILES[:: max(1, len(FILES) // 12)]
    before = {}
    for i, path in enumerate(chosen):
        copy = tmp_path / f"{i}-{path.name}"
        copy.write_bytes(path.read_bytes())
        before[copy] = read_bib(copy).text
    (tmp_path / "bib-lsp.toml").write_text('[format]\nblank_lines = 1\ntype_case = "lower"\n')
    options = FormatOptions(blank_lines=1, type_case="lower")
    quiet = io.StringIO()
    assert run_format([str(tmp_path)], True, False, None, quiet, quiet) == 1
    assert run_format([str(tmp_path)], False, False, None, quiet, quiet) == 0
    assert run_format([str(tmp_path)], True, False, None, quiet, quiet) == 0
    for copy, text in before.items():
        after = read_bib(copy).text
        assert kept_by_formatting(after, options) == kept_by_formatting(text, options), copy.name
