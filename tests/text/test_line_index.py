"""Tests for line bookkeeping and offset/position conversion."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bib_lsp.text import (
    LINE_BREAK_RE,
    LineIndex,
    Position,
    PositionEncoding,
    Range,
    code_points_for_units,
    line_starts,
    relative_position,
    relative_positions,
    units_in,
)

UTF8 = PositionEncoding.UTF8
UTF16 = PositionEncoding.UTF16
UTF32 = PositionEncoding.UTF32
ALL_ENCODINGS = [UTF8, UTF16, UTF32]
DOUBLE_A = "\N{MATHEMATICAL DOUBLE-STRUCK CAPITAL A}"  # astral, like the emoji


# --- line breaks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [0]),
        ("a", [0]),
        ("a\n", [0, 2]),
        ("a\r\nb", [0, 3]),
        ("a\rb", [0, 2]),
        ("a\n\nb", [0, 2, 3]),
        ("a\r\rb", [0, 2, 3]),
        ("a\n\rb", [0, 2, 3]),  # "\n\r" is two breaks, not one
        ("a\r\n\r\nb", [0, 3, 5]),
        ("a\r\nb\rc\nd", [0, 3, 5, 7]),
    ],
)
def test_line_starts(text: str, expected: list[int]) -> None:
    assert line_starts(text) == expected
    assert LineIndex(text).line_count == len(expected)


def test_line_break_re_matches_only_the_three_lsp_breaks() -> None:
    assert [m.group() for m in LINE_BREAK_RE.finditer("a\r\nb\rc\nd")] == ["\r\n", "\r", "\n"]
    for char in ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]:
        assert LINE_BREAK_RE.search(char) is None


def test_crlf_file() -> None:
    index = LineIndex("@book{a,\r\n  title = {T},\r\n}\r\n")
    assert index.line_count == 4
    assert index.position(10) == Position(1, 0)
    assert index.offset(Position(2, 0)) == 26
    assert index.line_end(0) == 8
    assert index.line_end(0, include_break=True) == 10
    assert index.text[index.line_start(1) : index.line_end(1)] == "  title = {T},"


def test_lone_cr_and_mixed_line_endings() -> None:
    index = LineIndex("one\rtwo\r\nthree\nfour")
    assert [index.position(index.text.index(w)) for w in ("one", "two", "three", "four")] == [
        Position(0, 0),
        Position(1, 0),
        Position(2, 0),
        Position(3, 0),
    ]
    assert [index.line_end(line) for line in range(4)] == [3, 7, 14, 19]
    assert [index.line_end(line, include_break=True) for line in range(4)] == [4, 9, 15, 19]


@pytest.mark.parametrize("text", ["a\n", "a\r\n", "a\r"])
def test_trailing_line_break_gives_empty_last_line(text: str) -> None:
    index = LineIndex(text)
    assert index.line_count == 2
    assert index.position(len(text)) == Position(1, 0)
    assert index.line_start(1) == index.line_end(1) == len(text)
    assert index.offset(Position(1, 0)) == len(text)


@pytest.mark.parametrize("char", ["\f", "\v", "\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e"])
def test_unicode_separators_are_not_line_breaks(char: str) -> None:
    text = f"ab{char}cd"
    index = LineIndex(text)
    assert index.line_count == 1
    assert index.line_of(1) == index.line_of(4) == 0
    assert index.position(4, UTF16) == Position(0, 4)
    assert index.offset(Position(0, 4), UTF16) == 4
    assert text.splitlines() != [text]  # str.splitlines would disagree


def test_tab_counts_as_one_unit() -> None:
    index = LineIndex("\tx\t= y")
    for encoding in ALL_ENCODINGS:
        assert index.position(1, encoding) == Position(0, 1)
        assert index.position(3, encoding) == Position(0, 3)
        assert index.offset(Position(0, 3), encoding) == 3


# --- encodings -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "utf8", "utf16", "utf32"),
    [
        ("", 0, 0, 0),
        ("abc", 3, 3, 3),
        ("é", 2, 1, 1),
        ("東京", 6, 2, 2),
        ("😀", 4, 2, 1),
        (DOUBLE_A, 4, 2, 1),
        ("a東😀b", 9, 5, 4),
    ],
)
def test_units_in(text: str, utf8: int, utf16: int, utf32: int) -> None:
    assert units_in(text, UTF8) == utf8
    assert units_in(text, UTF16) == utf16
    assert units_in(text, UTF32) == utf32


def test_code_points_for_units_rounds_down_inside_a_character() -> None:
    text = "a😀東"
    # UTF-16: a=1, 😀=2, 東=1
    assert [code_points_for_units(text, n, UTF16) for n in range(6)] == [0, 1, 1, 2, 3, 3]
    # UTF-8: a=1, 😀=4, 東=3
    assert [code_points_for_units(text, n, UTF8) for n in range(10)] == [
        0, 1, 1, 1, 1, 2, 2, 2, 3, 3,
    ]  # fmt: skip
    assert [code_points_for_units(text, n, UTF32) for n in range(5)] == [0, 1, 2, 3, 3]


@pytest.mark.parametrize("encoding", ALL_ENCODINGS)
def test_code_points_for_units_clamps(encoding: PositionEncoding) -> None:
    assert code_points_for_units("é東", -5, encoding) == 0
    assert code_points_for_units("é東", 0, encoding) == 0
    assert code_points_for_units("é東", 100, encoding) == 2
    assert code_points_for_units("", 3, encoding) == 0


# Offsets: 4 東, 5 京, 6 😀, 7 DOUBLE_A, 8 "!", 9 end of line.
MIXED = f"x = 東京😀{DOUBLE_A}!\nnext"


@pytest.mark.parametrize(
    ("offset", "utf8", "utf16", "utf32"),
    [
        (4, 4, 4, 4),
        (5, 7, 5, 5),
        (6, 10, 6, 6),
        (7, 14, 8, 7),
        (8, 18, 10, 8),
        (9, 19, 11, 9),
    ],
)
def test_non_ascii_columns_in_every_encoding(
    offset: int, utf8: int, utf16: int, utf32: int
) -> None:
    index = LineIndex(MIXED)
    for encoding, column in ((UTF8, utf8), (UTF16, utf16), (UTF32, utf32)):
        assert index.position(offset, encoding) == Position(0, column)
        assert index.offset(Position(0, column), encoding) == offset
    # The next line is unaffected by the wide characters above it.
    assert index.position(MIXED.index("next") + 2, UTF16) == Position(1, 2)


def test_utf16_column_inside_surrogate_pair_rounds_down() -> None:
    index = LineIndex("a😀b")
    assert index.offset(Position(0, 2), UTF16) == 1  # between the two halves of 😀
    assert index.offset(Position(0, 3), UTF16) == 2


def test_utf8_column_inside_multibyte_sequence_rounds_down() -> None:
    index = LineIndex("a東b")
    assert [index.offset(Position(0, c), UTF8) for c in range(6)] == [0, 1, 1, 1, 2, 3]


def test_default_encoding_is_utf16() -> None:
    index = LineIndex("😀x")
    assert index.position(1) == Position(0, 2)
    assert index.offset(Position(0, 2)) == 1


# --- clamping ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ALL_ENCODINGS)
def test_character_past_end_of_line_stops_before_line_break(encoding: PositionEncoding) -> None:
    index = LineIndex("ab\r\ncd\ré\nlast")
    assert index.offset(Position(0, 99), encoding) == 2
    assert index.offset(Position(1, 99), encoding) == 6
    assert index.offset(Position(2, 99), encoding) == 8
    assert index.offset(Position(3, 99), encoding) == 13


@pytest.mark.parametrize("encoding", ALL_ENCODINGS)
def test_line_past_last_line_and_negative_values(encoding: PositionEncoding) -> None:
    index = LineIndex("ab\ncd")
    assert index.offset(Position(2, 0), encoding) == 5
    assert index.offset(Position(50, 3), encoding) == 5
    assert index.offset(Position(-1, 3), encoding) == 0
    assert index.offset(Position(1, -4), encoding) == 3


def test_offset_out_of_text_is_clamped() -> None:
    index = LineIndex("ab\ncd")
    assert index.position(-3) == Position(0, 0)
    assert index.position(99) == Position(1, 2)
    assert index.line_of(-3) == 0
    assert index.line_of(99) == 1


def test_offset_inside_crlf_maps_to_end_of_line_content() -> None:
    index = LineIndex("ab\r\ncd")
    assert index.position(3) == Position(0, 2)
    assert index.position(2) == Position(0, 2)
    assert index.position(4) == Position(1, 0)


def test_line_start_and_end_reject_unknown_lines() -> None:
    index = LineIndex("ab\ncd")
    with pytest.raises(IndexError):
        index.line_start(2)
    with pytest.raises(IndexError):
        index.line_end(-1)


def test_range_round_trip() -> None:
    index = LineIndex("@misc{k,\r\n  note = {😀}\r\n}")
    start, end = index.text.index("{😀"), index.text.index("}\r\n}") + 1
    r = index.range(start, end)
    assert r == Range(Position(1, 9), Position(1, 13))
    assert index.offset_range(r) == (start, end)
    assert index.range(start, end, UTF8) == Range(Position(1, 9), Position(1, 15))


def test_encoding_values_are_lsp_wire_names() -> None:
    assert [e.value for e in PositionEncoding] == ["utf-8", "utf-16", "utf-32"]
    assert PositionEncoding("utf-16") is UTF16


def test_long_non_ascii_line() -> None:
    text = "é😀" * 50_000
    index = LineIndex(text)
    assert index.position(len(text), UTF16) == Position(0, 150_000)
    assert index.offset(Position(0, 149_999), UTF16) == len(text) - 1
    assert index.offset(Position(0, 299_999), UTF8) == len(text) - 1


# --- properties ----------------------------------------------------------------

texts = st.text(alphabet=st.sampled_from(["\r", "\n", "\f", "\u2028", "a", "é", "東", "😀", "\t"]))


def in_crlf(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def oracle_position(text: str, offset: int, encoding: PositionEncoding) -> Position:
    """Independent, slow reference: split by hand and measure with str.encode."""
    line = 0
    line_start = 0
    i = 0
    while i < offset:
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 == offset:  # inside the pair: stay on this line
                break
            i += 2
        elif text[i] in "\r\n":
            i += 1
        else:
            i += 1
            continue
        line += 1
        line_start = i
    end = min(offset, i)
    prefix = text[line_start:end]
    if encoding is UTF8:
        column = len(prefix.encode("utf-8"))
    elif encoding is UTF16:
        column = len(prefix.encode("utf-16-le")) // 2
    else:
        column = len(prefix.encode("utf-32-le")) // 4
    return Position(line, column)


@given(texts)
def test_round_trip_for_every_offset(text: str) -> None:
    index = LineIndex(text)
    for encoding in ALL_ENCODINGS:
        for offset in range(len(text) + 1):
            if in_crlf(text, offset):
                continue
            assert index.offset(index.position(offset, encoding), encoding) == offset


@given(texts)
def test_position_is_monotonic(text: str) -> None:
    index = LineIndex(text)
    for encoding in ALL_ENCODINGS:
        positions = [index.position(o, encoding) for o in range(len(text) + 1)]
        keys = [(p.line, p.character) for p in positions]
        assert keys == sorted(keys)


@given(texts)
def test_position_matches_oracle(text: str) -> None:
    index = LineIndex(text)
    for encoding in ALL_ENCODINGS:
        for offset in range(len(text) + 1):
            assert index.position(offset, encoding) == oracle_position(text, offset, encoding)


@given(texts, st.integers(min_value=-3, max_value=40))
def test_units_and_code_points_agree(text: str, units: int) -> None:
    for encoding in ALL_ENCODINGS:
        count = code_points_for_units(text, units, encoding)
        assert 0 <= count <= len(text)
        # The covered prefix fits in the units; one more character would not.
        assert units_in(text[:count], encoding) <= max(units, 0)
        if count < len(text):
            assert units_in(text[: count + 1], encoding) > units


@given(
    st.text(alphabet=["a", "\n", "\r", "é", DOUBLE_A, " "], max_size=40),
    st.lists(st.integers(-2, 45), max_size=20),
    st.sampled_from(ALL_ENCODINGS),
)
def test_relative_positions_agree_with_relative_position_and_line_index(
    text: str, offsets: list[int], encoding: PositionEncoding
) -> None:
    breaks = line_starts(text)[1:]
    offsets.sort()
    single = [relative_position(text, breaks, o, encoding) for o in offsets]
    assert relative_positions(text, breaks, offsets, encoding) == single
    index = LineIndex(text)
    assert [index.position(o, encoding) for o in offsets] == [Position(*p) for p in single]
