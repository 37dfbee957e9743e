"""What a BibTeX style (``.bst``) knows: its entry types, its fields and the fields it
warns about, read from the style file itself.

BibTeX takes an entry's type as the name of a style function (``call.type$`` runs it;
an entry whose type names no ``FUNCTION`` gets a warning, "entry type for X isn't
style-file defined", and ``default.type`` instead). BibTeX accepts *any* function there
(``@output`` runs plain.bst's ``output``); the types read here are the functions meant
as types: a ``FUNCTION`` whose name has no ``.`` or ``$``, that no
``EXECUTE``/``ITERATE``/``REVERSE`` command runs, and that no other function calls
(``default.type`` and one-word aliases such as ``FUNCTION {conference}
{inproceedings}`` aside) or that goes on to ``fin.entry`` (apacite.bst's ``thesis``
calls its ``article``); and the aliases of such types.

A type's requirements are read as ``tools/check_requirements.py`` reads plain.bst's,
following every function the type's function calls:

* a literal label before a *warning function* (one whose body writes
  ``"empty " ... warning$`` or ``"missing " ... warning$`` around a label it is given:
  plain.bst's ``output.check``, IEEEtran.bst's ``output.warn`` and ``bibinfo.warn``) is
  a requirement; ``"X and Y"`` labels are alternatives (either field will do);
* a literal ``"empty X in "`` (or ``"no X or Y in "``) warning is one too;
* in ``X empty$ {A} {B} if$`` (``missing$``, ``not``, ``duplicate$`` read too), a
  warning in both branches is a requirement, one only in ``A`` (``X`` empty) has
  ``X`` as an alternative, one only in ``B`` is none (it needs ``X`` given);
* in ``crossref missing$ {A} {B} if$`` only ``A`` runs for an entry without
  ``crossref``, only ``B`` for one with it: the fields checked only in ``A`` are not
  required of an entry with a ``crossref`` (:attr:`BibtexStyle.crossref_skips`).

Also read: the ``ENTRY`` fields (plus ``crossref``, which BibTeX itself reads) and the
labels of literal ``either.or.check`` calls (``"author and editor" editor
either.or.check``). :data:`PLAIN` is the built-in default: the plain.bst tables of
``requirements.py`` with the types and fields common BibTeX files carry beyond them.
A style file's reading is cached by path, modification time and size.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from bib_lsp.model.requirements import (
    BIBTEX_FIELDS,
    BIBTEX_REQUIRED,
    BIBTEX_TYPES,
    COMMON_BIBTEX_EXTRA_FIELDS,
    COMMON_BIBTEX_EXTRA_TYPES,
    Requirement,
)

# ------------------------------------------------------------------------------------------
# Reading a .bst file
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tok:
    """A bst token: a word (``kind == "w"``, ``'name`` and ``#1`` included) or a quoted
    string (``kind == "s"``, without its quotes)."""

    kind: str
    text: str


Node: TypeAlias = "Tok | list[Node]"

_WORD = re.compile(r"[^\s{}%\"]+")


def bst_parse(text: str) -> list[Node]:
    """A .bst text as nested brace groups of tokens (``%`` comments dropped). Never
    raises: an unclosed group ends at the end of the text, a stray ``}`` is skipped."""
    stack: list[list[Node]] = [[]]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "%":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif c == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            stack[-1].append(Tok("s", text[i + 1 : end]))
            i = end + 1
        elif c == "{":
            group: list[Node] = []
            stack[-1].append(group)
            stack.append(group)
            i += 1
        elif c == "}":
            if len(stack) > 1:
                stack.pop()
            i += 1
        else:
            m = _WORD.match(text, i)
            assert m is not None  # c is none of the characters the pattern excludes
            stack[-1].append(Tok("w", m.group()))
            i = m.end()
    return stack[0]


def _words(group: Node) -> list[str]:
    if isinstance(group, Tok):
        return [group.text]
    return [tok.text for tok in group if isinstance(tok, Tok)]


def _is_word(node: Node, text: str) -> bool:
    return isinstance(node, Tok) and node.kind == "w" and node.text == text


def label_requirement(label: str) -> Requirement:
    """A warning's label as a requirement: ``"author and editor"`` is either field."""
    return tuple(part.strip().lower() for part in label.split(" and ") if part.strip())


