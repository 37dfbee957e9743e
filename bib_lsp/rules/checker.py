"""Runs every rule over a document, reusing per-block results between edits, and
applies the suppression comments:

- ``% bib-lsp: ignore[code, ...]`` on the line(s) just before an entry silences those
  codes in that entry, the findings about several entries included; on the line
  just before a field, in that field;
- ``% bib-lsp: ignore[code:field, ...]`` on the line(s) just before an entry silences
  that code in that field of the entry (a finding inside a field of that name, or
  whose data names it: a missing field); the form every backend reads, as it stays
  outside the entry;
- ``% bib-lsp: ignore-file[code, ...]`` anywhere silences them in the whole file
  (``effective_options``).

A code these comments name that does not exist is reported (``bad-suppression``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from bib_lsp.document import BlockChanges, ChunkFindings, Document
from bib_lsp.document.chunks import PerBlock
from bib_lsp.model.comments import Suppression, before_entry, split_code, suppressions
from bib_lsp.model.index import BibIndex, looks_biblatex
from bib_lsp.rules.context import Context, DocumentContext, MacroSource
from bib_lsp.rules.options import RuleOptions
from bib_lsp.rules.registry import RULES, Rule, known_codes
from bib_lsp.rules.suppression import BAD
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem
from bib_lsp.syntax.views import Entry, view


class Checker:
    """The diagnostics of one document. Keep it beside the document and hand it the
    ``BlockChanges`` of each edit; ``diagnose()`` then costs about the number of
    chunks plus the findings, not the size of the document."""

    def __init__(
        self, document: Document, options: RuleOptions | None = None, *, staged: bool = False
    ) -> None:
        """``staged``: the index is built and the rules are run later, in slices
        (``index.build``, ``warm``); until ``staged`` is set to False the findings
        are the parser's only (a large document's first diagnostics, in the time it
        takes to parse it)."""
        self.document = document
        self._decided: str | None = None  # the `auto` dialect's verdict, once made
        # BibTeX's reading's evidence minus biber's (``BibIndex.evidence``): the same
        # until an edit touches free text with a `%`, so that the verdict, made in
        # BibTeX's reading, needs no re-reading on other edits.
        self._comment_delta: tuple[int, int, int] | None = None
        self._options = options or RuleOptions()
        self.staged = staged
        self._option_cache: dict[int, tuple[list[Problem], RuleOptions, list[Problem]]] = {}
        with gc_paused():  # many small objects, no cycles: see syntax.heap.gc_paused
            self.index = BibIndex(document, deferred=staged)
        self.context = Context(self.index)
        self.follow_dialect()

    @property
    def options(self) -> RuleOptions:
        return self._options

    @options.setter
    def options(self, options: RuleOptions) -> None:
        self._options = options
        self.follow_dialect()

    def _decide(self) -> None:
        """Decide the `auto` dialect (and the reading) once the index that was built
        in stages is complete."""
        if self._decided is None and self._options.dialect == "auto" and self.index.complete:
            self.follow_dialect()

    def follow_dialect(self) -> None:
        """Have the document read ``%`` outside entries as the dialect's backend
        does (biber for `biblatex`), once the dialect is known (for `auto`, when
        the index is complete). Called whenever the dialect may have changed: the
        options, an edit; the blocks it reads again go through the index."""
        self._decided = None
        if self._options.dialect == "auto":
            if not self.index.complete:
                return
            # `auto` is decided in BibTeX's reading, so that the verdict depends on
            # the text only (not on the reading an edit found): biber's reading
            # differs only where a `%` line outside entries holds an `@`.
            if self.document.biber_comments and self.index.commented_ats:
                if self._comment_delta is None:
                    here = self.index.evidence()
                    self._take(self.document.set_biber_comments(False))
                    there = self.index.evidence()
                    self._comment_delta = (
                        there[0] - here[0],
                        there[1] - here[1],
                        there[2] - here[2],
                    )
                    self._decided = self.dialect
                else:
                    now, delta = self.index.evidence(), self._comment_delta
                    bibtex_reading = (now[0] + delta[0], now[1] + delta[1], now[2] + delta[2])
                    self._decided = "biblatex" if looks_biblatex(*bibtex_reading) else "bibtex"
            else:
                self._decided = self.dialect
        wanted = self.dialect == "biblatex"
        if wanted != self.document.biber_comments:
            self._take(self.document.set_biber_comments(wanted))

    def warm(self, ci: int) -> None:
        """Run the rules over the document's chunk ``ci`` now (their findings are
        kept), whatever the stage; the index must be complete."""
        self._decide()
        if ci >= self.document.chunk_count:
            return  # deciding re-read `%` text: the document has fewer chunks now
        with gc_paused():
            key, per_block = self._entry_checks(full=True)
            self.document.collect_chunk(ci, key, per_block)

    def update(self, changes: BlockChanges) -> None:
        self._take(changes)
        if any(_has_comment(b) for b in (*changes.removed, *changes.added)):
            self._comment_delta = None
        self.follow_dialect()

    def _take(self, changes: BlockChanges) -> None:
        with gc_paused():
            self.index.update(changes)
            for block in changes.removed:
                self.context.forget(block)
            # Entries whose findings looked at a key or macro whose holders changed
            # (a crossref parent edited, added or removed) are checked again.
            for block in self.context.askers(self.index.take_changed()):
                self.document.forget(block, _FINDINGS)

    def use_macros_elsewhere(self, sources: Mapping[str, MacroSource]) -> bool:
        """Take the macros other files define (see ``MacroSource``); the entries
        that asked about a name whose source changed are checked again. Returns
        whether anything changed."""
        old = self.context.elsewhere
        if old == sources:
            return False
        changed = {n for n in old.keys() | sources.keys() if old.get(n) != sources.get(n)}
        self.context.elsewhere = dict(sources)
        with gc_paused():
            for block in self.context.askers({("string", name) for name in changed}):
                self.document.forget(block, _FINDINGS)
        return True

    @property
    def full(self) -> bool:
        """Whether findings are every rule's (else the parser's only: staged)."""
        return not self.staged

    @property
    def dialect(self) -> str:
        """The dialect chosen; for ``auto``, bibtex when a BibTeX style file is
        chosen, else what the file looks like."""
        if self.options.dialect != "auto":
            return self.options.dialect
        if self.options.style.path is not None:
            return "bibtex"
        if self._decided is not None:
            return self._decided
        return "biblatex" if self.index.looks_biblatex() else "bibtex"

    def diagnose(self) -> list[Problem]:
        """Every finding, in text order, with the user's options applied."""
        self._decide()
        with gc_paused():  # tens of thousands of new findings, no cycles: no full
            parts, whole = self.diagnose_parts()  # collection over a large document
            problems = [p.shifted(part.start) for part in parts for p in part.problems]
            problems += whole
            problems.sort(key=_order)
            return problems

    def diagnose_parts(self) -> tuple[list[ChunkFindings], list[Problem]]:
        """The findings as the document's chunks hold them (each chunk's list is
        relative to the chunk, in text order, and the same list object while the
        chunk and the options are unchanged), plus the whole-document findings
        (absolute, in text order)."""
        with gc_paused():
            key, per_block = self._entry_checks()
            parts = self.document.collect_by_chunk(key, per_block)
            return [self._with_options(part) for part in parts], self._whole()

    def findings_key(self, full: bool = False) -> str:
        """Names what the chunk findings depend on besides the chunk (dialect, rules,
        options): while it stays the same, so do the findings of an unchanged chunk
        (``Document.chunk_changes`` tells which chunks changed). ``full``: of every
        rule's findings, even while staged."""
        key, _ = self._entry_checks(full)
        options = self.effective_options
        return f"{key}|{sorted(options.ignore)}|{sorted(options.severity.items())}"

    def chunk_findings(self, ci: int, full: bool = False) -> ChunkFindings:
        """The findings of the document's chunk ``ci`` (relative to it; perhaps
        none); ``full``: every rule's, even while staged."""
        with gc_paused():
            key, per_block = self._entry_checks(full)
            return self._with_options(self.document.collect_chunk(ci, key, per_block))

    def findings_at(self, offset: int) -> list[Problem]:
        """The findings of the block holding ``offset`` (absolute, in text order),
        with the user's options applied; whole-document ones included."""
        located = self.document.block_at(offset)
        if located is None:
            return []
        start, block = located
        end = start + len(block.text)
        ci = self.document.chunk_at(offset)
        with gc_paused():  # every rule's, even while staged (the index is complete)
            key, per_block = self._entry_checks(full=True)
            part = self._with_options(self.document.collect_chunk(ci, key, per_block))
            found = [p.shifted(part.start) for p in part.problems]
            found += self._whole(full=True)
        return sorted((p for p in found if start <= p.start < end), key=_order)

    def whole_findings(self) -> list[Problem]:
        """The findings about several entries at once (absolute, in text order)."""
        with gc_paused():
            return self._whole()

    @property
    def effective_options(self) -> RuleOptions:
        """The user's options plus the codes `% bib-lsp: ignore-file[...]` names."""
        extra = self.index.file_ignores
        if not extra or extra.keys() <= self.options.ignore:
            return self.options
        return replace(self.options, ignore=self.options.ignore | frozenset(extra))

    def _entry_checks(self, full: bool = False) -> tuple[str, PerBlock]:
        if self.staged and not full:
            return _SYNTAX, _syntax_checks
        ignore = self.effective_options.ignore
        local = [r for r in RULES.values() if r.entry_check is not None and r.code not in ignore]
        dialect = self.dialect
        self.context.dialect = dialect
        self.context.style = self.options.style
        style = self.options.style.key if dialect == "bibtex" else ""
        key = _FINDINGS + dialect + style + ":" + ",".join(r.code for r in local)
        return key, _block_checks(local, self.context, key)

    def _whole(self, full: bool = False) -> list[Problem]:
        if self.staged and not full:
            return []
        options = self.effective_options
        whole: list[Problem] = []
        context = DocumentContext(self.document, self.index, self.dialect, self.options.style)
        for rule in RULES.values():
            if rule.document_check is not None and rule.code not in options.ignore:
                whole.extend(rule.document_check(context))
        if whole:
            whole = _silenced_whole(self.document, whole)
        whole = options.apply(whole)
        whole.sort(key=_order)
        return whole

    def _with_options(self, part: ChunkFindings) -> ChunkFindings:
        options = self.effective_options
        if not (options.ignore or options.severity):
            return part
        problems = self._applied(part.problems)
        return ChunkFindings(part.token, part.start, problems, part.line, part.starts_line)

    def _applied(self, problems: list[Problem]) -> list[Problem]:
        """The options applied to a chunk's list, cached with the list."""
        cached = self._option_cache.get(id(problems))
        options = self.effective_options
        if cached is not None and cached[0] is problems and cached[1] == options:
            return cached[2]
        result = options.apply(problems)
        self._option_cache[id(problems)] = (problems, options, result)
        if len(self._option_cache) > 4 * self.document.chunk_count + 64:
            self._option_cache.clear()
        return result


