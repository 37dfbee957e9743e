"""Messages that say where the real mistake is, not only where the parser noticed it."""

from __future__ import annotations

from bib_lsp.syntax import codes as C
from bib_lsp.syntax import parse


def test_value_that_swallows_the_next_field_is_blamed_not_the_entry() -> None:
    text = "@book{a,\n  title = {The {TeX book},\n  year = 1984,\n}\n@misc{b, t = 1}\n"
    (problem,) = parse(text).problems()
    assert problem.code == C.UNBALANCED_BRACES
    # At the value's `{`, which is where the `}` is missing ...
    assert problem.start == text.index("{The")
    # ... naming the field it swallowed.
    assert "`year = ...`" in problem.message
    assert "probably never closed" in problem.message


def test_unclosed_entry_without_a_swallowed_field_is_blamed_on_its_brace() -> None:
    text = "@book{a,\n  title = {The TeX book},\n  year = 1984,\n\n@misc{b, t = 1}\n"
    (problem,) = parse(text).problems()
    assert problem.start == text.index("{a,")
    assert problem.message == "this `{` is never closed: the entry runs into the next entry"


def test_extra_closing_brace_explains_that_fields_were_left_out() -> None:
    # `{TeX}}}` closes the value and then the entry: `year` ends up in free text.
    text = "@book{a,\n  title = {The {TeX}}},\n  year = 1984,\n}\n@misc{b, t = 1}\n"
    stray = [p for p in parse(text).problems() if p.code == C.UNBALANCED_BRACES]
    assert [p.start for p in stray] == [text.index("}\n@misc")]
    assert "closed the entry early" in stray[0].message
    assert "ignored" in stray[0].message


def test_stray_brace_in_prose_gets_the_plain_message() -> None:
    text = "Notes (see below}.\n@misc{b, t = 1}\n"
    (problem,) = parse(text).problems()
    assert problem.message == "this `}` has no matching `{`"
