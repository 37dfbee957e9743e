"""Quick fixes: the edits that repair a finding, computed from the document as it
is now and the finding's code, place and ``data``.

Each fix is a short list of minimal edits (code-point offsets) that never delete
text the user wrote beyond what the fix names (a duplicate field it removes).
``safe`` fixes are those that cannot change what the user meant (a missing
comma, `--` for `-` in a page range, a bare DOI for a DOI link); they are the
ones ``fix_all`` applies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bib_lsp.document import Document
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import BLANK as _BLANK
from bib_lsp.syntax.tree import Problem
from bib_lsp.syntax.views import Entry, Field, view

SAFE_REPLACEMENTS = frozenset({"page-range-hyphen", "doi-as-url"})


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safe: bool = False
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """What a fix needs of a diagnostic: its code, its place now, its data."""

    code: str
    start: int
    end: int
    data: Any = None


def fixes_for(
    finding: Finding,
    doc: Document,
    index: BibIndex | None = None,
    others: Sequence[Finding] = (),
) -> list[Fix]:
    """The fixes for one finding (none if there is nothing sure to offer);
    ``others`` are the document's other findings, for fixes that cover several
    (every missing field of an entry). A fix that would change the text around
    the blocks it edits is not offered (see ``_keeps_the_rest``)."""
    found = _fixes_for(finding, doc, index, others)
    return [f for f in found if _keeps_the_rest(doc, f)]


_STRUCTURE = re.compile(r'[@{}()"]')


def _keeps_the_rest(doc: Document, fix: Fix) -> bool:
    """Whether the blocks before and after those the fix edits read as before: a
    `"` closed at the end of its line, where a later `"` of the entry then opens
    a value that swallows the next entries; a stray `}` removed from `@}x@y{`,
    which joins two blocks. The edited blocks and their neighbours are parsed with
    the fix: the blocks must begin and end where they did (from a block's start
    the parser reads as it did). Edits that add or remove no delimiter and no `@`
    (or as many openers as closers) cannot move a block's ends, and are taken as
    they are."""
    if all(_balanced(e.text) and _balanced(doc.slice(e.start, e.end)) for e in fix.edits):
        return True
    first = min(e.start for e in fix.edits)
    last = max(e.end for e in fix.edits)
    lo, hi = _block_ends(doc, first, last)
    before = doc.block_at(lo - 1) if lo > 0 else None
    region_start = before[0] if before is not None else lo
    after = doc.block_at(hi)
    region_end = hi + len(after[1].text) if after is not None and after[0] == hi else hi
    new = doc.slice(region_start, region_end)
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        a, b = edit.start - region_start, edit.end - region_start
        new = new[:a] + edit.text + new[b:]
    delta = len(new) - (region_end - region_start)
    starts = {s for s, _ in Document(new).blocks()}
    kept_before = lo == region_start or lo - region_start in starts
    kept_after = hi == region_end or hi - region_start + delta in starts
    return kept_before and kept_after


def _balanced(text: str) -> bool:
    if not _STRUCTURE.search(text):
        return True
    return (
        "@" not in text
        and text.count("{") == text.count("}")
        and text.count("(") == text.count(")")
        and text.count('"') % 2 == 0
    )


def _block_ends(doc: Document, first: int, last: int) -> tuple[int, int]:
    """The start of the block holding ``first`` and the end of the one holding
    ``last`` (an edit that ends where a block begins ends in the block before)."""
    located = doc.block_at(first)
    lo = located[0] if located is not None else 0
    located = doc.block_at(max(last - 1, first))
    hi = located[0] + len(located[1].text) if located is not None else doc.length
    return lo, hi


def _fixes_for(
    finding: Finding,
    doc: Document,
    index: BibIndex | None,
    others: Sequence[Finding],
) -> list[Fix]:
    data = finding.data if isinstance(finding.data, dict) else {}
    code = finding.code
    if isinstance(data.get("replace"), str):
        new = data["replace"]
        safe = code in SAFE_REPLACEMENTS
        edit = Edit(finding.start, finding.end, new)
        return [Fix(f"Replace with `{new}`", (edit,), safe=safe, preferred=True)]
    if code == "missing-comma":
        # Only where a field follows: `@misc{my key, ...}` lacks no comma (the key
        # has a space in it), and a comma there would change the key.
        if not _FIELD_AHEAD.match(doc.slice(finding.start, finding.start + 200)):
            return []
        comma = Edit(finding.start, finding.start, ",")
        return [Fix("Insert the missing `,`", (comma,), safe=True, preferred=True)]
    if code == "unbalanced-braces" and doc.slice(finding.start, finding.end) in (")", "}"):
        if _inside_value(doc, finding.start):
            return []  # a `}` in a quoted value: the quote is what is missing
        closer = doc.slice(finding.start, finding.end)
        return [Fix(f"Remove this `{closer}`", (Edit(finding.start, finding.end, ""),))]
    located = _entry_at(doc, finding.start)
    if located is None:
        return []
    base, entry = located
    if code == "missing-required-field" and isinstance(data.get("fields"), list):
        gaps = [[str(f) for f in data["fields"]]]
        for other in others:  # the entry's other gaps, in order
            if other.code == code and other.start == finding.start and other != finding:
                fields = other.data.get("fields") if isinstance(other.data, dict) else None
                if isinstance(fields, list) and fields:
                    gaps.append([str(f) for f in fields])
        return _add_fields(doc, base, entry, gaps)
    if code == "duplicate-field" and isinstance(data.get("field"), str):
        return _duplicate_field(doc, base, entry, data["field"], finding.start)
    if code == "duplicate-key" and entry.key and index is not None:
        return [_rename_key(entry, base, index)]
    if code == "undefined-macro" and isinstance(data.get("macro"), str):
        return [_define_macro(doc, data["macro"])]
    if code == "unbalanced-braces":
        return _balance(doc, base, entry, finding.start)
    return []


def lower_case(doc: Document, offset: int) -> list[Fix]:
    """Lower-case the entry type and field names of the entry at ``offset``, and of
    every entry in the file (BibTeX and biber ignore their case, so this changes
    only how the file looks); none when they are lower-case already."""
    located = _entry_at(doc, offset)
    if located is None:
        return []
    here = _lower_edits(*located)
    if not here:
        return []
    everywhere = [e for start, block in doc.blocks() for e in _lower_block(start, block)]
    return [
        Fix("Lower-case this entry's type and field names", tuple(here)),
        Fix("Lower-case entry types and field names in the whole file", tuple(everywhere)),
    ]


def _lower_block(start: int, block: Block) -> list[Edit]:
    entry = view(block)
    return _lower_edits(start, entry) if entry is not None else []


def _lower_edits(base: int, entry: Entry) -> list[Edit]:
    spans = []
    if entry.type_span is not None:
        spans.append((entry.type_span, entry.type))
    if not entry.damaged:  # in a broken entry a "name" may be words of a value
        spans += [(f.name_span, f.name) for f in entry.fields if f.name]
    return [
        Edit(base + span.start, base + span.end, text.lower())
        for span, text in spans
        if text != text.lower()
    ]


def fix_all(doc: Document, check: Callable[[Document], list[Problem]]) -> list[Edit]:
    """Every safe fix, as edits of ``doc`` that do not overlap, such that fixing
    again finds nothing more to fix: a fix can bring out others (a missing comma
    hides the findings of the entry it breaks), so passes repeat, on a scratch
    copy, until none is left (at most five). One pass: its minimal edits; more:
    one edit spanning what changed. ``check`` gives a document's findings (with
    the user's options)."""
    first = safe_fixes(_findings(check(doc)), doc)
    if not first:
        return []
    original = doc.text
    text = once = apply(original, first)
    for _ in range(4):
        scratch = Document(text)
        more = safe_fixes(_findings(check(scratch)), scratch)
        if not more:
            break
        text = apply(text, more)
    if text == once:
        return first
    prefix = _shared_start(original, text)
    suffix = min(_shared_start(original[::-1], text[::-1]), len(text) - prefix)
    suffix = min(suffix, len(original) - prefix)
    return [Edit(prefix, len(original) - suffix, text[prefix : len(text) - suffix])]


