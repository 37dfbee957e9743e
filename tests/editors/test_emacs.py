"""The Emacs set-up (`editors/emacs/bib-lsp.el`, Eglot) in real, batch Emacs
(Debian's `emacs-nox` with `elpa-eglot`): the same checks as for Neovim."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.common import check_result, project, run_editor

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
    assert EMACS is not None
    command = [EMACS, "--batch", "-Q", "--eval", LOAD_ELPA]
    command += ["-l", str(EMACS_DIR / "bib-lsp.el"), "-l", str(EMACS_DIR / "test" / "check.el")]
    env = {"BIB_LSP_CMD": json.dumps([sys.executable, "-m", "bib_lsp"]), "HOME": str(tmp_path)}
    result, done = run_editor([*command, str(bib)], bib, out, env, timeout=180)
    assert result["mode"] == "bibtex-mode"
    check_result(result, result["diagnostics"])
    assert done.returncode == 0
