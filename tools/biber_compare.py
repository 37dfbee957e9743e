#!/usr/bin/env python3
"""Compare bib-lsp's biblatex diagnostics with biber's on real files.

Each file is read by biber as a user's document reads it: a LaTeX file loading
biblatex with the file as its resource and ``\\nocite{*}``, run through ``pdflatex``,
then ``biber --validate-datamodel``. biber's data-model warnings and bib-lsp's
findings (``--dialect biblatex``, every rule on) are compared per entry:

* ``missing-required-field``: (key, the fields one requirement names); biber's
  "Missing mandatory field 'x'" and "one of 'date, year' must be defined". Entries of
  unknown types are set aside: biber checks them as ``@misc``, bib-lsp reports the
  type and nothing else.
* ``unknown-entry-type``: (key, type); biber's "Invalid entry type".
* ``unknown-field``: (key, field); biber's "Field 'x' invalid in data model", which
  is also what biber says of a legacy field it drops beside its biblatex name
  (bib-lsp's ``legacy-field-dropped``, counted here). Fields
  of entries of unknown types are set aside (biber judges them by ``@misc``), and so
  are the reference-manager fields bib-lsp knows and accepts on purpose
  (``model.known_names.METADATA_FIELDS`` and ``NUMBERED_PREFIXES``: biber's checker
  warns about them, biber's output ignores them).
* ``field-not-in-type``: biber's "Invalid field 'x' for entrytype 'y'", a known
  field that the type's data model does not list (counted, for the record).

Entries biber makes itself (the clones ``related`` asks for, named by a hash) are
set aside.

It also lists the error-severity findings on files biber reads without trouble
(no error and no warning of its parser; data-model warnings are about content),
which should be none but fields given twice. Without paths it reads every biblatex
style package's example files that TeX Live's documentation holds (``.bib`` and
``.bib.gz``).

Usage: ``python tools/biber_compare.py [--json OUT] [PATH ...]``. Needs pdflatex
and biber (TeX Live: texlive-bibtex-extra, biber, texlive-latex-recommended).
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bib_lsp.document import Document  # noqa: E402
from bib_lsp.document.io import decode_bib  # noqa: E402
from bib_lsp.rules import RuleOptions, diagnose  # noqa: E402
from bib_lsp.syntax.tree import Severity  # noqa: E402

DOC_ROOTS = (Path("/usr/share/doc/texlive-doc/latex"), Path("/usr/share/texlive/texmf-dist/doc"))
CODES = ("missing-required-field", "unknown-entry-type", "unknown-field", "field-not-in-type")

DOCUMENT = r"""\documentclass{article}
\usepackage[backend=biber]{biblatex}
\addbibresource{refs.bib}
\begin{document}
\nocite{*}
\printbibliography
\end{document}
"""

_ENTRY = r"Datamodel: Entry '(?P<key>[^']*)' \([^)]*\): "
_BIBER = [
    ("missing-required-field", re.compile(_ENTRY + r"Missing mandatory field '(?P<what>[^']*)'")),
    (
        "missing-required-field",
        re.compile(_ENTRY + r"Missing mandatory field - one of '(?P<what>[^']*)' must be defined"),
    ),
    ("unknown-entry-type", re.compile(_ENTRY + r"Invalid entry type '(?P<what>[^']*)'")),
    ("unknown-field", re.compile(_ENTRY + r"Field '(?P<what>[^']*)' invalid in data model")),
    ("field-not-in-type", re.compile(_ENTRY + r"Invalid field '(?P<what>[^']*)' for entrytype")),
]
_HEADER = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]*)")

Finding = tuple[str, str, str]  # (code, key, what)


@dataclass
class FileResult:
    path: str
    biber: set[Finding] = field(default_factory=set)
    ours: set[Finding] = field(default_factory=set)
    unknown_type_keys: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    biber_complaints: list[str] = field(default_factory=list)
    our_errors: list[str] = field(default_factory=list)
    failed: str | None = None


def default_files() -> list[Path]:
    """The example files of TeX Live's biblatex packages (biblatex and biblatex-*)."""
    found: list[Path] = []
    for root in DOC_ROOTS:
        if root.is_dir():
            for folder in sorted(root.glob("biblatex*")):
                found += sorted(p for p in folder.rglob("*") if re.search(r"\.bib(\.gz)?$", p.name))
    return found


def read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def run_biber(data: bytes, work: Path) -> str | None:
    """biber's log for a document citing every entry of ``data``; None if it did not run."""
    (work / "refs.bib").write_bytes(data)
    (work / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "doc.tex"],
        cwd=work,
        capture_output=True,
        check=False,
        timeout=300,
    )
    if not (work / "doc.bcf").exists():
        return None
    proc = subprocess.run(
        ["biber", "--validate-datamodel", "doc"],
        cwd=work,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        timeout=600,
    )
    return proc.stdout + proc.stderr


def biber_findings(log: str) -> tuple[set[Finding], list[str]]:
    """biber's data-model findings, and every warning or error line it printed."""
    findings: set[Finding] = set()
    complaints = [line for line in log.splitlines() if re.match(r"(WARN|ERROR) - ", line)]
    for line in complaints:
        for code, pattern in _BIBER:
            m = pattern.search(line)
            if m:
                what = m["what"].lower()
                if code == "missing-required-field":
                    what = ",".join(sorted(part.strip() for part in what.split(",")))
                findings.add((code, m["key"], what))
    return findings, complaints


def entry_headers(text: str) -> list[tuple[int, str]]:
    """(offset, key) of every ``@type{key`` in ``text``."""
    return [(m.start(), m[2]) for m in _HEADER.finditer(text)]


