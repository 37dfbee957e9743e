"""`bib-lsp` as a server started by hand: in a terminal it says what it is, and a
TCP client that drops its connection ends it without a traceback (real processes;
the terminal is a pseudo-terminal)."""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time

import pytest

from bib_lsp.cli import WAITING


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    data = b""
    deadline = time.monotonic() + seconds
    while wanted not in data and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    return data


@pytest.mark.skipif(sys.platform == "win32", reason="no pseudo-terminals")
def test_in_a_terminal_it_says_it_waits_for_a_client_then_serves() -> None:
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bib_lsp"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    try:
        assert proc.stderr is not None
        said = _read_until(proc.stderr.fileno(), b"\n", 30)
        assert said.decode() == WAITING + "\n"
        assert "--help" in WAITING
        assert proc.poll() is None  # still serving, waiting for input
        os.write(master, b"\x04")  # Ctrl-D: the end of the input
        assert proc.wait(timeout=30) == 1  # ended without `shutdown`, as LSP says
        assert proc.stdout is not None and proc.stdout.read() == b""
        assert proc.stderr.read() == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_not_in_a_terminal_it_says_nothing() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bib_lsp"],
        input=b"",
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, b"", b"")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **payload}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("how", ["reset", "half-message", "close", "exit"])
def test_a_tcp_client_that_drops_the_connection_ends_the_server_quietly(how: str) -> None:
    """However the client leaves, the server ends without a word; its status is 1
    unless `shutdown` came first (as over stdio)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bib_lsp", "serve", "--tcp", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the server did not listen"
                time.sleep(0.1)
        initialize = {"processId": None, "rootUri": None, "capabilities": {}}
        client.sendall(_message({"id": 1, "method": "initialize", "params": initialize}))
        assert b"Content-Length" in client.recv(64)  # answered; the rest left unread
        if how == "half-message":
            client.sendall(b"Content-Length: 100\r\n\r\n{")
        if how == "exit":
            client.sendall(_message({"id": 2, "method": "shutdown"}))
            client.sendall(_message({"method": "exit"}))
        if how == "reset":  # SO_LINGER with a zero timeout: close sends a RST
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        client.close()
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == (0 if how == "exit" else 1)
        assert b"Traceback" not in err
        assert err == b""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
