"""Syntax the parser accepts but BibTeX, biber or LaTeX do not: characters in keys
and field names (the facts are in ``model/keys.py``), `=` in keys and `%` comments
inside entries (one backend reads them, the other does not), and entries that BibTeX
never reads because of where the file ends (established by running BibTeX 0.99d and
biber 2.19)."""

from __future__ import annotations

from collections.abc import Iterable

from bib_lsp.model.keys import BIBER_DROPS, is_control, key_trouble, printable, shown_char
from bib_lsp.rules.context import Context, DocumentContext
from bib_lsp.rules.registry import RULES, document_rule, entry_rule
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry, view

BAD_KEY = "bad-key"
BAD_FIELD_NAME = "bad-field-name"
ENTRIES_ON_LAST_LINE = "entries-on-last-line"
EQUALS_IN_KEY = "equals-in-key"
COMMENT_IN_ENTRY = "comment-in-entry"


@entry_rule(BAD_KEY, Severity.ERROR)
def bad_key(entry: Entry, context: Context) -> Iterable[Problem]:
    r"""
    What it checks:
    A citation key that contains `\`, `'`, `(`, `)`, `~` or a control character.

    Why it matters:
    biber cannot read a key with `\`, `'`, `(`, `)` or a control character: it cuts
    the key short there, or reports a syntax error and drops the entry (BibTeX 0.99
    accepts them all). LaTeX's `\cite` stops with "Missing \endcsname inserted" on
    `\` and `~`. So the entry cannot be cited. (White space, `,`, `{`, `}`, `#`, `%`
    and `"` end a key and are reported as syntax errors, `=` as `equals-in-key`;
    letters outside ASCII and punctuation such as `:-_./+@` work with both tools.)

    Example:
    ```bibtex
    @book{o'neil2020,
      title = {Untitled},
    }
    ```

    How to fix:
    Rename the key with letters, digits and `:-_./` only (`oneil2020`), and update
    the citations.
    """
    del context
    key = entry.key
    if entry.kind is not K.ENTRY or not key or entry.key_span is None:
        return
    trouble = key_trouble(key)
    if not trouble:
        return
    span = entry.key_span
    message = f"key `{printable(key)}` {trouble}"
    yield Problem(span.start, span.end, BAD_KEY, message, RULES[BAD_KEY].doc.severity)


@entry_rule(BAD_FIELD_NAME, Severity.ERROR)
def bad_field_name(entry: Entry, context: Context) -> Iterable[Problem]:
    r"""
    What it checks:
    A field name or `@string` macro name that starts with a digit, or that contains
    `\` or a control character.

    Why it matters:
    BibTeX rejects a name that starts with a digit ("You're missing a field name")
    or contains a control character, and drops the rest of the entry; biber rejects
    all three with a syntax error and drops the whole entry. (Other punctuation and
    letters outside ASCII are accepted by both.)

    Example:
    ```bibtex
    @book{doe2020,
      title = {Untitled},
      2ndauthor = {Jane Roe},
    }
    ```

    How to fix:
    Rename the field (`secondauthor`), or remove it.
    """
    del context
    if entry.kind not in (K.ENTRY, K.STRING):
        return
    what = "macro name" if entry.kind is K.STRING else "field name"
    for field in entry.fields:
        name = field.name
        if not name or name.isalpha() or field.value is None:
            continue  # the usual case, or a field the parser has already reported
        if "0" <= name[0] <= "9":
            reason = "cannot start with a digit"
        elif "\\" in name:
            reason = f"contains `\\`: {BIBER_DROPS}"
        else:
            bad = next((ch for ch in name if is_control(ch)), None)
            if bad is None:
                continue
            reason = f"contains {shown_char(bad)}"
        span = field.name_span
        message = f"{what} `{printable(name)}` {reason}"
        yield Problem(
            span.start, span.end, BAD_FIELD_NAME, message, RULES[BAD_FIELD_NAME].doc.severity
        )


@entry_rule(EQUALS_IN_KEY, Severity.ERROR)
def equals_in_key(entry: Entry, context: Context) -> Iterable[Problem]:
    r"""
    What it checks:
    In the `biblatex` dialect, a citation key that contains `=`.

    Why it matters:
    biber stops reading the key at the `=` ("syntax error: found `=`, expected `,`")
    and drops the entry, so it cannot be cited. BibTeX 0.99 reads the whole key, and
    some packages' files rely on that (abntex2's option entries such as
    `@misc{abnt-and-type=e, ...}`), so the `bibtex` dialect accepts it.

    Example:
    ```bibtex
    @online{page=home,
      title = {Home page},
      url   = {https://example.org},
      date  = {2024},
    }
    ```

    How to fix:
    Rename the key without `=` (`page-home`) and update the citations, or, for
    a file meant for BibTeX only, choose the `bibtex` dialect.
    """
    key = entry.key
    if context.dialect != "biblatex" or entry.kind is not K.ENTRY or not key or "=" not in key:
        return
    assert entry.key_span is not None
    at = entry.key_span.start + key.index("=")
    message = (
        f"biber cannot read the key `{printable(key)}`: it stops at this `=` (found `=`, "
        "expected `,`) and drops the entry; only BibTeX accepts `=` in a key"
    )
    yield Problem(at, at + 1, EQUALS_IN_KEY, message, RULES[EQUALS_IN_KEY].doc.severity)


