"""BibTeX/biblatex entries as CSL-JSON: hand-made entries checked field by field,
and every entry of the real corpus converted without error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bib_lsp.document import Document
from bib_lsp.document.io import read_bib
from bib_lsp.features.citation import load_style, render
from bib_lsp.model.csl import document_items
from bib_lsp.model.csl_names_dates import names, parse_date
from bib_lsp.model.latex import to_text

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
EXAMPLES = CORPUS / "texlive" / "biblatex" / "biblatex" / "biblatex-examples.bib"

SEED = (
    "@article {Kothari619, author = {Anita Kothari and C Nadine Wathen}, title = {Integrated "
    "knowledge translation: digging deeper, moving forward}, volume = {71}, number = {6}, "
    "pages = {619--623}, year = {2017}, doi = {10.1136/jech-2016-208490}, publisher = {BMJ "
    "Publishing Group Ltd}, journal = {Journal of Epidemiology \\& Community Health}, issn = "
    "{0143-005X}, abstract = {Knowledge translation {\\textemdash} the {\\textquoteright}IKT"
    "{\\textquoteright} way}}"
)


def items(text: str, dialect: str = "auto") -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in document_items(Document(text), dialect)}


def test_the_seed_entry_converts_field_by_field() -> None:
    item = items(SEED)["Kothari619"]
    assert item["type"] == "article-journal"
    assert item["author"] == [
        {"family": "Kothari", "given": "Anita"},
        {"family": "Wathen", "given": "C Nadine"},
    ]
    assert item["container-title"] == "Journal of Epidemiology & Community Health"
    assert item["page"] == "619–623"
    assert (item["volume"], item["issue"]) == ("71", "6")
    assert item["issued"] == {"date-parts": [[2017]]}
    assert item["DOI"] == "10.1136/jech-2016-208490"
    assert item["ISSN"] == "0143-005X"
    assert item["abstract"] == "Knowledge translation — the ’IKT’ way"


def plain(markdown: str) -> str:
    """Markdown without its markup: emphasis, escapes, links as their text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\\(.)", r"\1", text.replace("*", ""))


def test_the_seed_entry_prints_in_apa_as_the_issue_says() -> None:
    shown = render(items(SEED)["Kothari619"], load_style("apa"))
    assert plain(shown) == (
        "Kothari, A., & Wathen, C. N. (2017). Integrated knowledge translation: digging "
        "deeper, moving forward. Journal of Epidemiology & Community Health, 71(6), 619–623. "
        "https://doi.org/10.1136/jech-2016-208490"
    )
    assert "*Journal of Epidemiology & Community Health*, *71*(6)" in shown
    assert "(https://doi.org/10.1136/jech-2016-208490)" in shown  # a link


def test_names_by_bibtex_rules() -> None:
    assert names("{World Health Organization} and others") == [
        {"literal": "World Health Organization"}
    ]
    assert names("de la Vall{\\'e}e Poussin, Jr., Charles Louis") == [
        {
            "family": "Vallée Poussin",
            "given": "Charles Louis",
            "non-dropping-particle": "de la",
            "suffix": "Jr.",
        }
    ]
    assert names("Knuth, Donald E. and Lamport, Leslie")[1] == {
        "family": "Lamport",
        "given": "Leslie",
    }
    assert names(r"Aks{\i}n, {\"O}zge") == [{"family": "Aksın", "given": "Özge"}]


def test_dates_iso_ranges_and_year_month() -> None:
    assert parse_date("2017-06-30") == {"date-parts": [[2017, 6, 30]]}
    assert parse_date("1885/1888") == {"date-parts": [[1885], [1888]]}
    assert parse_date("2017-06/2018-01") == {"date-parts": [[2017, 6], [2018, 1]]}
    assert parse_date("1990~") == {"date-parts": [[1990]], "circa": True}
    assert parse_date("2017/") == {"date-parts": [[2017]]}
    assert parse_date("spring 2017") == {"literal": "spring 2017"}
    assert parse_date("2017-13") == {"literal": "2017-13"}
    found = items("@misc{a, year = 2001, month = aug, day = {9}}\n@misc{b, year = {in press}}")
    assert found["a"]["issued"] == {"date-parts": [[2001, 8, 9]]}
    assert found["b"]["issued"] == {"literal": "in press"}
    found = items("@misc{a, year = 2001, month = {Sept.}}\n@misc{b, year = 1999, month = 11}")
    assert found["a"]["issued"] == {"date-parts": [[2001, 9]]}
    assert found["b"]["issued"] == {"date-parts": [[1999, 11]]}