def _shared_start(a: str, b: str) -> int:
    """The length of the longest common prefix (compared a block at a time)."""
    n = min(len(a), len(b))
    i = 0
    while i + 4096 <= n and a[i : i + 4096] == b[i : i + 4096]:
        i += 4096
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _findings(problems: Iterable[Problem]) -> list[Finding]:
    return [Finding(p.code, p.start, p.end, p.data) for p in problems]


def safe_fixes(findings: Iterable[Finding], doc: Document) -> list[Edit]:
    """One pass: the safe fixes of these findings, as edits that do not overlap,
    in text order (the first fix wins where two would touch the same text)."""
    edits: list[Edit] = []
    for finding in findings:
        for fix in fixes_for(finding, doc):
            if fix.safe:
                edits.extend(fix.edits)
                break
    edits.sort(key=lambda e: (e.start, e.end))
    out: list[Edit] = []
    for edit in edits:
        if out and edit.start < out[-1].end:
            continue
        if out and edit.start == out[-1].end == out[-1].start == edit.end:
            continue  # two insertions at one place: keep the first
        out.append(edit)
    return out


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The text after non-overlapping ``edits`` (for tests and the CLI)."""
    out = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : edit.start])
        out.append(edit.text)
        pos = edit.end
    out.append(text[pos:])
    return "".join(out)


# -- the fixes ------------------------------------------------------------------------
def _entry_at(doc: Document, offset: int) -> tuple[int, Entry] | None:
    located = doc.block_at(offset)
    if located is None:
        return None
    start, block = located
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY:
        return None
    return start, entry


def _indent_of(doc: Document, offset: int) -> str:
    """The whitespace that starts the line holding ``offset``."""
    line_start = doc.line_start(doc.line_of(offset))
    line = doc.slice(line_start, offset)
    return line[: len(line) - len(line.lstrip(" \t"))]


def _add_fields(doc: Document, base: int, entry: Entry, gaps: list[list[str]]) -> list[Fix]:
    """Add ``name = {}`` after the last field, for the first alternative of the
    finding's requirement (``gaps[0]``), and, when the entry lacks more, for all
    of them at once (in the order the findings come)."""
    fixes = []
    names = gaps[0]
    title = f"Add `{names[0]}`" + "".join(f" (or `{n}`)" for n in names[1:])
    single = _insertion(doc, base, entry, [names[0]])
    if single is not None:
        fixes.append(Fix(title, (single,), preferred=True))
    if len(gaps) > 1:
        every = [g[0] for g in gaps]
        combined = _insertion(doc, base, entry, every)
        if combined is not None:
            listed = ", ".join(f"`{n}`" for n in every)
            fixes.append(Fix(f"Add all missing fields ({listed})", (combined,)))
    return fixes


def _insertion(doc: Document, base: int, entry: Entry, names: list[str]) -> Edit | None:
    """One edit adding ``name = {}`` lines after the entry's last field."""
    nl = _line_break(doc)
    if entry.fields:
        last = entry.fields[-1]
        indent = _indent_of(doc, base + last.span.start)
        if doc.line_of(base + last.span.start) == doc.line_of(base):
            indent = "  "  # a one-line entry: the new fields go on lines of their own
        lines = "".join(f"{nl}{indent}{name} = {{}}," for name in names)
        if last.has_comma:
            return Edit(base + last.span.end, base + last.span.end, lines)
        at = base + (last.value.span.end if last.value is not None else last.name_span.end)
        return Edit(at, at, "," + lines[:-1])  # no comma after the new last field
    anchor = entry.key_span
    if anchor is None:  # `@article{}`: after the type would be outside the entry
        return None
    at = base + anchor.end
    has_comma = doc.slice(at, at + 1) == ","
    at += has_comma
    lines = "".join(f"{nl}  {name} = {{}}," for name in names)
    return Edit(at, at, ("" if has_comma else ",") + lines)


