"""Reading the audit log written by tests/safety/hook/sitecustomize.py in the
server process, and judging each event against what the server may do."""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOOK_DIR = Path(__file__).parent / "hook"
PACKAGE_DIR = Path(__file__).resolve().parents[2] / "bib_lsp"
PROGRAMS = ("subprocess.Popen", "os.system", "os.fork", "os.forkpty", "pty.spawn")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Code generated at run time from the libraries' own templates (never from data):
# dataclasses, typing and namedtuple (the standard library), attrs and cattrs
# (lsprotocol's types and their (un)structuring functions), six (citeproc-py's
# `raise_from`, at import); and ast.parse, which traceback calls on a module's
# source line to place its carets (an AST only, never run).
GENERATORS = (
    "dataclasses.py",
    "typing.py",
    "ast.py",
    "six.py",
    os.path.join("collections", "__init__.py"),
    os.path.join("attr", "_make.py"),
    os.path.join("cattrs", "gen", "__init__.py"),
)


def _real(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(path)


def python_roots() -> list[str]:
    """Where Python and its packages live: modules are read from there."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths |= {p for p in sysconfig.get_paths().values() if p}
    return sorted({_real(p) for p in paths})


@dataclass
class Verdict:
    network: list[dict[str, Any]]
    programs: list[dict[str, Any]]
    code: list[dict[str, Any]]
    writes: list[dict[str, Any]]
    reads: list[dict[str, Any]]
    generated_by: set[str]  # the library files that generated code

    def problems(self) -> dict[str, list[dict[str, Any]]]:
        kinds = ("network", "programs", "code", "writes", "reads")
        return {k: getattr(self, k) for k in kinds if getattr(self, k)}


def within(path: str, roots: list[str]) -> bool:
    real = _real(path)
    return any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def judge(log: Path, read_roots: list[str], markers: list[str]) -> Verdict:
    """Sort the events of ``log``: what breaks the rules (no network, no program,
    no code but modules' and the libraries' generated code without ``markers``,
    no file written, no file read outside ``read_roots``)."""
    libraries = python_roots()
    roots = [_real(r) for r in read_roots] + libraries + [_real(PACKAGE_DIR), _real(HOOK_DIR)]
    verdict = Verdict([], [], [], [], [], set())
    for line in log.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        event = record["event"]
        if event.startswith("socket.") or "connect" in event or event == "urllib.Request":
            verdict.network.append(record)
        elif event in PROGRAMS or event.startswith(("os.exec", "os.spawn", "os.posix_spawn")):
            verdict.programs.append(record)
        elif event in ("compile", "exec"):
            _code(record, libraries, markers, verdict)
        elif event == "open":
            _open(record, roots, verdict)
        else:  # os.remove, os.rename, os.mkdir, shutil.*, ...
            verdict.writes.append(record)
    return verdict


def _code(record: dict[str, Any], libraries: list[str], markers: list[str], v: Verdict) -> None:
    filename, caller = str(record["filename"]), str(record["caller"])
    if filename.startswith("<frozen "):
        return  # the interpreter's own frozen modules
    modules = [*libraries, str(PACKAGE_DIR), str(HOOK_DIR)]
    if filename.endswith(".py") and os.path.isfile(filename) and within(filename, modules):
        return  # a module imported from its file
    source = str(record.get("source", ""))
    from_library = within(caller, libraries) and caller.endswith(GENERATORS)
    if from_library and not any(m in source for m in markers):
        v.generated_by.add(caller)
        return
    v.code.append(record)


def _open(record: dict[str, Any], roots: list[str], v: Verdict) -> None:
    path, mode, flags = record["path"], record["mode"], record["flags"]
    if isinstance(path, int):
        return  # an inherited descriptor (stdin, stdout) wrapped: names no file
    writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(flags & WRITE_FLAGS)
    if writing:
        if path not in ("/dev/null",):
            v.writes.append(record)
        return
    if within(path, ["/proc", "/dev"]):
        return
    if not within(path, roots):
        v.reads.append(record)
