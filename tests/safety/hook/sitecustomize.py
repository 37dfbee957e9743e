"""Loaded by the server process of tests/safety (this folder is put first on its
PYTHONPATH): records, as JSON lines in the file named by BIB_LSP_AUDIT_LOG, every
audit event of the kinds the safety tests watch (network, programs, code, files),
with what the test needs to judge it. Records only: the test decides."""

from __future__ import annotations

import json
import os
import sys

_LOG = os.environ.get("BIB_LSP_AUDIT_LOG")
NETWORK = {
    "socket.connect",
    "socket.bind",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
}
PROGRAMS = {"subprocess.Popen", "os.system", "os.posix_spawn", "os.fork", "os.forkpty", "pty.spawn"}
FILES = {
    "os.remove",
    "os.rename",
    "os.rmdir",
    "os.mkdir",
    "os.symlink",
    "os.link",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "os.utime",
}


def _text(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, str | int | float | type(None)):
        return value
    return repr(value)


def _caller() -> str:
    """The file of the Python code that made the audited call (the frame under
    ``hook`` and ``_caller``)."""
    try:
        return sys._getframe(2).f_code.co_filename
    except ValueError:
        return ""


def _install(path: str) -> None:
    # Opened before the hook is installed (not seen), kept for the process's life.
    out = open(path, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    busy = False

    def write(record: dict[str, object]) -> None:
        out.write(json.dumps(record) + "\n")

    def hook(event: str, args: tuple[object, ...]) -> None:
        nonlocal busy
        if busy:
            return
        busy = True
        try:
            watched = event in NETWORK or event in PROGRAMS or event in FILES
            if watched or event.startswith(("os.exec", "os.spawn", "shutil.")):
                write({"event": event, "args": [_text(a) for a in args]})
            elif event == "open":
                name, mode, flags = args
                write({"event": event, "path": _text(name), "mode": _text(mode), "flags": flags})
            elif event == "compile":
                source, filename = args[0], args[1]
                text = _text(source) if isinstance(source, str | bytes) else repr(source)
                generated = not str(_text(filename)).endswith(".py")
                write(
                    {
                        "event": event,
                        "filename": _text(filename),
                        "caller": _caller(),
                        "source": text if generated else "",
                    }
                )
            elif event == "exec":
                code = args[0]
                filename = getattr(code, "co_filename", repr(code))
                write({"event": event, "filename": filename, "caller": _caller()})
        finally:
            busy = False

    sys.addaudithook(hook)


if _LOG:
    _install(_LOG)