def _all_tokens(body: list[Node]) -> Iterable[Tok]:
    for node in body:
        if isinstance(node, list):
            yield from _all_tokens(node)
        else:
            yield node


def _is_warner(body: list[Node]) -> bool:
    """Whether a function warns "empty LABEL in KEY" about a label it is given."""
    tokens = list(_all_tokens(body))
    if not any(t.kind == "w" and t.text == "warning$" for t in tokens):
        return False
    return any(t.kind == "s" and t.text in ("empty ", "missing ") for t in tokens)


_COMMANDS = ("EXECUTE", "ITERATE", "REVERSE")
_LITERAL_WARNING = re.compile(r"(?:empty|no) (.+) in ")


def _branch(node: Node) -> list[Node] | None:
    """An ``if$`` branch: a group, or a quoted function name (``'skip$``)."""
    if isinstance(node, list):
        return node
    if node.kind == "w" and node.text.startswith("'"):
        return [Tok("w", node.text[1:])]
    return None


def _merge(into: list[Requirement], more: Iterable[Requirement]) -> None:
    for req in more:
        if req not in into:
            into.append(req)


@dataclass
class _Walk:
    """Reads the requirements of a function's body (see the module's docstring)."""

    functions: Mapping[str, list[Node]]
    warners: frozenset[str]
    fields: frozenset[str]
    with_crossref: bool
    pairs: list[str]
    # By function: what calling it requires. BibTeX defines a function before any
    # use of it, so calls never go round a circle and each is read once.
    called: dict[str, list[Requirement]] = field(default_factory=dict)

    def body(self, body: list[Node], visiting: frozenset[str]) -> list[Requirement]:
        out: list[Requirement] = []
        i = 0
        while i < len(body):
            test = self._field_test(body, i)
            if test is not None:
                name, present_first, then, otherwise, width = test
                absent_branch, present_branch = (
                    (otherwise, then) if present_first else (then, otherwise)
                )
                if name == "crossref":
                    chosen = present_branch if self.with_crossref else absent_branch
                    _merge(out, self.body(chosen, visiting))
                else:
                    _merge(out, self._conditional(name, absent_branch, present_branch, visiting))
                i += width
                continue
            node = body[i]
            if isinstance(node, list):
                _merge(out, self.body(node, visiting))
            elif node.kind == "s":
                self._literal(node.text, body, i, out)
            else:
                name = node.text.removeprefix("'").lower()
                if name in self.functions and name not in visiting:
                    found = self.called.get(name)
                    if found is None:
                        found = self.body(self.functions[name], visiting | {name})
                        self.called[name] = found
                    _merge(out, found)
            i += 1
        return out

    def _field_test(
        self, body: list[Node], i: int
    ) -> tuple[str, bool, list[Node], list[Node], int] | None:
        """``FIELD [duplicate$] empty$|missing$ [not] {A} {B} if$`` at ``i``: the
        field, whether ``A`` runs when it is given, the branches, the tokens used."""
        node = body[i]
        if not isinstance(node, Tok) or node.kind != "w" or node.text.lower() not in self.fields:
            return None
        j = i + 1
        if j < len(body) and _is_word(body[j], "duplicate$"):
            j += 1
        if j >= len(body) or not (_is_word(body[j], "empty$") or _is_word(body[j], "missing$")):
            return None
        j += 1
        negated = j < len(body) and _is_word(body[j], "not")
        if negated:
            j += 1
        if j + 2 >= len(body) or not _is_word(body[j + 2], "if$"):
            return None
        then, otherwise = _branch(body[j]), _branch(body[j + 1])
        if then is None or otherwise is None:
            return None
        return node.text.lower(), negated, then, otherwise, j + 3 - i

    def _conditional(
        self, name: str, absent: list[Node], present: list[Node], visiting: frozenset[str]
    ) -> list[Requirement]:
        """What ``name empty$ {absent} {present} if$`` requires: a warning in both
        branches always; one only where the field is empty, unless the field is
        given (the field becomes an alternative); one only where it is given, never
        (it depends on the field being there)."""
        when_absent = self.body(absent, visiting)
        when_present = self.body(present, visiting)
        out: list[Requirement] = []
        for req in when_absent:
            if req in when_present or name in req:
                out.append(req)
            else:
                out.append((*req, name))
        return out

    def _literal(self, text: str, body: list[Node], i: int, out: list[Requirement]) -> None:
        after = body[i + 1] if i + 1 < len(body) else None
        after2 = body[i + 2] if i + 2 < len(body) else None
        req: Requirement | None = None
        if isinstance(after, Tok) and after.kind == "w" and after.text.lower() in self.warners:
            req = label_requirement(text)
        elif (m := _LITERAL_WARNING.fullmatch(text)) is not None:
            req = label_requirement(m.group(1).replace(" or ", " and "))
        elif (
            after2 is not None
            and _is_word(after2, "either.or.check")
            and " and " in text
            and text.lower() not in self.pairs
        ):
            self.pairs.append(text.lower())
        if req and req not in out:
            out.append(req)


