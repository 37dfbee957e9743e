"""What every editor test checks: a `.bib` file with a missing field, opened in
the real editor, gives the server's diagnostic, field completion (the missing
required field first) and an APA hover."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

TEXT = "@article{k,\n  \n  author = {Ann Writer},\n  title = {On {DNA}},\n  year = 2001,\n}\n"


def project(tmp_path: Path) -> Path:
    """A project folder (with a root marker) holding the file; its path."""
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    bib = root / "refs.bib"
    bib.write_text(TEXT, encoding="utf-8")
    return bib


def check_result(result: dict[str, Any], diagnostics: list[str]) -> None:
    assert result["ok"], result
    assert any("missing-required-field" in d or "`journal`" in d for d in diagnostics)
    labels = [i["label"] for i in sorted(result["completion"], key=lambda i: i["sort"] or "")]
    assert labels[0] == "journal"  # the one required field still missing comes first
    assert "author" not in labels  # present already
    assert "`@article{k}`" in result["hover"]
    assert "Writer, A. (2001). On DNA." in result["hover"].replace("*", "")


def run_editor(
    command: list[str], bib: Path, out: Path, env: dict[str, str], timeout: int
) -> tuple[dict[str, Any], subprocess.CompletedProcess[str]]:
    """Run the editor's headless check on ``bib``; the JSON it wrote, and the run."""
    done = subprocess.run(
        command,
        env={**os.environ, **env, "BIB_LSP_OUT": str(out)},
        cwd=bib.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert out.exists(), done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8")), done
