"""The server asks for 1 MiB pipe buffers on Linux (see ``bib_lsp.lsp.pipes``)."""

from __future__ import annotations

import os
import sys
import tempfile

import pytest

from bib_lsp.lsp.pipes import WANTED, widen

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@linux
def test_a_pipe_gets_the_larger_buffer() -> None:
    read, write = os.pipe()
    try:
        assert widen(write) == WANTED
        # It is the pipe's buffer, seen from both ends: 1 MiB goes in unread.
        os.set_blocking(write, False)
        assert os.write(write, b"x" * WANTED) == WANTED
        assert widen(read) == WANTED
    finally:
        os.close(read)
        os.close(write)


def test_other_files_are_left_alone() -> None:
    with tempfile.TemporaryFile() as f:
        assert widen(f.fileno()) is None
    assert widen(10_000) is None  # not open: no error