def _order(p: Problem) -> tuple[int, int, str]:
    return p.start, p.end, p.code


_FINDINGS = "findings:"  # the prefix of the chunk cache keys of our findings
_NO_PROBLEMS: list[Problem] = []  # shared: never changed
_ASKING: dict[tuple[str, ...], tuple[Rule, ...]] = {}  # by the rules' codes
_NO_FINDINGS: tuple[Block | None, list[Problem]] = (None, [])  # shared: never changed
_SYNTAX = "syntax:"  # the chunk cache key of the parser's findings only (staged)


def _syntax_checks(block: Block, previous: Block | None) -> list[Problem]:
    """The parser's problems of a block, less what comments silence (looked for
    only when there is something to silence)."""
    found = list(block.problems)
    if found and (suppressions(block) or (previous is not None and suppressions(previous))):
        found = _silenced(found, block, previous, view(block))
    found.sort(key=_order)
    return found


def _block_checks(rules: list[Rule], context: Context, key: str) -> PerBlock:
    """A block's findings: the parser's problems and the entry rules', less what
    comments silence, in order. Kept on the block under ``key`` (a chunk that an
    edit replaced re-reads its untouched blocks' findings), with the block before
    it when that one has suppression comments (they apply to this block).

    What the rules that asked the Context nothing found is kept apart too: when
    the Checker forgets a block because an answer it got changed (a macro it uses
    was renamed), only the rules that asked run again."""
    partial_key = "partial:" + key  # not under the prefix Checker.update forgets

    def run(block: Block, previous: Block | None) -> list[Problem]:
        if block.node.kind is K.JUNK_BLOCK and not block.problems and not suppressions(block):
            return _NO_PROBLEMS  # plain free text: no rule looks at it (nothing kept)
        before = previous if previous is not None and suppressions(previous) else None
        kept = block.cache.get(key)
        if kept is not None and kept[0] is before:
            found: list[Problem] = kept[1]
            return found
        entry = view(block)
        partial = block.cache.get(partial_key)
        if partial is None:
            local, asking, asked = list(block.problems), [], []
            if entry is not None:
                for rule in rules:
                    results, did_ask = _run(rule, entry, block, context)
                    if did_ask:
                        asking.append(rule)
                        asked += results
                    else:
                        local += results
            # Kept small: most entries have nothing of their own to report, and the
            # same few rules ask (one shared tuple per combination).
            shared = _ASKING.setdefault(tuple(r.code for r in asking), tuple(asking))
            block.cache[partial_key] = (local or _NO_PROBLEMS, shared)
        else:
            local, asking = partial
            asked = []
            if entry is not None:
                for rule in asking:
                    asked += _run(rule, entry, block, context)[0]
        found = _silenced(local + asked, block, previous, entry)
        found.sort(key=_order)
        block.cache[key] = (before, found) if found or before else _NO_FINDINGS
        return found

    return run


