"""Recovery shapes as tree dumps (``Node.pretty``): where the parser puts each token
of damaged input, and which problem it reports, read at a glance."""

from __future__ import annotations

from textwrap import dedent

from bib_lsp.syntax import parse
from tests.syntax.helpers import check_tree


def dump(text: str) -> str:
    """The tree of ``text`` as ``Node.pretty`` writes it, then each problem as
    ``code@start..end``."""
    tree = parse(text)
    check_tree(tree, text)
    problems = [f"{p.code}@{p.start}..{p.end}" for p in tree.problems()]
    return "\n".join([tree.root.pretty(text), *problems]) + "\n"


def test_a_runaway_value_ends_at_a_line_that_starts_with_an_at_sign() -> None:
    # The unclosed `{` spoils one entry: the next one is read as written.
    assert dump("@book{a, title = {The {TeX}book,\n  year = 1984,\n@misc{b}") == dedent(
        """\
        ROOT@0..56
          ENTRY@0..48
            AT@0..1 '@'
            TYPE@1..5 'book'
            L_DELIM@5..6 '{'
            KEY@6..7 'a'
            COMMA@7..8 ','
            WHITESPACE@8..9 ' '
            FIELD@9..47
              NAME@9..14 'title'
              WHITESPACE@14..15 ' '
              EQUALS@15..16 '='
              WHITESPACE@16..17 ' '
              VALUE@17..47
                BRACED@17..47 '{The {TeX}book,\\n  year = 1984,'
            WHITESPACE@47..48 '\\n'
          ENTRY@48..56
            AT@48..49 '@'
            TYPE@49..53 'misc'
            L_DELIM@53..54 '{'
            KEY@54..55 'b'
            R_DELIM@55..56 '}'
        unbalanced-braces@17..18
        """
    )


def test_a_field_where_the_key_should_be_is_a_field_of_a_keyless_entry() -> None:
    assert dump("@book{title = {x}}") == dedent(
        """\
        ROOT@0..18
          ENTRY@0..18
            AT@0..1 '@'
            TYPE@1..5 'book'
            L_DELIM@5..6 '{'
            FIELD@6..17
              NAME@6..11 'title'
              WHITESPACE@11..12 ' '
              EQUALS@12..13 '='
              WHITESPACE@13..14 ' '
              VALUE@14..17
                BRACED@14..17 '{x}'
            R_DELIM@17..18 '}'
        missing-key@5..6
        """
    )


def test_a_field_without_equals_keeps_its_value_and_the_next_field() -> None:
    assert dump("@book{k, title {T}, year = 1}") == dedent(
        """\
        ROOT@0..29
          ENTRY@0..29
            AT@0..1 '@'
            TYPE@1..5 'book'
            L_DELIM@5..6 '{'
            KEY@6..7 'k'
            COMMA@7..8 ','
            WHITESPACE@8..9 ' '
            FIELD@9..19
              NAME@9..14 'title'
              WHITESPACE@14..15 ' '
              VALUE@15..18
                BRACED@15..18 '{T}'
              COMMA@18..19 ','
            WHITESPACE@19..20 ' '
            FIELD@20..28
              NAME@20..24 'year'
              WHITESPACE@24..25 ' '
              EQUALS@25..26 '='
              WHITESPACE@26..27 ' '
              VALUE@27..28
                NUMBER@27..28 '1'
            R_DELIM@28..29 '}'
        missing-equals@9..14
        """
    )


def test_free_text_is_one_junk_token_and_a_stray_brace_in_it_is_reported() -> None:
    assert dump("text } more\n@misc{k}") == dedent(
        """\
        ROOT@0..20
          JUNK_BLOCK@0..12
            JUNK@0..12 'text } more\\n'
          ENTRY@12..20
            AT@12..13 '@'
            TYPE@13..17 'misc'
            L_DELIM@17..18 '{'
            KEY@18..19 'k'
            R_DELIM@19..20 '}'
        unbalanced-braces@5..6
        """
    )


def test_a_commented_out_field_is_trivia_of_the_entry() -> None:
    assert dump("@misc{k,\n% note = {x},\n year = 1}") == dedent(
        """\
        ROOT@0..33
          ENTRY@0..33
            AT@0..1 '@'
            TYPE@1..5 'misc'
            L_DELIM@5..6 '{'
            KEY@6..7 'k'
            COMMA@7..8 ','
            WHITESPACE@8..9 '\\n'
            COMMENT@9..22 '% note = {x},'
            WHITESPACE@22..24 '\\n '
            FIELD@24..32
              NAME@24..28 'year'
              WHITESPACE@28..29 ' '
              EQUALS@29..30 '='
              WHITESPACE@30..31 ' '
              VALUE@31..32
                NUMBER@31..32 '1'
            R_DELIM@32..33 '}'
        """
    )