def test_macros_and_concatenation_are_expanded() -> None:
    text = (
        '@string{tug = "TeX Users Group"}\n'
        '@string{tub = "TUGboat, " # tug}\n'
        '@string{self = "a" # self}\n'
        "@article{k, journal = tub, note = {See } # self # { and } # nowhere, "
        "title = jan # { issue}}\n"
    )
    item = items(text, "bibtex")["k"]
    assert item["container-title"] == "TUGboat, TeX Users Group"
    assert item["note"] == "See a and"  # a macro defined through itself, an undefined one
    assert item["title"] == "January issue"
    assert items("@article{k, journal = cacm}", "bibtex")["k"]["container-title"] == (
        "Communications of the ACM"
    )


BOOK = (
    "@proceedings{tug, title = {Proceedings of {TUG}}, subtitle = {Online}, year = 2020, "
    "editor = {Barbara Beeton}, publisher = {TUG}, shorttitle = {TUG 2020}}\n"
    "@inproceedings{talk, author = {A. Speaker}, title = {A Talk}, crossref = {tug}, "
    "pages = {1--5}}\n"
)


def test_biblatex_crossref_inheritance_renames_titles() -> None:
    item = items(BOOK, "biblatex")["talk"]
    assert item["type"] == "paper-conference"
    assert item["title"] == "A Talk"  # its own
    assert item["container-title"] == "Proceedings of TUG: Online"  # the parent's title
    assert item["editor"] == [{"family": "Beeton", "given": "Barbara"}]
    assert item["issued"] == {"date-parts": [[2020]]}
    assert "title-short" not in item  # short titles stay behind


def test_bibtex_crossref_copies_missing_fields_as_they_are() -> None:
    text = BOOK.replace("year = 2020,", "year = 2020, booktitle = {Proc. TUG},")
    item = items(text, "bibtex")["talk"]
    assert item["container-title"] == "Proc. TUG"
    assert item["title-short"] == "TUG 2020"


def test_xdata_and_chains_and_cycles() -> None:
    text = (
        "@xdata{pub, publisher = {Springer}, location = {Berlin and Heidelberg}}\n"
        "@book{b, title = {B}, xdata = {pub}, crossref = {c}}\n"
        "@book{c, crossref = {b}, year = 1999}\n"
    )
    found = items(text, "biblatex")
    assert "pub" not in found  # @xdata is not a work to cite
    assert found["b"]["publisher"] == "Springer"
    assert found["b"]["publisher-place"] == "Berlin; Heidelberg"
    assert found["b"]["issued"] == {"date-parts": [[1999]]}  # a cycle ends, no error


def test_types_and_their_specific_fields() -> None:
    text = (
        "@phdthesis{t, author = {A}, title = {T}, school = {MIT}, year = 2000}\n"
        "@thesis{u, author = {A}, title = {T}, type = {mathesis}, institution = {ETH}, "
        "date = {2001}}\n"
        "@article{m, journal = {The Economist}, entrysubtype = {magazine}}\n"
        "@online{o, title = {Site}, url = {https://example.org/a_b%20c}, urldate = {2020-01-02}}\n"
        "@misc{x, howpublished = {\\url{https://example.org/x}}}\n"
        "@online{arx, eprint = {1234.5678}, eprinttype = {arxiv}}\n"
        "@book{bk, title = {B}, series = {LNCS}, number = {42}, edition = {2},"
        " langid = {ngerman}}\n"
    )
    found = items(text, "biblatex")
    assert found["t"]["type"] == "thesis"
    assert (found["t"]["genre"], found["t"]["publisher"]) == ("PhD thesis", "MIT")
    assert (found["u"]["genre"], found["u"]["publisher"]) == ("Master’s thesis", "ETH")
    assert found["m"]["type"] == "article-magazine"
    assert found["o"]["URL"] == "https://example.org/a_b%20c"
    assert found["o"]["accessed"] == {"date-parts": [[2020, 1, 2]]}
    assert found["x"]["URL"] == "https://example.org/x"
    assert found["arx"]["URL"] == "https://arxiv.org/abs/1234.5678"
    book = found["bk"]
    assert (book["collection-title"], book["collection-number"], book["edition"]) == (
        "LNCS",
        "42",
        2,
    )
    assert book["language"] == "de-DE"


