"""Larger pipe buffers for the server's standard input and output: a large file's
diagnostics are megabytes of JSON on every change, and through Linux's default
64 KiB pipe the two processes take turns hundreds of times per message.
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
