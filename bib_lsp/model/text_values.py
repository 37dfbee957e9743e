"""Validators for text that styles print, on plain strings (offsets into the string
given): name lists as BibTeX splits them, special characters TeX would read as
commands, and words in capitals."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ----------------------------------------------------------------------------------------
# Name lists
# ----------------------------------------------------------------------------------------


def _depth0_positions(text: str, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    """The matches of ``pattern`` that start at brace depth 0."""
    depths = []
    depth = 0
    for c in text:
        depths.append(depth)
        if c == "{":
            depth += 1
        elif c == "}" and depth:
            depth -= 1
    return [
        m for m in pattern.finditer(text) if depths[m.start()] == 0 and depths[m.end() - 1] == 0
    ]


_AND = re.compile(r"(?:^|(?<=\s))and(?=\s|$)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameProblem:
    start: int
    end: int
    message: str
    kind: str = ""  # "empty-name" (`and and`), "trailing-comma" (`Doe, Jane,`)


def check_name_list(text: str) -> list[NameProblem]:
    """Problems of an ``and``-separated name list as BibTeX splits it (``and`` in
    any case, between white space, outside braces): a list starting or ending with
    ``and``, two ``and`` in a row, and a name with more than two commas (often a
    list written with commas instead of ``and``), and a name ending with a comma
    (an empty last part: BibTeX reports an error, biber removes the comma). Offsets
    are into ``text``."""
    if "and" not in text.lower() and text.count(",") <= 2 and not text.rstrip().endswith(","):
        return []  # one name with at most two commas: the common case
    problems = []
    ands = _depth0_positions(text, _AND)
    bounds = [0]
    for m in ands:
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    names = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    for i, (start, end) in enumerate(names):
        part = text[start:end]
        if part.strip():
            commas = [m.start() for m in _depth0_positions(part, _COMMA)]
            if len(commas) > 2:
                lead = len(part) - len(part.lstrip())
                problems.append(
                    NameProblem(
                        start + lead,
                        start + len(part.rstrip()),
                        f"a name has {len(commas)} commas (names are separated by `and`)",
                    )
                )
            elif commas and part.rstrip().endswith(",") and commas[-1] == len(part.rstrip()) - 1:
                at = start + commas[-1]
                problems.append(
                    NameProblem(
                        at,
                        at + 1,
                        "has a name ending with a comma, an empty part (BibTeX reports an"
                        " error, biber removes the comma)",
                        "trailing-comma",
                    )
                )
            continue
        if i == 0 and ands:
            m = ands[0]
            problems.append(NameProblem(m.start(), m.end(), "starts with `and`"))
        elif i == len(names) - 1 and ands:
            m = ands[-1]
            problems.append(NameProblem(m.start(), m.end(), "ends with `and`"))
        elif 0 < i < len(names) - 1:
            m = ands[i]
            problems.append(
                NameProblem(m.start(), m.end(), "has `and` twice in a row", "empty-name")
            )
    return problems


_COMMA = re.compile(",")

# ----------------------------------------------------------------------------------------
# Special characters and capitals in text
# ----------------------------------------------------------------------------------------

_URL_COMMANDS = frozenset({"url", "href", "path", "nolinkurl", "doi", "verb"})
# Commands whose argument is a key or a label, not text: `_` is fine there.
_KEY_COMMANDS = frozenset({"cite", "citet", "citep", "nocite", "ref", "label", "eqref"})
_SPECIAL = frozenset("&%$#_")


@dataclass(frozen=True, slots=True)
class SpecialChar:
    """An unescaped special character at ``offset``; ``char`` is ``$`` with
    ``unbalanced`` True for a ``$`` that opens math mode and never closes it."""

    offset: int
    char: str
    unbalanced: bool = False


def find_special_chars(text: str) -> list[SpecialChar]:
    """The characters ``& % $ # _`` that TeX would read as commands in ``text``:
    not escaped by a backslash (``\\&``), not ``_`` in math mode (``$x_1$``), not
    inside the argument of ``\\url``, ``\\href`` (its first), ``\\path``, ``\\doi``,
    ``\\nolinkurl``, nor of commands that take keys (``\\cite``, ``\\ref``...). A ``$``
    that opens math mode and is not closed is reported too."""
    out: list[SpecialChar] = []
    i, n = 0, len(text)
    math_start = -1  # offset of the $ that opened math mode, or -1
    while i < n:
        c = text[i]
        if c == "\\":
            j = i + 1
            while j < n and text[j].isalpha():
                j += 1
            if j == i + 1:
                i += 2  # \& \% \\ ...: a control symbol
                continue
            name = text[i + 1 : j]
            if name in _URL_COMMANDS or name in _KEY_COMMANDS:
                while j < n and text[j] in " \t":
                    j += 1
                if j < n and text[j] == "{":
                    i = _skip_group(text, j)
                    continue
                if j < n and name in ("path", "verb") and not text[j].isalnum():
                    close = text.find(text[j], j + 1)  # \path|...|, as \verb
                    i = n if close < 0 else close + 1
                    continue
            i = j
            continue
        if c == "$":
            math_start = i if math_start < 0 else -1
            if text.startswith("$$", i):  # display math: $$ opens and closes it
                i += 2
                continue
        elif c in _SPECIAL and not (c == "_" and math_start >= 0):
            out.append(SpecialChar(i, c))
        i += 1
    if math_start >= 0:
        out.append(SpecialChar(math_start, "$", unbalanced=True))
        out.sort(key=lambda s: s.offset)
    return out


def _skip_group(text: str, start: int) -> int:
    """The offset after the brace group opening at ``start`` (or the text's end)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}]|[^\W_]+", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a title at brace depth 0: ``start``/``end`` offsets and its text
    (a control word such as ``\\LaTeX`` counts as a word)."""

    start: int
    end: int
    text: str


def unprotected_words(text: str) -> list[Word]:
    """The words of ``text`` outside braces (what BibTeX's ``change.case$`` would
    change), control words included. Letters after an accent command (``\\'e``) are
    left out, with the accent."""
    out = []
    depth = 0
    previous_accent = False
    for m in _TOKEN.finditer(text):
        token = m[0]
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            if previous_accent:
                previous_accent = False
                continue
            if token.startswith("\\") and len(token) == 2:
                previous_accent = not token[1].isspace()
                continue
            out.append(Word(m.start(), m.end(), token))
        previous_accent = False
    return out


def capitals(word: str) -> int:
    """How many upper-case letters ``word`` has."""
    if word.islower():
        return 0  # the common case, without a loop
    return sum(1 for c in word if c.isupper())


def is_all_caps(words: list[Word]) -> bool:
    """Whether a title's unprotected words are all in capitals: at least two words
    of two letters or more, and no lower-case letter outside braces."""
    long_words = 0
    for w in words:
        if w.text.startswith("\\"):
            continue
        if any(c.islower() for c in w.text):
            return False
        if sum(1 for c in w.text if c.isalpha()) >= 2:
            long_words += 1
    return long_words >= 2
