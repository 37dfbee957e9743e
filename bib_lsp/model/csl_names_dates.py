"""BibTeX name lists and dates in their CSL-JSON forms: names split by BibTeX's
rules (bibtexparser), dates from biblatex's ISO 8601 `date` or `year`/`month`/`day`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from bib_lsp.model.latex import to_text
from bib_lsp.model.macros import ENGLISH_MONTHS
from bib_lsp.syntax.lexer import is_one_group

CSL = dict[str, Any]


# -- names ----------------------------------------------------------------------------


def names(latex: str) -> list[CSL]:
    """A BibTeX name list as CSL names: `and`-separated, each split into its parts
    by BibTeX's rules; a name that is one braced group (`{World Health
    Organization}`) stays whole, as a literal; `others` is dropped."""
    out = []
    for written in split_multiple_persons_names(latex):
        written = written.strip()
        if not written or written == "others":
            continue
        if is_one_group(written):
            out.append({"literal": to_text(written)})
            continue
        try:
            parts = parse_single_name_into_parts(written, strict=False)
        except Exception:  # bibtexparser gives up on some broken names
            out.append({"literal": to_text(written)})
            continue
        person: CSL = {}
        family = to_text(" ".join(parts.last))
        given = to_text(" ".join(parts.first))
        particle = to_text(" ".join(parts.von))
        suffix = to_text(" ".join(parts.jr))
        if family:
            person["family"] = family
        if given:
            person["given"] = given
        if particle:
            person["non-dropping-particle"] = particle
        if suffix:
            person["suffix"] = suffix
        if person:
            out.append(person)
    return out


# -- dates ----------------------------------------------------------------------------

_ISO = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.Z+-]*)?([?~%]?)$")


def month_number(text: str) -> int | None:
    """1-12 for `3`, `03`, `mar`, `March`, `Mar.`; None otherwise."""
    word = text.strip().rstrip(".").lower()
    if word.isdigit():
        n = int(word)
        return n if 1 <= n <= 12 else None
    return ENGLISH_MONTHS.get(word)


def parse_date(text: str) -> CSL:
    """An ISO 8601 date as biblatex takes it (`2017`, `2017-06`, `2017-06-30`, a
    range `2017/2018`, open `2017/`, uncertain `2017?`, circa `2017~`), as a CSL
    date; anything else as a literal."""
    text = text.strip()
    parts = text.split("/")
    if len(parts) > 2:
        return {"literal": text}
    dates: list[list[int]] = []
    circa = False
    for part in parts:
        if part in ("", ".."):
            dates.append([])  # an open end
            continue
        found = _ISO.match(part)
        if found is None:
            return {"literal": text}
        year, month, day, mark = found.groups()
        numbers = [int(year)]
        if month:
            if not 1 <= int(month) <= 12:
                return {"literal": text}
            numbers.append(int(month))
        if day:
            numbers.append(int(day))
        circa = circa or bool(mark)
        dates.append(numbers)
    if not dates or not dates[0]:
        return {"literal": text}
    # An open end (`2017/`) has no CSL form: the start stands alone.
    date: CSL = {"date-parts": dates if len(dates) == 2 and dates[1] else dates[:1]}
    if circa:
        date["circa"] = True
    return date


def issued_date(raw: Mapping[str, str], prefix: str = "") -> CSL | None:
    """The publication date: `date`, else `year` (with `month` and `day`); an
    unreadable `date` gives way to a good `year`. ``prefix``: `orig` for the
    original date (`origdate`, `origyear`...)."""
    written = raw.get(prefix + "date", "").strip()
    if written:
        date = parse_date(to_text(written))
        if "literal" not in date or not raw.get(prefix + "year", "").strip():
            return date
    year = to_text(raw.get(prefix + "year", ""))
    if not year:
        return None
    if not re.fullmatch(r"-?\d{1,4}", year):
        return {"literal": year}
    parts = [int(year)]
    month = month_number(to_text(raw.get(prefix + "month", "")))
    if month is not None:
        parts.append(month)
        day = to_text(raw.get(prefix + "day", ""))
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}
