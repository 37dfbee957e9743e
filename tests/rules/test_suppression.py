"""`% bib-lsp: ignore[...]` before an entry or a field, `ignore-file[...]`, and
the report of codes that do not exist."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.rules import Checker, RuleOptions
from tests.document.strategies import chunk_size
from tests.rules.helpers import found

ARTICLE = "@article{a, author = {A}, title = {T}}\n"  # needs journal and year


def findings(text: str) -> list[tuple[str, str]]:
    """(code, flagged text) of every finding, in the bibtex dialect, but
    `comment-in-entry` (a field's comment is inside its entry: tested on its own)."""
    return [(p.code, text[p.start : p.end]) for p in found(text) if p.code != "comment-in-entry"]


def test_a_comment_just_before_an_entry_silences_its_codes_there() -> None:
    assert findings(ARTICLE) == [("missing-required-field", "a")] * 2
    assert findings("% bib-lsp: ignore[missing-required-field]\n" + ARTICLE) == []
    # Only that entry.
    silenced = "% bib-lsp: ignore[missing-required-field]\n" + ARTICLE + ARTICLE
    assert [code for code, _ in findings(silenced)].count("missing-required-field") == 2


def test_a_comment_not_directly_before_the_entry_does_nothing() -> None:
    assert len(findings("% bib-lsp: ignore[missing-required-field]\n\n" + ARTICLE)) == 2
    assert len(findings("% note % bib-lsp: ignore[missing-required-field] x\n" + ARTICLE)) == 2


def test_a_comment_just_before_a_field_silences_it_in_that_field() -> None:
    text = "@misc{k,\n  % bib-lsp: ignore[undefined-macro]\n  note = jx,\n  howpublished = jy,\n}\n"
    assert findings(text) == [("undefined-macro", "jy")]


def test_ignore_file_silences_the_codes_everywhere() -> None:
    text = (
        ARTICLE
        + "@misc{k, note = jx}\n% bib-lsp: ignore-file[undefined-macro, missing-required-field]\n"
    )
    assert findings(text) == []


def test_unknown_codes_in_these_comments_are_reported_where_they_are_written() -> None:
    text = "% bib-lsp: ignore[missing-required-fields]\n" + ARTICLE
    assert ("bad-suppression", "missing-required-fields") in findings(text)
    text = "@misc{k,\n  % bib-lsp: ignore-file[nonsense]\n  title = {T}}\n"
    assert findings(text) == [("bad-suppression", "nonsense")]


def test_editing_the_comment_in_another_chunk_rechecks_the_entry() -> None:
    # The comment ends one chunk and the entry starts the next: the entry's
    # findings depend on the block before it.
    with chunk_size(4):
        layouts = [(n, k) for n in range(8) for k in range(8)]
        for n, k in layouts:  # entries before and after, for a chunk to start at it
            before = "".join(f"@misc{{m{i}}}\n" for i in range(n))
            after = "".join(f"@misc{{z{i}}}\n" for i in range(k))
            text = before + "% bib-lsp: ignore[missing-required-field]\n" + ARTICLE + after
            doc = Document(text)
            chunks = range(doc.chunk_count)
            starts = [doc.collect_chunk(ci, "", lambda b, p: []).start for ci in chunks]
            if text.index("@article") in starts:
                break
        else:
            raise AssertionError("no layout with the entry starting a chunk")
        checker = Checker(doc, RuleOptions(dialect="bibtex"))
        assert checker.diagnose() == []
        at = text.index("ignore[")
        checker.update(doc.edit(at, at + len("ignore"), "ignorX"))
        assert [p.code for p in checker.diagnose()] == ["missing-required-field"] * 2
        checker.update(doc.edit(at, at + len("ignorX"), "ignore"))
        assert checker.diagnose() == []


def test_an_indented_entry_or_field_counts_but_a_blank_line_between_does_not() -> None:
    # Found in review: the indentation before an entry belongs to the text block
    # before it, and a field-level comment used to reach across blank lines.
    assert findings("% bib-lsp: ignore[missing-required-field]\n  " + ARTICLE) == []
    text = "@misc{k,\n  % bib-lsp: ignore[undefined-macro]\n\n  note = jx,\n}\n"
    assert findings(text) == [("undefined-macro", "jx")]


def test_a_code_with_a_field_before_the_entry_silences_that_field_only() -> None:
    text = "@misc{k, note = jx, howpublished = jy}\n"
    assert findings("% bib-lsp: ignore[undefined-macro:note]\n" + text) == [
        ("undefined-macro", "jy")
    ]
    # Field names compare without case, as BibTeX and biber compare them.
    assert findings("% bib-lsp: ignore[undefined-macro:NOTE]\n" + text.replace("note", "Note"))
    assert len(findings("% bib-lsp: ignore[undefined-macro:title]\n" + text)) == 2


def test_a_missing_field_is_named_by_the_field_it_misses() -> None:
    assert findings("% bib-lsp: ignore[missing-required-field:journal]\n" + ARTICLE) == [
        ("missing-required-field", "a")
    ]
    both = "% bib-lsp: ignore[missing-required-field:journal, missing-required-field:year]\n"
    assert findings(both + ARTICLE) == []


def test_several_comment_lines_before_the_entry_all_apply() -> None:
    text = "@misc{k, note = jx, howpublished = jy}\n"
    lines = (
        "% bib-lsp: ignore[undefined-macro:note]\n% bib-lsp: ignore[undefined-macro:howpublished]\n"
    )
    assert findings(lines + text) == []
    # A line between them that is not one: only the lines below it count.
    gap = lines.replace("\n%", "\n% a note\n%", 1)
    assert findings(gap + text) == [("undefined-macro", "jx")]


def test_a_comment_before_an_entry_silences_findings_about_several_entries() -> None:
    text = "@misc{a, title = {T}}\n% bib-lsp: ignore[duplicate-key]\n@misc{a, title = {U}}\n"
    assert findings(text) == [("duplicate-key", "a")]  # the first entry's, not the second's
    assert found(text)[0].start == text.index("a,")


def test_a_field_named_where_it_cannot_be_is_reported() -> None:
    text = "% bib-lsp: ignore-file[undefined-macro:note]\n@misc{k, note = jx}\n"
    assert findings(text) == [
        ("bad-suppression", "undefined-macro:note"),
        ("undefined-macro", "jx"),  # not silenced in the whole file
    ]
    text = "% bib-lsp: ignore[nonsense:note, undefined-macro:]\n@misc{k, note = jx}\n"
    assert findings(text) == [
        ("bad-suppression", "nonsense"),
        ("bad-suppression", "undefined-macro:"),
        ("undefined-macro", "jx"),
    ]
