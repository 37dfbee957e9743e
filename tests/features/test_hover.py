"""What hovering each kind of place shows."""

from __future__ import annotations

import re
from pathlib import Path

from bib_lsp.document import Document
from bib_lsp.features.citation import load_style
from bib_lsp.features.hover import Hover, HoverContext, hover
from bib_lsp.model.bst import style_from_file
from bib_lsp.model.summaries import MacroDef
from bib_lsp.rules import Checker

TEXT = (
    '@string{tub = "TUG" # "boat"}\n'
    "@proceedings{tug20, title = {Proceedings of {TUG} 2020}, editor = {Barbara Beeton},\n"
    "  year = 2020, month = jul, publisher = tub, location = {Online}}\n"
    "@inproceedings{p, author = {de la Vall{\\'e}e Poussin, Jr., Charles},\n"
    "  title = {On {DNA}}, crossref = {tug20}, pages = {1-5}, note = jphys # nope}\n"
)
OTHER = MacroDef("jphys", "J. Phys.", "/w/strings.bib", 3, "J. Phys.")


def at(marked: str, text: str = TEXT, style: str = "apa", dialect: str = "biblatex") -> Hover:
    """Hover at the first place ``marked`` (with a `|`) is found."""
    doc = Document(text)
    checker = Checker(doc)
    offset = text.index(marked.replace("|", "")) + marked.index("|")
    context = HoverContext(
        checker.index,
        dialect,
        load_style(style),
        lambda where: [p.message for p in checker.findings_at(where)],
        lambda name: OTHER if name == "jphys" else None,
    )
    found = hover(doc, offset, context)
    assert found is not None
    return found


def plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\\(.)", r"\1", text.replace("*", ""))


def test_the_key_shows_the_reference_type_key_and_problems() -> None:
    found = at("@inproceedings{|p,")
    first, _, last = found.markdown.split("\n")
    assert plain(first) == (
        "de la Vallée Poussin, C., Jr. (2020). On DNA. In B. Beeton (ed.), Proceedings of TUG "
        "2020 (pp. 1–5). TUGboat."
    )  # the crossref parent's title as booktitle, its editor, date and publisher
    assert last.startswith("`@inproceedings{p}` · ⚠ ")
    assert "`pages`" in last
    assert TEXT[found.start : found.end] == "p"
    # Anywhere on the head: the same.
    assert at("@in|proceedings{p,").markdown != found.markdown  # the type: its own hover
    assert at("|@inproceedings{p,").markdown == found.markdown


def test_another_style() -> None:
    first = at("@inproceedings{|p,", style="ieee").markdown.split("\n")[0]
    assert plain(first).startswith("[1] C. de la Vallée Poussin Jr., “On DNA”, in Proceedings")


def test_entry_types_and_field_names_are_explained() -> None:
    kind = at("@in|proceedings").markdown
    assert kind.startswith("**@inproceedings** (biblatex)")
    assert "Required: `author`, `title`, `booktitle`, `date` or `year`." in kind
    field = at("pa|ges = {1-5}").markdown
    assert field.startswith("**pages** (range)")
    assert "Optional in `@inproceedings`." in field
    assert "is not an entry type" in at("@fo|o{k, title = {T}}", "@foo{k, title = {T}}").markdown


def test_an_entry_type_names_ten_optional_fields_and_counts_the_rest() -> None:
    kind = at("@in|proceedings").markdown
    optional = kind.split("Optional: ")[1]
    assert optional.count("`") == 2 * 10
    assert re.fullmatch(r"(`\w+`, ){9}`\w+` and \d+ more\.", optional)
    assert len(kind) < 600  # not the hundred-odd fields biblatex allows
    few = at("@a|rticle", "@article{k, title = {T}}", dialect="bibtex").markdown
    listed = "`volume`, `number`, `pages`, `month`, `note`, `key`, `crossref`."
    assert few.endswith("Optional: " + listed)  # seven: all named


def test_macros_show_their_definition_and_where_it_is() -> None:
    here = at("publisher = t|ub")
    assert here.markdown.startswith('```bibtex\n@string{tub = "TUG" # "boat"}\n```\n\nTUGboat')
    assert "Defined in this file, line 1." in here.markdown
    elsewhere = at("note = jp|hys").markdown
    assert "J. Phys." in elsewhere and "Defined in `strings.bib`, line 4." in elsewhere
    assert "Predefined by BibTeX's styles and biber" in at("month = j|ul").markdown
    assert "no `@string` defines this macro" in at("# no|pe").markdown
    defining = at("@string{t|ub").markdown
    assert "Used by 1 entry of this file." in defining


def test_a_crossref_key_previews_its_target() -> None:
    found = at("crossref = {tug|20}")
    assert TEXT[found.start : found.end] == "tug20"
    assert "*Proceedings of TUG 2020*" in found.markdown
    assert "`@proceedings{tug20}`" in found.markdown
    missing = at("crossref = {no|where}", TEXT.replace("{tug20}", "{nowhere}"))
    assert missing.markdown == "No entry has the key `nowhere` in this file."


def test_the_seed_entry_in_one_line() -> None:
    seed = (
        "@article {Kothari619, author = {Anita Kothari and C Nadine Wathen}, title = {Integrated "
        "knowledge translation: digging deeper, moving forward}, volume = {71}, number = {6}, "
        "pages = {619--623}, year = {2017}, doi = {10.1136/jech-2016-208490}, publisher = {BMJ "
        "Publishing Group Ltd}, journal = {Journal of Epidemiology \\& Community Health}, issn = "
        "{0143-005X}}"
    )
    found = at("{Koth|ari619", seed, dialect="bibtex")
    assert plain(found.markdown.split("\n")[0]) == (
        "Kothari, A., & Wathen, C. N. (2017). Integrated knowledge translation: digging "
        "deeper, moving forward. Journal of Epidemiology & Community Health, 71(6), 619–623. "
        "https://doi.org/10.1136/jech-2016-208490"
    )


def test_nothing_in_free_text_values_and_comments() -> None:
    doc = Document("% a comment\n" + TEXT)
    checker = Checker(doc)
    context = HoverContext(checker.index, "bibtex", load_style("apa"))
    assert hover(doc, 3, context) is None
    assert hover(doc, doc.length, context) is None
    inside_title = ("% a comment\n" + TEXT).index("On {DNA}") + 1
    assert hover(doc, inside_title, context) is None


def test_hover_describes_types_and_fields_of_the_chosen_bibtex_style(tmp_path: Path) -> None:
    (tmp_path / "mine.bst").write_text(
        "ENTRY { title nationality } {} {}\nFUNCTION {fin.entry} { write$ }\n"
        'FUNCTION {patent} { nationality empty$ { "empty nationality in " cite$ * warning$ } '
        "'skip$ if$ fin.entry }\nREAD\n",
        encoding="latin-1",
    )
    bst = style_from_file(tmp_path / "mine.bst")
    text = "@patent{k, nationality = {US}, journal = {J}}"
    doc = Document(text)
    context = HoverContext(Checker(doc).index, "bibtex", None, bst=bst)
    found = hover(doc, text.index("patent"), context)
    assert found is not None
    assert found.markdown.startswith("**@patent** (mine.bst)\n\nAn entry type of mine.bst")
    assert "Required: `nationality`." in found.markdown
    field = hover(doc, text.index("nationality"), context)
    assert field is not None and "Required in `@patent`." in field.markdown
    assert hover(doc, text.index("journal"), context) is None  # not a field mine.bst knows