def _run(rule: Rule, entry: Entry, block: Block, context: Context) -> tuple[list[Problem], bool]:
    """A rule's findings for one entry, and whether it asked the context anything."""
    assert rule.entry_check is not None
    context.block = block
    context.asked = False
    try:
        return list(rule.entry_check(entry, context)), context.asked
    finally:
        context.block = None


def _silenced(
    found: list[Problem], block: Block, previous: Block | None, entry: Entry | None
) -> list[Problem]:
    """The block's findings with its suppressions applied, and its comments'
    unknown codes reported."""
    own = suppressions(block)
    before = before_entry(previous) if previous is not None and entry is not None else []
    if not own and not before:
        return found
    out = found
    if entry is not None and before:
        out = [p for p in out if not _ignored_before(p, before, entry)]
    if entry is not None:
        for s in own:
            if s.whole_file or not s.alone:
                continue
            field = next((f for f in entry.fields if f.span.start >= s.line_end), None)
            if field is None or block.text[s.line_end : field.span.start].strip(" \t"):
                continue  # not on the line directly above a field
            silenced = {c for c, _, _ in s.codes}
            span = field.span
            out = [p for p in out if not (p.code in silenced and span.start <= p.start < span.end)]
    bad = list(_unknown(own))
    return out + bad if bad else out


