"""Larger pipe buffers for the server's standard input and output.

A pipe holds 64 KiB on Linux by default. A large file's diagnostics are
megabytes of JSON on every change (100,000 entries: about 10 MB), and through a
64 KiB pipe the writer and the reader take turns some 230 times per message:
that turn-taking, not the server's work, was most of an edit's round trip
(14.6 MB through a 64 KiB pipe: 17.7 ms; through 1 MiB: 5.9 ms). The same holds
for a client sending a large ``didOpen``.
"""

from __future__ import annotations

import contextlib
import stat
import sys
from pathlib import Path

WANTED = 1 << 20  # 1 MiB: Linux's default ceiling for unprivileged processes
_F_SETPIPE_SZ = 1031  # from <linux/fcntl.h>; not in Python's fcntl before 3.10
_F_GETPIPE_SZ = 1032


def widen(fd: int, wanted: int = WANTED) -> int | None:
    """Ask for a ``wanted``-byte buffer on ``fd`` if it is a pipe (Linux only), no
    more than the system allows; the pipe's buffer size after, or None when ``fd``
    is not a pipe or the system has no such setting. Never raises."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import fcntl
        import os

        if not stat.S_ISFIFO(os.fstat(fd).st_mode):
            return None
        size = min(wanted, _ceiling())
        with contextlib.suppress(OSError):  # over a per-user quota: keep the default
            if fcntl.fcntl(fd, _F_GETPIPE_SZ) < size:
                fcntl.fcntl(fd, _F_SETPIPE_SZ, size)
        return fcntl.fcntl(fd, _F_GETPIPE_SZ)
    except (OSError, ValueError):
        return None


def _ceiling() -> int:
    try:
        return int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except (OSError, ValueError):
        return WANTED
