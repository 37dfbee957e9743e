"""Code actions: the quick fixes of each diagnostic, then "Ignore `code` in this
entry" and "... in this file" for every one, and ``source.fixAll.bib-lsp`` for every
safe fix at once. The fixes themselves live in ``bib_lsp.features.fixes``. A fix that
leaves a value to fill puts the cursor there (a snippet edit) when the client says
it takes snippet edits (LSP 3.18), else it is a plain edit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.fixes import Finding, Fix, fix_all, fixes_for, lower_case
from bib_lsp.features.fixes.ignore import ignore_fixes
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, on_document
from bib_lsp.lsp.project import together_actions
from bib_lsp.rules import Checker
from bib_lsp.syntax.tree import Problem
from bib_lsp.text import PositionEncoding
from bib_lsp.text.edits import Edit

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

FIX_ALL = "source.fixAll.bib-lsp"
KINDS = [
    lsp.CodeActionKind.QuickFix,
    lsp.CodeActionKind.RefactorRewrite,
    lsp.CodeActionKind.SourceFixAll,
    FIX_ALL,
]


def code_actions(
    params: lsp.CodeActionParams,
    doc: Document,
    checker: Checker,
    encoding: PositionEncoding,
    snippets: bool = False,
) -> list[lsp.CodeAction]:
    """``snippets``: the client takes snippet edits in a workspace edit."""
    uri = params.text_document.uri
    only = params.context.only
    wanted = {str(kind) for kind in only} if only else None
    out: list[lsp.CodeAction] = []
    if wanted is None or any(_covers(kind, lsp.CodeActionKind.QuickFix) for kind in wanted):
        current = [Finding(p.code, p.start, p.end, p.data) for p in checker.diagnose()]
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != convert.SOURCE or not isinstance(diagnostic.code, str):
                continue
            start, end = doc.offset_range(convert.from_range(diagnostic.range), encoding)
            finding = Finding(diagnostic.code, start, end, diagnostic.data)
            if finding not in current:
                continue  # a diagnostic of an older version: its place has moved on
            fixes = fixes_for(finding, doc, checker.index, current)
            for fix in fixes + ignore_fixes(finding, doc):
                out.append(
                    lsp.CodeAction(
                        title=fix.title,
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=fix.preferred or None,
                        edit=_fix_edit(uri, fix, doc, encoding, snippets),
                    )
                )
    rewrite = lsp.CodeActionKind.RefactorRewrite
    if wanted is None or any(_covers(kind, rewrite) for kind in wanted):
        at = doc.offset(convert.from_range(params.range).start, encoding)
        for fix in lower_case(doc, at):
            edit = _workspace_edit(uri, fix.edits, doc, encoding)
            out.append(lsp.CodeAction(title=fix.title, kind=rewrite, edit=edit))
    if wanted is not None and any(_covers(kind, FIX_ALL) for kind in wanted):
        options = checker.options

        def check(d: Document) -> list[Problem]:
            return checker.diagnose() if d is doc else Checker(d, options).diagnose()

        edits = fix_all(doc, check)
        if edits:
            title = "Fix all safely fixable problems (bib-lsp)"
            edit = _workspace_edit(uri, edits, doc, encoding)
            out.append(lsp.CodeAction(title=title, kind=FIX_ALL, edit=edit))
    return out


def _covers(asked: str, kind: str) -> bool:
    """Whether a requested kind (``source.fixAll``) covers ``kind`` (its prefix)."""
    return kind == asked or kind.startswith(asked + ".")


def _workspace_edit(
    uri: str, edits: tuple[Edit, ...] | list[Edit], doc: Document, encoding: PositionEncoding
) -> lsp.WorkspaceEdit:
    text_edits = []
    for edit in edits:
        r = convert.range_of(doc, edit.start, edit.end, encoding)
        text_edits.append(lsp.TextEdit(range=r, new_text=edit.text))
    return lsp.WorkspaceEdit(changes={uri: text_edits})


def _fix_edit(
    uri: str, fix: Fix, doc: Document, encoding: PositionEncoding, snippets: bool
) -> lsp.WorkspaceEdit:
    """The fix's edits; with the cursor placed (``$0``) when it names a place and the
    client takes snippet edits, which come only in ``documentChanges``."""
    if fix.cursor is None or not snippets:
        return _workspace_edit(uri, fix.edits, doc, encoding)
    *plain, last = fix.edits
    edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit | lsp.SnippetTextEdit] = [
        lsp.TextEdit(range=convert.range_of(doc, e.start, e.end, encoding), new_text=e.text)
        for e in plain
    ]
    cursor = min(fix.cursor, len(last.text))
    snippet = _escaped(last.text[:cursor]) + "$0" + _escaped(last.text[cursor:])
    edits.append(
        lsp.SnippetTextEdit(
            range=convert.range_of(doc, last.start, last.end, encoding),
            snippet=lsp.StringValue(value=snippet),
        )
    )
    document = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None)
    return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(document, edits)])


def _escaped(text: str) -> str:
    """Text as a snippet's literal text (``\\``, ``$`` and ``}`` escaped)."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def takes_snippet_edits(caps: lsp.ClientCapabilities) -> bool:
    """Whether the client applies snippet edits in workspace edits (which come in
    ``documentChanges``)."""
    edit = caps.workspace.workspace_edit if caps.workspace else None
    return bool(edit and edit.document_changes and edit.snippet_edit_support)


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_actions() -> list[lsp.CodeAction]:
    return []


@FEATURES.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=False),
)
@on_document(_no_actions)
def code_action(
    ls: BibLanguageServer, params: lsp.CodeActionParams, document: OpenDocument
) -> list[lsp.CodeAction]:
    snippets = takes_snippet_edits(ls.client_capabilities)
    actions = code_actions(params, document.doc, ls.checker(document), ls.encoding, snippets)
    return actions + together_actions(ls, document, params)
