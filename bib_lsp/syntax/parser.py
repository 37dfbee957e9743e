"""A parser that never raises: text in, lossless blocks and located problems out.

A ``.bib`` file is a flat sequence of top-level blocks: entries (``@type{...}``)
and the free text between them, which BibTeX ignores. ``parse_block`` reads one
block from a given start; the result depends only on the text from that start up
to the block's end plus, at most, the one character after it. That is what lets
``Document`` re-parse only the blocks an edit touches.

Recovery follows BibTeX's resynchronisation point: an ``@`` where a field could
start, or an ``@`` at the start of a line inside a runaway value, ends the open
entry, so an unclosed brace spoils one entry and not the rest of the file.

Two readings of the text between entries: BibTeX 0.99's (``biber_comments`` false),
where every ``@`` starts an entry, even after a ``%``; and biber's (btparse), where a
``%`` there comments out the rest of its line, ``@`` included. The checker picks the
reading from the dialect.
"""

from __future__ import annotations

import re

from bib_lsp.syntax import codes
from bib_lsp.syntax.heap import gc_paused
from bib_lsp.syntax.kinds import TRIVIA
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.lexer import (
    BRACED_SCAN_RE,
    FAST_FIELD_RE,
    KEY_IN_BRACES_RE,
    KEY_IN_PARENS_RE,
    KEY_WITH_EQUALS_IN_BRACES_RE,
    KEY_WITH_EQUALS_IN_PARENS_RE,
    NAME_RE,
    QUOTED_SCAN_RE,
    TRIVIA_RE,
    WHITESPACE_RE,
    describe,
)
from bib_lsp.syntax.tree import Element, Node, Problem, Severity, Token, make_token

_SPECIAL_KINDS = {"string": K.STRING, "preamble": K.PREAMBLE, "comment": K.COMMENT_ENTRY}


class BlockParse:
    """The result of reading one block: its node, problems (block-relative), its end,
    and whether the reading looked at the very end of the text it was given (then a
    longer text could have given a different block)."""

    __slots__ = ("end", "node", "problems", "saw_end")

    def __init__(self, node: Node, problems: list[Problem], end: int, saw_end: bool) -> None:
        self.node = node
        self.problems = problems
        self.end = end
        self.saw_end = saw_end


def parse_block(text: str, start: int, biber_comments: bool = False) -> BlockParse:
    """Read the top-level block that starts at ``start`` (``start < len(text)``);
    ``biber_comments``: read a ``%`` outside entries as biber does (see above)."""
    return _BlockParser(text, start, biber_comments).run()


