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

Usage: python benchmarks/suite.py [--sizes 1000,10000,50000,100000] [--quick]
       [--check] [--json PATH] [--no-corpus] [--no-others] [--corpus DIR]
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inputs import CACHE_DIR, CORPUS_FILES, generated_file
from parse_bench import DEFAULT_CORPUS

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SIZES = (1_000, 10_000, 50_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
TIDY_VERSION = "1.14.0"  # bibtex-tidy, installed with npm into the cache directory

Figures = dict[str, Any]

OURS = ("library", "format", "server")
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
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"error": f"timeout after {plan.timeout:.0f} s"}
    wall = round(time.perf_counter() - t0, 2)
    if proc.returncode != 0:
        last = [line for line in err.strip().splitlines() if line.strip()][-1:] or ["?"]
        return {"error": f"exit {proc.returncode}: {last[0][:300]}", "wall_s": wall}
    figures: Figures = json.loads(out.strip().splitlines()[-1])
    figures["wall_s"] = wall
    return figures


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

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--short"))}


# -- the table -----------------------------------------------------------------

Row = tuple[str, str, str]  # label, measurement kind, figure path ("a.b")

SECTIONS: list[tuple[str, list[Row]]] = [
    (
        "input",
        [
            ("size (MB)", "library", "chars"),
            ("regular entries", "library", "entries"),
            ("findings", "library", "findings"),
        ],
    ),
    (
        "bib-lsp library (ms, MiB)",
        [
            ("full parse", "library", "parse_ms"),
            ("full analysis", "library", "analysis_ms"),
            ("edit + re-analysis, median", "library", "edit_ms.median"),
            ("edit + re-analysis, p95", "library", "edit_ms.p95"),
            ("edit + sorted list, median", "library", "edit_list_ms.median"),
            ("edit + sorted list, p95", "library", "edit_list_ms.p95"),
            ("format whole file", "format", "format_ms"),
            ("RSS after building", "library", "rss_built_mib"),
            ("peak RSS", "library", "peak_rss_mib"),
        ],
    ),
    (
        "bib-lsp server over stdio (ms, MiB)",
        [
            ("didOpen -> first diagnostics", "server", "open_first_ms"),
            ("didOpen -> complete diags", "server", "open_complete_ms"),
            ("didChange -> diags, median", "server", "edit_ms.median"),
            ("didChange -> diags, p95", "server", "edit_ms.p95"),
            ("completion field, median", "server", "completion_field_ms.median"),
            ("completion field, p95", "server", "completion_field_ms.p95"),
            ("completion key, median", "server", "completion_key_ms.median"),
            ("completion key, p95", "server", "completion_key_ms.p95"),
            ("hover, first", "server", "hover_first_ms"),
            ("hover, median", "server", "hover_ms.median"),
            ("hover, p95", "server", "hover_ms.p95"),
            ("server RSS after open", "server", "rss_opened_mib"),
            ("server peak RSS", "server", "peak_rss_mib"),
        ],
    ),
    (
        "other tools (ms, MiB)",
        [
            ("bibtexparser parse", "bibtexparser", "parse_ms"),
            ("bibtexparser peak RSS", "bibtexparser", "peak_rss_mib"),
            ("pybtex parse", "pybtex", "parse_ms"),
            ("pybtex peak RSS", "pybtex", "peak_rss_mib"),
            ("bibtex-tidy format", "bibtex-tidy", "format_ms"),
            ("bibtex-tidy peak RSS", "bibtex-tidy", "peak_rss_mib"),
        ],
    ),
]


def figure(results: Figures, name: str, kind: str, path: str) -> float | str | None:
    """A figure of one input: a number, a short failure word, or None (not run)."""
    found = results["inputs"].get(name, {}).get("measured", {}).get(kind)
    if found is None:
        return None
    if "error" in found:
        return "timeout" if found["error"].startswith("timeout") else "FAIL"
    value: Any = found
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if path == "chars" and isinstance(value, int):
        return value / 1e6
    return value if isinstance(value, (int, float)) else None


