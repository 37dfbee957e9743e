"""References and renaming (no LSP types here): what name a place in a `.bib`
file is (an entry key or an `@string` macro), where that name occurs in `.bib`
text, in LaTeX citations and in Markdown (pandoc) citations, and whether a new
name is one BibTeX and biber accept.

Names are compared as BibTeX compares them: case-insensitively, in `.bib`
files and in citations alike (BibTeX warns about a citation that differs from
its entry in case only, and a rename should carry those along too); keys of a
`biblatex` document as biber compares them, with case (``Target.exact``): there
`Key` and `key` are two entries, and a citation in the other case finds neither.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bib_lsp.document import Document
from bib_lsp.document.files import MAX_BYTES
from bib_lsp.document.io import read_bib
from bib_lsp.features.places import PlaceKind, inside, list_body, place_at
from bib_lsp.model.keys import KEY_FIELDS, key_trouble
from bib_lsp.syntax.block import Block, SyntaxTree
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import KEY_IN_PARENS_RE, NAME_RE
from bib_lsp.syntax.views import view
from bib_lsp.text import LineIndex

TEX_SUFFIXES = (".tex", ".ltx", ".sty", ".cls")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd", ".rmd")
MAX_SCANNED = 5000  # files read per request


class NameKind(enum.Enum):
    KEY = "key"
    MACRO = "macro"


@dataclass(frozen=True, slots=True)
class Target:
    """The name a request is about, and where it is at the request's place."""

    kind: NameKind
    name: str  # as written there
    start: int
    end: int
    exact: bool = False  # a key compared with case (biber's reading)


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: int
    end: int
    declaration: bool = False  # the entry's key or the `@string`'s name


def target_at(doc: Document, offset: int, exact: bool = False) -> Target | None:
    """The key or macro at ``offset``: an entry's key, a key in a field that names
    entries, an `@string`'s name or a macro used in a value; None elsewhere. With
    ``exact``, a key is compared with case."""
    place = place_at(doc, offset)
    if place is None:
        return None
    if place.kind is PlaceKind.HEAD:
        span = place.entry.key_span
        if span is None or not inside(offset, span.start, span.end) or not place.entry.key:
            return None
        return Target(NameKind.KEY, place.entry.key, span.start, span.end, exact)
    if place.kind is PlaceKind.KEY:
        return Target(NameKind.KEY, place.name, place.start, place.end, exact)
    if place.kind in (PlaceKind.MACRO_NAME, PlaceKind.MACRO):
        return Target(NameKind.MACRO, place.name, place.start, place.end)
    return None


# -- .bib text ---------------------------------------------------------------------------


def same_key(name: str, exact: bool) -> Callable[[str], bool]:
    """Whether a key is ``name``: as spelled with ``exact``, else in any case."""
    if exact:
        return name.__eq__
    wanted = name.lower()
    return lambda key: key.lower() == wanted


def bib_occurrences(
    blocks: Iterable[tuple[int, Block]], kind: NameKind, name: str, exact: bool = False
) -> list[Occurrence]:
    """Where ``name`` occurs in these blocks (with their starts), in text order
    (a key compared with case when ``exact``)."""
    wanted = name.lower()
    is_name = same_key(name, exact)
    out: list[Occurrence] = []
    for start, block in blocks:
        if block.kind not in (K.ENTRY, K.STRING, K.PREAMBLE):
            continue
        if kind is NameKind.MACRO and wanted not in block.text.lower():
            continue  # the usual case, decided without a view
        entry = view(block)
        if entry is None:  # pragma: no cover - these kinds have views
            continue
        if kind is NameKind.KEY:
            span = entry.key_span
            if entry.kind is K.ENTRY and entry.key and is_name(entry.key) and span:
                out.append(Occurrence(start + span.start, start + span.end, True))
            for f in entry.fields:
                if f.name_lower not in KEY_FIELDS or f.value is None:
                    continue
                for piece in f.value.pieces:
                    if piece.kind in (K.BRACED, K.QUOTED):
                        for key, at in keys_in(piece.text):
                            if is_name(key):
                                at += start + piece.span.start
                                out.append(Occurrence(at, at + len(key)))
            continue
        values = [f.value for f in entry.fields]
        if entry.kind is K.STRING:
            for f in entry.fields:
                if f.name and f.name_lower == wanted:
                    out.append(Occurrence(start + f.name_span.start, start + f.name_span.end, True))
        for value in [*values, entry.preamble]:
            for piece in value.pieces if value is not None else ():
                if piece.kind is K.MACRO and piece.text.lower() == wanted:
                    out.append(Occurrence(start + piece.span.start, start + piece.span.end))
    out.sort(key=lambda o: o.start)
    return out


def keys_in(text: str) -> Iterator[tuple[str, int]]:
    """The keys of a braced or quoted list of keys (``text`` with its delimiters)
    and where each starts in ``text``."""
    at = 1
    for part in list_body(text).split(","):
        key = part.strip()
        if key:
            yield key, at + len(part) - len(part.lstrip())
        at += len(part) + 1


def document_occurrences(
    doc: Document, kind: NameKind, name: str, exact: bool = False
) -> list[Occurrence]:
    return bib_occurrences(doc.blocks(), kind, name, exact)


def text_occurrences(text: str, kind: NameKind, name: str, exact: bool = False) -> list[Occurrence]:
    """Where ``name`` occurs in the text of a `.bib` file that is not open."""
    if name.lower() not in text.lower():
        return []
    tree = SyntaxTree(text)
    # Views relative to the blocks' starts, as the open documents' are.
    return bib_occurrences(zip(tree.starts, tree.blocks, strict=True), kind, name, exact)


