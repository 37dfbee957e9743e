"""Which `.bib` (and other) files a folder holds, for the server's workspace and the
CLI alike: hidden and tool folders skipped, links to folders not followed, links
out of the folder left out, names compared without regard to case (``.BIB`` too)."""

from __future__ import annotations

import os
import stat as _stat
from collections.abc import Iterable

MAX_FILES = 5000  # .bib files read per workspace folder
MAX_BYTES = 64 * 1024 * 1024  # larger files are left out (bibLsp.workspace.maxFileSize)
# Folders never searched: tools' caches and dependencies, not the user's files.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "build"})


def stamp(path: str) -> tuple[int, int] | None:
    """What tells whether a file changed since it was read (modification time in
    ns, size); None if it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def is_regular(path: str) -> bool:
    """Whether ``path`` (links followed) is a regular file: a FIFO, socket or
    device named ``x.bib`` is not read (opening a FIFO waits for a writer)."""
    try:
        return _stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def inside(path: str, folders: Iterable[str]) -> bool:
    """Whether ``path``, links resolved, lies in one of ``folders`` (links resolved
    too): a link that leads out of the workspace is not followed."""
    real = os.path.realpath(path)
    for folder in folders:
        root = os.path.realpath(folder)
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def find_bib_files(folder: str, limit: int | None = MAX_FILES) -> list[str]:
    """The `.bib` files under ``folder`` (see ``find_files``)."""
    return find_files(folder, (".bib",), limit)


def find_files(folder: str, suffixes: tuple[str, ...], limit: int | None = MAX_FILES) -> list[str]:
    """The regular files under ``folder`` whose lower-case names end with one of
    ``suffixes`` (hidden and tool folders skipped, links to folders not followed,
    links to files outside ``folder`` left out), at most ``limit`` (None: all),
    folder by folder in name order."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(files):
            if name.lower().endswith(suffixes):
                path = os.path.join(root, name)
                if os.path.islink(path) and not inside(path, (folder,)):
                    continue
                if not is_regular(path):
                    continue
                found.append(path)
                if limit is not None and len(found) >= limit:
                    return found
    return found


def changed_files(
    folders: list[str], known: dict[str, tuple[int, int]]
) -> tuple[list[str], list[str]]:
    """For clients that do not watch files: the `.bib` files of ``folders`` that
    are new or changed since ``known`` (path -> stamp), and the known ones gone."""
    found: set[str] = set()
    changed = []
    for folder in folders:
        for path in find_bib_files(folder):
            found.add(path)
            if stamp(path) != known.get(path):
                changed.append(path)
    return changed, [p for p in known if p not in found]
