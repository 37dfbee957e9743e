"""Quick fixes: each applied to its finding gives the expected text and makes the
finding go away; fix-all is safe to apply twice."""

from __future__ import annotations

from bib_lsp.document import Document
from bib_lsp.features.fixes import Finding, fix_all, fixes_for
from bib_lsp.rules import Checker, RuleOptions
from bib_lsp.syntax.tree import Problem
from bib_lsp.text.edits import apply


def findings(text: str, code: str, dialect: str = "bibtex") -> list[Finding]:
    checker = Checker(Document(text), RuleOptions(dialect=dialect))
    return [Finding(p.code, p.start, p.end, p.data) for p in checker.diagnose() if p.code == code]


def fixed(text: str, code: str, choice: int = 0, dialect: str = "bibtex") -> str:
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect=dialect))
    finding = findings(text, code, dialect)[0]
    fix = fixes_for(finding, doc, checker.index)[choice]
    return apply(text, fix.edits)


def test_an_undefined_macro_keeps_its_spelling_and_leaves_the_cursor_in_the_value() -> None:
    text = "@article{k, journal = IEEE_J_EDL}\n"
    doc = Document(text)
    [finding] = findings(text, "undefined-macro")
    [fix] = fixes_for(finding, doc, Checker(doc).index)
    assert fix.title == "Define `IEEE_J_EDL` at the top"
    [edit] = fix.edits
    assert edit.text == "@string{IEEE_J_EDL = {}}\n"
    assert fix.cursor == edit.text.index("}")  # between the braces


def test_ignore_fixes_name_the_field_or_the_entry_and_join_a_comment_there() -> None:
    from bib_lsp.features.fixes.ignore import ignore_fixes

    text = "@misc{k, note = jx}\n"
    [finding] = findings(text, "undefined-macro")
    entry, whole = ignore_fixes(finding, Document(text))
    assert apply(text, entry.edits) == "% bib-lsp: ignore[undefined-macro:note]\n" + text
    assert apply(text, whole.edits) == "% bib-lsp: ignore-file[undefined-macro]\n" + text
    # An entry not at the start of its line: the comment gets a line of its own.
    text = "@misc{a} @misc{k, note = jx}\r\n"
    [finding] = findings(text, "undefined-macro")
    entry, _ = ignore_fixes(finding, Document(text))
    after = apply(text, entry.edits)
    assert (
        after == "@misc{a} \r\n% bib-lsp: ignore[undefined-macro:note]\r\n@misc{k, note = jx}\r\n"
    )
    assert findings(after, "undefined-macro") == []
    # A comment before the entry already: the code joins it.
    text = "  % bib-lsp: ignore[empty-field]\n  @misc{k, note = jx}\n"
    [finding] = findings(text, "undefined-macro")
    entry, _ = ignore_fixes(finding, Document(text))
    after = apply(text, entry.edits)
    assert after == text.replace("empty-field", "empty-field, undefined-macro:note")
    assert findings(after, "undefined-macro") == []
    # A missing field is named by the field it misses.
    text = "@article{k, author = {A}, title = {T}, year = 2000}\n"
    [finding] = findings(text, "missing-required-field")
    entry, _ = ignore_fixes(finding, Document(text))
    assert entry.title == "Ignore `missing-required-field` in `journal` of this entry"
    assert findings(apply(text, entry.edits), "missing-required-field") == []


def test_missing_comma_is_inserted_where_it_belongs() -> None:
    text = "@misc{k,\n  title = {T}\n  note = {N}\n}\n"
    after = fixed(text, "missing-comma")
    assert after == "@misc{k,\n  title = {T},\n  note = {N}\n}\n"
    assert findings(after, "missing-comma") == []


def test_a_missing_required_field_is_added_in_the_entry_style() -> None:
    text = "@article{k,\n    author = {A},\n    title = {T},\n    year = 2000\n}\n"
    after = fixed(text, "missing-required-field")
    assert after == (
        "@article{k,\n    author = {A},\n    title = {T},\n    year = 2000,\n    journal = {}\n}\n"
    )
    # The placeholder is still empty: the finding stays until it is filled in.
    filled = after.replace("journal = {}", "journal = {J}")
    assert findings(filled, "missing-required-field") == []


def test_a_required_field_after_a_trailing_comma() -> None:
    text = "@article{k, author = {A}, title = {T}, journal = {J},\n}\n"
    assert fixed(text, "missing-required-field") == (
        "@article{k, author = {A}, title = {T}, journal = {J},\n  year = {},\n}\n"
    )


