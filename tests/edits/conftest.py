"""The end-to-end fixtures (a real server process per test) of ``tests/lsp``."""

from tests.lsp.conftest import client, session

__all__ = ["client", "session"]
