"""The README's own Neovim configuration, run verbatim in real headless Neovim:
the 0.11 block (`vim.lsp.config` and `vim.lsp.enable`) in Neovim 0.11+, the
0.7 block (`require("bib_lsp").setup`) in every Neovim here. Each block is read
out of README.md by its marker comment, so the README and this test cannot
drift apart. With `bib-lsp` on PATH as the README asks, each run must show no
warning, give a first diagnostics report that already follows the block's
settings (`dialect`, `diagnostics.ignore`), and rename a key in `paper.tex` too,
with a `.git` root and without any root marker (an Overleaf download)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.editors.test_neovim import NEOVIMS, NVIM_DIR

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# Read by auto as BibTeX (page-range-hyphen, all-caps-title); with the README's
# settings (biblatex, all-caps-title ignored) only the @misc's missing biblatex
# requirements are left.
BIB = """@article{knuth84,
  author = {Donald E. Knuth},
  title = {LITERATE PROGRAMMING},
  journal = {The Computer Journal},
  year = {1984},
  pages = {97-111},
}

@misc{notes,
  note = {Lecture notes},
}
"""
PAPER = "\\documentclass{article}\n\\begin{document}\nAs \\cite{knuth84} shows.\n\\end{document}\n"
WITH_SETTINGS = ["missing-required-field", "missing-required-field"]
WITHOUT_SETTINGS = ["all-caps-title", "page-range-hyphen"]  # auto reads BibTeX here
NEW_KEY = "knuth1984"


def readme_block(marker: str) -> str:
    """The Lua block right after the README's `<!-- MARKER... -->` comment."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- " + re.escape(marker) + r"\b[^>]*-->\n```lua\n(.*?)```", text, re.S)
    assert found, f"README.md has no Lua block marked {marker}"
    return found.group(1)


def test_readme_blocks_carry_the_settings_the_runs_check() -> None:
    for marker in ("neovim-0.11", "neovim-0.7"):
        block = readme_block(marker)
        assert 'dialect = "biblatex"' in block
        assert 'ignore = { "all-caps-title" }' in block


def _minor(version: str) -> tuple[int, int]:
    major, minor = (int(p) for p in version.lstrip("v").split(".")[:2])
    return major, minor


def _runs() -> list[tuple[str, str]]:
    runs = []
    for version in sorted(NEOVIMS):
        if _minor(version) >= (0, 11):
            runs.append((version, "neovim-0.11"))
        runs.append((version, "neovim-0.7"))
    return runs


def run_readme_block(
    version: str, marker: str, tmp_path: Path, root_marker: bool
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str], Path]:
    folder = tmp_path / "paper"
    folder.mkdir()
    if root_marker:
        (folder / ".git").mkdir()
    bib = folder / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    (folder / "paper.tex").write_text(PAPER, encoding="utf-8")
    block = tmp_path / "block.lua"
    block.write_text(readme_block(marker), encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        # `bib-lsp` on PATH, as the README asks (this environment's).
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "BIB_LSP_RTP": str(NVIM_DIR),
        "BIB_LSP_BLOCK": str(block),
        "BIB_LSP_OUT": str(out),
        "BIB_LSP_NEW_KEY": NEW_KEY,
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    script = f"luafile {NVIM_DIR / 'test' / 'readme.lua'}"
    command = [str(NEOVIMS[version]), "--headless", "-u", "NONE", "-c", script, str(bib)]
    done = subprocess.run(
        command, env=env, cwd=folder, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.exists(), done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8")), done, folder


@pytest.mark.skipif(not NEOVIMS, reason="no Neovim on this machine")
@pytest.mark.parametrize("root_marker", [True, False], ids=["git-root", "no-root-marker"])
@pytest.mark.parametrize(("version", "marker"), _runs())
def test_readme_configuration_in_neovim(
    version: str, marker: str, root_marker: bool, tmp_path: Path
) -> None:
    result, done, folder = run_readme_block(version, marker, tmp_path, root_marker)
    assert result.get("why") is None, (result, done.stderr[-2000:])
    assert result["filetype"] == "bib"
    # No warning: not shown by the server, not printed, not in :messages.
    assert result["shown"] == [], result["shown"]
    warned = [n for n in result["notified"] if n["level"] not in (None, 0, 1, 2)]
    assert warned == [], warned
    assert "bibLsp" not in result["messages"] and "bib-lsp" not in result["messages"]
    assert "bibLsp" not in done.stderr and "must be an object" not in done.stderr
    # The settings hold from the very first report on.
    first = result["reports"][0]
    assert sorted(first["codes"]) == WITH_SETTINGS, result["reports"]
    for report in result["reports"]:
        assert not set(report["codes"]) & set(WITHOUT_SETTINGS), result["reports"]
    # The rename reached the LaTeX file beside the .bib, and both were written.
    assert f"@article{{{NEW_KEY}," in (folder / "refs.bib").read_text(encoding="utf-8")
    assert f"\\cite{{{NEW_KEY}}}" in (folder / "paper.tex").read_text(encoding="utf-8")
    assert done.returncode == 0