def test_a_duplicate_key_is_renamed_to_a_free_one() -> None:
    text = "@misc{a, title = {1}}\n@misc{a, title = {2}}\n@misc{a-2, title = {3}}\n"
    doc = Document(text)
    checker = Checker(doc)
    second = findings(text, "duplicate-key")[1]
    (fix,) = fixes_for(second, doc, checker.index)
    after = apply(text, fix.edits)
    assert after == "@misc{a, title = {1}}\n@misc{a-3, title = {2}}\n@misc{a-2, title = {3}}\n"
    assert findings(after, "duplicate-key") == []


def test_an_undefined_macro_is_defined_at_the_top() -> None:
    # Not just above the entry: it would come between the entry and a comment
    # that silences its findings (found in review).
    text = "% bib-lsp: ignore[missing-required-field]\n@article{k, journal = jtug}\n"
    after = fixed(text, "undefined-macro")
    assert after == "@string{jtug = {}}\n" + text
    assert Checker(Document(after)).diagnose() == []
    crlf = "@article{k, journal = jtug}\r\n"
    assert fixed(crlf, "undefined-macro") == "@string{jtug = {}}\r\n" + crlf


def test_a_replacement_in_the_data_replaces_exactly_the_range() -> None:
    text = "@misc{k, pages = {12-19}}\n"
    at = text.index("-")
    doc = Document(text)
    (fix,) = fixes_for(Finding("page-range-hyphen", at, at + 1, {"replace": "--"}), doc)
    assert fix.safe
    assert apply(text, fix.edits) == "@misc{k, pages = {12--19}}\n"


def check(doc: Document) -> list[Problem]:
    return Checker(doc, RuleOptions(dialect="bibtex")).diagnose()


def test_fix_all_applies_safe_fixes_only_and_twice_is_once() -> None:
    text = "@misc{k,\n  title = {T}\n  note = {N}\n  howpublished = {H}\n}\n@misc{k}\n"
    once = apply(text, fix_all(Document(text), check))
    assert once == "@misc{k,\n  title = {T},\n  note = {N},\n  howpublished = {H}\n}\n@misc{k}\n"
    # The duplicate key is left to the user: renaming is a choice.
    assert fix_all(Document(once), check) == []


def test_fix_all_also_fixes_what_its_own_fixes_bring_out() -> None:
    # The missing comma damages the entry, which hides its other findings until
    # the comma is there (found in review).
    text = "@misc{k, title = {x}, doi = {https://doi.org/10.1/x} pages = {1-2}}\n"
    once = apply(text, fix_all(Document(text), check))
    assert once == "@misc{k, title = {x}, doi = {10.1/x}, pages = {1--2}}\n"
    assert fix_all(Document(once), check) == []


def test_no_comma_is_offered_inside_a_key() -> None:
    # `my key` is a key with a space, not a key and a field: a comma would change it.
    text = "@misc{my key, title = {x}}\n"
    assert findings(text, "missing-comma")
    assert fix_all(Document(text), check) == []
    doc = Document(text)
    for finding in findings(text, "missing-comma"):
        assert fixes_for(finding, doc) == []


def test_a_brace_inside_a_quoted_value_is_not_removed_but_the_quote_closed() -> None:
    text = '@misc{q, note = "a}\n'
    doc = Document(text)
    titles = [fix.title for f in findings(text, "unbalanced-braces") for fix in fixes_for(f, doc)]
    assert titles == ['Insert the missing `"`']
    assert fixed(text, "unbalanced-braces") == '@misc{q, note = "a"}\n'


def test_a_duplicate_field_either_copy_can_go() -> None:
    text = "@misc{k,\n  title = {One},\n  note = {N},\n  title = {Two},\n}\n"
    remove_this = fixed(text, "duplicate-field", 0)
    assert remove_this == "@misc{k,\n  title = {One},\n  note = {N},\n}\n"
    keep_this = fixed(text, "duplicate-field", 1)
    assert keep_this == "@misc{k,\n  note = {N},\n  title = {Two},\n}\n"
    assert findings(remove_this, "duplicate-field") == []
    assert findings(keep_this, "duplicate-field") == []


def test_rule_suggestions_are_fixes_that_remove_their_finding() -> None:
    cases = [
        ("@misc{k, pages = {12-19}}\n", "page-range-hyphen", "@misc{k, pages = {12--19}}\n"),
        (
            "@misc{k, doi = {https://doi.org/10.1000/xyz}}\n",
            "doi-as-url",
            "@misc{k, doi = {10.1000/xyz}}\n",
        ),
        ("@artcle{k, title = {T}}\n", "unknown-entry-type", "@article{k, title = {T}}\n"),
    ]
    for text, code, expected in cases:
        after = fixed(text, code)
        assert after == expected, code
        assert findings(after, code) == [], code