# -- citations in LaTeX and Markdown -----------------------------------------------------

_CITE_COMMANDS = (
    "cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|citenum|Cite|Citep|"
    "Citet|parencite|Parencite|textcite|Textcite|autocite|Autocite|footcite|Footcite|"
    "footcitetext|smartcite|Smartcite|supercite|fullcite|footfullcite|nocite|citetitle|"
    "citeurl|citedate"
)
# A citation command, its star, up to two optional arguments and its key list
# (the list's text is the last group).
TEX_CITE = re.compile(
    r"\\(?:" + _CITE_COMMANDS + r")\*?(?![A-Za-z])"
    r"(?:\s*\[[^\[\]]*\]){0,2}\s*\{([^{}]*)\}"
)
# A pandoc citation key: `@key` or `@{key}`. The `@` must not follow a word
# character or a character that e-mail addresses have before it; a key starts
# with a letter, a digit or `_`, and punctuation is part of it only inside.
MARKDOWN_CITE = re.compile(
    r"(?<![\w@.+/\\])@(?:\{([^{}\s]+)\}|(\w(?:\w|[:.#$%&\-+?<>~/]+(?=\w))*))"
)
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


def tex_citations(text: str) -> Iterator[tuple[str, int]]:
    """Each key cited in LaTeX text and where it starts (commented lines too:
    a rename should not leave them stale)."""
    for match in TEX_CITE.finditer(text):
        start = match.start(1)
        at = 0
        for part in match.group(1).split(","):
            key = part.strip()
            if key:
                yield key, start + at + len(part) - len(part.lstrip())
            at += len(part) + 1


def markdown_citations(text: str) -> Iterator[tuple[str, int]]:
    """Each key cited in Markdown text (pandoc's `[@key]`, `[see @a, p. 3; @b]`,
    `@key`, `@{key}`) and where it starts; fenced code blocks are left out."""
    fenced = _fenced(text)
    for match in MARKDOWN_CITE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        start = match.start(group)
        if not any(a <= start < b for a, b in fenced):
            yield match.group(group), start


def _fenced(text: str) -> list[tuple[int, int]]:
    out = []
    fences = list(_FENCE.finditer(text))
    while fences:
        opening = fences.pop(0)
        closing = next((f for f in fences if f.group(1) == opening.group(1)), None)
        if closing is None:
            out.append((opening.start(), len(text)))
            break
        out.append((opening.start(), closing.end()))
        fences = fences[fences.index(closing) + 1 :]
    return out


def citation_occurrences(path: str, text: str, name: str, exact: bool = False) -> list[Occurrence]:
    """Where the key ``name`` is cited in a LaTeX or Markdown file's text (with
    case when ``exact``)."""
    if name.lower() not in text.lower():
        return []
    is_name = same_key(name, exact)
    found = (
        markdown_citations(text)
        if path.lower().endswith(MARKDOWN_SUFFIXES)
        else tex_citations(text)
    )
    return [Occurrence(at, at + len(key)) for key, at in found if is_name(key)]


# -- files on disk -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileHits:
    path: str
    lines: LineIndex  # the file's text, for positions
    occurrences: list[Occurrence]


def read_text(path: str, max_bytes: int = MAX_BYTES) -> str | None:
    """A file's text (UTF-8, else Latin-1; `.bib` files as the server reads them);
    None when it cannot be read or is larger than ``max_bytes`` (not read then)."""
    try:
        if Path(path).stat().st_size > max_bytes:
            return None
        if path.lower().endswith(".bib"):
            return read_bib(Path(path)).text
        data = Path(path).read_bytes()
    except (OSError, ValueError):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def scan_files(
    paths: list[str],
    kind: NameKind,
    name: str,
    max_bytes: int = MAX_BYTES,
    too_large: list[str] | None = None,
    exact: bool = False,
) -> list[FileHits]:
    """The occurrences of the key or macro ``name`` in these files (at most
    ``MAX_SCANNED`` of them): `.bib` files for both, LaTeX and Markdown files for
    keys (compared with case when ``exact``). Files larger than ``max_bytes`` are
    skipped (and added to ``too_large``). Meant for a worker thread."""
    out = []
    for path in paths[:MAX_SCANNED]:
        is_bib = path.lower().endswith(".bib")
        if not is_bib and kind is NameKind.MACRO:
            continue
        text = read_text(path, max_bytes)
        if text is None:
            if too_large is not None and _size(path) > max_bytes:
                too_large.append(path)
            continue
        if is_bib:
            found = text_occurrences(text, kind, name, exact)
        else:
            found = citation_occurrences(path, text, name, exact)
        if found:
            out.append(FileHits(path, LineIndex(text), found))
    return out


# -- new names ---------------------------------------------------------------------------


def new_name_problem(kind: NameKind, name: str) -> str | None:
    """Why ``name`` cannot be a key (or a macro's name); None when it can."""
    if kind is NameKind.MACRO:
        if not NAME_RE.fullmatch(name) or name[0].isdigit():
            return (
                f"`{name}` is not a valid macro name: it must not start with a digit and "
                "must not contain white space or any of `\"#%'(),={}`"
            )
        return None
    if not KEY_IN_PARENS_RE.fullmatch(name):
        return (
            f"`{name}` is not a valid key: a key must not be empty, start with `@` or "
            'contain white space or any of `,{}()=#"%`'
        )
    trouble = key_trouble(name)
    if trouble:
        return f"`{name}` is not a valid key: {trouble}"
    return None
