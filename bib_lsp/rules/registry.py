"""The rule registry: each rule registers itself with a stable code, a default
severity and its documentation, written as its docstring in fixed sections."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from bib_lsp.rules.context import Context, DocumentContext
from bib_lsp.syntax.codes import NOT_UTF8, SYNTAX_CODES, CodeDoc
from bib_lsp.syntax.tree import Problem, Severity
from bib_lsp.syntax.views import Entry

EntryCheck = Callable[[Entry, Context], Iterable[Problem]]
DocumentCheck = Callable[[DocumentContext], Iterable[Problem]]
F = TypeVar("F", bound=Callable[..., Iterable[Problem]])
D = TypeVar("D", bound=Callable[..., object])

_SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix")


@dataclass
class Rule:
    """A rule: its documentation and its checks. ``entry_check(entry, context)`` sees
    one entry (its view relative to its block) and whatever it asks the ``Context``
    (the dialect, other entries by key); its findings are cached until the entry or
    an answer it got changes. ``document_check(context)`` sees the whole document
    (a ``DocumentContext``) and runs on every report (for findings about several
    entries at once)."""

    doc: CodeDoc
    entry_check: EntryCheck | None = None
    document_check: DocumentCheck | None = None

    @property
    def code(self) -> str:
        return self.doc.code


RULES: dict[str, Rule] = {}


@cache
def known_codes() -> frozenset[str]:
    """Every code bib-lsp reports: the parser's, the rules' and `not-utf8`."""
    return frozenset(RULES) | {doc.code for doc in SYNTAX_CODES} | {NOT_UTF8}


def entry_rule(code: str, severity: Severity) -> Callable[[F], F]:
    """Register a rule that checks one entry at a time: ``check(entry, context)``."""

    def decorate(check: F) -> F:
        _new_rule(code, severity, check).entry_check = check
        return check

    return decorate


def document_rule(code: str, severity: Severity) -> Callable[[F], F]:
    """Register a rule that needs the whole document: ``check(context)``, given a
    ``DocumentContext``."""

    def decorate(check: F) -> F:
        _new_rule(code, severity, check).document_check = check
        return check

    return decorate


def documented(code: str, severity: Severity) -> Callable[[D], D]:
    """Register a code that the ``Checker`` itself reports (no check of its own),
    documented by the decorated function's docstring."""

    def decorate(check: D) -> D:
        _new_rule(code, severity, check)
        return check

    return decorate


def _new_rule(code: str, severity: Severity, check: Callable[..., object]) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code!r} registered twice")
    rule = RULES[code] = Rule(parse_doc(code, severity, check.__doc__ or ""))
    return rule


def parse_doc(code: str, severity: Severity, docstring: str) -> CodeDoc:
    """Split a rule's docstring into its four sections (headings ending in ``:``)."""
    text = inspect.cleandoc(docstring)
    pattern = "|".join(re.escape(s) for s in _SECTIONS)
    parts = re.split(rf"^({pattern}):\s*$", text, flags=re.MULTILINE)
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    missing = [s for s in _SECTIONS if not sections.get(s)]
    if missing:
        raise ValueError(f"rule {code}: docstring lacks the sections {missing}")
    example = sections["Example"]
    if example.startswith("```"):
        example = "\n".join(example.splitlines()[1:-1]) + "\n"

    def prose(s: str) -> str:
        return " ".join(s.split())

    return CodeDoc(
        code,
        severity,
        prose(sections["What it checks"]),
        prose(sections["Why it matters"]),
        example,
        prose(sections["How to fix"]),
    )
