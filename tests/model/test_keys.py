"""What BibTeX, biber and LaTeX reject in keys (bib_lsp.model.keys)."""

from __future__ import annotations

import pytest

from bib_lsp.model.keys import key_trouble, printable, shown_char


@pytest.mark.parametrize(
    ("key", "trouble"),
    [
        ("knuth84", ""),
        ("doe:2020-a_b./+@", ""),
        ("o'neil", "contains `'`: biber cannot read it"),
        ("a~b", "contains `~`: `\\cite` fails on it"),
        ("a'(~", "contains `'`, `(` and `~`: biber cannot read it and `\\cite` fails on it"),
        ("a\x01b", "contains the control character U+0001: biber cannot read it"),
    ],
)
def test_key_trouble(key: str, trouble: str) -> None:
    assert key_trouble(key) == trouble


def test_control_characters_in_messages() -> None:
    assert printable("a\x7fb") == "a?b"
    assert shown_char("\\") == "`\\`"
