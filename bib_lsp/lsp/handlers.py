"""How a request or notification handler is written: registered with its method
group's ``Features``, guarded against failure, and given its open document.

A handler is a top-level function ``(ls, params)``; one about a document is
written ``(ls, params, document)`` under ``on_document``, which answers the
method's empty result when that document is not open.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pygls.exceptions import JsonRpcException

if TYPE_CHECKING:
    from bib_lsp.lsp.documents import OpenDocument
    from bib_lsp.lsp.server import BibLanguageServer

P = TypeVar("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., Any])


class Features:
    """The LSP methods one module answers, with their options (advertised in
    `initialize`); ``create_server`` registers them on the server."""

    def __init__(self) -> None:
        self.handlers: list[tuple[str, Any, Callable[..., Any]]] = []

    def feature(self, method: str, options: Any = None) -> Callable[[F], F]:
        def register(handler: F) -> F:
            self.handlers.append((method, options, handler))
            return handler

        return register

    def register(self, server: BibLanguageServer) -> None:
        for method, options, handler in self.handlers:
            server.feature(method, options)(handler)


def guarded(
    empty: Callable[[], R], name: str | None = None
) -> Callable[[Callable[[BibLanguageServer, P], R]], Callable[[BibLanguageServer, P], R]]:
    """Log a failing handler's traceback to the client (as ``name``, the handler's
    by default) and answer ``empty()``: one bad request must not take the server
    down. A JsonRpcException is an answer meant for the client: it goes out."""

    def decorate(
        handler: Callable[[BibLanguageServer, P], R],
    ) -> Callable[[BibLanguageServer, P], R]:
        @functools.wraps(handler)
        def run(ls: BibLanguageServer, params: P) -> R:
            try:
                return handler(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                ls.log_failure(name or handler.__name__)
                return empty()

        return run

    return decorate


def guarded_async(
    empty: Callable[[], R], name: str | None = None
) -> Callable[
    [Callable[[BibLanguageServer, P], Awaitable[R]]],
    Callable[[BibLanguageServer, P], Awaitable[R]],
]:
    """``guarded`` for a coroutine handler."""

    def decorate(
        handler: Callable[[BibLanguageServer, P], Awaitable[R]],
    ) -> Callable[[BibLanguageServer, P], Awaitable[R]]:
        @functools.wraps(handler)
        async def run(ls: BibLanguageServer, params: P) -> R:
            try:
                return await handler(ls, params)
            except JsonRpcException:
                raise
            except Exception:
                ls.log_failure(name or handler.__name__)
                return empty()

        return run

    return decorate


def document_uri(params: Any) -> str:
    """The URI of the document a request is about (``textDocument.uri``)."""
    uri: str = params.text_document.uri
    return uri


def on_document(
    empty: Callable[[], R],
    uri_of: Callable[[Any], str] = document_uri,
    name: str | None = None,
) -> Callable[
    [Callable[[BibLanguageServer, P, OpenDocument], R]],
    Callable[[BibLanguageServer, P], R],
]:
    """A guarded handler (see ``guarded``) called with the open document its
    params name, or answering ``empty()`` when that document is not open."""

    def decorate(
        handler: Callable[[BibLanguageServer, P, OpenDocument], R],
    ) -> Callable[[BibLanguageServer, P], R]:
        def run(ls: BibLanguageServer, params: P) -> R:
            document = ls.documents.get(uri_of(params))
            return empty() if document is None else handler(ls, params, document)

        _named_after(run, handler)
        return guarded(empty, name)(run)

    return decorate


def on_document_async(
    empty: Callable[[], R],
    uri_of: Callable[[Any], str] = document_uri,
    name: str | None = None,
) -> Callable[
    [Callable[[BibLanguageServer, P, OpenDocument], Awaitable[R]]],
    Callable[[BibLanguageServer, P], Awaitable[R]],
]:
    """``on_document`` for a coroutine handler."""

    def decorate(
        handler: Callable[[BibLanguageServer, P, OpenDocument], Awaitable[R]],
    ) -> Callable[[BibLanguageServer, P], Awaitable[R]]:
        async def run(ls: BibLanguageServer, params: P) -> R:
            document = ls.documents.get(uri_of(params))
            return empty() if document is None else await handler(ls, params, document)

        _named_after(run, handler)
        return guarded_async(empty, name)(run)

    return decorate


def _named_after(run: Callable[..., Any], handler: Callable[..., Any]) -> None:
    """``run`` takes the handler's name and documentation, not its signature:
    pygls reads a handler's signature (its first parameter, ``ls``)."""
    for attribute in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(run, attribute, getattr(handler, attribute))
