"""Citation styles: by id, by file (dependent styles follow their parent), errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.features.citation import StyleError, escape_markdown, load_style, render
from bib_lsp.lsp.config import parse_settings

ITEM = {
    "id": "k",
    "type": "article-journal",
    "author": [{"family": "Doe", "given": "Jane"}],
    "title": "A_b *c*",
    "container-title": "J",
    "issued": {"date-parts": [[2020]]},
    "URL": "https://example.org/a_b",
}
DEPENDENT = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-US">
  <info>
    <title>My journal</title>
    <id>http://www.zotero.org/styles/my-journal</id>
    <link href="http://www.zotero.org/styles/my-journal" rel="self"/>
    <link href="http://www.zotero.org/styles/ieee" rel="independent-parent"/>
    <updated>2020-01-01T00:00:00+00:00</updated>
  </info>
</style>
"""


def test_styles_by_id_and_by_file(tmp_path: Path) -> None:
    ieee = render(ITEM, load_style("ieee"))
    assert ieee.startswith("[1] J. Doe, “A\\_b \\*c\\*”")  # the data escaped for Markdown
    assert "[https://example.org/a\\_b](https://example.org/a_b)" in ieee  # a link
    dependent = tmp_path / "my-journal.csl"
    dependent.write_text(DEPENDENT, encoding="utf-8")
    assert render(ITEM, load_style(str(dependent))) == ieee


def test_bad_styles_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(StyleError, match="not a citation style id"):
        load_style("no-such-style")
    with pytest.raises(StyleError, match="does not exist"):
        load_style(str(tmp_path / "missing.csl"))
    broken = tmp_path / "broken.csl"
    broken.write_text("<style", encoding="utf-8")
    with pytest.raises(StyleError, match="cannot be read"):
        load_style(str(broken))


def test_the_setting_is_checked_when_it_is_set() -> None:
    settings, problems = parse_settings({"citation": {"style": "chicago-author-date"}})
    assert (settings.citation_style, problems) == ("chicago-author-date", [])
    settings, problems = parse_settings({"citation": {"style": "nope"}})
    assert settings.citation_style == "apa"
    assert problems and problems[0].startswith("bibLsp.citation.style: 'nope' is not")
    settings, problems = parse_settings({"citation": {"style": 3}})
    assert settings.citation_style == "apa" and "must be a style id" in problems[0]


def test_markdown_escaping() -> None:
    assert escape_markdown("a_b*c[d]<e>`f`#g|h\\") == "a\\_b\\*c\\[d\\]\\<e\\>\\`f\\`\\#g\\|h\\\\"
