"""Random `.bib` documents from real-looking parts: entries of many types
(braces or parentheses), fields with braced, quoted, number and macro values
joined by `#`, `@string`, `@preamble`, `@comment`, `%` comments, free text, odd
spacing, CRLF, non-ASCII and astral characters, broken entries (a brace, comma
or quote gone, a character thrown in) and duplicate keys and fields; and windows
of the real corpus (``../shared/corpus``)."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from hypothesis import strategies as st

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
LONG = os.environ.get("BIB_LSP_LONG_FUZZ") == "1"


def examples(default: int, long: int) -> int:
    """``max_examples``: ``long`` with ``BIB_LSP_LONG_FUZZ=1``, else ``default``."""
    return long if LONG else default


TYPES = [
    "article", "book", "inproceedings", "misc", "online", "thesis", "phdthesis",
    "incollection", "techreport", "Article", "BOOK", "InProceedings", "unknowntype",
]  # fmt: skip
KEYS = [
    "knuth84", "Knuth84", "lamport:1994", "doe-2001a", "smith_2020", "müller2019",
    "東京2020", "k😀", "a", "b", "c", "x.y/z", "parent",
]  # fmt: skip
FIELDS = [
    "author", "title", "year", "pages", "journal", "doi", "url", "crossref", "xdata",
    "note", "month", "Title", "YEAR", "editor", "booktitle", "publisher", "date",
    "isbn", "volume", "number", "related", "Author",
]  # fmt: skip
TEXTS = [
    "A. Writer and B. Other", "{DNA} in \\TeX", "Zürich", "東京", "😀 emoji 𝔸", "1--5",
    "12-34", "https://doi.org/10.1000/xyz", "10.1000/182", "{{Double}}", "{Double}",
    "x \\& y", "line\nbreak", "", "  spaced   out  ", "1999", "\\'{e}t\\'{e}", "{\\em x}",
    "parent", "a, b", "http://example.org/a_b", "Proc. of the {ACM}", "jan", "%not",
]  # fmt: skip
BRACED_ONLY = ['say "hi"', '{"}quote']
MACROS = ["jan", "feb", "acm", "conf", "undefinedmacro", "ACM", "dec"]
SPACES = ["", " ", "  ", "\t", "\n", "\n  ", " \n\t"]

spaces = st.sampled_from(SPACES)


@st.composite
def values(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from("bbbqqnm"))
        if kind == "b":
            pieces.append("{" + draw(st.sampled_from(TEXTS + BRACED_ONLY)) + "}")
        elif kind == "q":
            pieces.append('"' + draw(st.sampled_from(TEXTS)) + '"')
        elif kind == "n":
            pieces.append(draw(st.sampled_from(["1999", "2020", "7", "0"])))
        else:
            pieces.append(draw(st.sampled_from(MACROS)))
    joins = [draw(st.sampled_from([" # ", "#", " #\n  "])) for _ in pieces[1:]]
    out = pieces[0]
    for join, piece in zip(joins, pieces[1:], strict=True):
        out += join + piece
    return out


@st.composite
def fields(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(FIELDS))
    if name.lower() in ("crossref", "xdata", "related"):
        value = "{" + draw(st.sampled_from(KEYS)) + "}"
    else:
        value = draw(values())
    comment = draw(st.sampled_from(["", "", "", "% a comment\n  "]))
    return comment + name + draw(spaces) + "=" + draw(spaces) + value


@st.composite
def entries(draw: st.DrawFn) -> str:
    type_ = draw(st.sampled_from(TYPES))
    key = draw(st.sampled_from(KEYS))
    open_, close = draw(st.sampled_from([("{", "}"), ("{", "}"), ("(", ")")]))
    body = draw(st.lists(fields(), max_size=5))
    if body and draw(st.booleans()):
        body.append(body[0])  # a duplicate field
    sep = draw(st.sampled_from([",\n  ", ", ", ",", " ,\n\t", ",\r\n  "]))
    trailing = draw(st.sampled_from(["", ",", ",\n", "\n"]))
    head = f"@{type_}{draw(st.sampled_from(['', ' ']))}{open_}{key}"
    text = head + (sep + sep.join(body) if body else "") + trailing + close
    return text


strings = st.builds(
    lambda name, value, sp: f"@string{{{name}{sp}={sp}{value}}}",
    st.sampled_from([*MACROS, "longname"]),
    values(),
    spaces,
)
preambles = st.builds(
    lambda v: "@preamble{ " + v + " }",
    st.sampled_from(['"\\newcommand{\\noopsort}[1]{}"', '"a" # {b}', "{\\def\\x{y}}"]),
)
comments = st.sampled_from(
    [
        "@comment{ a {b} c }",
        "@Comment{jabref-meta: databaseType:bibtex;}",
        "% a line comment\n",
        "% bib-lsp: ignore[empty-field]\n",
        "free text between entries\n",
        "Ünïcödé free text 😀\n",
    ]
)
blocks = st.one_of(entries(), entries(), entries(), strings, preambles, comments)
gaps = st.sampled_from(["\n", "\n\n", "\n\n\n", " ", "", "\n  \t\n", "\r\n"])


@st.composite
def broken(draw: st.DrawFn, text: str) -> str:
    """``text`` with one character of structure gone, or one thrown in."""
    places = [i for i, c in enumerate(text) if c in '{}(),="#']
    if not places or draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.sampled_from([*list('{}",@=#'), "\n@"])) + text[at:]
    at = draw(st.sampled_from(places))
    return text[:at] + text[at + 1 :]


@st.composite
def generated(draw: st.DrawFn) -> str:
    parts = draw(st.lists(blocks, max_size=7))
    text = ""
    for part in parts:
        text += part + draw(gaps)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        text = draw(broken(text))
    if draw(st.booleans()) and draw(st.booleans()):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


@cache
def corpus_texts() -> list[tuple[str, list[int]]]:
    """Each corpus file's text and where its lines starting with `@` start."""
    if not CORPUS.is_dir():
        return []
    out = []
    for path in sorted(CORPUS.rglob("*.bib")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        starts = [0] + [m.start() + 1 for m in re.finditer("\n@", text)]
        out.append((text, starts))
    return out


@st.composite
def corpus_windows(draw: st.DrawFn) -> str:
    """A stretch of a real file: from one line starting with `@` to another, at
    most a few thousand characters."""
    texts = corpus_texts()
    if not texts:
        return draw(generated())
    text, starts = draw(st.sampled_from(texts))
    first = draw(st.integers(0, len(starts) - 1))
    count = draw(st.integers(1, 6))
    end = starts[first + count] if first + count < len(starts) else len(text)
    window = text[starts[first] : min(end, starts[first] + 4000)]
    if draw(st.integers(0, 4)) == 0:
        window = draw(broken(window))
    return window


documents = st.one_of(generated(), generated(), generated(), corpus_windows())
