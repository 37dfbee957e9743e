"""What biber drops that bib-lsp reports in the biblatex dialect: `year`/`month`
under a `date` (date-overrides-year), a legacy field beside its biblatex name
(legacy-field-dropped), an `ids` alias that is a key (ids-is-key), and name lists
with an empty name or a trailing comma (bad-name-list); each checked against biber,
with its quick fix."""

from __future__ import annotations

import pytest

from bib_lsp.document import Document
from bib_lsp.features.fixes import Finding, fixes_for
from bib_lsp.model.requirements import BIBLATEX_FIELD_ALIASES
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.text.edits import apply
from tests.backends import biber_document, biber_warnings, needs_biber_document
from tests.rules.helpers import expect, found

DATES = """\
@misc{d1, title = {X}, date = {2000-03}, «month» = jan}
@misc{d2, title = {X}, date = {2000-03}, month = {3}}
@misc{d3, title = {X}, date = {2000/2002}, «year» = {2002}}
@misc{d4, title = {X}, date = {2000-03-04}, year = {2000}, month = mar}
@misc{d5, title = {X}, date = {2000}, month = mar}
@misc{d6, title = {X}, date = {2000?}, «year» = {1999}}
"""


def plain(marked: str) -> str:
    return marked.replace("«", "").replace("»", "")


def fix_of(text: str, code: str, nth: int = 0) -> str:
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect="biblatex"))
    problems = [p for p in checker.diagnose() if p.code == code]
    p = problems[nth]
    (fix,) = fixes_for(Finding(p.code, p.start, p.end, p.data), doc, checker.index)
    return apply(text, fix.edits)


def test_year_and_month_that_differ_from_the_date() -> None:
    problems = expect(DATES, "date-overrides-year", "biblatex")
    assert problems[1].message == (
        "`year` 2002 differs from the year of `date` (2000): biber takes the year"
        " from `date` and drops `year`"
    )
    assert [r.message for r in problems[1].related] == ["`date` is kept"]
    expect(plain(DATES), "date-overrides-year", "bibtex")  # BibTeX knows no `date`


def test_the_quick_fix_removes_the_dropped_year() -> None:
    text = "@misc{d, title = {X},\n  date = {2000},\n  year = {1999},\n}\n"
    after = fix_of(text, "date-overrides-year")
    assert after == "@misc{d, title = {X},\n  date = {2000},\n}\n"
    assert found(after, "date-overrides-year", "biblatex") == []


@needs_biber_document
def test_biber_overwrites_the_same_fields() -> None:
    warned = {
        (w.split("'")[1], w.split("'")[-2])
        for w in biber_warnings(plain(DATES))
        if w.startswith("Overwriting")
    }
    assert warned == {("month", "d1"), ("year", "d3"), ("year", "d6")}


LEGACY = "".join(
    f"@misc{{k{i}, title = {{X}}, date = {{2000}}, «{old}» = {{OLD{i}}}, {new} = {{NEW{i}}}}}\n"
    for i, (old, new) in enumerate(sorted(BIBLATEX_FIELD_ALIASES.items()))
)


def test_every_legacy_pair_is_reported_on_the_legacy_field() -> None:
    problems = expect(LEGACY, "legacy-field-dropped", "biblatex")
    assert problems[0].message == (
        "`address` is dropped: `location` is given too, and biber keeps `location`"
        " (the biblatex name of `address`)"
    )
    # Whichever comes first.
    expect("@misc{k, location = {L}, «address» = {A}}", "legacy-field-dropped", "biblatex")
    expect(plain(LEGACY), "legacy-field-dropped", "bibtex")


def test_the_quick_fix_removes_the_legacy_field() -> None:
    text = "@article{k, journal = {J1}, journaltitle = {J2}}\n"
    assert fix_of(text, "legacy-field-dropped") == "@article{k, journaltitle = {J2}}\n"


@needs_biber_document
def test_biber_keeps_the_biblatex_name_and_drops_the_legacy_one() -> None:
    warnings, bbl = biber_document(plain(LEGACY))
    dropped = {w.split("'")[3] for w in warnings if "invalid in data model - ignoring" in w}
    assert dropped == set(BIBLATEX_FIELD_ALIASES)
    assert "OLD" not in bbl.replace("\\field{sortinit}", "")
    # (`langid` and `hyphenation` print as a language; the others as their values.)
    assert sum(f"NEW{i}" in bbl for i in range(len(BIBLATEX_FIELD_ALIASES))) >= 6


IDS = """\
@misc{dy, title = {X}, date = {2000}}
@misc{a1, title = {Y}, date = {2000}, ids = {«dy», fresh, «a1»}}
@misc{a2, title = {Z}, date = {2000}, ids = {DY}}
"""


def test_an_ids_alias_that_is_a_key() -> None:
    problems = expect(IDS, "ids-is-key", "biblatex")
    assert problems[0].message == (
        "`ids` names `dy`, the key of another entry: biber skips the alias and"
        " `\\cite{dy}` gets that entry"
    )
    assert problems[1].message == "`ids` names `a1`, the entry's own key: biber skips it"


@pytest.mark.parametrize(
    ("ids", "after"),
    [("{dy, fresh}", "{fresh}"), ("{fresh, dy}", "{fresh}"), ("{dy}", "{}")],
)
def test_the_quick_fix_removes_the_alias(ids: str, after: str) -> None:
    text = f"@misc{{dy, title = {{X}}}}\n@misc{{a, title = {{Y}}, ids = {ids}}}\n"
    assert fix_of(text, "ids-is-key") == text.replace(ids, after)


@needs_biber_document
def test_biber_skips_an_alias_that_is_a_key() -> None:
    warnings = biber_warnings(plain(IDS))
    assert "Entry alias 'dy' is also a real entry key, skipping ..." in warnings
    assert any("BAD RECURSION! Entry alias 'a1'" in w for w in warnings)
    assert not any("'DY'" in w for w in warnings)  # biber compares case


NAMES = """\
@misc{n1, author = {Schechter, Harold«,» and Kurt Brown}, title = {X}, date = {2000}}
@misc{n2, author = {Schechter, Harold and «and» Kurt Brown}, title = {X}, date = {2000}}
@misc{n3, author = {Brown, Kurt«,»}, title = {X}, date = {2000}}
@misc{n4, author = {{Brown, Kurt,}}, title = {X}, date = {2000}}
"""


def test_a_trailing_comma_and_an_empty_name() -> None:
    problems = expect(NAMES, "bad-name-list", "biblatex")
    assert problems[0].message == (
        "`author` has a name ending with a comma, an empty part (BibTeX reports an error,"
        " biber removes the comma)"
    )
    assert problems[1].message == (
        "`author` has `and` twice in a row: an empty name, for which biber skips the whole entry"
    )
    (bibtex,) = [p for p in found(plain(NAMES), "bad-name-list") if "twice" in p.message]
    assert bibtex.message == "`author` has `and` twice in a row"


def test_the_quick_fix_removes_the_trailing_comma() -> None:
    text = "@misc{n, author = {Schechter, Harold, and Kurt Brown}}\n"
    assert fix_of(text, "bad-name-list") == text.replace("Harold,", "Harold")


@needs_biber_document
def test_biber_on_empty_names_and_trailing_commas() -> None:
    warnings, bbl = biber_document(plain(NAMES))
    assert "Name in key 'n2' is empty (probably consecutive 'and'): skipping entry 'n2'" in (
        warnings
    )
    assert "\\entry{n2}" not in bbl
    assert warnings.count("BibTeX subsystem: warning: comma(s) at end of name (removing)") == 2