def test_latex_is_decoded() -> None:
    assert to_text("The {\\TeX}book and \\LaTeX{}") == "The TeXbook and LaTeX"
    assert to_text("\\mbox{O'Brien} \\noopsort{a}Zeta") == "O’Brien Zeta"
    assert to_text("Goethe's `design' \\mkbibquote{Intention}") == "Goethe’s ‘design’ “Intention”"
    assert to_text("TeX\\-niques, \\S~24, see \\cite{knuth}") == "TeXniques, § 24, see"
    assert to_text("e-mail: \\path|bnb@math.ams.org|") == "e-mail: bnb@math.ams.org"
    assert to_text(r"$\alpha$-helix, {\"o} \'e \c{c}") == "α-helix, ö é ç"
    assert to_text("{{DNA}}  sequencing\n  of \\emph{E. coli}") == "DNA sequencing of E. coli"
    assert to_text("unbalanced { brace \\textbf{x") == "unbalanced brace x"


@pytest.mark.skipif(not EXAMPLES.is_file(), reason="../shared/corpus is not there")
def test_biblatex_examples_convert_and_print() -> None:
    found = items(read_bib(EXAMPLES).text)
    assert len(found) > 80
    style = load_style("apa")
    for item in found.values():
        assert render(item, style)
    # A sample checked by hand against the file.
    assert found["aksin"]["author"][0] == {"family": "Aksın", "given": "Özge"}
    assert found["aksin"]["container-title"] == "J. Organomet. Chem."
    assert found["aksin"]["issued"] == {"date-parts": [[2006]]}
    assert found["westfahl:space"]["type"] == "chapter"
    assert found["westfahl:space"]["container-title"] == (
        "Space and Beyond: The Frontier Theme in Science Fiction"
    )  # inherited from its crossref, with the subtitle
    assert found["jaffe"]["issued"] == {"date-parts": [[1885], [1888]]}
    assert found["knuth:ct:a"]["title"] == "The TeXbook"
    assert found["iliad"]["translator"] == [{"family": "Schadewaldt", "given": "Wolfgang"}]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not there")
def test_every_corpus_file_converts() -> None:
    count = 0
    for path in sorted(CORPUS.rglob("*.bib")):
        count += len(document_items(Document(read_bib(path).text)))
    assert count > 5000


def test_plain_values_are_decoded_without_the_latex_parser_as_it_would() -> None:
    from bib_lsp.model.latex import _cached

    for text in ("A {B} C", "1--2 and 3---4", "``quoted'' A~B", "x\n   y", "{{DNA}}"):
        assert to_text(text) == _cached(text)
    # An ampersand in a URL-like note stays (LaTeX would read an alignment tab).
    assert to_text("a?b=1&c=2") == "a?b=1&c=2"


def test_numbers_parts_original_dates_and_states() -> None:
    text = (
        "@article{a, journal = {J}, number = {1}, issue = {Spring}, volume = 7, part = 2,"
        " pubstate = {inpress}}\n"
        "@book{b, title = {B}, year = 1999, origyear = 1850, origtitle = {Urtext},"
        " date = {15/05/84}}\n"
    )
    found = items(text, "biblatex")
    assert (found["a"]["issue"], found["a"]["volume"]) == ("1, Spring", "7.2")
    assert found["a"]["status"] == "in press"
    assert found["b"]["issued"] == {"date-parts": [[1999]]}  # the unreadable date gives way
    assert found["b"]["original-date"] == {"date-parts": [[1850]]}
    assert found["b"]["original-title"] == "Urtext"


def test_bibtex_inherits_one_level_only() -> None:
    text = (
        "@misc{a, crossref = {b}}\n"
        "@misc{b, crossref = {c}, note = {from b}}\n"
        "@misc{c, howpublished = {from c}}\n"
    )
    assert "medium" not in items(text, "bibtex")["a"]
    assert items(text, "bibtex")["a"]["note"] == "from b"
    assert items(text, "biblatex")["a"]["medium"] == "from c"


def test_quotes_stay_as_written_in_urls_and_paths() -> None:
    assert to_text(r"\url{http://x.org/O'Reilly} and Goethe's") == (
        "http://x.org/O'Reilly and Goethe’s"
    )
    assert to_text(r"\path|a'b| `x' ``y''") == "a'b ‘x’ “y”"
    assert to_text(r"\textquote[x]{y}") == "“y”"
