"""`bib-lsp rules`: every code at hand from the command line, as documented."""

from __future__ import annotations

import subprocess
import sys

from bib_lsp import docgen
from bib_lsp.rules import known_codes


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bib_lsp", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_rules_lists_every_code_with_its_severity_on_one_line() -> None:
    result = run("rules")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(known_codes())
    by_code = {line.split()[0]: line.split()[1:] for line in lines}
    assert by_code["missing-comma"][0] == "error"
    assert " ".join(by_code["missing-comma"][1:]) == (
        "Two fields (or the key and the first field) without a `,` between them."
    )
    assert by_code["unknown-field"][0] == "hint"


def test_rules_code_shows_the_shipped_page() -> None:
    result = run("rules", "missing-comma")
    assert result.returncode == 0
    page = docgen.PACKAGE_DOCS_DIR / "missing-comma.md"
    assert result.stdout == page.read_text(encoding="utf-8")
    assert "## How to fix" in result.stdout


def test_an_unknown_code_suggests_the_nearest_and_lists_all() -> None:
    result = run("rules", "duplicate-keys")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "bib-lsp: error: unknown code 'duplicate-keys' (did you mean 'duplicate-key'?); "
        "the codes are: all-caps-title, "
    )
