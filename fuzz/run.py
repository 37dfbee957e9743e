"""Coverage-guided fuzzing of bib-lsp with atheris (libFuzzer for Python).

    pip install -e '.[fuzz]'
    python fuzz/run.py TARGET [--seconds N] [--work DIR] [--runs N]

TARGET is one of `fuzz/targets.py`'s (document, checker, features, csl,
formatting) or `all` (each in turn, N seconds each). The seeds are the entries of
the real corpus (`../shared/corpus`, cut into pieces of a few entries) plus the
inputs kept in `fuzz/regressions/`. libFuzzer's own corpus grows in
`DIR/corpus-TARGET` (default: a temporary folder), so a later run goes on from
where this one stopped. A failing input is written to `DIR/crash-*` and the run
stops with exit status 1: copy it into `fuzz/regressions/TARGET/` and it is
replayed by `tests/fuzz/test_regressions.py` from then on.

Each run prints libFuzzer's statistics; the last line of each target says how
many inputs were executed and the coverage reached (`cov:` edges of bib-lsp's
code, `ft:` features).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
REGRESSIONS = HERE / "regressions"
SEED_BYTES = 4096  # libFuzzer's inputs stay small: seeds are a few entries each


def seeds(target: str, into: Path, most: int = 600) -> int:
    """Write seed inputs into ``into``: pieces of the corpus files, cut at entry
    starts, and the regressions kept for ``target``; how many."""
    into.mkdir(parents=True, exist_ok=True)
    count = 0
    kept = REGRESSIONS / target
    for path in sorted(kept.glob("*")) if kept.is_dir() else []:
        (into / f"regression-{path.name}").write_bytes(path.read_bytes())
        count += 1
    files = sorted(CORPUS.rglob("*.bib")) if CORPUS.is_dir() else []
    for path in files:
        data = path.read_bytes()
        pieces = data.split(b"\n@")
        chunk = b""
        for i, piece in enumerate(pieces):
            chunk += (b"\n@" if i else b"") + piece
            if len(chunk) >= SEED_BYTES // 2:
                (into / f"seed-{path.stem}-{i}").write_bytes(chunk[:SEED_BYTES])
                count += 1
                chunk = b""
                if count >= most:
                    return count
    return count


def fuzz(target: str, seconds: int, runs: int, work: Path, seed: int = 0) -> int:
    """Run one target in a child process (atheris takes over the process)."""
    corpus = work / f"corpus-{target}"
    seeded = seeds(target, corpus)
    print(f"== {target}: {seeded} seed inputs in {corpus}", flush=True)
    args = [
        sys.executable,
        str(HERE / "run.py"),
        "--child",
        target,
        str(corpus),
        f"-max_total_time={seconds}",
        f"-artifact_prefix={work}/",
        f"-max_len={SEED_BYTES * 2}",
        "-timeout=20",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
    ]
    if runs:
        args.append(f"-runs={runs}")
    if seed:
        args.append(f"-seed={seed}")  # with -runs: the same inputs every time
    return subprocess.call(args, cwd=ROOT)


def child(target: str, libfuzzer_args: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=["bib_lsp"]):
        import bib_lsp.features.completion
        import bib_lsp.formatting
        import bib_lsp.rules  # noqa: F401

        sys.path.insert(0, str(ROOT))
        from fuzz.targets import TARGETS

    one = TARGETS[target]
    atheris.Setup([sys.argv[0], *libfuzzer_args], one)
    atheris.Fuzz()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3:])
        return 0
    sys.path.insert(0, str(ROOT))
    from fuzz.targets import TARGETS

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("target", choices=[*TARGETS, "all"])
    ap.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    ap.add_argument("--runs", type=int, default=0, help="stop after N inputs (0: no limit)")
    ap.add_argument("--seed", type=int, default=0, help="libFuzzer's random seed (0: random)")
    ap.add_argument("--work", type=Path, help="corpus and crash folder (default: temporary)")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bib-lsp-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    status = 0
    for target in TARGETS if args.target == "all" else [args.target]:
        status = fuzz(target, args.seconds, args.runs, work, args.seed) or status
    crashes = sorted(p.name for p in work.glob("crash-*"))
    if crashes:
        print(f"failing inputs kept in {work}: {', '.join(crashes)}")
    return 1 if status else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
