"""Damaged input: the exact problem code and the exact text its range selects.

Each case marks the expected range with ``⟨`` and ``⟩`` (a zero-width range is
``⟨⟩``). The damaged text is put between two intact entries, which must come out
unharmed and without problems: damage never leaks into the neighbours.
"""

from __future__ import annotations

import pytest

from bib_lsp.syntax import Problem, Severity, parse
from bib_lsp.syntax import codes as C
from bib_lsp.syntax.kinds import SyntaxKind as K
from tests.syntax.helpers import check_tree, entries

BEFORE = "@misc{before, note = {first}}\n\n"
AFTER = "\n\n@misc{after, note = {last}}\n"


def unmark(marked: str) -> tuple[str, int, int]:
    start = marked.index("⟨")
    end = marked.index("⟩") - 1
    return marked.replace("⟨", "").replace("⟩", ""), start, end


CASES = [
    # missing commas: zero-width, right after what precedes the next field
    ("comma-between-fields", "@book{k, title = {T}⟨⟩\n  year = 1990}", C.MISSING_COMMA),
    ("comma-after-quoted", '@book{k, title = "T"⟨⟩ year = 1990}', C.MISSING_COMMA),
    ("comma-after-number", "@book{k, year = 1990⟨⟩ % c\n title = {T}}", C.MISSING_COMMA),
    ("comma-after-key", "@book{k⟨⟩\n  title = {T}}", C.MISSING_COMMA),
    ("missing-equals", "@book{k, ⟨title⟩ {T}, year = 1}", C.MISSING_EQUALS),
    ("missing-equals-quoted", '@book{k, ⟨title⟩ "T", year = 1}', C.MISSING_EQUALS),
    ("missing-value", "@book{k, title ⟨=⟩ , year = 1}", C.MISSING_VALUE),
    ("missing-value-at-close", "@book{k, title ⟨=⟩}", C.MISSING_VALUE),
    ("missing-after-hash-tight", "@book{k, title = a ⟨#⟩, year = 1}", C.MISSING_VALUE),
    ("missing-key-comma", "@book⟨{⟩,\n  title = {T}}", C.MISSING_KEY),
    ("missing-key-field-first", "@book⟨{⟩title = {x}}", C.MISSING_KEY),
    ("missing-type", "⟨@⟩{x, title = {T}}", C.MISSING_ENTRY_TYPE),
    ("missing-type-blank", "⟨@⟩ ", C.MISSING_ENTRY_TYPE),
    ("missing-body-bracket", "⟨@article[key]⟩, title = 1", C.MISSING_ENTRY_BODY),
    ("missing-body-email", "Write to jane⟨@example.org⟩ please.", C.MISSING_ENTRY_BODY),
    # stray text is one problem, up to the comma that separates it from the next field
    ("unexpected-equals", "@book{k, ⟨= {x}⟩, year = 1}", C.UNEXPECTED_TOKEN),
    ("unexpected-quoted", '@book{k, ⟨"x"⟩, year = 1}', C.UNEXPECTED_TOKEN),
    ("unexpected-extra-comma", "@book{k,⟨,⟩ year = 1}", C.UNEXPECTED_TOKEN),
    ("stray-close-in-junk", "some text ⟨}⟩ more text", C.UNBALANCED_BRACES),
    ("stray-close-after-entry", "@book{k, year = 1}\n⟨}⟩", C.UNBALANCED_BRACES),
    # the first `}` closes the entry: the second is the stray one
    ("stray-close-after-close", "@book{k, year = 1 } ⟨}⟩", C.UNBALANCED_BRACES),
    ("stray-close-in-quotes", '@book{k, title = "a⟨}⟩b"}', C.UNBALANCED_BRACES),
    (
        "unclosed-value-brace",
        "@book{k, title = ⟨{⟩The {TeX}book,\n  year = 1984,\n}",
        C.UNBALANCED_BRACES,
    ),
    (
        "unclosed-inner-brace",
        "@book{k, title = {The ⟨{⟩TeX book,\n  year = 1984\n",
        C.UNBALANCED_BRACES,
    ),
    ("unclosed-quote", '@book{k, title = ⟨"⟩The TeXbook,\n  year = 1984,\n}', C.UNBALANCED_BRACES),
    ("unclosed-entry-brace", "@book⟨{⟩k, title = {T},\n  year = 1984,\n", C.UNBALANCED_BRACES),
    ("unclosed-entry-paren", "@book⟨(⟩k, title = {T}", C.UNBALANCED_BRACES),
    ("unclosed-string", '@string⟨{⟩acm = "ACM"', C.UNBALANCED_BRACES),
    ("preamble-without-value", "@preamble⟨{⟩}", C.MISSING_VALUE),
]


