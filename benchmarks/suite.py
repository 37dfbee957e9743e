"""The benchmark suite (issue 9): bib-lsp at every size, side by side with other tools.

Inputs: tugboat.bib, typeset.bib and biblatex-examples.bib from the corpus, and
generated files of 1,000, 10,000, 50,000 and 100,000 real entries (inputs.py).
For each, every measurement runs in its own fresh interpreter (measure.py), one
after the other, with a timeout; a failure is recorded as such, not as a number:

- bib-lsp as a library: full parse, full analysis, a one-character edit in the
  middle of the file with re-analysis (median, p95), formatting the whole file,
  resident memory after building and the peak;
- the server over stdio (a raw LSP client that shows work-done progress):
  ``didOpen`` to the first and to the complete diagnostics, ``didChange`` to
  ``publishDiagnostics``, completion and hover (median, p95), its memory;
- bibtexparser 2 and pybtex parsing the same text, bibtex-tidy formatting it.

Prints one table (a column per input, and the growth between two generated sizes,
100k/10k for the full run) and writes every figure, with the machine, to JSON
(``benchmarks/results/<date>-<host>.json`` unless ``--json PATH``). Progress goes
to standard error.

``--check`` judges ratios only (never absolute times, which depend on the
machine) and exits 1 on a gross regression: see ``CHECKS``. CI runs
``--quick --check``: sizes 1,000 and 10,000, few repetitions, no corpus files.

The table and the checks are in report.py; ``--show PATH`` reports on figures
written before (``--check`` too) without measuring.

Usage: python benchmarks/suite.py [--sizes 1000,10000,50000,100000] [--quick]
       [--check] [--json PATH] [--show PATH] [--no-corpus] [--no-others] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inputs import CACHE_DIR, CORPUS_FILES
from parse_bench import DEFAULT_CORPUS
from report import OURS, check, header, ratios, show_checks, size_name, table

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 50_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TIDY_VERSION = "1.14.0"  # bibtex-tidy, installed with npm into the cache directory

Figures = dict[str, Any]

OTHERS = ("bibtexparser", "pybtex", "bibtex-tidy")


@dataclass(frozen=True)
class Plan:
    """How much to measure on one input."""

    edits: int  # library edits of each kind
    server_edits: int  # didChange round trips, completions of each kind (hovers: half)
    repeat: int  # best of N library parses and analyses
    timeout: float  # seconds, per measurement


def plan_for(entries: int, quick: bool) -> Plan:
    """Fewer repetitions for large files, whose opening and parsing dominate."""
    timeout = 120 + entries * 0.006  # 100,000 entries: 12 minutes
    if quick:
        return Plan(edits=40, server_edits=20, repeat=3, timeout=timeout)
    if entries <= 10_000:
        return Plan(edits=200, server_edits=100, repeat=3, timeout=timeout)
    if entries <= 50_000:
        return Plan(edits=100, server_edits=80, repeat=1, timeout=timeout)
    return Plan(edits=100, server_edits=60, repeat=1, timeout=timeout)


@dataclass(frozen=True)
class Input:
    name: str
    path: Path
    entries: int  # as generated; estimated from the size for corpus files
    generated: bool


def measure(kind: str, item: Input, plan: Plan, tidy: str | None) -> Figures:
    """One measurement in a fresh interpreter (its own session, so that a timeout
    ends the server it started too)."""
    edits = plan.server_edits if kind == "server" else plan.edits
    argv = [sys.executable, str(HERE / "measure.py"), kind, str(item.path)]
    argv += ["--edits", str(edits), "--repeat", str(plan.repeat)]
    if tidy:
        argv += ["--tidy", tidy]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=plan.timeout)
    except subprocess.TimeoutExpired:
        _end_session(proc.pid)
        proc.communicate()
        return {"error": f"timeout after {plan.timeout:.0f} s"}
    _end_session(proc.pid)  # a server left behind by a failed measurement
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode != 0:
        last = [line for line in err.strip().splitlines() if line.strip()][-1:] or ["?"]
        return {"error": f"exit {proc.returncode}: {last[0][:300]}", "wall_s": wall}
    figures: Figures = json.loads(out.strip().splitlines()[-1])
    figures["wall_s"] = wall
    return figures


def _end_session(pid: int) -> None:
    """End what is left of the session a measurement started (``pid`` leads it)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


# -- the other tools -------------------------------------------------------------


