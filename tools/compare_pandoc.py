#!/usr/bin/env python3
"""Compare bib-lsp's CSL-JSON conversion with pandoc's, variable by variable.

For each ``.bib`` file, pandoc (``pandoc -f biblatex|bibtex -t csljson FILE``) and
``bib_lsp.model.csl.document_items`` convert the same entries; items are matched
by their ``id`` (the entry key; of repeated keys, the first). Then, for every CSL
variable of every matched item, the pair of values falls into one of five
classes:

* ``agree``: equal after normalisation (below);
* ``case``: equal once letter case is folded too (pandoc turns English titles
  into sentence case, biblatex and bib-lsp keep them as written);
* ``differ``: anything else where both have the variable;
* ``pandoc only`` / ``ours only``: one side has the variable, the other not.

Normalisation, so that only differences a CSL processor would print count:

* strings: Unicode NFC, runs of white space made one space, ends stripped;
  pandoc's rich-text markup (``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<sc>``,
  ``<span ...>`` such as ``<span class="nocase">`` and small capitals) removed,
  since bib-lsp writes plain text; not in verbatim variables (``DOI``, ``URL``,
  ``ISBN``, ``ISSN``, ``PMID``, ``PMCID``), where ``<...>`` is part of the value.
  Quotes, apostrophes and dashes are compared as they are.
* numbers: ``2`` and ``"2"`` are the same (CSL lets numeric variables be either);
* names: lists of name objects compared in order, each as its set of parts
  (``family``, ``given``, ``dropping-particle``, ``non-dropping-particle``,
  ``suffix``, ``literal``...), each part a normalised string, empty parts dropped;
* dates: ``date-parts`` as lists of integers (``"2006"`` is ``2006``), with
  ``literal``, ``circa`` and ``season`` when present;
* an empty value (``""``, ``[]``, a date without parts) counts as absent: pandoc
  writes ``"type": ""`` for ``@misc`` and ``{"date-parts": []}`` for a year it
  cannot read;
* ``page``: a hyphen, an en dash or ``--`` (with any spaces around) is the same
  range separator (CSL processors read a hyphen or an en dash between page
  numbers as a range and print the style's own delimiter);
* ``event`` (CSL 1.0.1's name, which pandoc 2 writes) is compared as
  ``event-title`` (its CSL 1.0.2 name, which bib-lsp writes);
* ``id`` and ``citation-key`` are not compared (the id is what matches items).

A file pandoc rejects (a parse error, a timeout) is reported and left out. With
``--dialect auto`` (the default) each file is read as bib-lsp's `auto` dialect
decides (biblatex when an entry uses a type or field only biblatex knows), and
pandoc is given the matching reader, so both sides read the file the same way.

Usage::

    python tools/compare_pandoc.py [--dialect biblatex|bibtex|auto] [--json]
        [--examples N] [PATH ...]

PATH: .bib files or folders searched for them; default: ``../shared/corpus``
next to the repository.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bib_lsp.document import Document  # noqa: E402
from bib_lsp.document.io import read_bib  # noqa: E402
from bib_lsp.model.csl import document_items  # noqa: E402
from bib_lsp.model.index import biblatex_evidence, looks_biblatex  # noqa: E402
from bib_lsp.syntax.kinds import SyntaxKind  # noqa: E402
from bib_lsp.syntax.views import view  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
CLASSES = ("agree", "case", "differ", "pandoc only", "ours only")
NOT_COMPARED = frozenset({"id", "citation-key"})
VERBATIM = frozenset({"DOI", "URL", "ISBN", "ISSN", "PMID", "PMCID"})
DATES = frozenset(
    {"issued", "accessed", "event-date", "original-date", "submitted", "available-date"}
)
PANDOC_TIMEOUT = 300.0  # seconds per file

RENAMED = {"event": "event-title"}  # CSL 1.0.1 name -> CSL 1.0.2 name
_RANGE = re.compile(r"\s*(?:--|[-\u2010\u2011\u2012\u2013])\s*")
_MARKUP = re.compile(r"</?(?:i|b|sup|sub|sc)>|<span(?:\s[^>]*)?>|</span>")
_SPACES = re.compile(r"\s+")


# -- normalisation --------------------------------------------------------------------


def normal_text(text: str, verbatim: bool = False) -> str:
    """A string as compared: NFC, markup removed (unless verbatim), spaces collapsed."""
    text = unicodedata.normalize("NFC", text)
    if not verbatim:
        text = _MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _number(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return value


def normal_value(variable: str, value: Any) -> Any:
    """A CSL value in a form where equal means the same to a CSL processor
    (see the module's documentation); None when it is empty."""
    verbatim = variable in VERBATIM
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        text = normal_text(value, verbatim)
        return (_RANGE.sub("-", text) if variable == "page" else text) or None
    if isinstance(value, dict):
        if variable in DATES:
            return _normal_date(value)
        parts = {k: normal_value(variable, v) for k, v in value.items()}
        return {k: v for k, v in sorted(parts.items()) if v not in (None, "", [], {})} or None
    if isinstance(value, list):
        items = [normal_value(variable, v) for v in value]
        return [v for v in items if v is not None] or None
    return value


def _normal_date(value: dict[str, Any]) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    parts = value.get("date-parts")
    if isinstance(parts, list):
        dates = [
            [_number(p) for p in part] if isinstance(part, list) else [_number(part)]
            for part in parts
        ]
        if any(dates):
            out["date-parts"] = dates
    literal = value.get("literal")
    if isinstance(literal, str) and literal.strip():
        out["literal"] = normal_text(literal)
    if value.get("circa") not in (None, False, "", 0):
        out["circa"] = True
    if value.get("season") not in (None, ""):
        out["season"] = str(value["season"])
    return out or None


def folded(value: Any) -> Any:
    """The normalised value with every string case-folded."""
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [folded(v) for v in value]
    if isinstance(value, dict):
        return {k: folded(v) for k, v in value.items()}
    return value


def classify(variable: str, pandoc: Any, ours: Any) -> str | None:
    """The class of one variable's pair of values (None: neither side has it)."""
    theirs = normal_value(variable, pandoc) if pandoc is not None else None
    mine = normal_value(variable, ours) if ours is not None else None
    if theirs is None and mine is None:
        return None
    if mine is None:
        return "pandoc only"
    if theirs is None:
        return "ours only"
    if theirs == mine:
        return "agree"
    if folded(theirs) == folded(mine):
        return "case"
    return "differ"


# -- running both converters ----------------------------------------------------------


@dataclass
class Example:
    """One pair of values that do not agree."""

    path: str
    id: str
    pandoc: Any
    ours: Any


@dataclass
class Tally:
    """Counts per class of one CSL variable, with a few examples per class."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    examples: dict[str, list[Example]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Matched items where either side has the variable."""
        return sum(self.counts.values())

    def rate(self, *classes: str) -> float:
        """The share of ``total`` in the given classes (default: ``agree``)."""
        wanted = classes or ("agree",)
        return sum(self.counts[c] for c in wanted) / self.total if self.total else 1.0


@dataclass
class FileResult:
    """What one file gave: the dialect used, item counts, pandoc's error if any."""

    path: str
    dialect: str
    pandoc_items: int = 0
    our_items: int = 0
    matched: int = 0
    pandoc_only_ids: list[str] = field(default_factory=list)
    our_only_ids: list[str] = field(default_factory=list)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    """The comparison over a set of files."""

    pandoc_version: str
    files: list[FileResult] = field(default_factory=list)
    variables: dict[str, Tally] = field(default_factory=dict)

    def add(self, result: FileResult, pairs: Iterable[tuple[str, Any, Any]], keep: int) -> None:
        """Count one file's matched items: (id, pandoc's item, our item)."""
        self.files.append(result)
        for key, theirs, mine in pairs:
            theirs, mine = renamed(theirs), renamed(mine)
            for variable in sorted((set(theirs) | set(mine)) - NOT_COMPARED):
                kind = classify(variable, theirs.get(variable), mine.get(variable))
                if kind is None:
                    continue
                tally = self.variables.setdefault(variable, Tally())
                tally.counts[kind] += 1
                shown = tally.examples.setdefault(kind, [])
                if kind != "agree" and len(shown) < keep:
                    shown.append(
                        Example(result.path, key, theirs.get(variable), mine.get(variable))
                    )


def renamed(item: dict[str, Any]) -> dict[str, Any]:
    """The item with CSL 1.0.1 variable names given their CSL 1.0.2 names."""
    if not RENAMED.keys() & item.keys():
        return item
    return {RENAMED.get(k, k): v for k, v in item.items()}


def pandoc_version() -> str:
    """pandoc's version (``pandoc 3.1.3``), or "" when it is not installed."""
    if shutil.which("pandoc") is None:
        return ""
    done = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=False)
    return done.stdout.splitlines()[0].strip() if done.stdout else ""


