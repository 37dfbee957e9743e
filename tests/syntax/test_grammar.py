"""The shape of the tree for each construct of the BibTeX grammar."""

from __future__ import annotations

import pytest

from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry
from tests.syntax.helpers import check_tree, entries

B, Q, N, M = K.BRACED, K.QUOTED, K.NUMBER, K.MACRO


def only_entry(text: str) -> Entry:
    tree = parse(text)
    check_tree(tree, text)
    assert tree.problems() == [], tree.problems()
    (entry,) = entries(tree)
    return entry


def pieces(entry: Entry, name: str) -> list[tuple[K, str]]:
    field = entry.field(name)
    assert field is not None, f"no field {name!r}"
    assert field.value is not None
    return [(p.kind, p.text) for p in field.value.pieces]


# --- delimiters and values -------------------------------------------------------


@pytest.mark.parametrize(("open_", "close"), [("{", "}"), ("(", ")")])
def test_both_entry_delimiters(open_: str, close: str) -> None:
    text = f"@article{open_}knuth84, title = {{The {{TeX}}book}}, year = 1984{close}"
    entry = only_entry(text)
    assert (entry.kind, entry.type, entry.key) == (K.ENTRY, "article", "knuth84")
    assert entry.open_delim is not None and text[entry.open_delim.start] == open_
    assert entry.close_delim is not None
    assert entry.close_delim.end == len(text) and text[entry.close_delim.start] == close
    assert entry.key_span is not None
    assert text[entry.key_span.start : entry.key_span.end] == "knuth84"
    assert [f.name for f in entry.fields] == ["title", "year"]
    assert pieces(entry, "title") == [(B, "{The {TeX}book}")]
    assert pieces(entry, "year") == [(N, "1984")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{plain}", [(B, "{plain}")]),
        ('"quoted"', [(Q, '"quoted"')]),
        ("1984", [(N, "1984")]),
        ("jan", [(M, "jan")]),
        ('a # " and " # b', [(M, "a"), (Q, '" and "'), (M, "b")]),
        ('{x}#"y"#z#12', [(B, "{x}"), (Q, '"y"'), (M, "z"), (N, "12")]),
        ("jan\n  # { 1}", [(M, "jan"), (B, "{ 1}")]),
        ("{a {b {c {d}}} e}", [(B, "{a {b {c {d}}} e}")]),
        ('"Ein {"a}ra"', [(Q, '"Ein {"a}ra"')]),
        ('"with {braces} inside"', [(Q, '"with {braces} inside"')]),
        ('"{A}, {B {C}}"', [(Q, '"{A}, {B {C}}"')]),
        ('{a "quote" in braces}', [(B, '{a "quote" in braces}')]),
        ("{@ at sign}", [(B, "{@ at sign}")]),
        ('"x @ y"', [(Q, '"x @ y"')]),
        ("{multi\nline\r\nvalue}", [(B, "{multi\nline\r\nvalue}")]),
    ],
)
@pytest.mark.parametrize(("open_", "close"), [("{", "}"), ("(", ")")])
def test_value_pieces(value: str, expected: list[tuple[K, str]], open_: str, close: str) -> None:
    entry = only_entry(f"@misc{open_}k, note = {value}, year = 2000{close}\n")
    assert pieces(entry, "note") == expected
    assert pieces(entry, "year") == [(N, "2000")]
    note = entry.field("note")
    assert note is not None and note.has_comma


def test_concatenation_spans_select_their_text() -> None:
    text = '@misc{k, t = a # " and " # b}'
    entry = only_entry(text)
    field = entry.field("t")
    assert field is not None and field.value is not None
    assert [text[p.span.start : p.span.end] for p in field.value.pieces] == ["a", '" and "', "b"]
    assert text[field.value.span.start : field.value.span.end] == 'a # " and " # b'
    assert text[field.name_span.start : field.name_span.end] == "t"


def test_quoted_value_does_not_end_at_quote_inside_braces() -> None:
    text = '@book{k, title = "Ein {"a}ra", year = 1}'
    entry = only_entry(text)
    assert pieces(entry, "title") == [(Q, '"Ein {"a}ra"')]
    assert [f.name for f in entry.fields] == ["title", "year"]


# --- special entries --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('@string{jan = "January"}', K.STRING),
        ('@STRING{jan = "January"}', K.STRING),
        ('@String(jan = "January")', K.STRING),
        ('@preamble{"\\newcommand{\\x}{y}"}', K.PREAMBLE),
        ('@Preamble{"a" # "b"}', K.PREAMBLE),
        ('@PREAMBLE("a")', K.PREAMBLE),
        ("@comment{anything}", K.COMMENT_ENTRY),
        ("@COMMENT{anything}", K.COMMENT_ENTRY),
        ("@Article{k, a = 1}", K.ENTRY),
        ("@ARTICLE{k, a = 1}", K.ENTRY),
    ],
)
def test_entry_types_are_case_insensitive(text: str, kind: K) -> None:
    entry = only_entry(text)
    assert entry.kind is kind
    assert entry.type.lower() == text[1 : 1 + len(entry.type)].lower()


def test_string_definition() -> None:
    entry = only_entry('@string{ acm = "ACM" # { Press} }')
    assert entry.kind is K.STRING and entry.key is None
    assert [f.name for f in entry.fields] == ["acm"]
    assert pieces(entry, "acm") == [(Q, '"ACM"'), (B, "{ Press}")]


