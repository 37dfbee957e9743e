"""Completion candidates per context (values so far)."""

from __future__ import annotations

from pathlib import Path

from bib_lsp.document import Document
from bib_lsp.features.completion import complete, describe
from bib_lsp.model.bst import style_from_file
from bib_lsp.rules import Checker


def labels(marked: str, dialect: str = "bibtex") -> list[str]:
    text = marked.replace("|", "")
    doc = Document(text)
    _, items = complete(doc, Checker(doc).index, marked.index("|"), dialect)
    return [i.label for i in sorted(items, key=lambda i: (i.sort, i.label.lower()))]


TEXT = (
    '@string{TUB = "TUGboat"}\n'
    '@string{acm = "ACM"}\n'
    "@book{knuth84, title = {The TeXbook}}\n"
    "@proceedings{tug2020, title = {TUG 2020}}\n"
)


def test_a_bare_value_offers_the_files_macros_and_the_predefined_ones() -> None:
    found = labels(TEXT + "@article{k, journal = |}\n")
    assert {"TUB", "acm", "jan", "dec", "cacm"} <= set(found)
    # With their text as detail.
    doc = Document(TEXT + "@article{k, journal = T}\n")
    _, items = complete(doc, Checker(doc).index, doc.length - 3, "bibtex")
    assert next(i for i in items if i.label == "TUB").detail == "TUGboat"


def test_keys_differing_in_case_are_both_offered() -> None:
    # biber's reading: `Key` and `key` are two entries, each offered as written.
    text = "@misc{Key, title = {U}}\n@misc{key, title = {L}}\n@misc{c, crossref = {k|}}\n"
    assert sorted(labels(text, "biblatex")) == ["Key", "key"]


def test_months_come_first_in_month() -> None:
    found = labels(TEXT + "@article{k, month = |}\n")
    assert found[:12] == [
        "apr",
        "aug",
        "dec",
        "feb",
        "jan",
        "jul",
        "jun",
        "mar",
        "may",
        "nov",
        "oct",
        "sep",
    ]
    assert "cacm" not in labels(TEXT + "@article{k, month = |}\n", "biblatex")


def test_reference_fields_offer_the_keys_of_other_entries() -> None:
    assert labels(TEXT + "@inproceedings{k, crossref = {tug|}}\n") == ["tug2020"]
    assert labels(TEXT + "@inproceedings{k, crossref = {|}}\n") == ["k", "knuth84", "tug2020"]
    # Keys containing what is typed come after those starting with it.
    assert labels(TEXT + "@inproceedings{k, crossref = {2020|}}\n") == ["tug2020"]
    assert "knuth84" in labels(TEXT + "@online{k, related = {tug2020, |}}\n", "biblatex")


def test_closed_sets_of_values() -> None:
    assert "forthcoming" in labels("@article{k, pubstate = {|}}\n", "biblatex")
    assert labels("@thesis{k, type = {|}}\n", "biblatex") == ["candthesis", "mathesis", "phdthesis"]
    assert "ngerman" in labels("@book{k, langid = {|}}\n", "biblatex")
    assert labels("@book{k, note = {|}}\n") == []


def items(marked: str, dialect: str = "bibtex", snippets: bool = False) -> list:  # type: ignore[type-arg]
    text = marked.replace("|", "")
    doc = Document(text)
    _, found = complete(doc, Checker(doc).index, marked.index("|"), dialect, snippets)
    return sorted(found, key=lambda i: (i.sort, i.label.lower()))


def test_entry_types_with_their_required_fields() -> None:
    found = {i.label: i for i in items("@|")}
    assert {"article", "book", "misc", "string", "preamble", "comment"} <= set(found)
    article = found["article"]
    about = describe(article.about, None, None)
    assert "Required: `author`, `title`, `journal`, `year`." in about
    assert "Optional: `volume`, `number`, `pages`" in about
    # Without snippets: a plain template.
    assert (
        article.insert
        == "article{,\n  author = {},\n  title = {},\n  journal = {},\n  year = {},\n}"
    )
    # With snippets: the key and each field a placeholder, alternatives as a choice.
    book = {i.label: i for i in items("@|", snippets=True)}["book"]
    assert book.snippet
    assert book.insert.startswith("book{${1:key},\n  ${2|author,editor|} = {$3},")


def test_typing_over_an_existing_type_replaces_only_the_name() -> None:
    found = {i.label: i for i in items("@Art|icle{k, title = {T}}", snippets=True)}
    assert found["Article"].insert == "Article"  # the user's case is kept
    assert not found["Article"].snippet


