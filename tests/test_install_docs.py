"""The install steps a new user reads: bib-lsp is not on PyPI yet, so nothing tells
them to `pip install bib-lsp`; the README's first commands make a virtual
environment (Debian's own Python refuses pip) and, run verbatim in a copy of the
repository, install bib-lsp and check the shipped examples."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _documents() -> list[Path]:
    """Every place the install is told: the READMEs, CONTRIBUTING, the VS Code
    extension's messages."""
    found = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    found += sorted((ROOT / "editors").glob("*/README.md"))
    found += sorted((ROOT / "editors" / "vscode" / "src").glob("*.ts"))
    found += [ROOT / "editors" / "README.md", ROOT / "editors" / "emacs" / "bib-lsp.el"]
    return found


def _first_block() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```sh\n(.*?)```", text, re.S)
    assert found
    return found.group(1).splitlines()


def test_nothing_tells_to_pip_install_from_pypi() -> None:
    told = []
    for path in _documents():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"pip install bib-lsp\b", line) and "finds nothing" not in line:
                told.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert told == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Installing" in readme and "pipx install ." in readme
    assert "externally-managed-environment" in readme


def test_readme_starts_in_a_virtual_environment() -> None:
    lines = _first_block()
    assert lines[0] == "python3 -m venv .venv && . .venv/bin/activate"
    assert lines[1].startswith("pip install . && bib-lsp check examples/")
    assert lines[2].startswith("pip install -e '.[test]' && python -m pytest")


@pytest.mark.skipif(shutil.which("git") is None, reason="no git")
def test_readme_first_two_commands_work_verbatim_in_a_fresh_copy(tmp_path: Path) -> None:
    """Lines 1 and 2 of the README's first block, in bash, in a copy of the
    tracked files: a fresh venv, `pip install .`, and the check of the examples
    (exit status 1: broken.bib has errors)."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    copy = tmp_path / "bib-lsp"
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    script = "set -e\n" + _first_block()[0] + "\nset +e\n" + _first_block()[1] + "\n"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    # Not this test run's environment: the python3 a new user's shell finds.
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "examples/broken.bib:3:7: error[duplicate-key]" in done.stdout
    assert (copy / ".venv" / "bin" / "bib-lsp").exists()