class _BlockParser:
    __slots__ = ("biber_comments", "broken", "n", "pos", "problems", "saw_end", "start", "text")

    def __init__(self, text: str, start: int, biber_comments: bool = False) -> None:
        self.biber_comments = biber_comments
        self.text = text
        self.n = len(text)
        self.start = start
        self.pos = start
        self.problems: list[Problem] = []
        self.saw_end = False
        self.broken = False  # a value inside the entry was cut off unclosed

    # -- helpers ---------------------------------------------------------------
    def peek(self, at: int = -1) -> str:
        p = self.pos if at < 0 else at
        if p >= self.n:
            self.saw_end = True
            return ""
        return self.text[p]

    def report(
        self, start: int, end: int, code: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        self.problems.append(Problem(start - self.start, end - self.start, code, message, severity))

    def trivia(self, out: list[Element]) -> None:
        text, match, pos = self.text, TRIVIA_RE.match, self.pos
        m = match(text, pos)
        while m is not None:
            end = m.end()
            out.append(make_token(K.COMMENT if text[pos] == "%" else K.WHITESPACE, end - pos))
            pos = end
            m = match(text, pos)
        self.pos = pos

    def token(self, out: list[Element], kind: K, width: int) -> None:
        out.append(make_token(kind, width))
        self.pos += width

    def run(self) -> BlockParse:
        node = self.entry() if self.text[self.start] == "@" else self.junk()
        return BlockParse(node, self.problems, self.pos, self.saw_end)

    # -- free text between entries ----------------------------------------------
    def junk(self) -> Node:
        text, start = self.text, self.start
        end = self.junk_end_biber() if self.biber_comments else text.find("@", start)
        if end < 0:
            end = self.n
            self.saw_end = True
        if text.find("}", start, end) >= 0:
            # BibTeX ignores free text, but a `}` there that closes nothing usually
            # means an entry was closed too early and the fields after it are lost.
            # Right after an entry closed too early, the free text starts with the
            # comma or the field that were meant to be inside it.
            left_out = _FIELD_IN_JUNK_RE.match(text, start, end)
            fields_start = left_out.end() if left_out is not None else -1
            depth = 0
            reported = 0
            braces = _BRACE_OR_COMMENT_RE if self.biber_comments else _BRACE_RE
            for m in braces.finditer(text, start, end):
                if m.group() == "{":
                    depth += 1
                elif m.group()[0] == "%":
                    continue  # a comment (biber's reading)
                elif depth:
                    depth -= 1
                else:
                    at = m.start()
                    reported += 1
                    if reported > _MAX_STRAY_REPORTS:
                        continue
                    if reported == _MAX_STRAY_REPORTS:
                        message = _STRAY_CLOSE + " (and so are the `}` after it in this text)"
                        self.report(at, at + 1, codes.UNBALANCED_BRACES, message)
                    elif 0 <= at < fields_start:
                        message = _STRAY_CLOSE + (
                            ": the entry has already ended, so the fields after this "
                            "`}` are outside any entry and ignored"
                        )
                        self.report(at, at + 1, codes.UNBALANCED_BRACES, message)
                    elif fields_start >= 0:
                        message = _STRAY_CLOSE + (
                            ": an extra `}` before it closed the entry early, so the "
                            "fields in between are outside any entry and ignored"
                        )
                        self.report(at, at + 1, codes.UNBALANCED_BRACES, message)
                    else:
                        self.report(at, at + 1, codes.UNBALANCED_BRACES, _STRAY_CLOSE)
        if end < self.n and not self.biber_comments:
            self.commented_out_entry(end)
        self.pos = end
        width = end - start
        if width < 256:
            return _JUNK_NODES[width]  # mostly the line breaks between entries
        return Node(K.JUNK_BLOCK, [make_token(K.JUNK, width)], width)

    def junk_end_biber(self) -> int:
        """Where free text ends in biber's reading: at the first ``@`` that no ``%``
        before it on its line comments out (-1: at the end of the text)."""
        text, pos = self.text, self.start
        while True:
            m = _AT_OR_PERCENT_RE.search(text, pos)
            if m is None:
                return -1
            if text[m.start()] == "@":
                return m.start()
            pos = m.end()

    def commented_out_entry(self, at: int) -> None:
        """BibTeX's reading: when a ``%`` on the line of the ``@`` at ``at`` (the end
        of this free text) comes before it, say that biber reads no entry there."""
        text, start = self.text, self.start
        line = max(text.rfind("\n", start, at), text.rfind("\r", start, at)) + 1
        percent = text.find("%", max(line, start), at)
        if percent < 0:
            return
        message = (
            "BibTeX reads the `@` after this `%` as the start of an entry (it has no "
            "comments outside entries either); biber reads the rest of the line as a "
            "comment and ignores it"
        )
        self.report(percent, at, codes.COMMENTED_OUT_ENTRY, message, Severity.INFORMATION)

    # -- entries ---------------------------------------------------------------
    def entry(self) -> Node:
        text, at = self.text, self.start
        children: list[Element] = [make_token(K.AT, 1)]
        self.pos = at + 1
        self.blank(children)
        m = NAME_RE.match(text, self.pos)
        type_name = ""
        if m is not None:
            type_name = m.group()
            self.token(children, K.TYPE, len(type_name))
            type_end = self.pos
            self.blank(children)
        delim = self.peek()
        kind = _SPECIAL_KINDS.get(type_name.lower(), K.ENTRY)
        if kind is K.COMMENT_ENTRY:
            # BibTeX stops right after the word `comment`; biber takes a braced body.
            return self.comment_entry(children)
        if delim not in ("{", "("):
            if m is None:
                self.report(at, at + 1, codes.MISSING_ENTRY_TYPE, _NO_TYPE)
            else:
                self.report(
                    at,
                    type_end,
                    codes.MISSING_ENTRY_BODY,
                    f"`@{type_name}` must be followed by `{{` or `(`, found {describe(delim)}",
                )
            return Node(K.ENTRY, children, self.pos - at)
        if m is None:
            self.report(at, at + 1, codes.MISSING_ENTRY_TYPE, _NO_TYPE)
        open_at = self.pos
        self.token(children, K.L_DELIM, 1)
        close = "}" if delim == "{" else ")"
        if kind is K.ENTRY:
            need_comma = self.key(children, close, open_at)
        elif kind is K.PREAMBLE:
            need_comma = self.preamble_value(children, open_at)
        else:
            need_comma = False
        if not self.fields(children, close, need_comma) and not self.broken:
            self.report_unclosed_entry(children, open_at, delim)
        return Node(kind, children, self.pos - at)

    def report_unclosed_entry(self, children: list[Element], open_at: int, delim: str) -> None:
        where = "the end of the file" if self.pos >= self.n else "the next entry"
        swallowed = self.swallowing_piece(children)
        if swallowed is None:
            message = f"this `{delim}` is never closed: the entry runs into {where}"
            self.report(open_at, open_at + 1, codes.UNBALANCED_BRACES, message)
            return
        piece_at, field_text = swallowed
        opener = self.text[piece_at]
        taken = f"`{field_text} = ...` and " if field_text else ""
        message = (
            f"this `{opener}` is probably never closed: its value takes in "
            f"{taken}the `{_CLOSER[delim]}` meant to end the entry"
        )
        self.report(piece_at, piece_at + 1, codes.UNBALANCED_BRACES, message)

    def swallowing_piece(self, children: list[Element]) -> tuple[int, str] | None:
        """When an entry is left open because a value lacks its closing brace, the
        value has run over the following fields up to the entry's own `}`. Find the
        last value piece that contains what looks like a field (`name =` at the
        start of a line): that is where the missing brace belongs."""
        found = None
        last_piece = None  # the last value piece, if only trivia follows it
        pos = self.start
        for child in children:
            width = child.width if isinstance(child, Node) else child[1]
            if isinstance(child, Node) and child.kind is K.FIELD:
                for kind, s, e in child.tokens(pos):
                    if kind in (K.BRACED, K.QUOTED):
                        m = _FIELD_INSIDE_RE.search(self.text, s, e)
                        if m is not None:
                            found = (s, m.group(1))
                        last_piece = (s, e)
                    elif kind not in TRIVIA:
                        last_piece = None
            elif isinstance(child, Node) or child[0] not in TRIVIA:
                last_piece = None
            pos += width
        if found is None and last_piece is not None:
            # The last value spans lines and ends the entry: it took the entry's `}`.
            s, e = last_piece
            if _LINE_BREAK_RE.search(self.text, s, e):
                return s, ""
        return found

    def blank(self, out: list[Element]) -> None:
        m = WHITESPACE_RE.match(self.text, self.pos)
        if m is not None:
            self.token(out, K.WHITESPACE, m.end() - self.pos)

    def comment_entry(self, children: list[Element]) -> Node:
        # biber reads the balanced `{...}` after `@comment` as the comment; BibTeX
        # skips `@comment` and then, as in free text, everything up to the next `@`.
        # The body is read like a braced value: to its matching `}`, or cut off
        # (and reported) where a line starts with `@`, so that a block never
        # depends on text past its end, and the entries after an unbalanced
        # comment are read as BibTeX reads them.
        if self.peek() == "{":
            end, unclosed = self.scan_braced(self.pos, _COMMENT_BODY)
            self.token(children, K.BODY, end - self.pos)
            if unclosed:
                # Up to the `@` that cut the body off, as an entry does: a block
                # may look at most one character past its end.
                self.blank(children)
        return Node(K.COMMENT_ENTRY, children, self.pos - self.start)

    def key(self, children: list[Element], close: str, open_at: int) -> bool:
        """Read the citation key; return whether a comma is still owed after it."""
        self.trivia(children)
        key_re = KEY_IN_BRACES_RE if close == "}" else KEY_IN_PARENS_RE
        m = key_re.match(self.text, self.pos)
        if m is not None and self.peek(m.end()) == "=" and key_re.match(self.text, m.end() + 1):
            # `@misc{abnt-and-type=e, ...}`: BibTeX's key runs over the `=` (a rule
            # reports it in the biblatex dialect, where biber stops there).
            wide = KEY_WITH_EQUALS_IN_BRACES_RE if close == "}" else KEY_WITH_EQUALS_IN_PARENS_RE
            m = wide.match(self.text, self.pos)
            assert m is not None
            self.token(children, K.KEY, m.end() - self.pos)
            return self.comma(children)
        if m is not None and NAME_RE.fullmatch(m.group()) is not None:
            # `@article{title = ...`: the word is a field name and the key is missing.
            # (Only a word that can be a field name: the look past it must stay
            # inside the block, or the block would depend on text after its end.)
            probe = m.end()
            t = TRIVIA_RE.match(self.text, probe)
            while t is not None:
                probe = t.end()
                t = TRIVIA_RE.match(self.text, probe)
            if self.peek(probe) != "=":
                self.token(children, K.KEY, m.end() - self.pos)
                return self.comma(children)
        elif m is not None:
            self.token(children, K.KEY, m.end() - self.pos)
            return self.comma(children)
        self.report(open_at, open_at + 1, codes.MISSING_KEY, "this entry has no citation key")
        if m is None and self.peek() == ",":
            self.token(children, K.COMMA, 1)
        return False

    def comma(self, children: list[Element]) -> bool:
        pending: list[Element] = []
        self.trivia(pending)
        children.extend(pending)
        if self.peek() == ",":
            self.token(children, K.COMMA, 1)
            return False
        return True

    def preamble_value(self, children: list[Element], open_at: int) -> bool:
        self.trivia(children)
        if not self.starts_value():
            self.report(open_at, open_at + 1, codes.MISSING_VALUE, "`@preamble` has no value")
            return False
        node, pending = self.value()
        children.append(node)
        children.extend(pending)
        return False

    def fields(self, children: list[Element], close: str, need_comma: bool) -> bool:
        """Read fields up to the closing delimiter; return whether it was found."""
        text = self.text
        fast = FAST_FIELD_RE.match
        last_end = self.pos - _trailing_trivia(children)
        while True:
            if not need_comma:
                m = fast(text, self.pos)
                if m is not None:
                    regs = m.regs
                    if regs[7][1] > regs[7][0] or text.startswith(close, regs[0][1]):
                        _fast_field(text, children, regs)
                        self.pos = regs[0][1]
                        need_comma = regs[7][1] == regs[7][0]
                        last_end = regs[5][1]
                        continue
            self.trivia(children)
            if self.broken:
                return False
            c = self.peek()
            if c == close:
                self.token(children, K.R_DELIM, 1)
                return True
            if c == "@" or not c:
                return False
            if NAME_RE.match(text, self.pos) is not None:
                if need_comma:
                    self.report(last_end, last_end, codes.MISSING_COMMA, _NO_COMMA)
                node, has_comma, pending = self.field()
                children.append(node)
                children.extend(pending)
                need_comma = not has_comma
                last_end = self.pos - _width(pending)
                continue
            self.unexpected(children, c, close)

    def unexpected(self, children: list[Element], c: str, close: str) -> None:
        """Take text where a field should start as one ``ERROR`` token, up to the
        next `,`, line break, `@` or closing delimiter (BibTeX gives up on the rest
        of the entry; we resume at the next field so one slip gives one problem)."""
        start = self.pos
        if c == "}":  # only reachable in a `(...)` entry
            self.token(children, K.ERROR, 1)
            self.report(start, start + 1, codes.UNBALANCED_BRACES, _STRAY_CLOSE)
            return
        text, pos = self.text, start
        if c == ",":
            pos = _skip(_COMMAS_RE, text, start)
        while c != ",":
            pos = _skip(_ERROR_RUN_RE, text, pos)
            ch = self.peek(pos)
            if ch in ("{", '"'):
                pos, unclosed = self.scan_piece(pos)
                if unclosed:
                    self.broken = True
                    break
            elif ch in ("(", ")") and ch != close:
                pos += 1
            else:
                break
        pos = max(pos, start + 1)
        self.token(children, K.ERROR, pos - start)
        after_run = self.peek() == "," and c != ","
        if c == ",":
            found = "an extra `,`" if pos == start + 1 else "extra commas"
        else:
            found = describe(c)
        message = f"expected a field name or `{close}`, found {found}"
        self.report(start, pos, codes.UNEXPECTED_TOKEN, message)
        if after_run:
            # The comma after the stray text separates it from the next field.
            self.token(children, K.COMMA, 1)

    def field(self) -> tuple[Node, bool, list[Element]]:
        """Read ``name = value,``; return the node, whether it ends in a comma, and
        the trivia after it that belongs to the entry."""
        start = self.pos
        text = self.text
        m = NAME_RE.match(text, start)
        assert m is not None
        name = m.group()
        fc: list[Element] = []
        self.token(fc, K.NAME, len(name))
        pending: list[Element] = []
        self.trivia(pending)
        c = self.peek()
        if c == "=":
            fc.extend(pending)
            eq = self.pos
            self.token(fc, K.EQUALS, 1)
            pending = []
            self.trivia(pending)
            if self.starts_value():
                fc.extend(pending)
                node, pending = self.value()
                fc.append(node)
            else:
                self.report(eq, eq + 1, codes.MISSING_VALUE, f"field `{name}` has no value")
        else:
            self.report(
                start, start + len(name), codes.MISSING_EQUALS, f"expected `=` after `{name}`"
            )
            if c in ("{", '"'):
                fc.extend(pending)
                node, pending = self.value()
                fc.append(node)
        if not self.broken and self.peek() == ",":
            fc.extend(pending)
            pending = []
            self.token(fc, K.COMMA, 1)
            return Node(K.FIELD, fc, self.pos - start), True, pending
        return Node(K.FIELD, fc, self.pos - start - _width(pending)), False, pending

    def starts_value(self) -> bool:
        c = self.peek()
        return c in ("{", '"') or NAME_RE.match(self.text, self.pos) is not None

    def value(self) -> tuple[Node, list[Element]]:
        """Read pieces joined by ``#``; return the node and the trivia after it."""
        start = self.pos
        text = self.text
        vc: list[Element] = []
        hash_at = -1
        while True:
            c = self.peek()
            if c in ("{", '"'):
                end, unclosed = self.scan_piece(self.pos)
                if c == '"' and not unclosed and NAME_RE.match(text, end, end + 1):
                    end = self.inner_quotes(end)
                self.token(vc, K.BRACED if c == "{" else K.QUOTED, end - self.pos)
                if unclosed:
                    self.broken = True
                    return Node(K.VALUE, vc, self.pos - start), []
            else:
                m = NAME_RE.match(text, self.pos)
                if m is None:
                    self.report(hash_at, hash_at + 1, codes.MISSING_VALUE, "nothing after `#`")
                    return Node(K.VALUE, vc, self.pos - start), []
                word = m.group()
                if word.isascii() and word.isdigit():
                    kind = K.NUMBER
                else:
                    kind = K.MACRO
                    if word[0].isdigit():
                        at = self.pos
                        message = (
                            f"`{word}` is neither a number nor a macro name (macro names "
                            f"cannot start with a digit): write `{{{word}}}`"
                        )
                        self.report(at, at + len(word), codes.UNEXPECTED_TOKEN, message)
                self.token(vc, kind, len(word))
            pending: list[Element] = []
            self.trivia(pending)
            if self.peek() != "#":
                return Node(K.VALUE, vc, self.pos - start - _width(pending)), pending
            vc.extend(pending)
            hash_at = self.pos
            self.token(vc, K.HASH, 1)
            self.trivia(vc)

    def inner_quotes(self, end: int) -> int:
        """A quoted value ended at ``end`` right before a word (``"He said "hi""``):
        the `"` before ``end`` was most likely meant inside the value. When the line
        goes on, without `,` or `=`, to a `"` that ends it or that a `,`, `#` or
        closing delimiter follows, report that inner `"` and take the value up to
        that `"` (what was meant); else leave the value where BibTeX ends it."""
        text, pos, depth = self.text, end, 0
        for m in _INNER_QUOTE_SCAN_RE.finditer(text, end):
            ch = m.group()
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth < 0:
                    return end  # the entry's `}`: the value did end there
            elif ch == '"':
                if depth == 0 and _VALUE_END_RE.match(text, m.end()) is not None:
                    pos = m.end()
                    break
            elif depth == 0 or ch not in ",=":
                return end  # a line break, another field: too far to guess
        else:
            self.peek(self.n)  # read to the end of the text
            return end
        inner = end - 1
        cut = text[self.pos : end]
        meant = braced_inner_quotes(text[self.pos : pos])
        if len(meant) > 60:
            cut, meant = "...", '{"..."}'
        message = (
            f'this `"` ends the quoted value (BibTeX and biber read `{cut}`, then fail on '
            f"what follows): put the inner quotes in braces, `{meant}`"
        )
        self.report(inner, inner + 1, codes.QUOTE_IN_QUOTED_VALUE, message)
        return pos

    # -- delimited pieces ------------------------------------------------------------
    def scan_piece(self, start: int) -> tuple[int, bool]:
        if self.text[start] == "{":
            return self.scan_braced(start)
        return self.scan_quoted(start)

    def scan_braced(self, start: int, what: str = "value") -> tuple[int, bool]:
        """Find the end of the ``{...}`` group at ``start``; return (end, unclosed)."""
        stack: list[int] = []
        text = self.text
        for m in BRACED_SCAN_RE.finditer(text, start):
            at = m.start()
            ch = text[at]
            if ch == "{":
                stack.append(at)
            elif ch == "}":
                stack.pop()
                if not stack:
                    return at + 1, False
            else:
                return self.cut_off(at, stack, what)
        self.saw_end = True
        return self.cut_off(self.n, stack, what)

    def scan_quoted(self, start: int) -> tuple[int, bool]:
        stack: list[int] = []
        text = self.text
        eaten = -1  # a brace that was open when a `"` went by: the likely culprit
        for m in QUOTED_SCAN_RE.finditer(text, start + 1):
            at = m.start()
            ch = text[at]
            if ch == "{":
                stack.append(at)
            elif ch == "}":
                if stack:
                    stack.pop()
                else:
                    self.report(at, at + 1, codes.UNBALANCED_BRACES, _STRAY_IN_QUOTES)
            elif ch == '"':
                if not stack:
                    return at + 1, False
                if eaten < 0:
                    eaten = stack[0]
            else:
                return self.cut_off(at, [start, *stack], "value", eaten)
        self.saw_end = True
        return self.cut_off(self.n, [start, *stack], "value", eaten)

    def cut_off(self, at: int, unclosed: list[int], what: str, eaten: int = -1) -> tuple[int, bool]:
        """Report a piece that runs into the next entry (or the end of the file):
        once, at the innermost delimiter left open."""
        where = "the end of the file" if at >= self.n else "the next entry"
        if what == _COMMENT_BODY:
            opener = unclosed[0]
            message = (
                f"this `@comment{{` is not closed before {where}: BibTeX reads the "
                "entries inside it as live entries, biber ignores them"
            )
            self.report(opener, opener + 1, codes.UNBALANCED_BRACES, message)
            return at, True
        if eaten >= 0:
            message = (
                'this `{` is probably never closed: the `"` that should end the value '
                f"is inside it, so the value runs into {where}"
            )
            self.report(eaten, eaten + 1, codes.UNBALANCED_BRACES, message)
            return at, True
        opener = unclosed[-1]
        more = len(unclosed) - 1
        also = f" (nor {more} more before it)" if more else ""
        message = f"this `{self.text[opener]}` is never closed{also}: the {what} runs into {where}"
        self.report(opener, opener + 1, codes.UNBALANCED_BRACES, message)
        return at, True


_WS_TOKENS = [make_token(K.WHITESPACE, n) for n in range(256)]
_NAME_TOKENS = [make_token(K.NAME, n) for n in range(256)]
_EQUALS = make_token(K.EQUALS, 1)
_COMMA = make_token(K.COMMA, 1)
# A value of one short piece is one of these shared nodes (green nodes hold no
# position, so equal ones can be the same object): most fields' values are.
_VALUE_NODES = {
    kind: [Node(K.VALUE, [make_token(kind, n)], n) for n in range(256)]
    for kind in (K.BRACED, K.QUOTED, K.NUMBER, K.MACRO)
}
_FIELD_NODES: dict[tuple[int, int, int, K, int, int], Node] = {}
_FIELD_SHAPES_KEPT = 100_000  # shared fields (about 20 MB at most, for all files)
_JUNK_NODES = [Node(K.JUNK_BLOCK, [make_token(K.JUNK, n)], n) for n in range(256)]


def _fast_field(text: str, children: list[Element], regs: tuple[tuple[int, int], ...]) -> None:
    """Build the nodes of a field matched whole by ``FAST_FIELD_RE`` (same tree as
    the token-by-token path would give). ``regs`` are the match's group spans.

    Green nodes hold no positions or text, so fields of the same shape (the same
    widths of name, spaces and value, and kind of value) are one shared node: in a
    consistently written file, most of them are (`year = 2001,` and
    `year = 1987,` alike)."""
    _, (a0, b0), (a1, b1), (a2, b2), (a3, b3), (a4, b4), (a5, b5), (a6, b6) = regs
    if b0 > a0:
        children.append(_space(b0 - a0))
    first = text[a4]
    if first == "{":
        kind = K.BRACED
    elif first == '"':
        kind = K.QUOTED
    else:
        word = text[a4:b4]
        kind = K.NUMBER if word.isascii() and word.isdigit() else K.MACRO
    comma = b6 > a6
    shape = (b1 - a1, b2 - a2, b3 - a3, kind, b4 - a4, b5 - a5 if comma else -1)
    node = _FIELD_NODES.get(shape)
    if node is None:
        node = _field_node(*shape)
        if len(_FIELD_NODES) < _FIELD_SHAPES_KEPT and max(shape) < 256:
            _FIELD_NODES[shape] = node
    children.append(node)
    if not comma and b5 > a5:
        children.append(_space(b5 - a5))


def _field_node(
    name: int, before_eq: int, after_eq: int, kind: K, width: int, before_comma: int
) -> Node:
    """A field's node: a name, ``=`` and a value, with spaces of the widths given
    between, and a comma after unless ``before_comma`` (the spaces before it) is -1."""
    fc: list[Element] = [_NAME_TOKENS[name] if name < 256 else (K.NAME, name)]
    if before_eq:
        fc.append(_space(before_eq))
    fc.append(_EQUALS)
    if after_eq:
        fc.append(_space(after_eq))
    fc.append(_VALUE_NODES[kind][width] if width < 256 else Node(K.VALUE, [(kind, width)], width))
    span = name + before_eq + 1 + after_eq + width
    if before_comma >= 0:
        if before_comma:
            fc.append(_space(before_comma))
        fc.append(_COMMA)
        span += before_comma + 1
    return Node(K.FIELD, fc, span)


def _space(n: int) -> Token:
    return _WS_TOKENS[n] if n < 256 else (K.WHITESPACE, n)


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """The end of ``pattern``'s match at ``pos`` (``pos`` when it does not match)."""
    m = pattern.match(text, pos)
    return pos if m is None else m.end()


def _trailing_trivia(elements: list[Element]) -> int:
    total = 0
    for e in reversed(elements):
        if isinstance(e, Node) or e[0] not in TRIVIA:
            break
        total += e[1]
    return total


def _width(elements: list[Element]) -> int:
    total = 0
    for e in elements:
        total += e.width if isinstance(e, Node) else e[1]
    return total


_CLOSER = {"{": "}", "(": ")"}
_BRACE_RE = re.compile(r"[{}]")
_BRACE_OR_COMMENT_RE = re.compile(r"[{}]|%[^\r\n]*")
_AT_OR_PERCENT_RE = re.compile(r"@|%[^\r\n]*")
_LINE_BREAK_RE = re.compile(r"[\r\n]")
# `name =` at the start of a line inside a value: the value ran over a field.
_FIELD_INSIDE_RE = re.compile(r"""[\r\n][ \t]*([^ \t\n\r\f\v"#%'(),={}@]+)[ \t]*=""")
# Free text that starts with a comma or `name =` (after any extra `}`): fields left
# outside an entry that was closed too early.
_FIELD_IN_JUNK_RE = re.compile(r"""[ \t}]*(?:,|[\r\n \t]*[^ \t\n\r\f\v"#%'(),={}@]+[ \t]*=)""")
# Text where a field should start, up to where reading can resume.
_ERROR_RUN_RE = re.compile(r"""[^,\r\n@{}"()]+""")
_COMMENT_BODY = "comment"
_INNER_QUOTE_SCAN_RE = re.compile(r'["{}\r\n,=]')
_VALUE_END_RE = re.compile(r"[ \t]*(?:[,#})\r\n]|$)")
_COMMAS_RE = re.compile(r",+")
# A file of nothing but `}` should not produce a million problems.
_MAX_STRAY_REPORTS = 20
_NO_TYPE = "expected an entry type after `@`"
_NO_COMMA = "missing `,` between fields"
_STRAY_CLOSE = "this `}` has no matching `{`"
_STRAY_IN_QUOTES = "this `}` has no matching `{` inside the quoted value"


def braced_inner_quotes(quoted: str) -> str:
    """A quoted value with `"` inside (``"He said "hi""``) written as BibTeX and
    biber read it as meant: the inner quotes, and what lies between them, in
    braces (``"He said {"hi"}"``)."""
    first, last = quoted.find('"', 1), quoted.rfind('"', 0, len(quoted) - 1)
    if not 0 < first <= last:
        return quoted
    return f"{quoted[:first]}{{{quoted[first : last + 1]}}}{quoted[last + 1 :]}"


def parse_blocks(text: str, biber_comments: bool = False) -> list[BlockParse]:
    """Read a whole text into blocks (``biber_comments``: see ``parse_block``)."""
    out: list[BlockParse] = []
    pos, n = 0, len(text)
    with gc_paused():
        while pos < n:
            block = _BlockParser(text, pos, biber_comments).run()
            out.append(block)
            pos = block.end
    return out


__all__ = ["BlockParse", "Token", "parse_block", "parse_blocks"]