@dataclass(frozen=True)
class BstReading:
    """What a .bst file says, as :func:`read_bst` finds it (names lower-case)."""

    types: frozenset[str]
    fields: frozenset[str]
    required: dict[str, tuple[Requirement, ...]]
    crossref_skips: dict[str, frozenset[str]]
    either_or: frozenset[str]


def read_bst(text: str) -> BstReading:
    """Read a .bst text (see the module's docstring for what is read, and how)."""
    top = bst_parse(text)
    fields: set[str] = set()
    functions: dict[str, list[Node]] = {}
    commanded: set[str] = set()
    for i, node in enumerate(top):
        nxt = top[i + 1] if i + 1 < len(top) else None
        if _is_word(node, "ENTRY") and isinstance(nxt, list):
            fields.update(word.lower() for word in _words(nxt))
        elif _is_word(node, "FUNCTION") and i + 2 < len(top):
            head, body = top[i + 1], top[i + 2]
            if isinstance(head, list) and isinstance(body, list) and _words(head):
                functions[_words(head)[0].lower()] = body
        elif isinstance(node, Tok) and node.text in _COMMANDS and isinstance(nxt, list):
            commanded.update(word.lower() for word in _words(nxt))

    def type_like(name: str) -> bool:
        return "." not in name and "$" not in name and name != "default.type"

    called: set[str] = set()
    aliases: dict[str, str] = {}
    for name, body in functions.items():
        if name == "default.type":
            continue
        only = body[0] if len(body) == 1 else None
        if (
            isinstance(only, Tok)
            and only.kind == "w"
            and type_like(name)
            and type_like(only.text.lower())
            and only.text.lower() in functions
        ):
            aliases[name] = only.text.lower()  # FUNCTION {conference} { inproceedings }
            continue
        called.update(w.removeprefix("'").lower() for w in _all_text(body))

    finishing = _reaching(functions, "fin.entry")
    types = {
        name
        for name in functions
        if type_like(name)
        and name not in commanded
        and name not in aliases
        and (name not in called or name in finishing)
    }
    types |= {alias for alias, target in aliases.items() if target in types and type_like(alias)}

    warners = frozenset(name for name, body in functions.items() if _is_warner(body))
    required: dict[str, tuple[Requirement, ...]] = {}
    skips: dict[str, frozenset[str]] = {}
    pairs: list[str] = []
    known = frozenset(fields | {"crossref"})
    for name in sorted(types):
        alone = _Walk(functions, warners, known, False, pairs).body(functions[name], frozenset())
        crossed = _Walk(functions, warners, known, True, []).body(functions[name], frozenset())
        required[name] = tuple(alone)
        skipped = {f for req in alone if req not in crossed for f in req}
        if skipped:
            skips[name] = frozenset(skipped)
    return BstReading(
        types=frozenset(types),
        fields=frozenset(fields | {"crossref"}),
        required=required,
        crossref_skips=skips,
        either_or=frozenset(pairs),
    )