@entry_rule(COMMENT_IN_ENTRY, Severity.WARNING)
def comment_in_entry(entry: Entry, context: Context) -> Iterable[Problem]:
    r"""
    What it checks:
    In the `bibtex` dialect, a `%` comment inside an entry (the first one of each
    entry).

    Why it matters:
    BibTeX 0.99 has no comments inside entries: at the `%` it reports an error
    ("You're missing a field name", or "I was expecting a `,` or a `}`") and skips
    the rest of the entry, so the fields after the comment are missing from the
    bibliography. biber reads `%` to the end of the line as a comment everywhere.

    Example:
    ```bibtex
    @book{doe2020,
      title = {Untitled},
      % checked against the publisher's page
      year  = 2020,
    }
    ```

    How to fix:
    Move the comment out of the entry (on the line before it), or, for a file meant
    for biber only, choose the `biblatex` dialect.
    """
    block = context.block
    if context.dialect != "bibtex" or entry.kind is not K.ENTRY or block is None:
        return
    if "%" not in block.text:
        return
    for kind, start, end in block.node.tokens(entry.span.start):
        if kind is K.COMMENT:
            lost = sum(1 for f in entry.fields if f.span.start > start)
            if lost:
                names = "field" if lost == 1 else f"{lost} fields"
                what = f"so the {names} after it are lost"
            else:
                what = "though no field comes after it"
            message = (
                "BibTeX has no comments inside entries: it reports an error at this `%` "
                f"and skips the rest of the entry, {what} (biber reads it as a comment)"
            )
            severity = RULES[COMMENT_IN_ENTRY].doc.severity
            yield Problem(start, end, COMMENT_IN_ENTRY, message, severity)
            return


# At most this many blocks are looked at on the last line: the check runs on every
# report, and a file on a single line should not make it cost its size.
_LAST_LINE_BLOCKS = 64


@document_rule(ENTRIES_ON_LAST_LINE, Severity.WARNING)
def entries_on_last_line(context: DocumentContext) -> Iterable[Problem]:
    r"""
    What it checks:
    In the `bibtex` dialect, an entry that follows another entry on the last line
    of the file.

    Why it matters:
    BibTeX 0.99 reads the file line by line and, after each entry, stops if nothing
    is left to read, so it silently ignores whatever follows the first entry that
    ends on the last line: no error, only "Citation undefined" from LaTeX. A final
    line break does not help (the line before it is then the last one), except a
    Windows one (CR LF). biber reads all the entries.

    Example:
    ```bibtex
    @misc{first, title = {One}} @misc{second, title = {Two}}
    ```

    How to fix:
    Put each entry on a line of its own.
    """
    doc = context.document
    n = doc.length
    if n == 0 or context.dialect != "bibtex":
        return
    tail = doc.slice(n - 2, n)
    if tail.endswith("\r\n"):
        return  # BibTeX leaves the LF unread, so it never finds itself at the end
    last = doc.line_count - 1
    end = n
    if tail[-1] in "\r\n":
        last -= 1  # the empty line after a final line break is no line for BibTeX
        end -= 1
    line_start = doc.line_start(last)
    pos = line_start
    stop = -1  # where BibTeX stops reading, once found
    for _ in range(_LAST_LINE_BLOCKS):
        if pos >= end:
            return
        found = doc.block_at(pos)
        if found is None:  # pragma: no cover - the document is not empty
            return
        start, block = found
        pos = start + len(block.text)
        if block.kind is K.JUNK_BLOCK:
            continue
        if stop < 0:
            if start < line_start and block.problems:
                return  # a broken entry ran into the line: BibTeX's state is unknown
            stop = pos
            if block.kind is K.COMMENT_ENTRY:
                # BibTeX reads `@comment` and nothing after it (the body is free text).
                entry = view(block)
                if entry is not None and entry.type_span is not None:
                    stop = start + entry.type_span.end
                if stop <= line_start:
                    stop = -1  # it ended on an earlier line: BibTeX reads on
            continue
        if block.kind is K.COMMENT_ENTRY:
            continue  # ignoring a comment loses nothing
        message = (
            "BibTeX ignores this and the rest of the line: it stops reading after an "
            "entry that ends on the last line of the file"
        )
        severity = RULES[ENTRIES_ON_LAST_LINE].doc.severity
        yield Problem(
            start, _content_end(context, start, end), ENTRIES_ON_LAST_LINE, message, severity
        )
        return


def _content_end(context: DocumentContext, start: int, end: int) -> int:
    """``end`` moved back over trailing blanks (not before ``start``), reading only
    the tail of the line."""
    doc = context.document
    step = 64
    while end > start:
        piece = doc.slice(max(start, end - step), end)
        kept = piece.rstrip(" \t\f\v")
        if kept:
            return end - len(piece) + len(kept)
        end -= len(piece)
        step *= 2
    return start
