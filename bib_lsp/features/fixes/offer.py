"""Which fixes are offered for a finding, and ``fix_all``: every safe fix at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from bib_lsp.document import Document

# The topic modules register their fixes (``base.FIXES``) when imported.
from bib_lsp.features.fixes import delimiters, fields, names  # noqa: F401
from bib_lsp.features.fixes.base import FIXES, Finding, Fix
from bib_lsp.model.index import BibIndex
from bib_lsp.syntax.tree import Problem
from bib_lsp.text.edits import Edit, apply, trimmed

# Replacements (a finding whose data names its ``replace`` text) that fix_all makes.
SAFE_REPLACEMENTS = frozenset({"page-range-hyphen", "doi-as-url"})


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


def _fixes_for(
    finding: Finding, doc: Document, index: BibIndex | None, others: Sequence[Finding]
) -> list[Fix]:
    new = finding.details.get("replace")
    if isinstance(new, str):  # whatever the code: the finding names its replacement
        safe = finding.code in SAFE_REPLACEMENTS
        edit = Edit(finding.start, finding.end, new)
        return [Fix(f"Replace with `{new}`", (edit,), safe=safe, preferred=True)]
    fixer = FIXES.get(finding.code)
    return fixer(finding, doc, index, others) if fixer is not None else []


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
    return [trimmed(0, original, text)]


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