def _reaching(functions: Mapping[str, list[Node]], target: str) -> frozenset[str]:
    """The functions that call ``target``, directly or through others."""
    calls = {
        name: {w.removeprefix("'").lower() for w in _all_text(body)}
        for name, body in functions.items()
    }
    found: set[str] = set()
    frontier = {target}
    while frontier:
        frontier = {n for n, called in calls.items() if n not in found and called & frontier}
        found |= frontier
    return frozenset(found)


def _all_text(body: list[Node]) -> Iterable[str]:
    return (t.text for t in _all_tokens(body) if t.kind == "w")


# ------------------------------------------------------------------------------------------
# Styles as the rules use them
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BibtexStyle:
    """What the rules of the bibtex dialect know: the entry types, the fields, what
    each type requires (and what it does not check with a ``crossref``) and the
    ``either.or.check`` pairs. Equal when ``key`` is: the style file's path and
    modification, and the names added by hand."""

    name: str  # how messages name it: "plain.bst", "IEEEtran.bst"
    types: frozenset[str]
    fields: frozenset[str]
    required: Mapping[str, tuple[Requirement, ...]]
    crossref_skips: Mapping[str, frozenset[str]]
    either_or: frozenset[str]
    key: str
    path: Path | None = None  # the .bst file read; None for the built-in PLAIN

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BibtexStyle) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def is_default(self) -> bool:
        return self.key == PLAIN.key

    def with_extras(self, types: Iterable[str] = (), fields: Iterable[str] = ()) -> BibtexStyle:
        """This style with more types and fields declared by hand (an added type
        requires nothing)."""
        more_types = frozenset(t.strip().lower() for t in types if t.strip()) - self.types
        more_fields = frozenset(f.strip().lower() for f in fields if f.strip()) - self.fields
        if not more_types and not more_fields:
            return self
        extra = f"+types={','.join(sorted(more_types))}+fields={','.join(sorted(more_fields))}"
        return BibtexStyle(
            self.name,
            self.types | more_types,
            self.fields | more_fields,
            self.required,
            self.crossref_skips,
            self.either_or,
            self.key + extra,
            self.path,
        )


PLAIN = BibtexStyle(
    name="plain.bst",
    types=BIBTEX_TYPES | COMMON_BIBTEX_EXTRA_TYPES,
    fields=BIBTEX_FIELDS | COMMON_BIBTEX_EXTRA_FIELDS,
    required=BIBTEX_REQUIRED,
    # plain.bst: with a `crossref` field, these checks sit in the branch it skips (the
    # entry is printed as "In \cite{parent}" instead).
    crossref_skips={
        "article": frozenset({"journal", "year"}),
        "book": frozenset({"publisher"}),
        "inbook": frozenset({"publisher"}),
        "incollection": frozenset({"booktitle", "publisher", "year"}),
        "inproceedings": frozenset({"booktitle", "year"}),
        "conference": frozenset({"booktitle", "year"}),
    },
    either_or=frozenset({"author and editor", "volume and number"}),
    key="plain",
)
"""The default: plain.bst's tables, plus the types (``@patent``, ``@software``...) and
fields (``doi``, ``url``...) that BibTeX files commonly carry (plain.bst prints such
types as ``@misc`` and ignores such fields)."""


class BstError(Exception):
    """A style that cannot be found or read; the message says which and why."""


_READ_CACHE: dict[str, tuple[tuple[int, int], BibtexStyle]] = {}