def find_tidy(notes: list[str]) -> str | None:
    """bibtex-tidy's executable, installed once with npm under the cache directory;
    None (with a note) when npm is absent or the install fails."""
    prefix = CACHE_DIR / f"bibtex-tidy-{TIDY_VERSION}"
    executable = prefix / "node_modules" / ".bin" / "bibtex-tidy"
    if executable.exists():
        return str(executable)
    npm = shutil.which("npm")
    if npm is None:
        notes.append("bibtex-tidy skipped: npm not found")
        return None
    print(f"installing bibtex-tidy@{TIDY_VERSION} into {prefix}", file=sys.stderr)
    prefix.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--silent"]
    try:
        done = subprocess.run(
            [*command, f"bibtex-tidy@{TIDY_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        notes.append("bibtex-tidy skipped: npm install timed out")
        return None
    if done.returncode != 0 or not executable.exists():
        notes.append(f"bibtex-tidy skipped: npm install failed: {done.stderr.strip()[-200:]}")
        return None
    return str(executable)


def versions(tidy: str | None) -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for package in ("bib-lsp", "pygls", "bibtexparser", "pybtex"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    out["bibtex-tidy"] = TIDY_VERSION if tidy else None
    node = shutil.which("node")
    if node:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
        out["node"] = done.stdout.strip() or None
    return out


# -- the machine ---------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "host": socket.gethostname(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
    }


def git_state() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    changed = [line[3:] for line in git("status", "--short").splitlines()]
    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(changed), "changed": changed}


# -- the run -------------------------------------------------------------------


def inputs(args: argparse.Namespace, sizes: list[int]) -> list[Input]:
    found = []
    if not args.no_corpus:
        for name, relative in CORPUS_FILES.items():
            path = args.corpus / relative
            found.append(Input(name, path, path.stat().st_size // 800, generated=False))
    for size in sizes:
        print(f"generating {size:,} entries", file=sys.stderr)
        found.append(Input(size_name(size), generate(args.corpus, size), size, True))
    return found


def generate(corpus: Path, size: int) -> Path:
    """The generated file (inputs.py, in its own process: so that this one stays
    small, and so do the measurements it starts)."""
    done = subprocess.run(
        [sys.executable, str(HERE / "inputs.py"), str(size), "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> Figures:
    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else None
    sizes = sizes or list(QUICK_SIZES if args.quick else SIZES)
    notes: list[str] = []
    kinds = list(OURS)
    tidy = None
    if not args.no_others:
        kinds += OTHERS
        if importlib.util.find_spec("pybtex") is None:
            notes.append("pybtex skipped: not installed (pip install -e '.[bench]')")
            kinds.remove("pybtex")
        tidy = find_tidy(notes)
        if tidy is None:
            kinds.remove("bibtex-tidy")
    results: Figures = {
        "schema": 1,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(tidy),
        "git": git_state(),
        "options": {"sizes": sizes, "quick": args.quick, "corpus": not args.no_corpus},
        "notes": notes,
        "inputs": {},
    }
    todo = inputs(args, sizes)
    started = time.perf_counter()
    for n, item in enumerate(todo, 1):
        plan = plan_for(item.entries, args.quick)
        entry: Figures = {
            "path": str(item.path),
            "generated": item.generated,
            "bytes": item.path.stat().st_size,
            "plan": plan.__dict__,
            "measured": {},
        }
        results["inputs"][item.name] = entry
        for kind in kinds:
            print(f"[{n}/{len(todo)}] {item.name}: {kind} ...", end="", file=sys.stderr, flush=True)
            found = measure(kind, item, plan, tidy if kind == "bibtex-tidy" else None)
            entry["measured"][kind] = found
            print(f" {found.get('error') or str(found['wall_s']) + ' s'}", file=sys.stderr)
    results["total_s"] = round(time.perf_counter() - started, 1)
    if git_state() != results["git"]:
        notes.append("the working tree changed during the run: figures may mix versions")
    results["ratios"] = ratios(results)
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="generated sizes, e.g. 1000,10000 (default: all four)")
    ap.add_argument("--quick", action="store_true", help="1,000 and 10,000 entries, few repeats")
    ap.add_argument("--check", action="store_true", help="exit 1 on a gross regression")
    ap.add_argument("--json", type=Path, help="where to write the figures")
    ap.add_argument("--show", type=Path, help="report on figures written before; measure nothing")
    ap.add_argument("--no-corpus", action="store_true", help="generated files only")
    ap.add_argument("--no-others", action="store_true", help="bib-lsp only")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if args.show:
        results = json.loads(args.show.read_text(encoding="utf-8"))
    elif not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    else:
        if args.quick and args.sizes is None:
            args.no_corpus = True
        results = run(args)
    verdicts = check(results) if args.check else []
    if not args.show:
        results["check"] = verdicts
        target = args.json or RESULTS / f"{datetime.date.today()}-{socket.gethostname()}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(header(results))
    print(table(results))
    if verdicts:
        print(show_checks(verdicts))
    print(f"({results['total_s']:.0f} s; figures in {args.show or target})")
    failed = [v for v in verdicts if "error" in v or not v["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
