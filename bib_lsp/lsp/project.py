"""The project file in the server: each document's (the nearest `bib-lsp.toml`, or
`pyproject.toml` with `[tool.bib-lsp]`, above it, not above its workspace folder),
read again when it changes, over the editor's settings (``rule_options``,
``format_options``); the macros other files read together with a document define
(``sync_macros``); and the quick fix that reads a file together with this one.

A project file's bad values are told as window messages, once per reading, and
left out (the editor's settings apply). A project file's stamp is looked at on
every use and a folder's project file looked for again after
``LOOK_AGAIN_SECONDS``, so an edit or a new file counts at a later report even
without the client's file watcher; with one, every document is reported again at
once.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from bib_lsp.document.files import stamp
from bib_lsp.formatting.options import FormatOptions
from bib_lsp.lsp.workspace import uri_path
from bib_lsp.model.bst import load_bibtex_style
from bib_lsp.project import (
    NO_PROJECT,
    Project,
    add_together,
    find_project,
    macro_sources,
    normalise,
    read_project,
    together_set,
)
from bib_lsp.rules import RuleOptions
from bib_lsp.rules.context import MacroSource
from bib_lsp.rules.strings import UNDEFINED
from bib_lsp.text import LineIndex

if TYPE_CHECKING:
    from collections.abc import Callable

    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

Stamp = tuple[int, int] | None
# A project file created in a folder is found within this time without a watcher.
LOOK_AGAIN_SECONDS = 2.0
NEW_PROJECT_FILE = "bib-lsp.toml"


class ProjectFiles:
    """The project files of the open documents, each read once per change."""

    def __init__(self) -> None:
        self.version = 0  # bumped whenever a project file is read anew or forgotten
        self.tell: Callable[[str], None] = lambda message: None
        # folder -> its project file and when it was looked for
        self._where: dict[str, tuple[str | None, float]] = {}
        self._read: dict[str, tuple[Stamp, Project]] = {}
        self._macro_keys: dict[str, object] = {}  # per URI: what its macros were made from
        self.told: set[str] = set()  # styles that could not be read, told once

    def of(self, path: str, folders: list[str]) -> Project:
        """The project governing the file ``path`` (``NO_PROJECT``: none)."""
        folder = os.path.dirname(path)
        now = time.monotonic()
        looked = self._where.get(folder)
        if looked is None or now - looked[1] > LOOK_AGAIN_SECONDS:
            # Only files under the workspace folders are read: a document outside
            # them has its own folder's project file at most.
            stop = max((f for f in folders if _within(folder, f)), key=len, default=folder)
            found = find_project(folder, stop)
            looked = self._where[folder] = (normalise(found) if found else None, now)
        where = looked[0]
        if where is None:
            return NO_PROJECT
        when = stamp(where)
        known = self._read.get(where)
        if known is not None and known[0] == when:
            return known[1]
        project = read_project(where) if when is not None else NO_PROJECT
        self._read[where] = (when, project)
        self.version += 1
        for problem in project.problems:
            self.tell(f"bib-lsp: {problem}")
        return project

    def forget(self) -> None:
        """Look for every project file again (one was created, changed or deleted)."""
        self._where.clear()
        self._read.clear()
        self._macro_keys.clear()
        self.told.clear()
        self.version += 1


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _path(uri: str) -> str | None:
    return uri_path(uri)


def project_of(ls: BibLanguageServer, uri: str) -> Project:
    path = _path(uri)
    return ls.projects.of(path, ls.files.folders) if path else NO_PROJECT


def rule_options(ls: BibLanguageServer, uri: str) -> RuleOptions:
    """The document's rule options: its project's `[check]` over the editor's (the
    project's `style` too, found from the project file's folder, with the editor's
    extra types and fields)."""
    project = project_of(ls, uri)
    options = project.rule_options(ls.rule_options)
    spec = project.check.style
    if spec is None or project.path is None:
        return options
    chosen = ls.settings.bibtex
    folder = Path(project.path).parent
    style, trouble = load_bibtex_style(spec, folder, chosen.extra_types, chosen.extra_fields)
    if trouble is not None and trouble not in ls.projects.told:
        ls.projects.told.add(trouble)
        ls.warn(f"bib-lsp: {project.path}: {trouble}")
    return replace(options, style=style)


def format_options(ls: BibLanguageServer, uri: str) -> FormatOptions:
    """The document's format options: its project's `[format]` over the editor's."""
    return project_of(ls, uri).format_options(ls.settings.format)


def _editor_sets(ls: BibLanguageServer, path: str) -> list[tuple[str, ...]]:
    """``bibLsp.together``, relative paths taken from the document's workspace folder."""
    folders = [f for f in ls.files.folders if _within(path, f)] or ls.files.folders
    base = max(folders, key=len, default=os.path.dirname(path))
    return [
        tuple(normalise(os.path.join(base, v)) for v in group) for group in ls.settings.together
    ]


def group_of(ls: BibLanguageServer, uri: str) -> tuple[str, ...] | None:
    """The files the document is read with, in order (None: it is read alone)."""
    path = _path(uri)
    if path is None:
        return None
    project = project_of(ls, uri)
    return together_set(path, project.check.together) or together_set(path, _editor_sets(ls, path))


