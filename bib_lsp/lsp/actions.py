"""Code actions: a quick fix per fixable diagnostic, and ``source.fixAll.bib-lsp``
for every safe fix at once. The fixes themselves live in ``bib_lsp.features.fixes``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from bib_lsp.document import Document
from bib_lsp.features.fixes import Finding, fix_all, fixes_for, lower_case
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
    params: lsp.CodeActionParams, doc: Document, checker: Checker, encoding: PositionEncoding
) -> list[lsp.CodeAction]:
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
            for fix in fixes_for(finding, doc, checker.index, current):
                out.append(
                    lsp.CodeAction(
                        title=fix.title,
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=fix.preferred or None,
                        edit=_workspace_edit(uri, fix.edits, doc, encoding),
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
    actions = code_actions(params, document.doc, ls.checker(document), ls.encoding)
    return actions + together_actions(ls, document, params)