def test_fields_of_the_entry_type_first_and_not_those_present() -> None:
    found = items("@article{k, title = {T},\n  |\n}")
    labels = [i.label for i in found]
    assert "title" not in labels
    required = [i.label for i in found if i.sort == "0"]
    assert required == ["author", "journal", "year"]
    optional = {i.label for i in found if i.sort == "1"}
    assert {"volume", "number", "pages", "month", "note"} <= optional
    author = next(i for i in found if i.label == "author")
    assert author.detail == "name list, required"
    assert author.insert == "author = {},"
    assert next(i for i in items("@article{k, |}", snippets=True)).insert.endswith("= {$1},$0")


def test_biblatex_types_and_fields_come_from_its_data_model() -> None:
    found = {i.label: i for i in items("@|", "biblatex", snippets=True)}
    assert {"online", "mvbook", "thesis"} <= set(found)
    assert found["online"].insert == (
        "online{${1:key},\n  title = {$2},\n  ${3|url,doi,eprint|} = {$4},"
        "\n  ${5|date,year|} = {$6},\n}$0"
    )
    fields = items("@online{k, |}", "biblatex")
    required = {i.label for i in fields if i.sort == "0"}
    assert {"title", "url"} <= required


def test_at_most_a_hundred_keys_are_offered_at_once() -> None:
    text = "".join(f"@misc{{key{i:05}}}\n" for i in range(1000)) + "@misc{k, crossref = {key0|}}\n"
    found = labels(text)
    assert len(found) == 100
    assert found[0] == "key00000"


def test_values_used_elsewhere_for_the_field_most_used_first() -> None:
    text = (
        "@article{a, journal = {TUGboat}}\n"
        "@article{b, journal = {TUGboat}}\n"
        "@article{c, journal = {The PracTeX Journal}}\n"
        "@article{d, journal = jx, publisher = {TUG}}\n"
    )
    assert labels(text + "@article{k, journal = {|}}\n") == ["TUGboat", "The PracTeX Journal"]
    assert labels(text + "@article{k, journal = {tu|}}\n") == ["TUGboat"]
    assert labels(text + "@book{k, publisher = {|}}\n") == ["TUG"]
    # The whole value is replaced, commas and all (it is not a list of keys).
    full = text + "@article{k, journal = {Journal of X, Series B}}\n"
    doc = Document(full)
    cursor, _ = complete(doc, Checker(doc).index, full.index("ies B"), "bibtex")
    assert full[cursor.start : cursor.end] == "Journal of X, Series B"


def test_thousands_of_macros_are_offered_a_hundred_at_a_time() -> None:
    text = "".join(f'@string{{m{i:04} = "M{i}"}}\n' for i in range(1000))
    found = labels(text + "@misc{k, note = m01|}\n")
    assert found == [f"m{i:04}" for i in range(100, 200)]


def test_fields_are_inserted_in_the_files_style() -> None:
    aligned = (
        '@article{a,\n    author  = "A. Writer",\n    title   = "On X",\n    journal = "J",\n}\n\n'
    )
    found = {i.label: i for i in items(aligned + "@book{b,\n    |\n}\n")}
    # Quotes, four spaces of indent (already typed), `=` in the file's column.
    assert found["year"].insert == 'year    = "",'
    assert found["publisher"].insert == 'publisher = "",'  # longer than the column
    template = {i.label: i for i in items(aligned + "@|")}["book"].insert
    assert template.startswith('book{,\n    author  = "",\n    title   = "",')
    # The entry being edited decides over its neighbours: braces, no alignment.
    own = aligned + "@book{b,\n  title={T},\n  note={N},\n  |\n}\n"
    assert {i.label: i for i in items(own)}["year"].insert == "year={},"
    # No entry to learn from: two spaces, `name = {}`.
    assert {i.label: i for i in items("@|")}["misc"].insert == "misc{,\n}"
    assert {i.label: i for i in items("@article{k,\n  |\n}")}["year"].insert == "year = {},"


def test_tab_indented_files_keep_their_tabs() -> None:
    text = "@article{a,\n\tauthor\t= {A},\n\ttitle\t= {T},\n}\n\n@|"
    template = {i.label: i for i in items(text, snippets=True)}["article"].insert
    assert template.startswith("article{${1:key},\n\tauthor\t= {$2},\n\ttitle\t= {$3},")


def test_field_documentation_says_what_it_holds_and_whether_the_type_needs_it() -> None:
    found = {i.label: i for i in items("@article{k,\n  |\n}", "biblatex")}
    journal = describe(found["journaltitle"].about, None, None)
    assert journal.startswith("**journaltitle** (literal)")
    assert "Required in `@article`." in journal
    assert "Optional in `@article`." in describe(found["volume"].about, None, None)
    assert "Not among the fields" in describe(found["isbn"].about, None, None)
    # Legacy names point to the current one.
    assert "`journaltitle`" in describe(found["journal"].about, None, None)
    # Alternatives are named.
    date = describe(found["date"].about, None, None)
    assert "Required in `@article` (or `year`)." in date


