"""Every pygls name ``bib_lsp.lsp.protocol`` relies on beyond pygls's documented API
(``PYGLS_PRIVATE``) still exists on the installed pygls, as the kind it is used as:
a pygls upgrade that moves one fails here, by name."""

from __future__ import annotations

import inspect
import logging

import pygls.io_
import pygls.server
import pytest
from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from bib_lsp.lsp.protocol import (
    ATTRIBUTE,
    LSP_METHOD_ATTRIBUTE,
    METHOD,
    PROPERTY,
    PYGLS_PRIVATE,
    READING_FAILURE,
    READING_LOGGER,
    BibProtocol,
    HardenedServer,
)


def pygls_instance(owner: type) -> object:
    """An instance of ``owner`` as pygls itself makes it (no class of ours)."""
    server = LanguageServer("probe", "0")
    if owner is LanguageServer:
        return server
    if owner is LanguageServerProtocol:
        return server.protocol
    return server.protocol.fm  # FeatureManager


@pytest.mark.parametrize(
    ("owner", "name", "kind"),
    PYGLS_PRIVATE,
    ids=[f"{owner.__name__}.{name}" for owner, name, _ in PYGLS_PRIVATE],
)
def test_pygls_still_has(owner: type, name: str, kind: str) -> None:
    if kind == METHOD:
        found = inspect.getattr_static(owner, name, None)
        assert inspect.isfunction(found), f"pygls: {owner.__name__}.{name} is no method"
    elif kind == PROPERTY:
        found = inspect.getattr_static(owner, name, None)
        assert isinstance(found, property), f"pygls: {owner.__name__}.{name} is no property"
    else:
        assert kind == ATTRIBUTE
        instance = pygls_instance(owner)
        assert name in vars(instance), f"pygls: {owner.__name__}() sets no {name}"


def test_every_override_of_a_pygls_private_method_is_listed() -> None:
    """A method of ours that replaces a pygls one whose name starts with ``_`` is in
    the table (so that the test above watches it)."""
    listed = {(owner, name) for owner, name, _ in PYGLS_PRIVATE}
    for ours, theirs in ((BibProtocol, LanguageServerProtocol), (HardenedServer, LanguageServer)):
        for name in vars(ours):
            if name.startswith("_") and not name.startswith("__") and hasattr(theirs, name):
                assert (theirs, name) in listed, f"{ours.__name__}.{name} is not listed"


def test_builtin_handlers_are_found_by_lsp_methods_attribute() -> None:
    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def handler() -> None: ...

    assert getattr(handler, LSP_METHOD_ATTRIBUTE) == lsp.TEXT_DOCUMENT_DID_OPEN
    # ours replace pygls's under the same method (not beside it)
    for name in (f"lsp_text_document__did_{what}" for what in ("open", "change", "close")):
        theirs = getattr(LanguageServerProtocol, name)
        assert getattr(theirs, LSP_METHOD_ATTRIBUTE) == getattr(
            getattr(BibProtocol, name), LSP_METHOD_ATTRIBUTE
        )


def test_the_reading_loop_logs_what_it_cannot_handle_where_the_filter_looks() -> None:
    assert f'"{READING_FAILURE}"' in inspect.getsource(pygls.io_)
    assert pygls.server.logger is logging.getLogger(READING_LOGGER)
    assert "error_handler=self.report_server_error" in inspect.getsource(pygls.server)