def run_pandoc(path: Path, dialect: str) -> tuple[list[dict[str, Any]] | None, str, list[str]]:
    """pandoc's CSL-JSON items for a file, with its error message (None and the
    message when it rejects the file) and its warnings."""
    command = ["pandoc", "-f", dialect, "-t", "csljson", str(path)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PANDOC_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return None, f"pandoc timed out after {PANDOC_TIMEOUT:.0f} s", []
    err = done.stderr.decode("utf-8", "replace")
    warnings = [line for line in err.splitlines() if line.startswith("[WARNING]")]
    if done.returncode != 0:
        message = " ".join(err.split())[:300] or f"pandoc exited with {done.returncode}"
        return None, message, warnings
    try:
        items = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"unreadable pandoc output: {error}", warnings
    if not isinstance(items, list):
        return None, "pandoc's output is not a JSON array", warnings
    return items, "", warnings


def file_dialect(doc: Document) -> str:
    """The dialect bib-lsp's `auto` picks for a document."""
    evidence = [0, 0, 0]
    for _, block in doc.blocks():
        entry = view(block)
        if entry is not None and entry.kind is SyntaxKind.ENTRY and entry.key:
            evidence[biblatex_evidence(block)] += 1
    return "biblatex" if looks_biblatex(evidence[2], evidence[1], sum(evidence)) else "bibtex"


def by_id(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Items by id; of repeated ids, the first."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        out.setdefault(str(item.get("id", "")), item)
    return out


def bib_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named and the .bib files under the folders named, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.bib") if p.is_file())
        else:
            yield path


def compare_file(path: Path, dialect: str, report: Report, examples: int = 3) -> FileResult:
    """Compare one file's items and count them into the report. pandoc runs in a
    thread while bib-lsp converts, so the two overlap."""
    try:
        doc = Document(read_bib(path).text)
    except OSError as error:
        result = FileResult(str(path), dialect, error=f"cannot read: {error.strerror or error}")
        report.add(result, (), examples)
        return result
    used = dialect if dialect != "auto" else file_dialect(doc)
    result = FileResult(str(path), used)
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(run_pandoc, path, used)
        our_items = by_id(document_items(doc, used))
        theirs, message, result.warnings = running.result()
    if theirs is None:
        result.error = message
        report.add(result, (), examples)
        return result
    pandoc_items = by_id(theirs)
    result.pandoc_items, result.our_items = len(pandoc_items), len(our_items)
    common = [k for k in our_items if k in pandoc_items]
    result.matched = len(common)
    result.pandoc_only_ids = [k for k in pandoc_items if k not in our_items]
    result.our_only_ids = [k for k in our_items if k not in pandoc_items]
    report.add(result, ((k, pandoc_items[k], our_items[k]) for k in common), examples)
    return result


def compare(paths: Sequence[Path], dialect: str = "auto", examples: int = 3) -> Report:
    """Compare pandoc and bib-lsp over the files (and the .bib files of folders)."""
    report = Report(pandoc_version())
    for path in bib_files(paths):
        compare_file(path, dialect, report, examples)
    return report


# -- output ---------------------------------------------------------------------------


def _short(value: Any, width: int = 110) -> str:
    text = "—" if value is None else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_report(report: Report, examples: int, out: Any = sys.stdout) -> None:
    """The summary table, the files pandoc rejected and examples per variable."""
    compared = [f for f in report.files if f.error is None]
    rejected = [f for f in report.files if f.error is not None]
    matched = sum(f.matched for f in compared)
    print(f"{report.pandoc_version or 'pandoc (version unknown)'}", file=out)
    print(
        f"files: {len(report.files)} ({len(compared)} compared, {len(rejected)} rejected by "
        f"pandoc or unreadable); items matched by id: {matched}; only pandoc's: "
        f"{sum(len(f.pandoc_only_ids) for f in compared)}; only ours: "
        f"{sum(len(f.our_only_ids) for f in compared)}",
        file=out,
    )
    print(file=out)
    header = f"{'variable':<26}{'items':>7}" + "".join(f"{c:>13}" for c in CLASSES)
    print(header + f"{'agree%':>9}{'+case%':>9}", file=out)
    print("-" * len(header + " " * 18), file=out)
    ordered = sorted(report.variables.items(), key=lambda kv: (-kv[1].total, kv[0]))
    for variable, tally in ordered:
        row = f"{variable:<26}{tally.total:>7}" + "".join(f"{tally.counts[c]:>13}" for c in CLASSES)
        row += f"{100 * tally.rate():>8.1f}%{100 * tally.rate('agree', 'case'):>8.1f}%"
        print(row, file=out)
    if rejected:
        print("\nrejected:", file=out)
        for f in rejected:
            print(f"  {f.path}: {f.error}", file=out)
    unmatched = [f for f in compared if f.pandoc_only_ids or f.our_only_ids]
    if unmatched:
        print("\nitems on one side only:", file=out)
        for f in unmatched:
            print(
                f"  {f.path}: pandoc only {f.pandoc_only_ids[:5]}, ours only {f.our_only_ids[:5]}",
                file=out,
            )
    if examples <= 0 or not any(t.examples.get(c) for _, t in ordered for c in CLASSES[1:]):
        return
    print("\nexamples (pandoc | ours):", file=out)
    for variable, tally in ordered:
        shown = [(c, e) for c in CLASSES[1:] for e in tally.examples.get(c, [])]
        if not shown:
            continue
        print(f"\n{variable}", file=out)
        for kind, e in shown:
            name = Path(e.path).name
            print(f"  [{kind}] {name} {e.id}", file=out)
            print(f"      pandoc: {_short(e.pandoc)}", file=out)
            print(f"      ours:   {_short(e.ours)}", file=out)


def report_json(report: Report) -> dict[str, Any]:
    """The report as plain JSON data."""
    return {
        "pandoc": report.pandoc_version,
        "files": [vars(f) for f in report.files],
        "variables": {
            name: {
                "counts": tally.counts,
                "agree": tally.rate(),
                "agree_or_case": tally.rate("agree", "case"),
                "examples": {k: [vars(e) for e in v] for k, v in tally.examples.items() if v},
            }
            for name, tally in sorted(report.variables.items())
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Compare bib-lsp's CSL-JSON with pandoc's, variable by variable."
    )
    parser.add_argument(
        "paths", metavar="PATH", nargs="*", type=Path, help=f"default: {DEFAULT_CORPUS}"
    )
    parser.add_argument(
        "--dialect",
        choices=("auto", "biblatex", "bibtex"),
        default="auto",
        help="how both sides read the files (auto: bib-lsp's choice per file)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--examples", type=int, default=3, metavar="N", help="examples per class (default 3)"
    )
    args = parser.parse_args(argv)
    if shutil.which("pandoc") is None:
        print("compare_pandoc: pandoc is not on PATH", file=sys.stderr)
        return 2
    paths: list[Path] = args.paths or [DEFAULT_CORPUS]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"compare_pandoc: no such file or folder: {missing[0]}", file=sys.stderr)
        return 2
    report = compare(paths, args.dialect, args.examples)
    if args.json:
        json.dump(report_json(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_report(report, args.examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
