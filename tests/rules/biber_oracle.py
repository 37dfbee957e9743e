"""Run the real biber in document mode on .bib text (a LaTeX file with biblatex and
`\\nocite{*}`, `pdflatex`, then `biber --validate-datamodel`) and collect its
warnings, to compare with what the `biblatex` dialect reports."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

_DOCUMENT = (
    "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n"
    "\\addbibresource{refs.bib}\n\\begin{document}\n\\nocite{*}\n"
    "\\printbibliography\n\\end{document}\n"
)
_WARN = re.compile(r"^(?:WARN|ERROR) - (.*)$")

needs_biber = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("biber", "pdflatex")),
    reason="biber or pdflatex is not installed",
)


def biber_run(bib: str) -> tuple[list[str], str]:
    """biber's warnings about ``bib`` (the text after ``WARN - ``), and the .bbl it
    wrote."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_text(bib, encoding="utf-8")
        (work / "doc.tex").write_text(_DOCUMENT, encoding="ascii")
        subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "doc"],
            cwd=work,
            capture_output=True,
            timeout=120,
            check=False,
        )
        result = subprocess.run(
            ["biber", "--validate-datamodel", "doc"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        bbl = work / "doc.bbl"
        written = bbl.read_text(encoding="utf-8") if bbl.exists() else ""
    warnings = []
    for line in result.stdout.splitlines():
        m = _WARN.match(line.strip())
        if m is not None:
            warnings.append(m.group(1))
    return warnings, written


def biber_warnings(bib: str) -> list[str]:
    """biber's warnings about ``bib``."""
    return biber_run(bib)[0]
