"""Links: DOIs, URLs and eprints, over the value's text without delimiters."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.features.links import document_links


def links(text: str) -> list[tuple[str, str]]:
    """(linked text, target) pairs."""
    return [(text[x.start : x.end], x.target) for x in document_links(Document(text))]


@pytest.mark.parametrize(
    ("field", "linked", "target"),
    [
        ("doi = {10.1000/xyz123}", "10.1000/xyz123", "https://doi.org/10.1000/xyz123"),
        ('DOI = "doi:10.1000/a b"', "", ""),  # a blank: not a DOI
        ("doi = { doi:10.1000/ab }", "doi:10.1000/ab", "https://doi.org/10.1000/ab"),
        ("doi = {10.1000/a\\_b#c}", "10.1000/a\\_b#c", "https://doi.org/10.1000/a_b%23c"),
        (
            'doi = "https://doi.org/10.1016/0010-4655(95)90137-S"',
            "https://doi.org/10.1016/0010-4655(95)90137-S",
            "https://doi.org/10.1016/0010-4655(95)90137-S",
        ),
        ("doi = {not a doi}", "", ""),
        ("url = {https://tug.org/x\\%20y}", "https://tug.org/x\\%20y", "https://tug.org/x%20y"),
        ("url = {www.tug.org}", "www.tug.org", "https://www.tug.org"),
        ("url = {file:///tmp/a.pdf}", "", ""),  # only http(s) links (issue 10, safety)
        ("url = {ftp://tug.org/a mailto:a@b.org}", "", ""),
        ("url = {see the web}", "", ""),
        ("url = tugurl", "", ""),  # a macro: its text is not here
        ("url = {}", "", ""),
    ],
)
def test_one_field(field: str, linked: str, target: str) -> None:
    expected = [(linked, target)] if linked else []
    assert links(f"@misc{{k, {field}}}") == expected


def test_several_urls_in_one_value() -> None:
    text = "@misc{k, url = {https://a.org/1 https://b.org/2}}"
    assert links(text) == [
        ("https://a.org/1", "https://a.org/1"),
        ("https://b.org/2", "https://b.org/2"),
    ]


@pytest.mark.parametrize(
    ("fields", "target"),
    [
        ("eprint = {2101.00001}, eprinttype = {arXiv}", "https://arxiv.org/abs/2101.00001"),
        ("eprinttype = arxiv, eprint = {arXiv:2101.00001}", "https://arxiv.org/abs/2101.00001"),
        (
            "archivePrefix = {arXiv}, eprint = {hep-th/9901001}",
            "https://arxiv.org/abs/hep-th/9901001",
        ),
        ("eprint = {1234}, eprinttype = {jstor}", "https://www.jstor.org/stable/1234"),
        ("eprint = {2101.00001}", ""),  # no type: where to?
        ("eprint = {x}, eprinttype = {unknown}", ""),
    ],
)
def test_eprints(fields: str, target: str) -> None:
    found = [t for _, t in links(f"@misc{{k, {fields}}}")]
    assert found == ([target] if target else [])


def test_only_in_entries_and_with_non_ascii_before() -> None:
    text = '@string{doi = "10.1/x"}\n@misc{Ünal, title = {Ça}, doi = {10.1/y}}\n'
    found = document_links(Document(text))
    assert [(text[x.start : x.end], x.tooltip) for x in found] == [
        ("10.1/y", "Open the DOI 10.1/y")
    ]
