"""Run the real backends on a small .bib text: BibTeX 0.99 with plain.bst
(``\\nocite{*}``), biber in tool mode (the same btparse reader as in document
mode), and biber in document mode (a LaTeX file with biblatex and ``\\nocite{*}``,
``pdflatex``, then ``biber --validate-datamodel``: what a user's document gets).
Tests that use them skip when the tools are not installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

needs_bibtex = pytest.mark.skipif(
    shutil.which("bibtex") is None or shutil.which("kpsewhich") is None,
    reason="bibtex is not installed",
)
needs_biber = pytest.mark.skipif(shutil.which("biber") is None, reason="biber is not installed")
needs_biber_document = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("biber", "pdflatex")),
    reason="biber or pdflatex is not installed",
)


def kpsewhich(name: str) -> Path | None:
    """Where TeX Live keeps file ``name`` (None without TeX Live or the file)."""
    exe = shutil.which("kpsewhich")
    if exe is None:
        return None
    found = subprocess.run([exe, name], capture_output=True, text=True, check=False).stdout
    return Path(found.strip()) if found.strip() else None


@dataclass
class Run:
    log: str  # what the tool reported (BibTeX's .blg, biber's warnings and errors)
    output: str  # BibTeX's .bbl, or the .bib biber wrote back ("" when it wrote none)


def bibtex(text: str) -> Run:
    """BibTeX 0.99 with plain.bst over every entry of ``text``."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_text(text, encoding="utf-8")
        aux = "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n"
        (work / "main.aux").write_text(aux, encoding="ascii")
        subprocess.run(
            ["bibtex", "-terse", "main"], cwd=work, capture_output=True, timeout=60, check=False
        )
        bbl = work / "main.bbl"
        output = bbl.read_text(encoding="utf-8") if bbl.exists() else ""
        return Run((work / "main.blg").read_text(encoding="utf-8"), output)


def biber(text: str) -> Run:
    """biber in tool mode: reads ``text`` and writes its entries back as BibTeX."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "refs.bib").write_text(text, encoding="utf-8")
        result = subprocess.run(
            ["biber", "--tool", "--output-format=bibtex", "--output-file=out.bib", "refs.bib"],
            cwd=work,
            capture_output=True,
            timeout=120,
            check=False,
            text=True,
        )
        log = "\n".join(
            line for line in result.stdout.splitlines() if "WARN" in line or "ERROR" in line
        )
        out = work / "out.bib"
        return Run(log, out.read_text(encoding="utf-8") if out.exists() else "")


def biber_keys(text: str) -> list[str]:
    """The keys of the entries biber read, in the order it wrote them."""
    keys = []
    for line in biber(text).output.splitlines():
        if line.startswith("@") and "{" in line:
            keys.append(line.split("{", 1)[1].rstrip(","))
    return keys


def bibtex_keys(text: str) -> list[str]:
    """The keys of the entries BibTeX wrote into the bibliography, in its order."""
    keys = []
    for line in bibtex(text).output.splitlines():
        if line.startswith("\\bibitem{"):
            keys.append(line[len("\\bibitem{") : line.index("}")])
    return keys


_DOCUMENT = (
    "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n"
    "\\addbibresource{refs.bib}\n\\begin{document}\n\\nocite{*}\n"
    "\\printbibliography\n\\end{document}\n"
)
_WARN = re.compile(r"^(?:WARN|ERROR) - (.*)$")


def biber_document(bib: str) -> tuple[list[str], str]:
    """biber's warnings and errors about ``bib`` in document mode (the text after
    ``WARN - ``), and the .bbl it wrote ("" when it wrote none)."""
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
    """biber's warnings about ``bib`` in document mode."""
    return biber_document(bib)[0]
