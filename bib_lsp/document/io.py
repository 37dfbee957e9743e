"""Reading ``.bib`` files from disk: UTF-8, with a located Latin-1 fallback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bib_lsp.syntax.codes import NOT_UTF8
from bib_lsp.syntax.tree import Problem, Severity


@dataclass(frozen=True, slots=True)
class LoadedText:
    text: str
    encoding: str
    problems: tuple[Problem, ...] = ()


def decode_bib(data: bytes) -> LoadedText:
    """Decode bytes as UTF-8 (a byte-order mark is dropped, as editors do); if they
    are not UTF-8, as Latin-1, with a warning located at the first bad byte."""
    try:
        return LoadedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as error:
        # Latin-1 maps byte i to code point i, so the byte offset is the offset.
        bad = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        message = (
            f"the file is not valid UTF-8 (byte 0x{data[bad]:02x} here); "
            "it was read as Latin-1 (ISO-8859-1): convert it to UTF-8"
        )
        problem = Problem(bad, bad + 1, NOT_UTF8, message, Severity.WARNING)
        return LoadedText(data.decode("latin-1"), "latin-1", (problem,))


def read_bib(path: Path) -> LoadedText:
    """Read a file (raises ``OSError`` when it cannot be read)."""
    return decode_bib(path.read_bytes())
