"""Formatting time and faithfulness, ours against bibtex-tidy.

For tugboat.bib and a 50,000-entry file (tugboat.bib's entries repeated under new
keys, as in server_bench.py): the time `format_text` takes with the default
options and with every option on, and whether the meaning changed (the same
check as the formatting tests: tests/meaning.py). With `--tidy PATH` (the
`bibtex-tidy` executable, e.g. from `npm install bibtex-tidy`), the same for
`bibtex-tidy -o OUT` with its defaults: wall time, and which entries, fields
or values it changed (counted, with a few examples).

Usage: python benchmarks/format_bench.py [--corpus DIR] [--size N] [--tidy PATH]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parse_bench import DEFAULT_CORPUS
from server_bench import tugboat_file

from bib_lsp.document.io import read_bib
from bib_lsp.formatting import FormatOptions, format_text
from tests.format.test_corpus import OPTION_SETS
from tests.meaning import kept_by_formatting

EVERYTHING = OPTION_SETS["everything"]


def differences(before: dict[str, Any], after: dict[str, Any]) -> tuple[int, list[str]]:
    """How many entries differ in meaning (by key), with a few examples."""
    old = {e[2]: e for e in before["entries"]}
    new = {e[2]: e for e in after["entries"]}
    changed = [k for k in old if old[k] != new.get(k)]
    examples = []
    for key in changed[:3]:
        a, b = dict(old[key][3]), dict(new.get(key, (None,) * 4)[3] or {})
        fields = [
            f"{n}: {a.get(n)} -> {b.get(n)}"
            for n in sorted(set(a) | set(b))
            if a.get(n) != b.get(n)
        ]
        examples.append(f"{key}: " + "; ".join(fields[:2]))
    missing = len(set(old) - set(new))
    return len(changed) + missing, examples


def ours(name: str, text: str) -> None:
    for label, options in (("defaults", FormatOptions()), ("every option", EVERYTHING)):
        t0 = time.perf_counter()
        out = format_text(text, options)
        took = time.perf_counter() - t0
        same = kept_by_formatting(out, options) == kept_by_formatting(text, options)
        print(
            f"  bib-lsp format ({label}): {took:.2f} s; meaning kept: {'yes' if same else 'NO'};"
            f" {'unchanged' if out == text else 'changed'}"
        )


def tidy(name: str, text: str, tidy_path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.bib", Path(tmp) / "out.bib"
        source.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        done = subprocess.run(
            [tidy_path, str(source), "-o", str(target)], capture_output=True, text=True, check=False
        )
        took = time.perf_counter() - t0
        output = target.read_text(encoding="utf-8") if target.exists() else ""
    if done.returncode != 0:
        print(f"  bibtex-tidy: failed ({done.returncode}): {done.stderr.strip()[:200]}")
        return
    options = FormatOptions(field_case="lower", type_case="lower")
    count, examples = differences(
        kept_by_formatting(text, options), kept_by_formatting(output, options)
    )
    print(f"  bibtex-tidy (defaults): {took:.2f} s; entries whose meaning changed: {count:,}")
    for example in examples:
        print(f"    e.g. {example[:160]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--size", type=int, default=50_000)
    ap.add_argument("--tidy", help="path of the bibtex-tidy executable")
    args = ap.parse_args()
    tugboat = read_bib(args.corpus / "texlive" / "beebe" / "tugboat.bib").text
    files = {
        "tugboat.bib": tugboat,
        f"{args.size:,} tugboat.bib entries": tugboat_file(tugboat, args.size),
    }
    for name, text in files.items():
        print(f"{name}: {len(text) / 1e6:.1f} MB")
        ours(name, text)
        if args.tidy:
            tidy(name, text, args.tidy)
    return 0


if __name__ == "__main__":
    sys.exit(main())
