"""Where a `.bib` file folds: entries, long values, runs of comment lines."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.features.folding import Fold, FoldKind, document_folds

TEXT = (
    "%% header one\n"
    "%% header two\n"
    "\n"
    "a lone line\n"
    "@article{k1,\n"
    "  title = {Short},\n"
    "  % old = x,\n"
    "  % older = y,\n"
    "  abstract = {line one\n"
    "    line two\n"
    "    line three},\n"
    "  note = {two\n"
    "    lines},\n"
    "  year = 2020\n"
    "}\n"
    "@misc{k2, title = {One line}}\n"
    "@comment{ a\n b }\n"
)


def folds(text: str) -> list[tuple[str, FoldKind, bool]]:
    return [
        (text[f.start : f.end], f.kind, f.keep_last_line) for f in document_folds(Document(text))
    ]


def test_what_folds() -> None:
    found = folds(TEXT)
    assert found == [
        ("%% header one\n%% header two", FoldKind.COMMENT, False),
        (TEXT[TEXT.index("k1,") : TEXT.index("2020\n}") + 5], FoldKind.REGION, True),
        ("% old = x,\n  % older = y,", FoldKind.COMMENT, False),
        ("line one\n    line two\n    line three", FoldKind.REGION, False),
        (" a\n b ", FoldKind.COMMENT, False),
    ]  # not: a lone line, a two-line value, a one-line entry


def test_what_a_folded_range_shows() -> None:
    shown = [f.collapsed for f in document_folds(Document(TEXT))]
    assert shown == [
        "%% header one …",
        "@article{k1, …",
        "% old = x, …",
        "abstract = {line one line two line three}",
        "@comment{ …",
    ]


def test_a_line_only_fold_keeps_the_closing_delimiter_or_the_next_field() -> None:
    text = "@book{k,\n  abstract = {a\n  b\n  c\n  }, year = 2000}\n"
    found = document_folds(Document(text))
    entry, value = found
    assert not entry.keep_last_line  # the `}` ends the last field's line
    assert value.keep_last_line
    text = "@book{k,\n  abstract = {a\n  b\n  c}, year = 2000\n}"
    value = document_folds(Document(text))[1]
    assert value.keep_last_line  # `year` follows on that line


def test_a_blank_line_ends_a_run_of_comments() -> None:
    text = "% a\n% b\n\n% c\n% d\n% e\n"
    assert [f.collapsed for f in document_folds(Document(text))] == ["% a …", "% c …"]


def test_crlf_and_an_unclosed_entry() -> None:
    text = "@book{k,\r\n  title = {T},\r\n  note = {a\r\n  b\r\n  c\r\n@misc{m, x = 1}\r\n"
    found: list[Fold] = document_folds(Document(text))
    assert [text[f.start : f.end] for f in found] == [
        "k,\r\n  title = {T},\r\n  note = {a\r\n  b\r\n  c\r\n",
        "a\r\n  b\r\n  c",  # the unclosed value stops before the next line's `@`
    ]
