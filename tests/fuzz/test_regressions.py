"""The fuzz targets (`fuzz/targets.py`) on every input a fuzzing run found failing
(kept in `fuzz/regressions/TARGET/`), and on a sample of the seeds: the real
corpus cut into pieces, with and without edits read from the bytes after it.
The coverage-guided runs themselves are `python fuzz/run.py` (see its docstring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.run import CORPUS, HERE, REGRESSIONS, SEED_BYTES
from fuzz.targets import SEPARATOR, TARGETS

KEPT = sorted(
    (target, path)
    for target in TARGETS
    for path in (REGRESSIONS / target).glob("*")
    if (REGRESSIONS / target).is_dir()
)


@pytest.mark.parametrize(("target", "path"), KEPT, ids=[f"{t}/{p.name}" for t, p in KEPT])
def test_kept_failing_input(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())


def corpus_pieces() -> list[bytes]:
    files = sorted(CORPUS.rglob("*.bib")) if CORPUS.is_dir() else []
    pieces = []
    for path in files[::4]:
        data = path.read_bytes()
        middle = len(data) // 2
        pieces.append(data[:SEED_BYTES])
        pieces.append(data[middle : middle + SEED_BYTES])  # cut anywhere, even mid-character
    return pieces


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_targets_hold_on_the_corpus_with_edits(target: str) -> None:
    pieces = corpus_pieces()
    if not pieces:
        pytest.skip("../shared/corpus is not there")
    for i, piece in enumerate(pieces):
        TARGETS[target](piece)
        edits = bytes((i * 37 + k * 101) % 256 for k in range(64))
        TARGETS[target](piece + SEPARATOR + edits)


def test_targets_read_edits_from_the_bytes_after_the_text() -> None:
    """The properties are checked on edited documents, not only on the seed."""
    from fuzz.targets import Stream, edits, split

    text, stream = split(b"@misc{k, title = {T}}" + SEPARATOR + bytes(range(1, 30)))
    assert text == "@misc{k, title = {T}}"
    made = edits(text, stream)
    assert made and all(0 <= s <= e for s, e, _ in made)
    assert not Stream(b"").left


KNOWN = sorted((p.parent.name, p) for p in (HERE / "known").glob("*/*"))


@pytest.mark.xfail(strict=True, reason="found by fuzzing, not fixed yet: see fuzz/known/README")
@pytest.mark.parametrize(("target", "path"), KNOWN, ids=[f"{t}/{p.name}" for t, p in KNOWN])
def test_known_failing_input(target: str, path: Path) -> None:
    TARGETS[target](path.read_bytes())
