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


def test_the_extra_brace_itself_says_the_entry_had_ended() -> None:
    text = "@book{a, title = {x}}},\n  year = 1984,\n}\n@misc{b, t = 1}\n"
    stray = [p for p in parse(text).problems() if p.code == C.UNBALANCED_BRACES]
    assert [p.start for p in stray] == [text.index("},\n"), text.index("}\n@misc")]
    assert "has already ended" in stray[0].message
    assert "closed the entry early" in stray[1].message


def test_percent_comment_text_is_not_taken_for_left_out_fields() -> None:
    text = "% version = 3 }\n@misc{b, t = 1}\n"
    (problem,) = parse(text).problems()
    assert problem.message == "this `}` has no matching `{`"


def test_one_problem_for_a_pile_of_unclosed_braces() -> None:
    text = "@misc{k, t = {{{{{x\n@misc{j}"
    (problem,) = parse(text).problems()
    assert problem.start == text.index("{x")
    assert "nor 4 more before it" in problem.message


def test_quote_swallowed_by_an_unclosed_brace_blames_the_brace() -> None:
    text = '@article{a,\n  title = "The {TeX book",\n  year = 1984,\n}\n@book{b}'
    (problem,) = parse(text).problems()
    assert problem.start == text.index("{TeX")
    assert 'the `"` that should end the value is inside it' in problem.message


def test_last_field_that_took_the_entry_brace_is_blamed() -> None:
    text = "@article{a,\n  year = 1984,\n  title = {The {TeX}book,\n}\n@book{b, t={x}}"
    (problem,) = parse(text).problems()
    assert problem.start == text.index("{The")
    assert "takes in the `}` meant to end the entry" in problem.message


def test_word_starting_with_a_digit_is_not_a_number() -> None:
    text = "@misc{k, year = 1999a, t = 1}"
    (problem,) = parse(text).problems()
    assert (problem.code, text[problem.start : problem.end]) == (C.UNEXPECTED_TOKEN, "1999a")
    assert "{1999a}" in problem.message


def test_comment_without_braces_is_a_comment_as_bibtex_reads_it() -> None:
    from bib_lsp.syntax.kinds import SyntaxKind as K

    text = "@comment this is text\n@misc{k}"
    tree = parse(text)
    assert tree.problems() == []
    assert next(iter(tree))[1].kind is K.COMMENT_ENTRY


def test_stray_brace_in_prose_gets_the_plain_message() -> None:
    text = "Notes (see below}.\n@misc{b, t = 1}\n"
    (problem,) = parse(text).problems()
    assert problem.message == "this `}` has no matching `{`"


def test_a_file_of_closing_braces_gets_a_bounded_number_of_problems() -> None:
    problems = parse("}" * 10_000).problems()
    assert len(problems) == 20
    assert "and so are the `}` after it" in problems[-1].message


def test_a_run_of_commas_is_one_problem() -> None:
    text = "@misc{k,,,, t = 1}"
    (problem,) = parse(text).problems()
    assert text[problem.start : problem.end] == ",,,"
    assert problem.message.endswith("found extra commas")