def _field_removal(doc: Document, base: int, field: Field) -> Edit:
    """Remove a field with its comma, and its line when it has one to itself."""
    start, end = base + field.span.start, base + field.span.end
    before = doc.slice(doc.line_start(doc.line_of(start)), start)
    after_end = doc.line_end(doc.line_of(end), include_break=True)
    after = doc.slice(end, after_end)
    if not before.strip(_BLANK) and not after.strip(_BLANK):  # (\xa0, \x1f are text)
        return Edit(start - len(before), after_end, "")
    trailing = len(after) - len(after.lstrip(" \t"))
    return Edit(start, end + trailing, "")


def _duplicate_field(doc: Document, base: int, entry: Entry, name: str, at: int) -> list[Fix]:
    same = [f for f in entry.fields if f.name_lower == name]
    here = next((f for f in same if base + f.name_span.start == at), None)
    if here is None or len(same) < 2:
        return []
    others = [f for f in same if f is not here]
    remove_this = Fix(f"Remove this `{here.name}`", (_field_removal(doc, base, here),))
    keep_this = Fix(
        f"Keep this `{here.name}`, remove the other" + ("s" if len(others) > 1 else ""),
        tuple(_field_removal(doc, base, f) for f in others),
    )
    return [remove_this, keep_this]


