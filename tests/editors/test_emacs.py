"""The Emacs set-up (`editors/emacs/bib-lsp.el`, Eglot) in real, batch Emacs
(Debian's `emacs-nox` with `elpa-eglot`): the same checks as for Neovim."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.common import check_result, project

ROOT = Path(__file__).resolve().parents[2]
EMACS_DIR = ROOT / "editors" / "emacs"
EMACS = shutil.which("emacs")
# Debian installs Eglot as an ELPA package; `-Q` does not load packages.
LOAD_ELPA = (
    '(dolist (d (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))'
    " (add-to-list 'load-path d))"
)


def _has_eglot() -> bool:
    if EMACS is None:
        return False
    probe = subprocess.run(
        [EMACS, "--batch", "-Q", "--eval", LOAD_ELPA, "--eval", "(require 'eglot)"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _has_eglot(), reason="no Emacs with Eglot on this machine")
def test_emacs_eglot_gets_diagnostics_completion_and_hover(tmp_path: Path) -> None:
    bib = project(tmp_path)
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "BIB_LSP_OUT": str(out),
        "BIB_LSP_CMD": json.dumps([sys.executable, "-m", "bib_lsp"]),
        "HOME": str(tmp_path),
    }
    assert EMACS is not None
    done = subprocess.run(
        [
            EMACS,
            "--batch",
            "-Q",
            "--eval",
            LOAD_ELPA,
            "-l",
            str(EMACS_DIR / "bib-lsp.el"),
            "-l",
            str(EMACS_DIR / "test" / "check.el"),
            str(bib),
        ],
        env=env,
        cwd=bib.parent,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert out.exists(), done.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["mode"] == "bibtex-mode"
    check_result(result, result["diagnostics"])
    assert done.returncode == 0
