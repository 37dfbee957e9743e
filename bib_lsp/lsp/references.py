"""`workspace/symbol`, `textDocument/references`, `prepareRename` and `rename` as
LSP data. The files that are not open (`.bib`, LaTeX and Markdown files of the
workspace folders) are found and read in a worker thread; open documents are
read from their live text on the event loop.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.uris import from_fs_path

from bib_lsp.document import Document
from bib_lsp.document.files import MAX_BYTES, find_files
from bib_lsp.features.references import (
    MARKDOWN_SUFFIXES,
    MAX_SCANNED,
    TEX_SUFFIXES,
    FileHits,
    NameKind,
    Occurrence,
    Target,
    document_occurrences,
    new_name_problem,
    scan_files,
    target_at,
)
from bib_lsp.features.workspace_symbols import find_symbols
from bib_lsp.lsp import convert
from bib_lsp.lsp.handlers import Features, guarded, on_document, on_document_async
from bib_lsp.lsp.workspace import WorkspaceFiles, uri_path
from bib_lsp.model.index import BibIndex
from bib_lsp.model.summaries import EntryDef
from bib_lsp.text import LineMapping, PositionEncoding, units_in

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

OpenDocuments = dict[str, tuple[Document, BibIndex]]
SUFFIXES = (".bib", *TEX_SUFFIXES, *MARKDOWN_SUFFIXES)


class Refused(JsonRpcException):
    """A rename that cannot be done (LSP's RequestFailed), with the reason."""

    CODE = -32803


# -- workspace/symbol ---------------------------------------------------------------------


def workspace_symbols(
    query: str, documents: OpenDocuments, files: WorkspaceFiles, encoding: PositionEncoding
) -> list[lsp.SymbolInformation]:
    skip = {p for p in map(uri_path, documents) if p}
    summaries = [s for p, s in sorted(files.workspace.files.items()) if p not in skip]
    live = [(uri, doc, index) for uri, (doc, index) in documents.items()]
    out = []
    for hit in find_symbols(query, live, summaries):
        item = hit.item
        uri = hit.where if hit.open else (from_fs_path(hit.where) or hit.where)
        name = item.key if isinstance(item, EntryDef) else item.name
        column = units_in(item.lead, encoding)
        start = lsp.Position(item.line, column)
        end = lsp.Position(item.line, column + units_in(name, encoding))
        location = lsp.Location(uri, lsp.Range(start, end))
        if isinstance(item, EntryDef):
            container = item.title or f"@{item.type}"
            out.append(
                lsp.SymbolInformation(
                    location=location,
                    name=name,
                    kind=lsp.SymbolKind.Struct,
                    container_name=container,
                )
            )
        else:
            out.append(
                lsp.SymbolInformation(
                    location=location,
                    name=name,
                    kind=lsp.SymbolKind.Constant,
                    container_name="@string",
                )
            )
    return out


# -- references ---------------------------------------------------------------------------


@dataclass
class Found:
    """Every occurrence of a name: per open document (by URI) and per file on disk."""

    target: Target
    open: dict[str, list[Occurrence]]
    disk: list[FileHits]
    versions: dict[str, int]  # the open documents' versions when they were read


def stale(found: Found, documents: OpenDocuments) -> bool:
    """Whether an open document changed (or was closed) since ``found``."""
    return any(
        uri not in documents or documents[uri][0].version != version
        for uri, version in found.versions.items()
    )


def target(
    doc: Document, position: lsp.Position, encoding: PositionEncoding, exact: bool = False
) -> Target | None:
    """The name at ``position``; a key compared with case when ``exact`` (the
    document is read in the `biblatex` dialect)."""
    return target_at(doc, doc.offset(convert.from_position(position), encoding), exact)


async def find_all(
    found: Target,
    documents: OpenDocuments,
    folders: Sequence[str],
    max_bytes: int = MAX_BYTES,
    too_large: Callable[[list[str]], None] | None = None,
) -> Found:
    """The occurrences of the target in the open documents and in the folders'
    files that are not open (those larger than ``max_bytes`` skipped and passed
    to ``too_large``)."""
    opened = {}
    versions = {uri: doc.version for uri, (doc, _) in documents.items()}
    for uri, (doc, _) in documents.items():
        hits = document_occurrences(doc, found.kind, found.name, found.exact)
        if hits:
            opened[uri] = hits
    skip = frozenset(p for p in map(uri_path, documents) if p)
    loop = asyncio.get_running_loop()
    skipped: list[str] = []
    disk = await loop.run_in_executor(
        None, _scan, list(folders), skip, found.kind, found.name, max_bytes, skipped, found.exact
    )
    if skipped and too_large is not None:
        too_large(skipped)
    return Found(found, opened, disk, versions)


def _scan(
    folders: list[str],
    skip: frozenset[str],
    kind: NameKind,
    name: str,
    max_bytes: int = MAX_BYTES,
    too_large: list[str] | None = None,
    exact: bool = False,
) -> list[FileHits]:
    paths: list[str] = []
    suffixes = SUFFIXES if kind is NameKind.KEY else (".bib",)
    for folder in folders:
        paths += (
            p for p in find_files(folder, suffixes, MAX_SCANNED) if os.path.normcase(p) not in skip
        )
    paths = list(dict.fromkeys(paths))[:MAX_SCANNED]
    return scan_files(paths, kind, name, max_bytes, too_large, exact)


def _range(lines: LineMapping, o: Occurrence, encoding: PositionEncoding) -> lsp.Range:
    return convert.range_of(lines, o.start, o.end, encoding)


def locations(
    found: Found, documents: OpenDocuments, declaration: bool, encoding: PositionEncoding
) -> list[lsp.Location]:
    out = []
    for uri, hits in found.open.items():
        doc = documents[uri][0]
        out += [
            lsp.Location(uri, _range(doc, o, encoding))
            for o in hits
            if declaration or not o.declaration
        ]
    for file in found.disk:
        uri = from_fs_path(file.path) or file.path
        out += [
            lsp.Location(uri, _range(file.lines, o, encoding))
            for o in file.occurrences
            if declaration or not o.declaration
        ]
    return out


# -- rename -------------------------------------------------------------------------------


def prepare(
    doc: Document, position: lsp.Position, encoding: PositionEncoding
) -> lsp.PrepareRenamePlaceholder:
    found = target(doc, position, encoding)
    if found is None:
        raise Refused("bib-lsp: only an entry key or an @string macro can be renamed here")
    r = _range(doc, Occurrence(found.start, found.end), encoding)
    return lsp.PrepareRenamePlaceholder(r, found.name)


def check_rename(
    found: Target, new_name: str, documents: OpenDocuments, files: WorkspaceFiles
) -> None:
    """Raise ``Refused`` for a name BibTeX or biber reject, or one already taken:
    in any case, as BibTeX compares keys and macros, or for a key of a `biblatex`
    document (``found.exact``) as spelled, as biber compares keys."""
    problem = new_name_problem(found.kind, new_name)
    if problem is not None:
        raise Refused(f"bib-lsp: {problem}")
    new = new_name.lower()
    exact = found.exact and found.kind is NameKind.KEY
    if (new_name if exact else new) == (found.name if exact else found.name.lower()):
        return  # the same name (or, for BibTeX, a change of case only)
    skip = frozenset(p for p in map(uri_path, documents) if p)
    if exact:
        taken = any(
            index.entry_block(new_name, exact=True) is not None for _, index in documents.values()
        )
        if not taken:
            taken = files.workspace.entry(new_name, skip, exact=True) is not None
        if taken:
            raise Refused(f"bib-lsp: there is already an entry with the key `{new_name}`")
        return
    if found.kind is NameKind.KEY:
        taken = any(new in index.keys for _, index in documents.values())
        if not taken:
            taken = files.workspace.entry(new, skip) is not None
        what = "an entry with the key"
    else:
        taken = any(new in index.strings for _, index in documents.values())
        if not taken:
            taken = any(m.name.lower() == new for m in files.workspace.macros(new, skip))
        what = "an @string named"
    if taken:
        raise Refused(f"bib-lsp: there is already {what} `{new_name}` (case is ignored)")


def workspace_edit(
    found: Found,
    new_name: str,
    documents: OpenDocuments,
    encoding: PositionEncoding,
    document_changes: bool,
) -> lsp.WorkspaceEdit:
    per_uri: list[tuple[str, int | None, list[lsp.TextEdit]]] = []
    for uri, hits in found.open.items():
        doc = documents[uri][0]
        per_uri.append(
            (uri, doc.version, [lsp.TextEdit(_range(doc, o, encoding), new_name) for o in hits])
        )
    for file in found.disk:
        uri = from_fs_path(file.path) or file.path
        edits = [lsp.TextEdit(_range(file.lines, o, encoding), new_name) for o in file.occurrences]
        per_uri.append((uri, None, edits))
    if document_changes:
        changes: list[lsp.TextDocumentEdit] = [
            lsp.TextDocumentEdit(
                lsp.OptionalVersionedTextDocumentIdentifier(uri, version), list(edits)
            )
            for uri, version, edits in per_uri
        ]
        return lsp.WorkspaceEdit(document_changes=changes)
    return lsp.WorkspaceEdit(changes={uri: edits for uri, _, edits in per_uri})


def takes_document_changes(caps: lsp.ClientCapabilities) -> bool:
    edit = caps.workspace.workspace_edit if caps.workspace else None
    return bool(edit and edit.document_changes)


# -- handlers ------------------------------------------------------------------------
FEATURES = Features()


def _no_symbols() -> list[lsp.SymbolInformation]:
    return []


def _nothing() -> Any:
    return None


@FEATURES.feature(lsp.WORKSPACE_SYMBOL)
@guarded(_no_symbols)
def workspace_symbol(
    ls: BibLanguageServer, params: lsp.WorkspaceSymbolParams
) -> list[lsp.SymbolInformation]:
    return workspace_symbols(params.query, ls.open_documents(), ls.files, ls.encoding)


def _exact(ls: BibLanguageServer, document: OpenDocument) -> bool:
    """Whether keys are compared with case: in a document read in the `biblatex`
    dialect, as biber compares them."""
    return ls.checker(document).dialect == "biblatex"


@FEATURES.feature(lsp.TEXT_DOCUMENT_REFERENCES)
@on_document_async(_nothing)
async def find_references(
    ls: BibLanguageServer, params: lsp.ReferenceParams, document: OpenDocument
) -> list[lsp.Location] | None:
    found = target(document.doc, params.position, ls.encoding, _exact(ls, document))
    if not found:
        return None
    documents = ls.open_documents()
    files = ls.files
    everywhere = await find_all(found, documents, files.folders, files.max_bytes, files.too_large)
    declaration = params.context.include_declaration
    return locations(everywhere, documents, declaration, ls.encoding)


@FEATURES.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
@on_document(_nothing)
def prepare_rename(
    ls: BibLanguageServer, params: lsp.PrepareRenameParams, document: OpenDocument
) -> lsp.PrepareRenamePlaceholder | None:
    return prepare(document.doc, params.position, ls.encoding)


@FEATURES.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
@on_document_async(_nothing)
async def rename(
    ls: BibLanguageServer, params: lsp.RenameParams, document: OpenDocument
) -> lsp.WorkspaceEdit | None:
    found = target(document.doc, params.position, ls.encoding, _exact(ls, document))
    if found is None:
        raise Refused("bib-lsp: only an entry key or an @string macro can be renamed")
    documents = ls.open_documents()
    files = ls.files
    check_rename(found, params.new_name, documents, files)
    everywhere = await find_all(found, documents, files.folders, files.max_bytes, files.too_large)
    if stale(everywhere, ls.open_documents()):
        raise Refused("bib-lsp: a document changed while renaming; try again")
    unseen = unsearched(document.uri, files)
    if unseen:
        ls.warn(f"bib-lsp: `{found.name}` renamed in the open documents only: {unseen}")
    document_changes = takes_document_changes(ls.client_capabilities)
    return workspace_edit(everywhere, params.new_name, documents, ls.encoding, document_changes)


def unsearched(uri: str, files: WorkspaceFiles) -> str | None:
    """Why the files beside the document ``uri`` (its citations in LaTeX and
    Markdown) were not searched, or None when they were: a rename that changes
    only the `.bib` would leave the citations stale without a word."""
    if not files.folders:
        return (
            "the client gave no workspace folder (no project root), so no other file was "
            "searched; open the project's folder, or give the client a root"
        )
    path = uri_path(uri)
    folders = [f.rstrip(os.sep) + os.sep for f in files.folders]
    if path is not None and not any(path.startswith(f) for f in folders):
        return (
            f"{path} is outside the workspace folders, so the files beside it were not "
            "searched; add its folder to the workspace"
        )
    return None
