"""Run the real `bibtex` with plain.bst on a .bib file (`\\nocite{*}`) and collect its
"empty X in KEY" warnings, to compare with missing-required-field."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_EMPTY = re.compile(r"^Warning--empty (.+?) in (.+)$")


def bibtex_available() -> bool:
    return shutil.which("bibtex") is not None and shutil.which("kpsewhich") is not None


def empty_field_warnings(bib: Path) -> set[tuple[str, frozenset[str]]]:
    """{(key as written, {field, ...})} for each "empty X[ and Y] in KEY" warning."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(bib, work / "refs.bib")
        (work / "main.aux").write_text(
            "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="ascii"
        )
        result = subprocess.run(
            ["bibtex", "-terse", "main"],
            cwd=work,
            capture_output=True,
            timeout=120,
            check=False,
        )
        log = (work / "main.blg").read_text(encoding="latin-1")
    del result
    found = set()
    for line in log.splitlines():
        m = _EMPTY.match(line.strip())
        if m is not None:
            fields = frozenset(f.strip() for f in m.group(1).split(" and "))
            found.add((m.group(2).strip(), fields))
    return found
