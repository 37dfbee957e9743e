"""The benchmark suite's report: the table of figures, their growth between two
sizes, and the checks CI runs (ratios only). Reads the results suite.py writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Figures = dict[str, Any]

OURS = ("library", "format", "server")

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


def _head(name: str) -> str:
    """A column's head: ``10k`` for a generated size, the file's name (shortened)."""
    if name.endswith(" entries"):
        return short(int(name.split()[0].replace(",", "")))
    name = name.removesuffix(".bib")
    return name if len(name) <= 9 else name[:8] + "."


def short(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def size_name(size: int) -> str:
    return f"{size:,} entries"


def table(results: Figures) -> str:
    names = list(results["inputs"])
    pair = growth_pair(results)
    heads = [_head(n) for n in names]
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
