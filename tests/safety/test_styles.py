"""A CSL style named by `bibLsp.citation.style` is the user's choice and is read,
but only as XML: a style declaring entities (a local file, a URL, a parameter
entity) is refused before citeproc-py sees it, nothing is fetched, no file's text
leaks into what the server says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bib_lsp.features.citation import StyleError, load_style, render, style_path
from bib_lsp.lsp.config import parse_settings
from tests.safety.conftest import Web

BODY = (
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
    "  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>\n"
    '  <citation><layout><text variable="title"/></layout></citation>\n'
    '  <bibliography><layout>{use}<text variable="title"/></layout></bibliography>\n'
    "</style>\n"
)


def _styles(tmp_path: Path, web: Web) -> dict[str, Path]:
    (tmp_path / "leak.txt").write_text("ENTITYLEAK")
    kinds = {
        "local": (f'<!ENTITY e SYSTEM "file://{tmp_path}/leak.txt">', '<text value="&e;"/>'),
        "remote": (f'<!ENTITY e SYSTEM "{web.url}/entity">', '<text value="&e;"/>'),
        "in-text": (f'<!ENTITY e SYSTEM "{web.url}/text">', '<text value="x">&e;</text>'),
        "parameter": (f'<!ENTITY % p SYSTEM "{web.url}/param"> %p;', ""),
        "internal": ('<!ENTITY e "harmless">', '<text value="&e;"/>'),
    }
    out = {}
    for name, (declaration, use) in kinds.items():
        path = tmp_path / f"{name}.csl"
        path.write_text(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f"<!DOCTYPE style [\n  {declaration}\n]>\n" + BODY.format(use=use)
        )
        out[name] = path
    return out


def test_styles_with_entities_are_refused_and_fetch_nothing(tmp_path: Path, web: Web) -> None:
    for name, path in _styles(tmp_path, web).items():
        with pytest.raises(StyleError, match="document type declaration"):
            style_path(str(path))
        load_style.cache_clear()
        with pytest.raises(StyleError) as error:
            load_style(str(path))
        assert "ENTITYLEAK" not in str(error.value), name
        settings, problems = parse_settings({"citation": {"style": str(path)}})
        assert settings.citation_style == "apa" and len(problems) == 1, name
    assert web.paths == []


def test_a_plain_style_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "mine.csl"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + BODY.format(use=""))
    item = {"id": "k", "type": "book", "title": "Plain"}
    assert "Plain" in render(item, load_style(str(path)))
    apa = tmp_path / "apa.csl"
    shutil.copy(style_path("apa"), apa)
    assert "Plain" in render(item, load_style(str(apa)))


@pytest.mark.parametrize("spec", ["http://127.0.0.1:9/style.csl", "https://x.org/apa.csl"])
def test_a_style_url_is_not_fetched(spec: str) -> None:
    with pytest.raises(StyleError, match="does not exist"):
        style_path(spec)
