"""The way a file writes its fields, read from its entries: the indent, whether
`=` is aligned (and at which column), the spaces around `=`, and the value
delimiter. New text (a completed field, an entry template) follows it.

The entry being edited decides what it shows; the nearest entries around it
decide the rest by majority; the defaults (two spaces, `name = {value}`) fill in
what no entry shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bib_lsp.document import Document
from bib_lsp.syntax.block import Block
from bib_lsp.syntax.kinds import SyntaxKind as K
from bib_lsp.syntax.views import view

SAMPLE = 12  # entries around the cursor read for the file's style


@dataclass(frozen=True, slots=True)
class FieldStyle:
    indent: str = "  "
    equals_at: int = 0  # aligned: `=` this many characters after the name starts
    before_equals: str = " "  # not aligned: what separates the name and `=`
    after_equals: str = " "
    open: str = "{"
    field_case: str = "lower"  # how names are written: lower, upper or title
    type_case: str = "lower"  # the same for entry types

    @property
    def close(self) -> str:
        return "}" if self.open == "{" else '"'

    def head(self, name: str) -> str:
        """``name =`` and what follows `=`, up to the value."""
        aligned = " " * max(1, self.equals_at - len(name))
        gap = aligned if self.equals_at else self.before_equals
        return f"{name}{gap}={self.after_equals}"

    def field(self, name: str, value: str = "") -> str:
        """``name = {value},`` in this style (no indent, no line break)."""
        return f"{self.head(name)}{self.open}{value}{self.close},"


@dataclass(slots=True)
class _Seen:
    """What one entry shows of its style; None where it shows nothing."""

    indent: str | None = None
    equals_at: int | None = None  # 0: not aligned
    before: str | None = None
    after: str | None = None
    open: str | None = None
    field_case: str | None = None
    type_case: str | None = None


def case_of(word: str) -> str | None:
    """ "lower", "upper" or "title" (`Author`); None when it cannot tell (no
    letters, or a single capital) or the case is mixed (`BookTitle`)."""
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return None
    if all(c.islower() for c in letters):
        return "lower"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]) and len(letters) > 1:
        return "title"
    return None


def in_case(name: str, case: str) -> str:
    if case == "upper":
        return name.upper()
    if case == "title":
        return name[:1].upper() + name[1:]
    return name


def _observe(block: Block) -> _Seen | None:
    entry = view(block)
    if entry is None or entry.kind is not K.ENTRY or not entry.fields:
        return None
    text = block.text
    indents: Counter[str] = Counter()
    cases: Counter[str] = Counter()
    opens: Counter[str] = Counter()
    befores: Counter[str] = Counter()
    afters: Counter[str] = Counter()
    widths: list[tuple[int, int]] = []  # (name length, where `=` is) per field
    for f in entry.fields:
        if f.value is None or not f.name:
            continue
        case = case_of(f.name)
        if case is not None:
            cases[case] += 1
        first = f.value.pieces[0] if f.value.pieces else None
        if first is not None and first.kind in (K.BRACED, K.QUOTED):
            opens[text[first.span.start]] += 1
        name_start, name_end = f.name_span.start, f.name_span.end
        equals = text.find("=", name_end, f.value.span.start + 1)
        if equals < 0:
            continue
        line_start = text.rfind("\n", 0, name_start) + 1
        lead = text[line_start:name_start]
        if line_start == 0 or lead.strip(" \t"):
            continue  # not on a line of its own: says nothing about layout
        gap = text[name_end:equals]
        after_end = equals + 1
        while after_end < len(text) and text[after_end] in " \t":
            after_end += 1
        if gap.strip(" \t") or text[after_end : after_end + 1] in ("\n", "\r"):
            continue
        indents[lead] += 1
        befores[gap] += 1
        afters[text[equals + 1 : after_end]] += 1
        if "\t" not in gap:  # tabs align to tab stops: kept as written instead
            widths.append((name_end - name_start, equals - name_start))
    seen = _Seen(type_case=case_of(entry.type))
    if cases:
        seen.field_case = cases.most_common(1)[0][0]
    if indents:
        seen.indent = indents.most_common(1)[0][0]
        seen.before = befores.most_common(1)[0][0]
        seen.after = afters.most_common(1)[0][0]
    if opens:
        seen.open = opens.most_common(1)[0][0]
    if len(widths) >= 2 and len({length for length, _ in widths}) > 1:
        places = Counter(at for _, at in widths)
        at, count = places.most_common(1)[0]
        seen.equals_at = at if count * 2 > len(widths) else 0
    elif widths and widths[0][1] - widths[0][0] > 2:
        seen.equals_at = widths[0][1]  # one field, padded: an aligned file's habit
    return seen


def field_style(doc: Document, offset: int) -> FieldStyle:
    """The style of the entry at ``offset``, completed from the entries near it."""
    own: _Seen | None = None
    votes: dict[str, Counter[object]] = {name: Counter() for name in _Seen.__slots__}
    read = 0
    for start, block in doc.nearby(offset):
        if read >= SAMPLE:
            break
        seen = _observe(block)
        if seen is None:
            continue
        if read == 0 and start <= offset <= start + len(block.text):
            own = seen
        read += 1
        for name in _Seen.__slots__:
            value = getattr(seen, name)
            if value is not None:
                votes[name][value] += 1
    chosen: dict[str, object] = {}
    for name in _Seen.__slots__:
        value = getattr(own, name) if own is not None else None
        if value is None and votes[name]:
            value = votes[name].most_common(1)[0][0]
        if value is not None:
            chosen[name] = value
    return FieldStyle(
        indent=str(chosen.get("indent", "  ")),
        equals_at=int(chosen.get("equals_at", 0)),  # type: ignore[call-overload]
        before_equals=str(chosen.get("before", " ")),
        after_equals=str(chosen.get("after", " ")),
        open=str(chosen.get("open", "{")),
        field_case=str(chosen.get("field_case", "lower")),
        type_case=str(chosen.get("type_case", "lower")),
    )
