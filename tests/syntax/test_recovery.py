"""Damage one entry of a real file: every other entry must read exactly as before."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from bib_lsp.syntax import codes as C
from bib_lsp.syntax import parse
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import Entry, Piece
from tests.syntax.helpers import BIBLATEX_EXAMPLES, XAMPL, check_tree, corpus_text, entries, summary

FILES = [XAMPL, BIBLATEX_EXAMPLES]
SAMPLES = 8

Damage = Callable[[str, Entry, random.Random], "tuple[str, int] | None"]


def value_pieces(entry: Entry) -> list[Piece]:
    """Closed braced or quoted value pieces of the entry's fields."""
    return [
        p
        for f in entry.fields
        if f.value is not None
        for p in f.value.pieces
        if p.kind in (K.BRACED, K.QUOTED) and p.closed
    ]


def remove_entry_close(text: str, entry: Entry, rng: random.Random) -> tuple[str, int] | None:
    close = entry.close_delim
    if close is None or text[close.start] != "}":
        return None
    return text[: close.start] + text[close.end :], close.start


def remove_value_close(text: str, entry: Entry, rng: random.Random) -> tuple[str, int] | None:
    """Remove one `}` of a value: a braced value's last one, or one inside quotes."""
    closers = [
        piece.span.start + i
        for piece in value_pieces(entry)
        for i, ch in enumerate(piece.text)
        if ch == "}"
    ]
    if not closers:
        return None
    at = rng.choice(closers)
    return text[:at] + text[at + 1 :], at


def insert_stray_open(text: str, entry: Entry, rng: random.Random) -> tuple[str, int] | None:
    candidates = value_pieces(entry)
    if not candidates:
        return None
    piece = rng.choice(candidates)
    at = rng.randrange(piece.span.start + 1, piece.span.end)
    return text[:at] + "{" + text[at:], at


DAMAGES: dict[str, Damage] = {
    "remove-entry-close": remove_entry_close,
    "remove-value-close": remove_value_close,
    "insert-stray-open": insert_stray_open,
}


@pytest.mark.parametrize("damage_name", list(DAMAGES))
@pytest.mark.parametrize("relative", FILES)
def test_damage_stays_inside_one_entry(relative: str, damage_name: str) -> None:
    source = corpus_text(relative)
    damage = DAMAGES[damage_name]
    intact = entries(parse(source))
    assert parse(source).problems() == []
    rng = random.Random(f"{relative}:{damage_name}")
    candidates = [i for i, e in enumerate(intact) if e.kind is K.ENTRY]
    rng.shuffle(candidates)
    tried = 0
    for index in candidates:
        target = intact[index]
        result = damage(source, target, rng)
        if result is None:
            continue
        tried += 1
        damaged, at = result
        tree = parse(damaged)
        check_tree(tree, damaged)
        views = entries(tree)
        # The damaged entry still starts where it did (the damage lies after its `@`).
        (hit,) = [j for j, e in enumerate(views) if e.span.start == target.span.start]
        broken = views[hit]
        assert broken.span.start <= at <= broken.span.end
        assert broken.key == target.key
        # Every other entry: same key, same fields, same value texts.
        others_before = [summary(e) for e in intact[:index]]
        others_after = [summary(e) for e in intact[index + 1 :]]
        assert [summary(e) for e in views[:hit]] == others_before
        assert [summary(e) for e in views[hit + 1 :]] == others_after
        # The damage is reported, inside the damaged entry, and only there.
        problems = tree.problems()
        assert any(
            p.code == C.UNBALANCED_BRACES and broken.span.start <= p.start < broken.span.end
            for p in problems
        ), problems
        for p in problems:
            assert broken.span.start <= p.start <= p.end <= broken.span.end, p
        if tried == SAMPLES:
            break
    assert tried == SAMPLES, f"only {tried} entries could be damaged"