def cell(value: float | str | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if value == 0 or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


def growth_pair(results: Figures) -> tuple[str, str] | None:
    """The two generated inputs whose ratio the table shows: the largest against
    10,000 entries (or the smallest, when 10,000 is not measured or the largest)."""
    sizes = sorted(results["options"]["sizes"])
    if len(sizes) < 2:
        return None
    small = 10_000 if 10_000 in sizes[:-1] else sizes[0]
    return size_name(sizes[-1]), size_name(small)


def short(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def size_name(size: int) -> str:
    return f"{size:,} entries"


def table(results: Figures) -> str:
    names = list(results["inputs"])
    pair = growth_pair(results)
    heads = [n.replace(" entries", "").replace(".bib", "") for n in names]
    if pair:
        big, small = (int(n.split()[0].replace(",", "")) for n in pair)
        heads.append(f"{short(big)}/{short(small)}")
    width = max(10, *(len(h) + 1 for h in heads))
    lines = [" " * 31 + "".join(f"{h:>{width}}" for h in heads)]
    for title, rows in SECTIONS:
        lines.append(title)
        for label, kind, path in rows:
            values = [figure(results, n, kind, path) for n in names]
            cells = [cell(v) for v in values]
            if pair:
                a, b = (figure(results, n, kind, path) for n in pair)
                ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and b
                cells.append(f"{a / b:.1f}x" if ok else "-")  # type: ignore[operator]
            lines.append(f"  {label:<29}" + "".join(f"{c:>{width}}" for c in cells))
    return "\n".join(lines)


def header(results: Figures) -> str:
    m, v = results["machine"], results["versions"]
    tools = ", ".join(f"{k} {val}" for k, val in v.items() if val)
    lines = [
        f"bib-lsp benchmark suite, {results['date']} on {m['host']}: {m['cpus']} CPUs"
        f" ({m['cpu_model']}), {m['memory_gib']} GiB, Python {m['python']};"
        f" load average before: {m['load_before'][0]}",
        f"{tools}; commit {str(results['git']['commit'])[:10]}"
        + (" (uncommitted changes)" if results["git"]["dirty"] else ""),
    ]
    lines += [f"note: {n}" for n in results["notes"]]
    return "\n".join(lines)


# -- the check (CI) --------------------------------------------------------------


def _get(results: Figures, size: int, kind: str, path: str) -> float:
    value = figure(results, size_name(size), kind, path)
    if not isinstance(value, (int, float)):
        raise LookupError(f"{kind} {path} at {size:,} entries: {value or 'not measured'}")
    return float(value)


def _per_entry(results: Figures, size: int, kind: str, path: str) -> float:
    return _get(results, size, kind, path) / _get(results, size, "library", "entries")


def _edit_vs_entry_parse(r: Figures) -> float:
    # An edit re-reads the blocks it touches and re-checks their entries (and the
    # entries that asked about a name it changed); re-analysis then gathers the
    # findings of every chunk (64 blocks each), the unchanged ones reused. Today
    # that is about 10 times the parse of one average entry at 10,000 entries; a
    # re-parse or re-check of the whole file would be thousands of times.
    return _get(r, 10_000, "library", "edit_ms.median") / _per_entry(
        r, 10_000, "library", "parse_ms"
    )


def _edit_growth(r: Figures) -> float:
    # Edits should cost about the same in any file: only gathering the chunks'
    # findings grows with the file (one list per 64 blocks), about 2 from 1,000
    # to 10,000 entries today. A cost proportional to the file would give 10.
    return _get(r, 10_000, "library", "edit_ms.median") / _get(
        r, 1_000, "library", "edit_ms.median"
    )


def _growth_per_entry(kind: str, path: str) -> Callable[[Figures], float]:
    # Work done once per file (parsing, analysing, opening in the server) must
    # stay linear: per entry, 10,000 entries cost about what 1,000 do (1.0 to 1.5
    # today, the 10,000-entry file having more findings). Quadratic work would
    # give 10.
    def ratio(r: Figures) -> float:
        return _per_entry(r, 10_000, kind, path) / _per_entry(r, 1_000, kind, path)

    return ratio


def _memory_growth(r: Figures) -> float:
    # Memory held per entry after building (above the interpreter and the text)
    # stays about constant: 1.0 today; a structure growing with the square of the
    # file, or kept twice, would show here.
    def held(size: int) -> float:
        built = _get(r, size, "library", "rss_built_mib")
        return (built - _get(r, size, "library", "rss_start_mib")) / _get(
            r, size, "library", "entries"
        )

    return held(10_000) / held(1_000)


def _server_edit_vs_open(r: Figures) -> float:
    # In the server an edit must not redo the opening's work: a round trip at
    # 10,000 entries is well under 1% of opening the file today (it sends every
    # finding again, which grows with the file); re-analysing on each keystroke
    # would be about 100%.
    return _get(r, 10_000, "server", "edit_ms.median") / _get(
        r, 10_000, "server", "open_complete_ms"
    )


CHECKS: list[tuple[str, Callable[[Figures], float], float]] = [
    ("library edit round trip / parse of one entry, 10k", _edit_vs_entry_parse, 50.0),
    ("library edit round trip, 10k / 1k", _edit_growth, 5.0),
    ("full parse per entry, 10k / 1k", _growth_per_entry("library", "parse_ms"), 3.0),
    ("full analysis per entry, 10k / 1k", _growth_per_entry("library", "analysis_ms"), 3.0),
    ("memory held per entry, 10k / 1k", _memory_growth, 3.0),
    (
        "server didOpen -> complete per entry, 10k / 1k",
        _growth_per_entry("server", "open_complete_ms"),
        3.0,
    ),
    ("server didChange round trip / didOpen, 10k", _server_edit_vs_open, 0.02),
]


def check(results: Figures) -> list[dict[str, Any]]:
    """Each check's value, limit and verdict; a measurement of ours that failed
    at 1,000 or 10,000 entries fails too."""
    verdicts = []
    for size in (1_000, 10_000):
        for kind in OURS:
            found = results["inputs"].get(size_name(size), {}).get("measured", {}).get(kind)
            if found is None or "error" in found:
                what = found["error"] if found else "not measured"
                verdicts.append({"check": f"{kind} at {size:,} entries", "error": what})
    for label, ratio, limit in CHECKS:
        try:
            value = ratio(results)
        except (LookupError, ZeroDivisionError) as error:
            verdicts.append({"check": label, "error": str(error)})
            continue
        verdicts.append({"check": label, "value": value, "limit": limit, "ok": value < limit})
    return verdicts


def show_checks(verdicts: list[dict[str, Any]]) -> str:
    lines = ["checks (ratios only):"]
    for v in verdicts:
        if "error" in v:
            lines.append(f"  FAIL  {v['check']}: {v['error']}")
        else:
            mark = "ok  " if v["ok"] else "FAIL"
            lines.append(f"  {mark}  {v['check']}: {v['value']:.3g} (limit {v['limit']:g})")
    return "\n".join(lines)


# -- the run -------------------------------------------------------------------


def inputs(args: argparse.Namespace, sizes: list[int]) -> list[Input]:
    found = []
    if not args.no_corpus:
        for name, relative in CORPUS_FILES.items():
            path = args.corpus / relative
            found.append(Input(name, path, path.stat().st_size // 800, generated=False))
    for size in sizes:
        print(f"generating {size:,} entries", file=sys.stderr)
        found.append(Input(size_name(size), generated_file(args.corpus, size), size, True))
    return found


def run(args: argparse.Namespace) -> Figures:
    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else None
    sizes = sizes or list(QUICK_SIZES if args.quick else SIZES)
    notes: list[str] = []
    kinds = list(OURS)
    tidy = None
    if not args.no_others:
        kinds += ["bibtexparser", "pybtex", "bibtex-tidy"]
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
    results["ratios"] = ratios(results)
    return results


def ratios(results: Figures) -> dict[str, float]:
    """The growth of every figure between the two sizes the table compares."""
    pair = growth_pair(results)
    out: dict[str, float] = {}
    if pair is None:
        return out
    for _, rows in SECTIONS:
        for _, kind, path in rows:
            a, b = (figure(results, n, kind, path) for n in pair)
            if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
                out[f"{kind}.{path}"] = round(a / b, 3)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="generated sizes, e.g. 1000,10000 (default: all four)")
    ap.add_argument("--quick", action="store_true", help="1,000 and 10,000 entries, few repeats")
    ap.add_argument("--check", action="store_true", help="exit 1 on a gross regression")
    ap.add_argument("--json", type=Path, help="where to write the figures")
    ap.add_argument("--no-corpus", action="store_true", help="generated files only")
    ap.add_argument("--no-others", action="store_true", help="bib-lsp only")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.quick and args.sizes is None:
        args.no_corpus = True
    results = run(args)
    verdicts = check(results) if args.check else []
    results["check"] = verdicts
    target = args.json
    if target is None:
        day = datetime.date.today().isoformat()
        target = RESULTS / f"{day}-{socket.gethostname()}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(header(results))
    print(table(results))
    if verdicts:
        print(show_checks(verdicts))
    print(f"({results['total_s']:.0f} s; figures in {target})")
    failed = [v for v in verdicts if "error" in v or not v["ok"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
