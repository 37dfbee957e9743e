"""A Checker kept current by edits reports exactly what a fresh one reports."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bib_lsp.document import Document
from bib_lsp.rules import Checker
from tests.document.strategies import edits

FRAGMENTS = [
    "@misc{a, title = {x}}\n",
    "@misc{A, author = {y}}\n",
    "@article{b, journal = {J}, year = 2000, crossref = {a}}\n",
    '@string{s = "S"}\n',
    '@String{S = "T"}\n',
    "@online{c, date = {2020}}\n",
    "@book{d, title = {T}\n",
    "free text\n",
    "}",
    "{",
    "@",
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join), st.data())
def test_checker_follows_edits(text: str, data: st.DataObject) -> None:
    doc = Document(text)
    checker = Checker(doc)
    for _ in range(data.draw(st.integers(1, 8))):
        start, end, new = data.draw(edits(doc.length))
        if data.draw(st.booleans()):
            new = data.draw(st.sampled_from(FRAGMENTS))
        checker.update(doc.edit(start, end, new))
        fresh = Checker(Document(doc.text))
        assert checker.diagnose() == fresh.diagnose()
        assert checker.dialect == fresh.dialect
