"""The project file in the CLI: `[check]` (dialect, ignore, severity, the files read
together) under the command-line flags, located messages for bad values, and files
named together on the command line read as BibTeX reads `\\bibliography{a,b}`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ABBREVIATIONS = '@string{IEEE_J_EDL = "{IEEE} Electron Device Lett."}\n'
REFS = "@article{k, author = {A. Writer}, title = {T}, journal = IEEE_J_EDL, year = 2001}\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bib_lsp", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _kpsewhich(*names: str) -> list[str]:
    if shutil.which("kpsewhich") is None:
        pytest.skip("kpsewhich (TeX Live) is not installed")
    found = subprocess.run(
        ["kpsewhich", *names], capture_output=True, text=True, check=False
    ).stdout.split()
    if len(found) != len(names):
        pytest.skip(f"TeX Live lacks {names}")
    return found


def test_the_real_ieee_files_named_together_define_the_journal_macros(tmp_path: Path) -> None:
    abbreviations, example = _kpsewhich("IEEEabrv.bib", "IEEEexample.bib")
    alone = run("check", example, cwd=tmp_path)
    assert "`IEEE_J_EDL` is not defined" in alone.stdout  # what the check used to say
    together = run("check", abbreviations, example, cwd=tmp_path)
    assert "undefined-macro" not in together.stdout
    # In BibTeX's order: IEEEabrv.bib read after the file does not define them yet.
    reversed_order = run("check", example, abbreviations, cwd=tmp_path)
    assert (
        "`IEEE_J_EDL` is not defined: no `@string` for it in this file; `IEEEabrv.bib` "
        "defines it but is read after this file"
    ) in reversed_order.stdout


def test_project_together_sets_serve_a_file_checked_alone(tmp_path: Path) -> None:
    (tmp_path / "abbrev.bib").write_text(ABBREVIATIONS, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "later.bib").write_text(REFS.replace("{k,", "{m,"), encoding="utf-8")
    (tmp_path / "bib-lsp.toml").write_text(
        '[check]\ntogether = [["abbrev.bib", "refs.bib"], ["later.bib", "abbrev.bib"]]\n',
        encoding="utf-8",
    )
    result = run("check", "refs.bib", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr
    result = run("check", "later.bib", cwd=tmp_path)
    assert "`abbrev.bib` defines it but is read after this file" in result.stdout
    # Named together on the command line, the command line's order is the set.
    assert run("check", "abbrev.bib", "later.bib", cwd=tmp_path).stdout == ""


def test_check_table_is_honoured_and_flags_override_it(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(
        "@misc{a, title = {T}, note = foo, year = 2000, adress = {x}}\n", encoding="utf-8"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.bib-lsp.check]\ndialect = "biblatex"\n'
        'ignore = ["undefined-macro"]\nseverity = {unknown-field = "error"}\n',
        encoding="utf-8",
    )
    result = run("check", "a.bib", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "a.bib:1:48: error[unknown-field] `adress` is not a biblatex field: it is ignored "
        "(did you mean `address`?)"
    ]
    assert result.returncode == 1
    flags = run("check", "--dialect", "bibtex", "--ignore", "unknown-field", "a.bib", cwd=tmp_path)
    assert flags.stdout.splitlines() == [
        "a.bib:1:30: warning[undefined-macro] `foo` is not defined: no `@string` for it in "
        "this file"
    ]


def test_bad_values_are_located_and_exit_two_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@misc{a, title = {T}, year = 2000}\n", encoding="utf-8")
    (tmp_path / "bib-lsp.toml").write_text(
        '[format]\nindent = "wide"\n\n[check]\ndialect = "biber"\n'
        'together = "a.bib"\nseverity = {bad-pages = "loud"}\nstyle = 3\n',
        encoding="utf-8",
    )
    result = run("check", "a.bib", cwd=tmp_path)
    assert result.returncode == 2
    toml = tmp_path / "bib-lsp.toml"
    lines = result.stderr.splitlines()
    assert f'{toml}:2: error: format.indent: must be "auto", "tab" or a number' in result.stderr
    assert f'{toml}:5: error: check.dialect: must be one of "auto", "bibtex", "biblatex", ' in (
        result.stderr
    )
    assert f"{toml}:6: error: check.together: must be a list of lists" in result.stderr
    assert f"{toml}:7: error: check.severity.bad-pages: must be" in result.stderr
    assert f"{toml}:8: error: check.style: must be a .bst name or path, not 3" in lines
    assert "Traceback" not in result.stderr
    fmt = run("format", "--check", "a.bib", cwd=tmp_path)
    assert fmt.returncode == 2 and f"{toml}:2: error: format.indent" in fmt.stderr
    toml.write_text("[check\n", encoding="utf-8")
    broken = run("check", "a.bib", cwd=tmp_path)
    assert broken.returncode == 2 and f"{toml}:1: error: is not valid TOML" in broken.stderr


def test_style_is_read_and_a_relative_path_resolved(tmp_path: Path) -> None:
    from bib_lsp.project import read_project

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "my.bst").write_text("ENTRY {} {} {}\n", encoding="utf-8")
    toml = tmp_path / "bib-lsp.toml"
    toml.write_text('[check]\nstyle = "styles/my.bst"\n', encoding="utf-8")
    assert read_project(toml).check.style == str((tmp_path / "styles" / "my.bst").resolve())
    toml.write_text('[check]\nstyle = "IEEEtran"\n', encoding="utf-8")
    assert read_project(toml).check.style == "IEEEtran"  # for kpsewhich


ELECTRONIC = "@electronic{e, author = {A. B}, title = {T}, url = {http://x}, year = 2000}\n"


def test_the_project_style_is_used_and_the_flag_overrides_it(tmp_path: Path) -> None:
    _kpsewhich("IEEEtran.bst")
    (tmp_path / "e.bib").write_text(ELECTRONIC, encoding="utf-8")
    (tmp_path / "bib-lsp.toml").write_text(
        '[check]\ndialect = "bibtex"\nstyle = "IEEEtran"\n', encoding="utf-8"
    )
    assert run("check", "e.bib", cwd=tmp_path).stdout == ""  # IEEEtran knows @electronic
    flagged = run("check", "--style", "plain", "e.bib", cwd=tmp_path)
    assert "unknown-entry-type" in flagged.stdout
    (tmp_path / "bib-lsp.toml").write_text('[check]\nstyle = "no-such-style"\n')
    told = run("check", "e.bib", cwd=tmp_path)
    assert "BibTeX style 'no-such-style'" in told.stderr and "using plain.bst" in told.stderr


def test_fix_follows_the_project_file_as_check_does(tmp_path: Path) -> None:
    (tmp_path / "bib-lsp.toml").write_text(
        '[check]\nignore = ["page-range-hyphen"]\n', encoding="utf-8"
    )
    text = "@article{k, author = {A}, title = {T}, journal = {J}, year = 2000, pages = {1-5}}\n"
    refs = tmp_path / "refs.bib"
    refs.write_text(text, encoding="utf-8")
    # The project ignores the code: nothing to fix, as `check` reports nothing.
    assert run("check", "refs.bib", cwd=tmp_path).stdout == ""
    result = run("fix", "refs.bib", cwd=tmp_path)
    assert (result.returncode, refs.read_text(encoding="utf-8")) == (0, text)
    # --ignore replaces the project's list, as for check.
    result = run("fix", "--ignore", "unknown-field", "refs.bib", cwd=tmp_path)
    assert result.returncode == 0
    assert refs.read_text(encoding="utf-8") == text.replace("{1-5}", "{1--5}")
    # A bad project file: told with its line, nothing written.
    (tmp_path / "bib-lsp.toml").write_text('[check]\ndialect = "bibtax"\n', encoding="utf-8")
    refs.write_text(text, encoding="utf-8")
    result = run("fix", "--ignore", "unknown-field", "refs.bib", cwd=tmp_path)
    assert result.returncode == 2
    assert "bib-lsp.toml:2:" in result.stderr
    assert refs.read_text(encoding="utf-8") == text
