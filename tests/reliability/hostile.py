"""Hostile and odd inputs for the reliability tests (issue 10), each generated
deterministically from this code: nothing here is read from a committed file.

``small_cases()`` gives every case that fits in memory comfortably, as the bytes
a file on disk would hold; ``write_big_file`` and ``write_long_line`` write the
50 MB file and the 5 MB line into a directory when a test asks for them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# Characters outside the Basic Multilingual Plane: two UTF-16 units, four UTF-8
# bytes each. U+10FFFF is the last code point (a noncharacter, but valid text).
ASTRAL = ("\U0001f600", "\U0010ffff", "\U00020000")
MARK = "\u00a4"  # where the astral template puts an astral character

BOM = b"\xef\xbb\xbf"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # joined by zero-width joiners

SAMPLE = """\
% A small but ordinary file.
@string{jacm = {Journal of the ACM}}

@article{knuth1984,
  author  = {Donald E. Knuth},
  title   = {Literate Programming},
  journal = jacm # { (special issue)},
  year    = 1984,
  pages   = "97--111",
}

Free text between entries.

@book{lamport1994,
  author    = {Leslie Lamport},
  title     = {{\\LaTeX}: A Document Preparation System},
  publisher = {Addison-Wesley},
  year      = {1994},
}
"""

# Every kind of place a character can stand in a .bib file; MARK is replaced by an
# astral character (cycling through ASTRAL). Keys, names and types are where
# BibTeX would refuse them: the point is that nothing breaks, not that it is valid.
ASTRAL_TEMPLATE = """\
\u00a4% comment \u00a4 at both ends \u00a4
\u00a4free text\u00a4 between \u00a4 tokens\u00a4
@str\u00a4ing{ma\u00a4cro = {ex\u00a4pansion}}
@string{plain = "qu\u00a4oted"}
@art\u00a4icle{ke\u00a4y,
  fi\u00a4eld = {bra\u00a4ced {in\u00a4ner}},
  quoted = "quo\u00a4ted",
  title = ma\u00a4cro # {\u00a4} # plain,
  author = {\u00a4nne Ex\u00a4ample and Bob \u00a4},
  year = 2000\u00a4,
  doi = {10.1000/\u00a4},
  url = {https://example.org/\u00a4},
  \u00a4 = {name of one astral character},
}\u00a4
\u00a4@misc{\u00a4,
\u00a4note\u00a4=\u00a4{\u00a4}\u00a4,\u00a4
}
@comment{\u00a4 in a comment \u00a4}
@preamble{"\u00a4"}
@misc{k2, crossref = ke\u00a4y, xdata = ke\u00a4y}
\u00a4"""


def astral_text(line_break: str = "\n") -> str:
    """The astral template with its marks replaced, and with ``line_break``."""
    out = []
    count = 0
    for ch in ASTRAL_TEMPLATE:
        if ch == MARK:
            out.append(ASTRAL[count % len(ASTRAL)])
            count += 1
        else:
            out.append(ch)
    return "".join(out).replace("\n", line_break)


def astral_offsets(text: str) -> list[int]:
    """Code-point offsets of the astral characters of ``text``."""
    return [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]


def mixed_line_breaks(text: str) -> str:
    """``text`` with its line breaks cycling through LF, CRLF and CR, plus a lone CR
    and a CR-LF split by a character inside a value."""
    breaks = ("\n", "\r\n", "\r")
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        out.append(line + breaks[i % 3])
    out.append(lines[-1])
    return "".join(out) + "@misc{cr, note = {one\rtwo\r\nthree\n\rfour}}\r\n"


def fake_pdf() -> bytes:
    """A small binary that starts like a PDF: header, binary comment, a stream of
    compressed-looking bytes with NULs, braces and @ signs, and a trailer."""
    rng = random.Random(1)
    stream = bytes(rng.randrange(256) for _ in range(4096))
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Length 4096 /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\x00\x00@article{\x00}\x00\nendstream\nendobj\n"
        b"xref\n0 3\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
    )


LATEX = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\newcommand{\at}{@}
\begin{document}
An e-mail: someone@example.org, and a command \at{} with braces {{{ and }.
\cite{knuth1984} and \cite[p.~3]{lamport1994}.
$x = \{1, 2\}$ % a comment with @article{ inside
\begin{verbatim}
@article{inside, title = {verbatim}
\end{verbatim}
\printbibliography
\end{document}
"""


def random_bytes(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes  # what the file holds
    # Whether the bytes are valid UTF-8 (with or without a BOM): if not, the CLI
    # must say where they are not.
    utf8: bool = True


def _u(name: str, text: str) -> Case:
    return Case(name, text.encode("utf-8"))


def _deep(n: int) -> str:
    return "@article{deep, title = " + "{" * n + "x" + "}" * n + ", year = 2000}\n"


def small_cases() -> list[Case]:
    """Every case but the 50 MB file and the 5 MB line (each under 3 MB)."""
    sample = SAMPLE.encode()
    nul_sample = SAMPLE.replace("Knuth", "Kn\0uth").replace("year", "\0year")
    cases = [
        Case("empty", b""),
        Case("bom-only", BOM),
        _u("blank", "\n \t\r\n\r\n   "),
        _u("sample", SAMPLE),
        Case("bom", BOM + sample),
        Case("bom-crlf", BOM + SAMPLE.replace("\n", "\r\n").encode()),
        Case("utf16-le-bom", SAMPLE.encode("utf-16"), utf8=False),
        Case("utf16-be-bom", b"\xfe\xff" + SAMPLE.encode("utf-16-be"), utf8=False),
        _u("nul-bytes", nul_sample + "\0\0\0" + "@misc{n\0k, note = {\0}}\n\0"),
        _u("only-nuls", "\0" * 1000),
        Case(
            "invalid-utf8",
            sample.replace(b"Literate", b"Lit\xff\xfeerate").replace(b"Lamport", b"Lam\xc3(port"),
            utf8=False,
        ),
        Case("encoded-surrogate", sample + b"@misc{s, note = {\xed\xa0\x80}}\n", utf8=False),
        Case("truncated-utf8-at-end", sample + b"@misc{t, note = {\xf0\x9f\x98", utf8=False),
        Case("latin1", SAMPLE.replace("Knuth", "Kn\u00fcth").encode("latin-1") + b"\xe9", False),
        Case("fake-pdf", fake_pdf(), utf8=False),
        Case("random-binary", random_bytes(20_000, seed=7), utf8=False),
        _u("latex", LATEX),
        _u("mixed-line-breaks", mixed_line_breaks(SAMPLE)),
        _u("cr-only", SAMPLE.replace("\n", "\r")),
        _u(
            "unicode-line-separators",
            SAMPLE.replace("Free text", "Free\u2028text\u2029\x85\x0b\x0c\x1c\x1d\x1e")
            + "@misc{sep, note = {a\u2028b\x85c}}\n",
        ),
        _u("astral", astral_text()),
        _u("astral-crlf", astral_text("\r\n")),
        Case("astral-bom", BOM + astral_text().encode()),
        _u("astral-no-final-newline", astral_text().rstrip("\n")),
        _u(
            "combining-and-zwj",
            "@misc{z\u0301, note = {\U0001f468\u200d\U0001f469\u200d\U0001f467 e\u0301}}\n",
        ),
        _u("braces-10k", _deep(10_000)),
        _u("braces-100k", _deep(100_000)),
        _u("braces-10k-unclosed", "@article{open, title = " + "{" * 10_000 + "x\n@misc{after}\n"),
        _u("braces-10k-closing", "}" * 10_000 + "\n@misc{after, note = {" + "}" * 10_000 + "\n"),
        _u("braces-10k-free-text", "{" * 10_000 + "x" + "}" * 10_000 + "\n"),
        _u(
            "braces-10k-commands",
            "@article{cmd, author = {" + "{\\em " * 10_000 + "A B" + "}" * 10_000 + " and C D},"
            " title = {" + "\\textbf{" * 10_000 + "x" + "}" * 10_000 + "}, year = 2000}\n",
        ),
        _u("quotes-10k", "@misc{q, note = " + '"' * 10_001 + "}\n"),
        _u("dollars-10k", "@misc{d, title = {" + "$" * 10_000 + "}}\n"),
        _u("strings-10k-chain", _string_chain(10_000)),
        _u(
            "concatenation-10k",
            "@string{a = {a}}\n@article{cat, title = "
            + " # ".join(["a", "{b}", '"c"', "12"] * 2_500)
            + ", year = 2000}\n",
        ),
        _u(
            "fields-100k",
            "@misc{many,\n"
            + "".join(f"  field{i} = {{value {i}}},\n" for i in range(100_000))
            + "}\n",
        ),
        _u("key-1mb", "@misc{" + "k" * 1_000_000 + ", title = {long key}}\n"),
        _u("at-signs", "@" * 10_000 + "\n@@@{x,}\n@{}\n@misc\n@misc{\n"),
        _u("commas", "@misc{c," + "," * 10_000 + "}\n"),
    ]
    return cases


# The cases that take seconds per pass (100,000 outline symbols, 10,000 macros to
# expand): through the CLI and the second client profile only the others go.
HEAVY = frozenset({"fields-100k", "strings-10k-chain", "key-1mb", "braces-100k", "at-signs"})


def light_cases() -> list[Case]:
    return [c for c in small_cases() if c.name not in HEAVY]


def _string_chain(n: int) -> str:
    lines = ["@string{m0 = {x}}\n"]
    lines += [f"@string{{m{i} = m{i - 1} # {{y}}}}\n" for i in range(1, n)]
    lines.append(f"@article{{chain, title = m{n - 1}, author = {{A B}}, year = 2000}}\n")
    return "".join(lines)


def entries(seed: int) -> Iterator[str]:
    """Endless ordinary entries, some with astral characters and LaTeX."""
    rng = random.Random(seed)
    words = ["graph", "theory", "on", "the", "of", "systems", "\\'etude", "na\u00efve", "model"]
    i = 0
    while True:
        title = " ".join(rng.choice(words) for _ in range(rng.randrange(3, 12)))
        extra = ASTRAL[i % 3] if i % 50 == 0 else ""
        yield (
            f"@article{{key{i}{extra},\n"
            f"  author  = {{Last{i}, First and Other, A. N.}},\n"
            f"  title   = {{{title}{extra}}},\n"
            f"  journal = {{Journal {i % 97}}},\n"
            f"  year    = {1900 + i % 120},\n"
            f"  pages   = {{{i}--{i + 9}}},\n"
            f"  doi     = {{10.1000/{i}}},\n"
            "}\n\n"
        )
        i += 1


def write_big_file(path: Path, size: int = 50_000_000) -> Path:
    """About ``size`` bytes of ordinary entries (about 220 bytes each)."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        chunk: list[str] = []
        for entry in entries(seed=50):
            chunk.append(entry)
            written += len(entry.encode())
            if len(chunk) == 1000 or written >= size:
                out.write("".join(chunk))
                chunk = []
            if written >= size:
                break
    return path


def write_long_line(path: Path, size: int = 5_000_000) -> Path:
    """One line of about ``size`` bytes: entries one after another with no line
    break, an astral character every few hundred characters, and a final newline
    missing."""
    parts: list[str] = []
    written = 0
    i = 0
    while written < size:
        extra = ASTRAL[i % 3]
        part = (
            f"@article{{line{i}, author = {{Last{i}, First{extra}}}, "
            f"title = {{Title {extra} number {i} {{Nested}} text}}, year = {2000 + i % 20}, "
            f'note = "quoted {extra}"}} free text{extra} '
        )
        parts.append(part)
        written += len(part.encode())
        i += 1
    path.write_text("".join(parts), encoding="utf-8", newline="")
    return path