def _ignored_before(p: Problem, before: list[Suppression], entry: Entry) -> bool:
    """Whether the comments before ``entry`` silence ``p`` (both relative to the
    entry's block)."""
    for s in before:
        for written, _, _ in s.codes:
            code, field = split_code(written)
            if code != p.code:
                continue
            if field is None or field in _fields_about(p, entry):
                return True
    return False


def _fields_about(p: Problem, entry: Entry) -> set[str]:
    """The fields a finding is about: the one it lies in, and those its data names
    (the missing fields of `missing-required-field`)."""
    names = {f.name_lower for f in entry.fields if f.span.start <= p.start < f.span.end}
    data = p.data if isinstance(p.data, dict) else {}
    named = data.get("field")
    if isinstance(named, str):
        names.add(named.lower())
    listed = data.get("fields")
    if isinstance(listed, list):
        names.update(n.lower() for n in listed if isinstance(n, str))
    return names


def _silenced_whole(document: Document, problems: list[Problem]) -> list[Problem]:
    """The whole-document findings (absolute) less those the comments before the
    entry they lie in silence."""
    out = []
    for p in problems:
        located = document.block_at(p.start)
        if located is not None and located[0] > 0:
            start, block = located
            previous = document.block_at(start - 1)
            entry = view(block)
            if previous is not None and entry is not None:
                before = before_entry(previous[1])
                if before and _ignored_before(p.shifted(-start), before, entry):
                    continue
        out.append(p)
    return out


def _unknown(own: Iterable[Suppression]) -> Iterable[Problem]:
    known = known_codes()
    severity = RULES[BAD].doc.severity
    for s in own:
        for written, start, end in s.codes:
            code, field = split_code(written)
            if code not in known:
                message = f"`{code}` is not a bib-lsp code: this comment silences nothing"
                yield Problem(start, start + len(code), BAD, message, severity)
            elif field is not None and (s.whole_file or not field):
                message = (
                    f"`{written}`: name a field in `ignore[...]` before the entry"
                    if s.whole_file
                    else f"`{written}` names no field: write `{code}` or `{code}:field`"
                )
                yield Problem(start, end, BAD, message, severity)


def _has_comment(block: Block) -> bool:
    """Whether a block is free text with a `%` (where the two readings may differ)."""
    return block.node.kind is K.JUNK_BLOCK and "%" in block.text