@pytest.mark.parametrize(("marked", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problem_code_and_range(marked: str, code: str) -> None:
    damaged, start, end = unmark(marked)
    text = BEFORE + damaged + AFTER
    start += len(BEFORE)
    end += len(BEFORE)
    tree = parse(text)
    check_tree(tree, text)
    problems = tree.problems()
    wanted = Problem(start, end, code, "")
    found = [p for p in problems if (p.start, p.end, p.code) == (start, end, code)]
    assert found, f"expected {wanted} selecting {text[start:end]!r}; got {problems}"
    assert all(p.severity is Severity.ERROR and p.message for p in found)
    # Nothing points outside the damaged text.
    lo, hi = len(BEFORE), len(BEFORE) + len(damaged)
    for p in problems:
        assert lo <= p.start <= p.end <= hi, (p, text[p.start : p.end])
    # The neighbours are intact.
    views = entries(tree)
    assert [e.key for e in views[:1]] == ["before"]
    assert views[-1].key == "after"
    assert [f.name for f in views[-1].fields] == ["note"]
    assert views[-1].close_delim is not None


def test_missing_key_keeps_the_word_as_a_field() -> None:
    text = "@book{title = {x}}"
    tree = parse(text)
    (entry,) = entries(tree)
    assert entry.key is None
    assert [f.name for f in entry.fields] == ["title"]
    assert [p.code for p in tree.problems()] == [C.MISSING_KEY]


def test_unexpected_token_does_not_lose_later_fields() -> None:
    text = "@book{k, = {x}, year = 1990}"
    tree = parse(text)
    (entry,) = entries(tree)
    assert entry.key == "k"
    assert entry.field("year") is not None
    assert {p.code for p in tree.problems()} == {C.UNEXPECTED_TOKEN}


def test_stray_close_in_free_text_is_reported_once_per_brace() -> None:
    text = "a } b {c} d }\n@misc{k, a = 1}"
    tree = parse(text)
    problems = tree.problems()
    assert [(p.code, p.start) for p in problems] == [
        (C.UNBALANCED_BRACES, 2),
        (C.UNBALANCED_BRACES, 12),
    ]
    assert all(text[p.start : p.end] == "}" for p in problems)


def test_runaway_value_spoils_one_entry_only() -> None:
    text = "@a{one, t = {unclosed,\n  y = 1}\n@b{two, t = {ok}}\n@c{three, t = 2}\n"
    tree = parse(text)
    views = entries(tree)
    assert [e.key for e in views] == ["one", "two", "three"]
    assert all(e.kind is K.ENTRY for e in views)
    (problem,) = [p for p in tree.problems() if p.code == C.UNBALANCED_BRACES]
    assert problem.start == text.index("{unclosed")
    assert views[1].field("t") is not None and views[2].field("t") is not None


@pytest.mark.parametrize(
    "marked",
    ["@book{k, title = a ⟨#⟩ , year = 1}", "@book{k, title = a ⟨#⟩\n  , year = 1}"],
)
def test_missing_value_after_hash_with_blanks(marked: str) -> None:
    text, start, end = unmark(marked)
    problems = [p for p in parse(text).problems() if p.code == C.MISSING_VALUE]
    assert [(p.start, p.end) for p in problems] == [(start, end)]
    assert text[start:end] == "#"