def test_preamble_value() -> None:
    text = '@preamble{ "\\def\\a{b}" # macro }'
    entry = only_entry(text)
    assert entry.kind is K.PREAMBLE and entry.fields == ()
    assert entry.preamble is not None
    assert [(p.kind, p.text) for p in entry.preamble.pieces] == [
        (Q, '"\\def\\a{b}"'),
        (M, "macro"),
    ]


def test_balanced_comment_body_is_one_token() -> None:
    text = "@comment{ not @an{entry, t = 1} here }\n@misc{k, a = 1}"
    tree = parse(text)
    check_tree(tree, text)
    assert tree.problems() == []
    blocks = list(tree)
    assert blocks[0][1].kind is K.COMMENT_ENTRY
    body = [(k, text[s:e]) for k, s, e in blocks[0][1].node.tokens() if k is K.BODY]
    assert body == [(K.BODY, "{ not @an{entry, t = 1} here }")]
    assert [e.key for e in entries(tree) if e.kind is K.ENTRY] == ["k"]


def test_unbalanced_comment_body_lets_entries_through() -> None:
    # As in BibTeX, the entries after an unbalanced `@comment` are read: the body is
    # cut off where a line starts with `@`, and its unclosed braces are reported.
    text = "@comment{ unbalanced {\n@misc{inner, a = 1}\n@book{outer, b = 2}\n"
    tree = parse(text)
    check_tree(tree, text)
    kinds = [e.kind for e in entries(tree)]
    assert kinds == [K.COMMENT_ENTRY, K.ENTRY, K.ENTRY]
    assert [e.key for e in entries(tree) if e.kind is K.ENTRY] == ["inner", "outer"]
    body = [text[s:e] for k, s, e in next(iter(tree))[1].node.tokens() if k is K.BODY]
    assert body == ["{ unbalanced {"]
    # One problem, at the comment's `{`: BibTeX reads the entries, biber would not.
    (problem,) = tree.problems()
    assert (problem.code, problem.start) == ("unbalanced-braces", text.index("{ unbalanced"))
    assert "BibTeX reads the entries inside it" in problem.message


# --- free text, trivia, loose syntax -------------------------------------------------


def test_free_text_between_entries_is_junk() -> None:
    text = "Free text here.\n@misc{a, x = 1}\n  more free text (with parens)\n@misc{b, y = 2}\ntail"
    tree = parse(text)
    check_tree(tree, text)
    assert tree.problems() == []
    shape = [(block.kind, block.text) for _, block in tree]
    assert shape == [
        (K.JUNK_BLOCK, "Free text here.\n"),
        (K.ENTRY, "@misc{a, x = 1}"),
        (K.JUNK_BLOCK, "\n  more free text (with parens)\n"),
        (K.ENTRY, "@misc{b, y = 2}"),
        (K.JUNK_BLOCK, "\ntail"),
    ]


def test_percent_comments_inside_entry_are_trivia() -> None:
    text = "@misc{k, % the key\n  % a whole line\n  title = {T}, % after\n  year = 1 % last\n}"
    entry = only_entry(text)
    assert [f.name for f in entry.fields] == ["title", "year"]
    (_, block) = next(iter(parse(text)))
    comments = [text[s:e] for k, s, e in block.node.tokens() if k is K.COMMENT]
    assert comments == ["% the key", "% a whole line", "% after", "% last"]


@pytest.mark.parametrize("gap", [" ", "  \t", "\n", "\r\n  "])
def test_whitespace_between_at_and_type(gap: str) -> None:
    entry = only_entry(f"@{gap}misc {{k, a = 1}}")
    assert (entry.type, entry.key) == ("misc", "k")
    assert [f.name for f in entry.fields] == ["a"]


@pytest.mark.parametrize(
    "text", ["@misc{k, a = 1,}", "@misc{k, a = 1 , }", "@misc{k,\n  a = {x},\n}", "@misc(k,a=1,)"]
)
def test_trailing_comma_before_close(text: str) -> None:
    entry = only_entry(text)
    assert [f.name for f in entry.fields] == ["a"]
    assert entry.close_delim is not None and entry.close_delim.end == len(text)
    assert entry.fields[-1].has_comma


@pytest.mark.parametrize("text", ["@misc{key}", "@misc{key,}", "@misc( key )", "@misc{ key , }"])
def test_entry_without_fields(text: str) -> None:
    entry = only_entry(text)
    assert entry.key == "key" and entry.fields == ()
    assert entry.close_delim is not None


def test_key_with_unusual_characters() -> None:
    for key in ["Knuth:1984:TB", "doe-2020a", "x/y.z", "müller2001", "東京"]:
        entry = only_entry(f"@book{{{key}, title = {{T}}}}")
        assert entry.key == key


def test_parenthesised_entry_key_may_not_contain_parenthesis() -> None:
    entry = only_entry("@misc(k)")
    assert entry.key == "k" and entry.close_delim is not None


@pytest.mark.parametrize(
    ("text", "closed"),
    [
        ("@misc{k, t = {a {b} c}}", True),
        ('@misc{k, t = "a {"} b"}', True),
        ("@misc{k, t = {a {b}\n@misc{j}", False),  # ends in `}` but is open
        ('@misc{k, t = "abc {x"\n@misc{j}', False),  # ends in `"` inside braces
        ("@misc{k, t = {a {b}", False),
        ('@misc{k, t = "', False),
    ],
)
def test_piece_knows_whether_it_is_closed(text: str, closed: bool) -> None:
    entry = entries(parse(text))[0]
    (piece,) = entry.fields[0].value.pieces  # type: ignore[union-attr]
    assert piece.closed is closed
    if closed:
        assert piece.content == piece.text[1:-1]
    else:
        assert piece.content == piece.text[1:]