def our_findings(text: str) -> tuple[set[Finding], set[str], list[tuple[int, str, str]]]:
    """bib-lsp's findings of CODES, the keys of entries of unknown types, and every
    error-severity finding as (offset, code, message)."""
    headers = entry_headers(text)
    starts = [start for start, _ in headers]

    def key_at(offset: int) -> str:
        i = bisect.bisect_right(starts, offset) - 1
        return headers[i][1] if i >= 0 else ""

    findings: set[Finding] = set()
    unknown_types: set[str] = set()
    errors: list[tuple[int, str, str]] = []
    for p in diagnose(Document(text), RuleOptions(dialect="biblatex")):
        if p.severity is Severity.ERROR:
            errors.append((p.start, p.code, p.message))
        code = p.code
        if code == "legacy-field-dropped":
            code = "unknown-field"  # biber: the dropped one is "invalid in data model"
        if code not in CODES:
            continue
        key = key_at(p.start)
        if code == "missing-required-field":
            fields = p.data["fields"] if isinstance(p.data, dict) else []
            what = ",".join(sorted(str(f) for f in fields))
        else:
            what = text[p.start : p.end].strip().lstrip("@").lower()
        if code == "unknown-entry-type":
            unknown_types.add(key)
        findings.add((code, key, what))
    return findings, unknown_types, errors


def compare(path: Path, work: Path) -> FileResult:
    result = FileResult(str(path))
    data = read(path)
    log = run_biber(data, work)
    if log is None:
        result.failed = "pdflatex wrote no .bcf"
        return result
    result.biber, result.biber_complaints = biber_findings(log)
    loaded = decode_bib(data)
    result.ours, result.unknown_type_keys, errors = our_findings(loaded.text)
    result.keys = {key for _, key in entry_headers(loaded.text)}
    lines = loaded.text.count
    result.our_errors = [
        f"{path}:{lines(chr(10), 0, offset) + 1}: {code}: {message}"
        for offset, code, message in errors
        if code != "duplicate-field"
    ]
    return result


def reading_trouble(line: str) -> bool:
    """Whether a line of biber's says it could not read something as written: an
    error, or a warning of its parser (btparse, "BibTeX subsystem"); data-model
    warnings are about content, not reading."""
    return line.startswith("ERROR") or "BibTeX subsystem" in line


def set_aside(result: FileResult, finding: Finding) -> str | None:
    """Why a finding is left out of the scores, or None (see the module docstring)."""
    from bib_lsp.model.known_names import METADATA_FIELDS, NUMBERED_PREFIXES

    code, key, what = finding
    if key not in result.keys:
        return "entry biber made"  # the clone a `related` field asks for
    if key in result.unknown_type_keys and code != "unknown-entry-type":
        return "entry of unknown type"
    if code == "unknown-field" and (what in METADATA_FIELDS or what.startswith(NUMBERED_PREFIXES)):
        return "metadata field"
    return None


def score(results: list[FileResult]) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for code in CODES:
        tp = fp = fn = 0
        fps: list[str] = []
        fns: list[str] = []
        aside: Counter[str] = Counter()
        for r in results:
            ours = {f for f in r.ours if f[0] == code}
            biber = {f for f in r.biber if f[0] == code}
            for f in ours | biber:
                reason = set_aside(r, f)
                if reason is not None:
                    aside[reason + (" (biber only)" if f not in ours else "")] += 1
                    continue
                if f in ours and f in biber:
                    tp += 1
                elif f in ours:
                    fp += 1
                    fps.append(f"{r.path}: {f[1]} {f[2]}")
                else:
                    fn += 1
                    fns.append(f"{r.path}: {f[1]} {f[2]}")
        out[code] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "set_aside": dict(aside),
            "false_positives": fps,
            "false_negatives": fns,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help=".bib or .bib.gz files")
    parser.add_argument("--json", type=Path, help="write every figure and finding here")
    parser.add_argument("--show", type=int, default=10, help="list this many FP/FN per code")
    args = parser.parse_args(argv)
    if not (shutil.which("pdflatex") and shutil.which("biber")):
        print("pdflatex and biber are needed (TeX Live)", file=sys.stderr)
        return 2
    files = args.paths or default_files()
    if not files:
        print("no files: give paths, or install TeX Live's documentation", file=sys.stderr)
        return 2
    results = []
    for path in files:
        with tempfile.TemporaryDirectory(prefix="biber-compare-") as tmp:
            results.append(compare(path, Path(tmp)))
    ran = [r for r in results if r.failed is None]
    scores = score(ran)
    clean = [r for r in ran if not any(reading_trouble(line) for line in r.biber_complaints)]
    packages = {Path(r.path).parts[-2] for r in ran}
    print(f"{len(ran)} files from {len(packages)} packages ({len(results) - len(ran)} failed)")
    for code, s in scores.items():
        print(
            f"{code}: precision {s['precision']:.3f} recall {s['recall']:.3f}"
            f" (tp {s['tp']}, fp {s['fp']}, fn {s['fn']}, set aside {s['set_aside']})"
        )
        fps, fns = s["false_positives"], s["false_negatives"]
        assert isinstance(fps, list) and isinstance(fns, list)
        for kind, line in [*(("FP", x) for x in fps), *(("FN", x) for x in fns)][: args.show]:
            print("   ", kind, line)
    errors = [line for r in clean for line in r.our_errors]
    print(f"error-severity findings on {len(clean)} files biber reads cleanly: {len(errors)}")
    for line in errors[: args.show]:
        print("   ", line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "files": [r.path for r in ran],
                    "failed": {r.path: r.failed for r in results if r.failed},
                    "scores": scores,
                    "biber_clean_files": [r.path for r in clean],
                    "errors_on_clean_files": errors,
                },
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