def _rename_key(entry: Entry, base: int, index: BibIndex) -> Fix:
    assert entry.key is not None and entry.key_span is not None
    n = 2
    while f"{entry.key}-{n}".lower() in index.keys:
        n += 1
    new = f"{entry.key}-{n}"
    span = entry.key_span
    return Fix(f"Rename the key to `{new}`", (Edit(base + span.start, base + span.end, new),))


_FIELD_AHEAD = re.compile(r"[ \t\r\n]*[A-Za-z][\w:.+-]*[ \t\r\n]*=")
_FIELD_START = re.compile(r"\r?\n[ \t]*[A-Za-z][\w:.+-]*[ \t]*=")
_CLOSERS = {"{": "}", "(": ")", '"': '"'}


def _balance(doc: Document, base: int, entry: Entry, at: int) -> list[Fix]:
    """A closing delimiter where one is missing (``unbalanced-braces`` is reported
    at the opening delimiter left open)."""
    char = doc.slice(at, at + 1)
    closer = _CLOSERS.get(char)
    if closer is None:
        return []
    if entry.open_delim is not None and base + entry.open_delim.start == at:
        # The entry's own `{`: close it after its last field.
        last = entry.fields[-1].span.end if entry.fields else None
        anchor = last if last is not None else (entry.key_span or entry.open_delim).end
        end = base + anchor
        nl = _line_break(doc)
        return [Fix(f"Close the entry with `{closer}`", (Edit(end, end, f"{nl}{closer}"),))]
    # A value's delimiter: the value most likely ends where the next field starts
    # (it swallowed the rest of the entry), or else at the end of its line.
    stop = base + entry.span.end
    rest = doc.slice(at, stop)
    if char == "{" and '"' in rest:
        quote = rest.index('"')  # the `"` that should end a quoted value is inside
        if not _FIELD_START.search(rest, 0, quote):
            return [_insert_before(doc, at + quote, closer)]
    m = _FIELD_START.search(rest)
    if m is not None:
        return [_insert_before(doc, at + m.start(), closer)]
    line = rest.split("\n", 1)[0].rstrip("\r").rstrip(" \t")
    close = entry.close_delim
    if line.endswith(("}", ")")) and (close is None or base + close.start < at):
        line = line[:-1]  # the entry's own closing brace, taken into the value
    return [_insert_before(doc, at + len(line), closer)]


def _insert_before(doc: Document, end: int, closer: str) -> Fix:
    """Insert ``closer`` at ``end``, moved back over blanks and a comma (they come
    after the value)."""
    before = doc.slice(max(0, end - 200), end)
    kept = before.rstrip(" \t")
    if kept.endswith(","):
        kept = kept[:-1].rstrip(" \t")
    at = end - (len(before) - len(kept))
    return Fix(f"Insert the missing `{closer}`", (Edit(at, at, closer),))


def _define_macro(doc: Document, name: str) -> Fix:
    """``@string{name = {}}`` on the first line of the file (above an entry it
    would come between that entry and a `% bib-lsp: ignore` comment for it)."""
    text = f"@string{{{name} = {{}}}}{_line_break(doc)}"
    return Fix(f"Define `{name}` at the top", (Edit(0, 0, text),))


def _line_break(doc: Document) -> str:
    """The file's own line break (``\r\n`` in a CRLF file)."""
    first = doc.slice(0, doc.line_end(0, include_break=True))
    return "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"


def _inside_value(doc: Document, offset: int) -> bool:
    located = _entry_at(doc, offset)
    if located is None:
        return False
    base, entry = located
    return any(
        f.value is not None and base + f.value.span.start <= offset < base + f.value.span.end
        for f in entry.fields
    )