def sync_macros(ls: BibLanguageServer, document: OpenDocument) -> bool:
    """Hand the document's checker the macros other files define (the files read
    together with it, in order; then the workspace's other files, which only name
    where a macro is to be found). Returns whether they changed."""
    path = _path(document.uri)
    if path is None:
        return False
    group = group_of(ls, document.uri)
    open_paths = {_path(u): d for u, d in ls.documents.items()}
    versions = tuple(
        (p, open_paths[p].doc.version) for p in group or () if p != path and p in open_paths
    )
    key = (id(document.checker), group, ls.files.workspace.version, versions, ls.projects.version)
    if ls.projects._macro_keys.get(document.uri) == key:
        return False
    ls.projects._macro_keys[document.uri] = key
    sources: dict[str, MacroSource] = {}
    summaries = ls.files.workspace.files
    for other in sorted(summaries, reverse=True):  # the first file by path wins
        if other != path:
            for name in summaries[other].macros:
                sources[name] = MacroSource(other, before=False, together=False)
    if group:
        names: dict[str, list[str]] = {}
        for other in group:
            live = open_paths.get(other)
            if live is not None and other != path and live.checker.index.complete:
                names[other] = list(live.checker.index.strings)
            elif other in summaries:
                names[other] = list(summaries[other].macros)
        sources.update(macro_sources(path, group, names))
    changed = document.checker.use_macros_elsewhere(sources)
    if changed:
        document.report = None
    return changed


def project_file_changed(ls: BibLanguageServer) -> None:
    """A project file created, changed or deleted: every document is reported anew."""
    ls.projects.forget()
    ls.generation += 1
    ls.refresh_all()


def workspace_changed(ls: BibLanguageServer) -> None:
    """The workspace's summaries changed: documents whose macros from elsewhere
    changed are reported anew."""
    changed = [d for d in list(ls.documents.values()) if sync_macros(ls, d)]
    if not changed:
        return
    if ls.pull:
        if ls.can_refresh_diagnostics:
            ls.workspace_diagnostic_refresh(None)
        return
    for document in changed:
        ls.schedule(document.uri, 0)


# -- the quick fix: read the file that defines the macro together with this one --------


def together_actions(
    ls: BibLanguageServer, document: OpenDocument, params: lsp.CodeActionParams
) -> list[lsp.CodeAction]:
    """For an `undefined-macro` diagnostic whose macro a workspace file not read
    with this one defines: "Read FILE together with this one", an edit of the
    project file (made in the workspace folder when there is none, if the client
    can create files) adding the set [FILE, this file] to `[check] together`."""
    path = _path(document.uri)
    if path is None:
        return []
    out: list[lsp.CodeAction] = []
    offered: set[str] = set()
    group = group_of(ls, document.uri) or ()
    for diagnostic in params.context.diagnostics:
        data = diagnostic.data
        if diagnostic.code != UNDEFINED or not isinstance(data, dict):
            continue
        other = data.get("file")
        if not isinstance(other, str) or other in group or other in offered:
            continue
        offered.add(other)
        action = _together_action(ls, path, other, diagnostic)
        if action is not None:
            out.append(action)
    return out


def _together_action(
    ls: BibLanguageServer, path: str, other: str, diagnostic: lsp.Diagnostic
) -> lsp.CodeAction | None:
    project = project_of(ls, from_fs_path(path) or "")
    title = f"Read {os.path.basename(other)} together with this one"
    if project.path is not None:
        where = project.path
        try:
            with open(where, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            return None
        folder = os.path.dirname(where)
        edit = add_together(
            text, os.path.basename(where) == "pyproject.toml", _rel([other, path], folder)
        )
        if edit is None:
            return None
        start, end, new = edit
        lines = LineIndex(text)
        r = lines.range(start, end, ls.encoding)
        uri = from_fs_path(where) or where
        text_edit = lsp.TextEdit(lsp.Range(_pos(r.start), _pos(r.end)), new)
        change = lsp.WorkspaceEdit(changes={uri: [text_edit]})
        title += f" ({os.path.basename(where)})"
    else:
        if not _can_create(ls):
            return None
        folders = [f for f in ls.files.folders if _within(path, f)]
        folder = max(folders, key=len, default=os.path.dirname(path))
        where = os.path.join(folder, NEW_PROJECT_FILE)
        uri = from_fs_path(where) or where
        added = add_together("", False, _rel([other, path], folder))
        assert added is not None
        zero = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
        change = lsp.WorkspaceEdit(
            document_changes=[
                lsp.CreateFile(uri=uri, options=lsp.CreateFileOptions(ignore_if_exists=True)),
                lsp.TextDocumentEdit(
                    lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                    [lsp.TextEdit(zero, added[2])],
                ),
            ]
        )
        title += f" (new {NEW_PROJECT_FILE})"
    return lsp.CodeAction(
        title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic], edit=change
    )


def _pos(p: object) -> lsp.Position:
    return lsp.Position(p.line, p.character)  # type: ignore[attr-defined]


def _rel(paths: list[str], folder: str) -> list[str]:
    return [os.path.relpath(p, folder).replace(os.sep, "/") for p in paths]


def _can_create(ls: BibLanguageServer) -> bool:
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace else None
    operations = (edit.resource_operations or []) if edit else []
    return bool(edit and edit.document_changes and lsp.ResourceOperationKind.Create in operations)


__all__ = [
    "ProjectFiles",
    "format_options",
    "project_file_changed",
    "rule_options",
    "sync_macros",
    "together_actions",
    "workspace_changed",
]
