"""Quick fixes, as code actions for the document's own diagnostics, applied as a
client applies them. Each changes the document exactly as its title says, and
nothing else: the blocks before and after the text it edits mean what they
meant (block for block, at the same places), and the diagnostic it fixed is
gone from its place.

The promises, per fix (``bib_lsp/features/fixes/``):

- "Replace with `X`" (``data.replace``): the finding's text becomes X; the
  entry's other fields are unchanged.
- "Insert the missing `,`": one `,` inserted, nothing removed.
- "Remove this `}`": that one character removed.
- "Add `name`", "Add all missing fields (...)": those fields appended to the
  entry, with empty values; its other fields unchanged.
- "Remove this `name`": that one field gone; "Keep this `name`, remove the
  other(s)": the other fields of that name gone; the rest unchanged.
- "Rename the key to `new`": the key, to a name no other entry has.
- "Define `name` at the top": `@string{name = {}}` before everything else.
- "Close the entry with `}`", "Insert the missing `}`" (or `"`, `)`): one
  closing delimiter inserted, nothing removed.
- the rewrite "Lower-case ...": only the case of types and field names changes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from hypothesis import example, given, settings
from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.lsp.actions import FIX_ALL, code_actions
from bib_lsp.lsp.convert import SOURCE
from bib_lsp.rules import Checker
from bib_lsp.syntax.tree import Problem
from bib_lsp.text import PositionEncoding
from tests.edits.apply import apply_edits, spans
from tests.edits.strategies import documents, examples
from tests.meaning import Located, Thing, located

URI = "file:///t.bib"
ENC = PositionEncoding.UTF16
TRIED: dict[str, int] = {}  # fixes tried per title's first word (shown with -s)


def _diagnostic(doc: Document, p: Problem) -> lsp.Diagnostic:
    a, b = doc.position(p.start, ENC), doc.position(p.end, ENC)
    r = lsp.Range(lsp.Position(a.line, a.character), lsp.Position(b.line, b.character))
    return lsp.Diagnostic(r, p.message, code=p.code, source=SOURCE, data=p.data)


def _actions(doc: Document, checker: Checker, diagnostic: lsp.Diagnostic | None, only: str) -> Any:
    r = diagnostic.range if diagnostic else lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    params = lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(URI),
        r,
        lsp.CodeActionContext([diagnostic] if diagnostic else [], only=[only]),
    )
    return code_actions(params, doc, checker, ENC)


def _shift(edits: list[tuple[int, int, str]], offset: int) -> int:
    """Where ``offset`` of the old text is in the new one."""
    out = offset
    for a, b, new in edits:
        if b <= offset and not (a == b == offset):
            out += len(new) - (b - a)
        elif a <= offset < b:
            return a + out - offset
    return out


def _around(
    old: str, new: str, edits: list[tuple[int, int, str]]
) -> tuple[list[Located], list[Located]]:
    """The blocks the edits touch, old and new; checks that the blocks before and
    after them are unchanged, at the same places."""
    first, last = edits[0][0], max(b for _, b, _ in edits)
    before, after = located(old), located(new)
    delta = len(new) - len(old)
    kept_before = [b for b in before if b.end < first]
    assert after[: len(kept_before)] == kept_before
    kept_after = [b for b in before if b.start > last]
    moved = [Located(b.start + delta, b.end + delta, b.meaning) for b in kept_after]
    assert after[len(after) - len(moved) :] == moved or not moved
    return (
        before[len(kept_before) : len(before) - len(kept_after)],
        after[len(kept_before) : len(after) - len(moved)],
    )


def _things(blocks: list[Located]) -> list[Any]:
    return [b.meaning for b in blocks if b.meaning is not None]


def _one_entry(blocks: list[Located]) -> Thing:
    (thing,) = _things(blocks)
    assert isinstance(thing, Thing)
    return thing


def _check_fix(old: str, title: str, p: Problem, edits: list[tuple[int, int, str]]) -> str:
    new = old
    for a, b, text in reversed(edits):
        new = new[:a] + text + new[b:]
    inserted = [text for a, b, text in edits if a == b]
    if title.startswith("Define"):
        name = re.search(r"`([^`]*)`", title).group(1)  # type: ignore[union-attr]
        definition = f"@string{{{name} = {{}}}}"
        assert [e[2] for e in edits] in ([definition + nl] for nl in ("\n", "\r\n", "\r"))
        assert [e[:2] for e in edits] == [(0, 0)]
        defined = Thing("string", "string", None, ((name.lower(), (("s", ""),)),), (), ())
        assert [b.meaning for b in located(new) if b.meaning is not None] == [
            defined,
            *(b.meaning for b in located(old) if b.meaning is not None),
        ]
        return new
    old_blocks, new_blocks = _around(old, new, edits)
    if title.startswith("Ignore"):
        # A comment outside every entry, or a code added to one: the meaning of
        # every entry is what it was.
        def entries(t: str) -> list[Any]:
            return [m for m in _things(located(t)) if not (isinstance(m, tuple) and m[0] == "text")]

        assert entries(new) == entries(old)
        assert all(
            re.fullmatch(r"\s*(% bib-lsp: ignore(-file)?\[[^\]]*\])?\s*|, \S+", t) for t in inserted
        )
        return new
    if title.startswith(("Insert the missing", "Close the entry")):
        closer = title.split("`")[1]
        assert len(edits) == 1 and [t.strip() for t in inserted] == [closer]  # nothing removed
    elif title.startswith("Remove this `}`") or title.startswith("Remove this `)`"):
        ((a, b, text),) = edits
        assert b - a == 1 and text == "" and old[a] in "})"
    elif title.startswith("Replace with"):
        ((a, b, text),) = edits
        assert (a, b) == (p.start, p.end) and text == p.data["replace"]
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        changed = [i for i, (f, g) in enumerate(zip(was.fields, now.fields, strict=True)) if f != g]
        # One thing changes: the type, or the name or value of one field.
        assert len(changed) + (was.type != now.type) <= 1
        assert replace(was, type="", fields=(), broken=None) == replace(
            now, type="", fields=(), broken=None
        )
    elif title.startswith("Add"):
        names = re.findall(r"`([^`]*)`", title)
        names = names[:1] if title.startswith("Add `") else names
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        added = tuple((n.lower(), (("s", ""),)) for n in names)
        assert replace(now, broken=None) == replace(was, fields=was.fields + added, broken=None)
    elif title.startswith(("Remove this", "Keep this")):
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        name = p.data["field"]
        same = [i for i, f in enumerate(was.fields) if f[0] == name]
        assert len(was.fields) - len(now.fields) == (
            1 if title.startswith("Remove") else len(same) - 1
        )
        # What is left is the entry without some of that name's fields, in order.
        rest = [f for f in was.fields if f[0] != name]
        assert [f for f in now.fields if f[0] != name] == rest
        assert all(f in [was.fields[i] for i in same] for f in now.fields if f[0] == name)
        # (A broken entry's meaning holds its text, which lost the field too.)
        assert replace(was, fields=(), broken=None) == replace(now, fields=(), broken=None)
    elif title.startswith("Rename the key"):
        key = title.split("`")[1]
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        assert replace(now, broken=None) == replace(was, key=key, broken=None)
        keys = [b.meaning.key for b in located(old) if isinstance(b.meaning, Thing)]
        assert key.lower() not in {k.lower() for k in keys if k}
    elif title.startswith("Put the inner quotes in braces"):
        # A `{` and a `}` inside the one value: the fields are the same, that value
        # gains the braces.
        assert [t for _, _, t in edits] == ["{", "}"] and inserted == ["{", "}"]
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        assert [f[0] for f in was.fields] == [f[0] for f in now.fields]
        unbraced = str.maketrans("", "", "{}")
        assert [repr(f).translate(unbraced) for f in was.fields] == [
            repr(f).translate(unbraced) for f in now.fields
        ]
    elif title.endswith("(biber drops it)"):
        # One field of that name gone, the others as they were, in order.
        name = title.split("`")[1].lower()
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        assert len(now.fields) == len(was.fields) - 1
        gone = [
            i
            for i, f in enumerate(was.fields)
            if was.fields[:i] + was.fields[i + 1 :] == now.fields
        ]
        assert gone and all(was.fields[i][0] == name for i in gone)
        assert replace(was, fields=(), broken=None) == replace(now, fields=(), broken=None)
    elif title == "Remove the comma":
        ((a, b, text),) = edits
        assert old[a:b] == "," and text == ""
    elif title.startswith("Remove `") and title.endswith("from `ids`"):
        # Only the `ids` field changes, and it loses the alias.
        ((a, b, text),) = edits
        assert text == "" and title.split("`")[1] in old[a:b]
        was, now = _one_entry(old_blocks), _one_entry(new_blocks)
        assert [f for f in was.fields if f[0] != "ids"] == [f for f in now.fields if f[0] != "ids"]
    else:
        raise AssertionError(f"a fix this test does not know: {title}")
    return new


def _gone(p: Problem, title: str, old: str, new: str, edits: list[tuple[int, int, str]]) -> None:
    """The fixed diagnostic is no longer reported at its place."""
    if title.startswith("Define"):
        assert not any(
            q.code == p.code and q.data == p.data for q in Checker(Document(new)).diagnose()
        )
        return
    if title.startswith("Add"):
        return  # an empty value is still missing: the fix leaves a place to fill in
    if 'the `"` that should end the value is inside it' in p.message:
        return  # a guess that may miss (`{{"}quote}}`): not fixed, see the report
    at = _shift(edits, p.start)
    after = Checker(Document(new)).diagnose()
    if title.startswith("Ignore"):
        assert not any((q.code, q.start, q.data) == (p.code, at, p.data) for q in after), title
        if title.endswith("in this file"):
            assert not any(q.code == p.code for q in after)
        return
    if title.startswith("Keep this"):
        at_entry = [q for q in after if q.code == p.code and q.data == p.data]
        assert all(abs(q.start - at) > 0 for q in at_entry)
        return
    here = [
        q for q in after if (q.code, q.start, q.data, q.message) == (p.code, at, p.data, p.message)
    ]
    if here:  # the same finding about the next character (`}}`): one fewer of them
        alike = [
            q for q in Checker(Document(old)).diagnose() if (q.code, q.data) == (p.code, p.data)
        ]
        assert len([q for q in after if (q.code, q.data) == (p.code, p.data)]) < len(alike), (
            p,
            new,
        )


@settings(max_examples=examples(300, 3000), deadline=None)
@given(documents)
@example("@article{k, author = {A} title = {T}}\n")
@example('@misc{q, title = "He said "hi"", note = "a "b" c"}\n')
@example("@book{k,\n  title = {T},\n  title = {U},\n}\n@misc{k, year = 19999}")
@example("@misc{k, title = {unclosed,\n  year = 2000}\n@misc{j}\n")
@example('@article{k,\n  title={A. Writer and B. Other} # "A. Writer and B. Other"}\n')  # `OtherA`
@example("@article{}knuth84}\n")  # `author = {}` was added before the `{`
@example('@article{a, note =\n  "line\nbreak"@}\n@article{knuth84}\n')  # `"line"` opened `break"`
@example('@}p@reamble{ "x" }\n')  # removing the `}` joined `@p` and `@reamble`
@example("@article{knuth84author={A},author={A},author={A}}\n")  # duplicates, no key
@example(
    "@online{a, author = {Schechter, Harold, and Kurt Brown}, title={T}, date={2000}, ids={b, c}}\n"
    "@online{b, title={T}, date={2001}, journal={J}, journaltitle={JT}, year={1999}}\n"
)  # what biber drops: a comma, an alias, a legacy field, a year
@example("@article{k,au@thor={A}}\n")  # `ignore[unknown-field:au@thor]` starts an entry
def test_each_quick_fix_changes_what_it_says_and_nothing_else(text: str) -> None:
    doc = Document(text)
    checker = Checker(doc)
    for p in checker.diagnose()[:12]:
        diagnostic = _diagnostic(doc, p)
        for action in _actions(doc, checker, diagnostic, "quickfix"):
            assert action.edit is not None and action.edit.changes is not None
            lsp_edits = action.edit.changes[URI]
            edits = spans(text, lsp_edits, ENC.value)  # in range, not overlapping
            new = _check_fix(text, action.title, p, edits)
            assert apply_edits(text, lsp_edits, ENC.value) == new
            _gone(p, action.title, text, new, edits)
            kind = " ".join(action.title.split()[:2])
            TRIED[kind] = TRIED.get(kind, 0) + 1


@settings(max_examples=examples(120, 1500), deadline=None)
@given(documents)
@example("@article{k,\n  author={A} # A. Writer and B. Other}}\n")  # words read as names
def test_lower_casing_and_fix_all_keep_the_rest(text: str) -> None:
    doc = Document(text)
    checker = Checker(doc)
    for offset in (0, len(text) // 2, len(text)):
        r = lsp.Range(doc_position(doc, offset), doc_position(doc, offset))
        params = lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(URI),
            r,
            lsp.CodeActionContext([], only=["refactor.rewrite"]),
        )
        for action in code_actions(params, doc, checker, ENC):
            new = apply_edits(text, action.edit.changes[URI], ENC.value)
            assert new.lower() == text.lower()
            assert _cased(located(new)) == _cased(located(text))
    (fix_all, *_) = _actions(doc, checker, None, FIX_ALL) or [None]
    if fix_all is not None:
        new = apply_edits(text, fix_all.edit.changes[URI], ENC.value)

        # Safe fixes change values (`--`, DOIs) and insert commas: every clean
        # entry keeps its key and its fields' names.
        def names(t: str) -> list[Any]:
            return [
                (b.meaning.key, tuple(f[0] for f in b.meaning.fields))
                for b in located(t)
                if isinstance(b.meaning, Thing) and b.meaning.broken is None
            ]

        assert set(names(text)) <= set(names(new))


def _cased(blocks: list[Located]) -> list[Any]:
    """Meanings with a broken entry's text lower-cased (its type may be)."""
    return [
        replace(b.meaning, broken=b.meaning.broken.lower())
        if isinstance(b.meaning, Thing) and b.meaning.broken
        else b.meaning
        for b in blocks
    ]


def doc_position(doc: Document, offset: int) -> lsp.Position:
    p = doc.position(offset, ENC)
    return lsp.Position(p.line, p.character)


def teardown_module() -> None:
    print("\nquick fixes tried:", dict(sorted(TRIED.items())))


def test_lower_casing_leaves_the_words_of_a_broken_value() -> None:
    """Found by the test above: in `author={A} # A. Writer and B. Other}` the
    parser reads `Writer`, `B.` and `Other` as field names (the entry is
    broken); lower-casing "field names" changed the value's words."""
    text = "@Article{k,\n  author={A} # A. Writer and B. Other}}\n"
    doc = Document(text)
    for action in code_actions(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(URI),
            lsp.Range(lsp.Position(0, 1), lsp.Position(0, 1)),
            lsp.CodeActionContext([], only=["refactor.rewrite"]),
        ),
        doc,
        Checker(doc),
        ENC,
    ):
        new = apply_edits(text, action.edit.changes[URI], ENC.value)  # type: ignore[union-attr]
        assert new == text.replace("@Article", "@article")