def style_from_file(path: Path) -> BibtexStyle:
    """The style a .bst file defines, read once per version of the file (path,
    modification time, size). Its types are exactly the style's; its fields the
    style's plus the common extras that no style needs (``doi``, ``url``...)."""
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _READ_CACHE.get(str(path))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        data = path.read_bytes()
    except OSError as error:
        raise BstError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        reading = read_bst(data.decode("latin-1"))
    except RecursionError:
        raise BstError(f"{path} nests its braces too deeply to be read") from None
    if not reading.types:
        raise BstError(f"{path} defines no entry types: is it a BibTeX style?")
    style = BibtexStyle(
        name=path.name,
        types=reading.types,
        fields=reading.fields | COMMON_BIBTEX_EXTRA_FIELDS,
        required=reading.required,
        crossref_skips=reading.crossref_skips,
        either_or=reading.either_or,
        key=f"{path}@{stamp[0]}:{stamp[1]}",
        path=path,
    )
    _READ_CACHE[str(path)] = (stamp, style)
    return style


def kpsewhich(name: str, cwd: Path | None = None) -> Path | None:
    """The path ``kpsewhich`` gives for a TeX file name, or None (not found, or no
    ``kpsewhich``)."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            [exe, name], capture_output=True, text=True, check=False, cwd=cwd, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = proc.stdout.strip()
    if proc.returncode != 0 or not found:
        return None
    path = Path(found)
    return path if path.is_absolute() or cwd is None else cwd / path


def resolve_style(spec: str, base: Path | None = None) -> Path:
    """The .bst file a style setting names: a path (``~`` expanded; a relative one
    resolved against ``base``, else the current folder), or a style name (``IEEEtran``
    or ``IEEEtran.bst``) looked up in ``base`` and then with ``kpsewhich``, as BibTeX
    finds it. Raises :class:`BstError` saying what was tried."""
    spec = spec.strip()
    if not spec:
        raise BstError("no style named")
    folder = base if base is not None else Path.cwd()
    is_path = os.sep in spec or "/" in spec or spec.startswith("~")
    if is_path:
        path = Path(spec).expanduser()
        path = path if path.is_absolute() else folder / path
        if not path.is_file():
            raise BstError(f"no style file {path}")
        return path
    name = spec if spec.lower().endswith(".bst") else spec + ".bst"
    local = folder / name
    if local.is_file():
        return local
    looked_up = (name, str(base))
    asked = looked_up in _LOOKED_UP
    found = _LOOKED_UP.get(looked_up)
    if not asked or (found is not None and not found.is_file()):
        if shutil.which("kpsewhich") is None:
            raise BstError(
                f"cannot look up {name}: kpsewhich (TeX Live) is not installed; "
                "give the style's path instead"
            )
        found = _LOOKED_UP[looked_up] = kpsewhich(name, base)
    if found is None:
        raise BstError(f"kpsewhich cannot find {name}")
    return found


# What kpsewhich answered, by (name, base folder): it is asked once (a process each
# time), or again when the file it gave is gone; ``forget_lookups`` starts afresh.
_LOOKED_UP: dict[tuple[str, str], Path | None] = {}


def forget_lookups() -> None:
    """Ask kpsewhich again (after the user changed the style setting: the style may
    have been installed since)."""
    _LOOKED_UP.clear()


def load_bibtex_style(
    spec: str | None,
    base: Path | None = None,
    extra_types: Iterable[str] = (),
    extra_fields: Iterable[str] = (),
) -> tuple[BibtexStyle, str | None]:
    """The style a setting names (None or empty: :data:`PLAIN`) with the types and
    fields declared by hand, and None; or, when the style cannot be found or read,
    :data:`PLAIN` with them and a message saying why and that plain.bst is used."""
    extra_types, extra_fields = tuple(extra_types), tuple(extra_fields)
    if not spec or not spec.strip():
        return PLAIN.with_extras(extra_types, extra_fields), None
    try:
        style = style_from_file(resolve_style(spec, base))
    except BstError as error:
        message = f"BibTeX style {spec!r}: {error}; using plain.bst"
        return PLAIN.with_extras(extra_types, extra_fields), message
    return style.with_extras(extra_types, extra_fields), None
