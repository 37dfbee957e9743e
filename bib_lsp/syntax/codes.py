"""Stable codes of the problems the parser reports, with their documentation.

Each code is kebab-case and never changes meaning once released. The text here is
the source of ``docs/rules/<code>.md`` (see ``bib_lsp.docgen``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bib_lsp.syntax.tree import Severity

UNBALANCED_BRACES = "unbalanced-braces"
MISSING_ENTRY_TYPE = "missing-entry-type"
MISSING_ENTRY_BODY = "missing-entry-body"
MISSING_KEY = "missing-key"
MISSING_COMMA = "missing-comma"
MISSING_EQUALS = "missing-equals"
MISSING_VALUE = "missing-value"
UNEXPECTED_TOKEN = "unexpected-token"
NOT_UTF8 = "not-utf8"
COMMENTED_OUT_ENTRY = "commented-out-entry"
QUOTE_IN_QUOTED_VALUE = "quote-in-quoted-value"


@dataclass(frozen=True)
class CodeDoc:
    code: str
    severity: Severity
    summary: str
    why: str
    example: str
    fix: str


SYNTAX_CODES: tuple[CodeDoc, ...] = (
    CodeDoc(
        UNBALANCED_BRACES,
        Severity.ERROR,
        'A `{`, `(` or `"` that is never closed, or a `}` that closes nothing.',
        "BibTeX and biber read to the matching delimiter. An unclosed brace swallows the "
        "following fields or entries; a stray `}` ends an entry early, so the fields after "
        "it are silently dropped. bib-lsp cuts a runaway entry off at the next line that "
        "starts with `@`, and reports the delimiter that was never closed (or, when a "
        "value has swallowed the following fields, the value's brace). An `@comment{` "
        "left open by an entry on a later line is reported too: BibTeX reads that entry "
        "as a live entry, biber as part of the comment.",
        "@article{knuth84,\n  title = {The {TeX}book,\n  year  = 1984,\n}\n",
        "Add the missing `}` (here after `book`), or remove the extra one. Braces inside "
        "values must balance, even after a backslash: write `\\{` only in pairs.",
    ),
    CodeDoc(
        MISSING_ENTRY_TYPE,
        Severity.ERROR,
        "An `@` with no entry type after it.",
        "BibTeX reads every `@`, even one in free text between entries, as the start of "
        "an entry, and skips an entry without a type.",
        "@{doe2020,\n  title = {Untitled},\n}\n",
        "Write the entry type (`@book{doe2020, ...}`), or remove the `@` from the free text.",
    ),
    CodeDoc(
        MISSING_ENTRY_BODY,
        Severity.ERROR,
        "An `@type` that is not followed by `{` or `(`.",
        "Outside entries BibTeX treats every `@` as the start of an entry, so an e-mail "
        "address in a comment between entries is an error for BibTeX, and a typo such as "
        "`@article[key, ...]` loses the whole entry.",
        "% written by jane@example.org\n",
        "Open the entry with `{` or `(`; in free text, avoid the `@` (write `(at)`), or "
        "put the text in an `@comment{...}`.",
    ),
    CodeDoc(
        MISSING_KEY,
        Severity.ERROR,
        "An entry without a citation key.",
        "An entry without a key cannot be cited; BibTeX and biber report or skip it.",
        "@book{,\n  title = {Untitled},\n}\n",
        "Add a unique key right after the opening brace: `@book{doe2020,`.",
    ),
    CodeDoc(
        MISSING_COMMA,
        Severity.ERROR,
        "Two fields (or the key and the first field) without a `,` between them.",
        "BibTeX stops reading the entry at the missing comma and drops the rest of it.",
        "@book{doe2020,\n  title = {Untitled}\n  year  = 2020,\n}\n",
        "Add the `,` at the end of the first line.",
    ),
    CodeDoc(
        MISSING_EQUALS,
        Severity.ERROR,
        "A field name that is not followed by `=`.",
        "BibTeX expects `name = value`; without `=` it drops the rest of the entry.",
        "@book{doe2020,\n  title {Untitled},\n}\n",
        "Write `title = {Untitled}`.",
    ),
    CodeDoc(
        MISSING_VALUE,
        Severity.ERROR,
        "A field with `=` but no value, or a `#` with nothing after it.",
        "BibTeX reports an error and drops the rest of the entry.",
        "@book{doe2020,\n  title = ,\n}\n",
        "Give the field a value (`title = {Untitled}`) or delete the field.",
    ),
    CodeDoc(
        UNEXPECTED_TOKEN,
        Severity.ERROR,
        "Text where a field name or the end of the entry should be, or a bare value "
        "that is neither a number nor a macro name (`1999a`).",
        "BibTeX stops reading the entry at the first thing it does not expect, so the "
        "fields after it are lost. bib-lsp reports the stray text once and reads on "
        "from the next comma.",
        "@book{doe2020,\n  = {Untitled},\n}\n",
        "Remove the stray text or write the field name it stands for.",
    ),
    CodeDoc(
        QUOTE_IN_QUOTED_VALUE,
        Severity.ERROR,
        'A `"` inside a `"..."` value, right before a word: it ends the value there.',
        'BibTeX and biber end a quoted value at the first `"` outside braces, so '
        '`title = "He said "hi""` is the title `He said ` followed by `hi""`, which '
        "neither can read: BibTeX drops the rest of the entry, biber the whole entry. "
        'bib-lsp reports the inner `"` once and reads the value to the `"` that ends '
        "the line's value, as meant.",
        '@misc{doe2020,\n  title = "He said "hi"",\n  year  = 2020,\n}\n',
        'Put the inner quotes in braces, `"He said {"hi"}"` (the quick fix does), or '
        "write the value in braces: `{He said ``hi''}`.",
    ),
    CodeDoc(
        COMMENTED_OUT_ENTRY,
        Severity.INFORMATION,
        "In the `bibtex` dialect, an `@` after a `%` on its line, outside entries: BibTeX "
        "reads an entry there, biber a comment.",
        "BibTeX 0.99 has no comments: outside entries it skips everything up to the next "
        "`@`, so `%@misc{old, ...}` is a live entry for it (a second `old`, here), while "
        "biber reads `%` to the end of the line as a comment and ignores the line. The "
        "same file then gives different bibliographies. In the `biblatex` dialect "
        "bib-lsp reads such a line as biber does, and reports nothing.",
        "%@misc{old, title = {Old}}\n@misc{old, title = {New}}\n",
        "To comment out an entry for both tools, remove the `@` (`%misc{old, ...}`) or put "
        "the entry in an `@comment{...}`; for a file meant for biber only, choose the "
        "`biblatex` dialect.",
    ),
    CodeDoc(
        NOT_UTF8,
        Severity.WARNING,
        "A file that is not valid UTF-8 (read as Windows-1252 or Latin-1 instead).",
        "biber and modern LaTeX expect UTF-8. A Latin-1 or Windows-1252 file shows its "
        "accented letters as garbage in editors set to UTF-8, and mixing encodings "
        "corrupts it. bib-lsp reads such a file as Windows-1252 when it holds bytes "
        "0x80-0x9F that are Windows-1252 characters (curly quotes, dashes, the euro "
        "sign), else as Latin-1 (ISO-8859-1); the message names the encoding used and "
        "points at the first byte that is not UTF-8.",
        "author = {Stra\\xdfe}   % the byte 0xDF, Latin-1 for the German sharp s\n",
        "Convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8 old.bib > new.bib` "
        "(`-f cp1252` for a Windows-1252 file).",
    ),
)
