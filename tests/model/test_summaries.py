"""Summaries of `.bib` files: what other files use from them."""

from __future__ import annotations

from pathlib import Path

from bib_lsp.model.summaries import Workspace, summarise, summarise_text


def test_a_summary_holds_each_macro_as_first_defined_with_its_line() -> None:
    text = (
        "% journal abbreviations\r\n"
        '@String{JACM = "Journal of the {ACM}"}\r\n'
        "@string(tub = {TUG} # {boat})\r\n"
        '@string{jacm = "again"}\r\n'
        "@article{k, journal = jacm}\r\n"
    )
    macros = summarise_text("/w/s.bib", text).macros
    assert set(macros) == {"jacm", "tub"}
    assert macros["jacm"].name == "JACM"
    assert macros["jacm"].text == "Journal of the {ACM}"
    assert macros["jacm"].line == 1
    assert macros["tub"].text == "TUG # boat"
    assert macros["tub"].line == 2


def test_broken_files_are_summarised_as_far_as_they_can_be_read() -> None:
    text = '@string{ok = "fine"}\n@article{k, title = {unclosed\n@string{late = "L"}\n'
    assert set(summarise_text("/w/b.bib", text).macros) == {"ok", "late"}


def test_unreadable_files_have_no_summary_and_latin1_files_are_read(tmp_path: Path) -> None:
    assert summarise(str(tmp_path / "missing.bib")) is None
    old = tmp_path / "old.bib"
    old.write_bytes('@string{zur = "Z\xfcrich"}\n'.encode("latin-1"))
    summary = summarise(str(old))
    assert summary is not None
    assert summary.macros["zur"].text == "Zürich"


def test_workspace_macros_one_per_name_skipping_open_files() -> None:
    workspace = Workspace()
    workspace.update(summarise_text("/w/a.bib", '@string{ieee = "IEEE"}\n@string{acm = "ACM"}'))
    workspace.update(summarise_text("/w/b.bib", '@string{IEEE = "other"}\n@string{ams = "AMS"}'))
    found = [(m.name, m.text) for m in workspace.macros("a")]
    assert found == [("acm", "ACM"), ("ams", "AMS")]
    assert [m.text for m in workspace.macros("ieee")] == ["IEEE"]  # the first file's
    assert [m.text for m in workspace.macros("ieee", frozenset({"/w/a.bib"}))] == ["other"]
    workspace.remove("/w/a.bib")
    assert [m.name for m in workspace.macros("")] == ["IEEE", "ams"]


def test_a_summary_holds_each_entry_with_its_key_place_and_short_title() -> None:
    text = (
        "@string{j = {J}}\n"
        "@Article{doe99,\n  title = {The {Sum} of---Parts},\n}\n"
        "  @book{ röe:2000, title = {\\emph{Über} {Alles}}}\n"
        "@misc{nokey}\n@misc{, title = {x}}\n"
        f"@misc{{long, title = {{{'word ' * 30}}}}}\n"
    )
    summary = summarise_text("/w/e.bib", text)
    assert set(summary.macros) == {"j"}
    doe, roe, nokey, long = summary.entries
    assert (doe.key, doe.type, doe.title, doe.line, doe.character) == (
        "doe99",
        "article",
        "The Sum of—Parts",
        1,
        9,
    )
    assert (roe.key, roe.title, roe.line, roe.lead) == (
        "röe:2000",
        "\\emphÜber Alles",
        4,
        "  @book{ ",
    )
    assert (nokey.key, nokey.title) == ("nokey", "")
    assert len(long.title) == 80 and long.title.endswith("…")
    assert summary.macros["j"].lead == "@string{"


def test_workspace_entries_by_key_in_any_case_skipping_open_files() -> None:
    workspace = Workspace()
    workspace.update(summarise_text("/w/a.bib", "@misc{Doe99}\n"))
    workspace.update(summarise_text("/w/b.bib", "@misc{doe99}\n"))
    found = workspace.entry("DOE99")
    assert found is not None and (found.key, found.path) == ("Doe99", "/w/a.bib")
    found = workspace.entry("doe99", frozenset({"/w/a.bib"}))
    assert found is not None and found.path == "/w/b.bib"
    assert workspace.entry("roe") is None
