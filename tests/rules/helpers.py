"""The one helper of the rule tests: inline .bib text, with the expected ranges marked.

Write the text the rule sees, each range it should report between ``«`` and ``»``::

    expect("@article{k, year = {«92»}}", "bad-year")

``expect`` takes the markers out, runs the ``Checker`` (dialect ``bibtex`` unless
given), asserts that the findings of that code cover exactly the marked ranges, in
text order, and answers those findings (for their messages and data). A text without
markers expects no finding of the code. Markers do not nest: mark one code at a time.
Why markers: the expected place is read where it is, not computed from offsets.
"""

from __future__ import annotations

from collections.abc import Collection

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.tree import Problem

OPEN, CLOSE = "«", "»"


def unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without markers, and the (start, end) ranges they enclosed."""
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    length, start, pos = 0, -1, 0
    while True:
        found = [j for j in (marked.find(OPEN, pos), marked.find(CLOSE, pos)) if j >= 0]
        i = min(found, default=-1)
        if i < 0:
            out.append(marked[pos:])
            break
        out.append(marked[pos:i])
        length += i - pos
        if marked[i] == OPEN:
            assert start < 0, f"nested {OPEN} at {i}"
            start = length
        else:
            assert start >= 0, f"{CLOSE} without {OPEN} at {i}"
            ranges.append((start, length))
            start = -1
        pos = i + 1
    assert start < 0, f"{OPEN} without {CLOSE}"
    return "".join(out), ranges


def entry(field: str, kind: str = "article") -> str:
    """An entry of ``kind`` with an author and ``field`` (``name = value``)."""
    return f"@{kind}{{k,\n  author = {{Jane Doe}},\n  {field},\n}}\n"


def found(
    text: str, code: str | Collection[str] | None = None, dialect: str = "bibtex"
) -> list[Problem]:
    """The findings of ``code`` (of several codes; of all if None) in ``text``, in
    text order."""
    problems = Checker(Document(text), RuleOptions(dialect=dialect)).diagnose()
    if code is None:
        return problems
    codes = {code} if isinstance(code, str) else set(code)
    return [p for p in problems if p.code in codes]


def spans(text: str, code: str, dialect: str = "bibtex") -> list[str]:
    """The text each finding of ``code`` covers."""
    return [text[p.start : p.end] for p in found(text, code, dialect)]


def messages(text: str, code: str, dialect: str = "bibtex") -> list[tuple[str, str]]:
    """(the text each finding of ``code`` covers, its message)."""
    return [(text[p.start : p.end], p.message) for p in found(text, code, dialect)]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """The range of the ``nth`` occurrence of ``needle`` in ``text`` (for ranges a
    marker cannot show, such as a finding's related places)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def expect(marked: str, code: str, dialect: str = "bibtex") -> list[Problem]:
    """Assert that the findings of ``code`` cover exactly the marked ranges; answer them."""
    text, ranges = unmark(marked)
    problems = found(text, code, dialect)
    assert [(p.start, p.end) for p in problems] == ranges, (
        [text[p.start : p.end] for p in problems],
        [text[s:e] for s, e in ranges],
    )
    return problems


def located(text: str, codes: Collection[str], dialect: str) -> list[tuple[str, str, int]]:
    """(code, flagged text, 1-based line) of the findings with one of ``codes``."""
    doc = Document(text)
    return [
        (p.code, text[p.start : p.end], doc.line_of(p.start) + 1)
        for p in found(text, codes, dialect)
    ]
