"""Reading ``.bib`` files from disk: UTF-8, with a located Windows-1252 or Latin-1
fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bib_lsp.syntax.codes import NOT_UTF8
from bib_lsp.syntax.tree import Problem, Severity


@dataclass(frozen=True, slots=True)
class LoadedText:
    text: str
    encoding: str
    problems: tuple[Problem, ...] = ()
    bom: bytes = b""  # a UTF-16 byte-order mark, to write back before the text

    def encode(self, text: str) -> bytes:
        """``text`` as the file held its text (encoding and byte-order mark)."""
        return self.bom + text.encode(self.encoding)


_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_bib(data: bytes) -> LoadedText:
    """Decode bytes as UTF-8 (a byte-order mark is not part of the text, as editors
    do, but is kept in ``encoding``: ``utf-8-sig`` writes it back); UTF-16 when a
    UTF-16 byte-order mark starts them and the rest decodes; else as Windows-1252
    when they hold bytes 0x80-0x9f and all of them are Windows-1252 characters
    (smart quotes, dashes, the euro sign: Latin-1 would make them invisible C1
    control characters), else as Latin-1; either way with a warning naming the
    encoding, located at the first byte that is not UTF-8."""
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom) and len(data) % 2 == 0:
            try:
                text = data[2:].decode(codec)
            except UnicodeDecodeError:
                break
            message = "the file is UTF-16; BibTeX and biber read UTF-8: convert it to UTF-8"
            problem = Problem(0, min(1, len(text)), NOT_UTF8, message, Severity.WARNING)
            return LoadedText(text, codec, (problem,), bom)
    try:
        sig = data.startswith(b"\xef\xbb\xbf")
        return LoadedText(data.decode("utf-8-sig"), "utf-8-sig" if sig else "utf-8")
    except UnicodeDecodeError as error:
        # Both map each byte to one code point, so the byte offset is the offset.
        bad = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        codec, name = _single_byte(data)
        message = (
            f"the file is not valid UTF-8 (byte 0x{data[bad]:02x} here); "
            f"it was read as {name}: convert it to UTF-8"
        )
        problem = Problem(bad, bad + 1, NOT_UTF8, message, Severity.WARNING)
        return LoadedText(data.decode(codec), codec, (problem,))


_C1 = re.compile(rb"[\x80-\x9f]")


def _single_byte(data: bytes) -> tuple[str, str]:
    """The codec and name of the one-byte encoding that reads ``data``: Windows-1252
    when the bytes 0x80-0x9f occur and each is one of its characters (Python's
    ``cp1252`` rejects the five it leaves undefined), else Latin-1 (which reads the
    same for every other byte)."""
    if _C1.search(data):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            return "cp1252", "Windows-1252"
    return "latin-1", "Latin-1 (ISO-8859-1)"


def read_bib(path: Path) -> LoadedText:
    """Read a file (raises ``OSError`` when it cannot be read)."""
    return decode_bib(path.read_bytes())