def test_key_documentation_previews_the_entry() -> None:
    text = "@book{knuth84, author = {Donald E. Knuth}, title = {The {\\TeX}book}, year = 1984}\n"
    marked = text + "@misc{k, crossref = {kn|}}\n"
    doc = Document(marked.replace("|", ""))
    index = Checker(doc).index
    _, found = complete(doc, index, marked.index("|"), "bibtex")
    about = describe(found[0].about, doc, index)
    assert about.startswith("`@book{knuth84}`, line 1")
    assert "- author: Donald E. Knuth" in about
    assert "- title: The {\\TeX}book" in about
    assert "- year: 1984" in about
    # Gone since it was offered: no documentation, no error.
    assert describe(("key", "nobody"), doc, index) == ""


def test_macros_of_other_files_come_after_the_documents_own() -> None:
    from bib_lsp.model.summaries import MacroDef

    others = [
        MacroDef("jphys", "Journal of {Physics}", "/w/strings.bib", 4),
        MacroDef("tub", "TUGboat (elsewhere)", "/w/strings.bib", 5),
    ]
    marked = TEXT + "@article{k, journal = |}\n"
    doc = Document(marked.replace("|", ""))
    _, found = complete(
        doc,
        Checker(doc).index,
        marked.index("|"),
        "bibtex",
        elsewhere=lambda prefix: (m for m in others if m.name.startswith(prefix)),
    )
    by_label = {i.label: i for i in found}
    jphys = by_label["jphys"]
    assert jphys.detail == "Journal of {Physics}"
    assert "Defined in `strings.bib`, line 5." in jphys.documentation
    assert jphys.sort > by_label["TUB"].sort  # the file's own macros first
    # The document's own definition wins over another file's.
    assert [i.detail for i in found if i.label.lower() == "tub"] == ["TUGboat"]
    assert "Defined in this file, line 1." in by_label["TUB"].documentation


def test_names_follow_the_files_case_unless_the_user_types_one() -> None:
    upper = "@ARTICLE{a,\n  AUTHOR = {A},\n  TITLE = {T},\n}\n"
    fields = [i.label for i in items(upper + "@BOOK{b,\n  |\n}\n")]
    assert "YEAR" in fields and "year" not in fields
    fields = [i.label for i in items(upper + "@BOOK{b,\n  ye|\n}\n")]  # lower: any case
    assert "YEAR" in fields
    fields = [i.label for i in items(upper + "@BOOK{b,\n  Ye|\n}\n")]
    assert "Year" in fields
    types = {i.label: i for i in items(upper + "@|")}
    assert types["BOOK"].insert.startswith("BOOK{,\n  AUTHOR = {},")
    title_case = "@Article{a,\n  Author = {A},\n  Title = {T},\n}\n@|"
    assert "Misc" in [i.label for i in items(title_case)]


def test_nothing_where_a_macro_is_being_named() -> None:
    assert labels('@string{x = "A", |}') == []
    assert labels("@string{|}") == []
    assert "a" in labels('@string{a = "A"}\n@string{x = a # |}')


_STYLE = r"""
ENTRY { author title number nationality } {} { label }
FUNCTION {output.warn}
{ 't := duplicate$ empty$ { pop$ "empty " t * " in " * cite$ * warning$ } 'write$ if$ }
FUNCTION {fin.entry} { write$ }
FUNCTION {article} { author "author" output.warn title "title" output.warn fin.entry }
FUNCTION {patent} { nationality "nationality" output.warn number "number" output.warn fin.entry }
READ
ITERATE {call.type$}
"""


def test_types_and_fields_follow_the_chosen_bibtex_style(tmp_path: Path) -> None:
    (tmp_path / "mine.bst").write_text(_STYLE, encoding="latin-1")
    bst = style_from_file(tmp_path / "mine.bst").with_extras(["dataset"], ["orcid"])
    doc = Document("@")
    _, found = complete(doc, Checker(doc).index, 1, "bibtex", False, None, bst)
    types = {i.label: i for i in found if i.about}
    assert set(types) == {"article", "patent", "dataset"}
    assert types["patent"].insert == "patent{,\n  nationality = {},\n  number = {},\n}"
    about = describe(types["article"].about, None, None)
    assert "Required: `author`, `title`." in about  # mine.bst's, not plain.bst's
    assert "`journal`" not in about
    assert describe(types["patent"].about, None, None).startswith("An entry type of mine.bst")
    text = "@patent{k, }"
    doc = Document(text)
    _, found = complete(doc, Checker(doc).index, text.index("}"), "bibtex", False, None, bst)
    fields = {i.label: i for i in found}
    assert {"nationality", "number", "orcid", "doi"} <= set(fields) and "journal" not in fields
    assert fields["nationality"].sort == "0"
    assert "Required in `@patent`." in describe(fields["nationality"].about, None, None)
    # The default stays plain.bst's
    assert "journal" in {i.label for i in items("@article{k, |}")}
