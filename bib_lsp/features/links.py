"""Links in a `.bib` file (no LSP types here): a `doi` to https://doi.org/, a
`url` as it is when it is an http(s) address (never `file:` or another scheme),
an `eprint` by its `eprinttype` (or `archiveprefix`): arXiv, JSTOR, handles,
PubMed, Google Books, as biblatex links them.

A link covers the value's text without its delimiters; only literal values
link (not macros). LaTeX escapes (`\\_`, `\\%`, `\\#`, `\\&`, `\\~`) are undone
and braces dropped in the target. Links are computed per block, block-relative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import quote

from bib_lsp.document import Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Field, view

# biblatex's eprint types and the addresses its standard styles link them to.
EPRINTS = {
    "arxiv": ("https://arxiv.org/abs/", "arXiv"),
    "jstor": ("https://www.jstor.org/stable/", "JSTOR"),
    "hdl": ("https://hdl.handle.net/", "the handle"),
    "pubmed": ("https://www.ncbi.nlm.nih.gov/pubmed/", "PubMed"),
    "googlebooks": ("https://books.google.com/books?id=", "Google Books"),
}
# Only web addresses link: a document must not make the editor open a local file
# (`file:`) or anything else its text names.
_SCHEME = re.compile(r"https?://\S+", re.IGNORECASE)
_DOI = re.compile(r"^(?:doi:\s*)?(10\.\S+)$", re.IGNORECASE)
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/\S+$", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([_%#&~$])")
_WORDS = re.compile(r"\S+")
_ARXIV_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    start: int  # the linked text (offsets: block-relative from ``block_links``)
    end: int
    target: str
    tooltip: str

    def shifted(self, delta: int) -> Link:
        return replace(self, start=self.start + delta, end=self.end + delta)


def block_links(block: Block) -> list[Link]:
    """The block's links, block-relative."""
    return _links(block)


def document_links(doc: Document) -> list[Link]:
    return [link.shifted(start) for start, block in doc.blocks() for link in block_links(block)]


def _links(block: Block) -> list[Link]:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return []
    out: list[Link] = []
    for f in entry.fields:
        name = f.name_lower
        if name == "doi":
            out += _doi(f)
        elif name == "url":
            out += _urls(f)
        elif name == "eprint":
            out += _eprint(entry, f)
    return out


def _literal(f: Field) -> tuple[str, int] | None:
    """A value that is one braced or quoted piece: its text without delimiters and
    blanks at the ends, and where that starts."""
    if f.value is None or len(f.value.pieces) != 1:
        return None
    piece = f.value.pieces[0]
    if piece.kind not in (K.BRACED, K.QUOTED):
        return None
    content = piece.content
    stripped = content.strip()
    if not stripped:
        return None
    return stripped, piece.span.start + 1 + len(content) - len(content.lstrip())


def _plain(latex: str) -> str:
    """The text a link goes to: escapes undone, braces dropped."""
    return _ESCAPE.sub(r"\1", latex).replace("{", "").replace("}", "")


def _doi(f: Field) -> list[Link]:
    found = _literal(f)
    if found is None:
        return []
    text, start = found
    plain = _plain(text)
    end = start + len(text)
    if _DOI_URL.match(plain):
        return [Link(start, end, plain, "Open the DOI")]
    match = _DOI.match(plain)
    if match is None:
        return []
    doi = match.group(1)
    target = "https://doi.org/" + quote(doi, safe="/:;()[]<>-._~!$&'*+,=@")
    return [Link(start, end, target, f"Open the DOI {doi}")]


def _urls(f: Field) -> list[Link]:
    """A URL, or several separated by blanks (each its own link)."""
    found = _literal(f)
    if found is None:
        return []
    text, start = found
    out = []
    for word in _WORDS.finditer(text):
        plain = _plain(word.group(0))
        if plain.lower().startswith("www."):
            plain = "https://" + plain
        if _SCHEME.fullmatch(plain):
            out.append(Link(start + word.start(), start + word.end(), plain, "Open the URL"))
    return out


def _eprint(entry: Entry, f: Field) -> list[Link]:
    kind = (_kind_of(entry, "eprinttype") or _kind_of(entry, "archiveprefix") or "").lower()
    found = _literal(f)
    if kind not in EPRINTS or found is None:
        return []
    base, label = EPRINTS[kind]
    text, start = found
    ident = _plain(text)
    if kind == "arxiv":
        ident = _ARXIV_PREFIX.sub("", ident)
    if not ident or any(c.isspace() for c in ident):
        return []
    target = base + quote(ident, safe="/:.-_")
    return [Link(start, start + len(text), target, f"Open {ident} on {label}")]


def _kind_of(entry: Entry, name: str) -> str | None:
    """The text of a field naming an eprint type: literal, or a bare word."""
    f = entry.field(name)
    if f is None or f.value is None:
        return None
    pieces = f.value.pieces
    if len(pieces) == 1 and pieces[0].kind is K.MACRO:
        return pieces[0].text
    found = _literal(f)
    return _plain(found[0]) if found is not None else None