def test_fix_all_over_the_real_corpus_is_idempotent_and_clears_its_findings() -> None:
    from pathlib import Path

    from bib_lsp.document.io import read_bib
    from bib_lsp.features.fixes import SAFE_REPLACEMENTS

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    if not corpus.is_dir():
        return
    changed = 0
    for path in sorted(corpus.rglob("*.bib")):
        text = read_bib(path).text
        doc = Document(text)
        problems = Checker(doc).diagnose()
        once = apply(text, fix_all(doc, lambda d: Checker(d).diagnose()))
        if once == text:
            continue
        changed += 1
        again = Document(once)
        left = Checker(again).diagnose()
        assert fix_all(again, lambda d: Checker(d).diagnose()) == []
        fixable = SAFE_REPLACEMENTS | {"missing-comma"}
        assert not [p for p in left if p.code in fixable], path.name
        # Nothing else moved: the same findings of every other code.
        before = [p.code for p in problems if p.code not in fixable]
        assert [p.code for p in left if p.code not in fixable] == before, path.name
    assert changed > 0


def test_unbalanced_braces_get_the_missing_delimiter_where_it_belongs() -> None:
    cases = [
        # A value that swallowed the rest of the entry: closed before the next field.
        (
            "@article{knuth84,\n  title = {The {TeX}book,\n  year  = 1984,\n}\n",
            "@article{knuth84,\n  title = {The {TeX}book},\n  year  = 1984,\n}\n",
        ),
        # An entry cut off by the next one: closed after its last field.
        (
            "@misc{a, title = {T}\n\n@misc{b, title = {U}}\n",
            "@misc{a, title = {T}\n}\n\n@misc{b, title = {U}}\n",
        ),
        # A brace that ate the closing quote: closed just before the quote.
        (
            '@misc{a, title = "The {Book", year = 1}\n',
            '@misc{a, title = "The {Book}", year = 1}\n',
        ),
        # A `}` that closes nothing: removed.
        ("@misc{a, title = {T}}}\n", "@misc{a, title = {T}}\n"),
    ]
    for text, expected in cases:
        after = fixed(text, "unbalanced-braces")
        assert after == expected
        assert findings(after, "unbalanced-braces") == []


def test_names_are_lower_cased_in_the_entry_or_the_whole_file() -> None:
    from bib_lsp.features.fixes import lower_case

    text = "@Article{k, AUTHOR = {A}, Title = {T}}\n@BOOK{b, Title = {B}}\n@misc{m}\n"
    doc = Document(text)
    this_entry, whole_file = lower_case(doc, text.index("AUTHOR"))
    assert apply(text, this_entry.edits) == (
        "@article{k, author = {A}, title = {T}}\n@BOOK{b, Title = {B}}\n@misc{m}\n"
    )
    # The values are left alone.
    assert apply(text, whole_file.edits) == (
        "@article{k, author = {A}, title = {T}}\n@book{b, title = {B}}\n@misc{m}\n"
    )
    assert lower_case(doc, text.index("@misc")) == []  # nothing to do there


def test_all_missing_fields_of_an_entry_can_be_added_at_once() -> None:
    text = "@article{k,\n  author = {A}\n}\n"
    doc = Document(text)
    checker = Checker(doc, RuleOptions(dialect="bibtex"))
    gaps = findings(text, "missing-required-field")
    assert len(gaps) == 3  # title, journal, year
    single, every = fixes_for(gaps[0], doc, checker.index, gaps)
    assert single.title == "Add `title`"
    assert every.title == "Add all missing fields (`title`, `journal`, `year`)"
    after = apply(text, every.edits)
    assert after == (
        "@article{k,\n  author = {A},\n  title = {},\n  journal = {},\n  year = {}\n}\n"
    )
    # Filled in, nothing is missing any more.
    filled = after.replace("title = {}", "title = {T}").replace("journal = {}", "journal = {J}")
    assert findings(filled.replace("year = {}", "year = {1}"), "missing-required-field") == []


def test_fields_added_to_a_crlf_file_end_their_lines_the_same_way() -> None:
    text = "@article{k,\r\n  author = {A},\r\n  title = {T},\r\n  year = 2000,\r\n}\r\n"
    assert fixed(text, "missing-required-field") == text.replace(
        "2000,\r\n", "2000,\r\n  journal = {},\r\n"
    )
