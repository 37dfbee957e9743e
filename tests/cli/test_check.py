"""`bib-lsp check`: output format, exit codes, encodings and bad paths, run as a user
would run it (a real subprocess) and in-process for the finer points."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bib_lsp.cli import run_check
from tests.backends import kpsewhich

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

BROKEN = """\
@book{a,
  title = {The {TeX book},
  year  = 1984,
}

@article{b,
  author = "Leslie Lamport"
  title  = "LaTeX",
}
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bib_lsp", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_clean_file_exits_zero_and_prints_nothing() -> None:
    result = run("check", str(EXAMPLES / "sample.bib"))
    assert result.returncode == 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_broken_file_lists_each_problem_with_location_and_exits_one(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("check", "refs.bib", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "refs.bib:2:11: error[unbalanced-braces] this `{` is probably never closed: its "
        "value takes in `year = ...` and the `}` meant to end the entry",
        "refs.bib:7:28: error[missing-comma] missing `,` between fields",
    ]
    assert "2 errors in 1 file" in result.stderr


def test_json_output_uses_lsp_ranges_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "emoji.bib"
    # The emoji takes two UTF-16 units, so the `=` (the 28th character) is at 28.
    path.write_text("@misc{k, note = {\U0001f600}, title = ,}\n", encoding="utf-8")
    result = run("check", "--format", "json", str(path))
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert items == [
        {
            "path": str(path),
            "range": {"start": {"line": 0, "character": 28}, "end": {"line": 0, "character": 29}},
            "severity": "error",
            "code": "missing-value",
            "message": "field `title` has no value",
        }
    ]


def test_json_output_is_an_empty_array_for_a_clean_file() -> None:
    result = run("check", "--format", "json", str(EXAMPLES / "sample.bib"))
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_text_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    path = tmp_path / "u.bib"
    path.write_text("@misc{k, author = {Gödel} title = {x}}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(path)], "text", out, err) == 1
    assert out.getvalue().startswith(f"{path}:1:26: error[missing-comma]")


def test_latin1_file_is_read_with_a_located_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.bib"
    path.write_bytes(b"@misc{k,\n  author = {Stra\xdfe},\n}\n")
    result = run("check", str(path))
    # A warning only: the exit status stays 0.
    assert result.returncode == 0
    assert result.stdout.startswith(f"{path}:2:17: warning[not-utf8] ")
    assert "0xdf" in result.stdout


def test_utf8_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.bib"
    path.write_bytes(b"\xef\xbb\xbf@book{k, title = }\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(path)], "text", out, err) == 1
    # Column 16 counts from the `@`: the mark is not part of the text.
    assert out.getvalue().startswith(f"{path}:1:16: error[missing-value]")


def test_missing_file_is_a_clear_error_with_exit_two(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.bib"), str(EXAMPLES / "broken.bib"))
    assert result.returncode == 2
    assert "nope.bib': no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr
    # The other file is still checked.
    assert "broken.bib:" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_unreadable_file_is_a_clear_error_with_exit_two(tmp_path: Path) -> None:
    path = tmp_path / "secret.bib"
    path.write_text("@misc{k}\n", encoding="utf-8")
    path.chmod(0)
    try:
        if path.stat().st_mode and _can_read(path):
            pytest.skip("running as a user who can read any file (root)")
        result = run("check", str(path))
    finally:
        path.chmod(0o644)
    assert result.returncode == 2
    assert "cannot read" in result.stderr
    assert "Traceback" not in result.stderr


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


def test_dangling_symlink_is_a_clear_error_with_exit_two(tmp_path: Path) -> None:
    link = tmp_path / "gone.bib"
    link.symlink_to(tmp_path / "deleted.bib")
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(link)], "text", out, err) == 2
    assert f"cannot read '{link}': No such file or directory" in err.getvalue()


def test_directory_without_bib_files_is_an_error(tmp_path: Path) -> None:
    # A typo'd or empty directory in CI must not pass silently.
    (tmp_path / "refs").mkdir()
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(tmp_path / "refs")], "text", out, err) == 2
    assert "no .bib files in directory" in err.getvalue()


def test_directories_are_searched_for_bib_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.bib").write_text("@misc{a, title = }\n", encoding="utf-8")
    (tmp_path / "b.bib").write_text("@misc{b}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("@misc{c, title = }\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(tmp_path)], "text", out, err) == 1
    assert out.getvalue().splitlines() == [
        f"{tmp_path / 'sub' / 'a.bib'}:1:16: error[missing-value] field `title` has no value"
    ]


def test_directories_are_searched_as_the_server_searches_its_workspace(tmp_path: Path) -> None:
    """`check DIR` finds the files the server finds (``find_bib_files``): `.BIB` in
    any case, nothing in hidden or tool folders, no link out of the directory."""
    broken = "@misc{a, title = }\n"
    for name in ("A.BIB", ".git/b.bib", "node_modules/pkg/c.bib", "sub/.hidden/d.bib"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(broken, encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.bib"
    outside.write_text(broken, encoding="utf-8")
    (tmp_path / "out.bib").symlink_to(outside)
    out, err = io.StringIO(), io.StringIO()
    assert run_check([str(tmp_path)], "text", out, err) == 1
    assert out.getvalue().splitlines() == [
        f"{tmp_path / 'A.BIB'}:1:16: error[missing-value] field `title` has no value"
    ]


def test_usage_errors_exit_two_without_traceback() -> None:
    for args in (["check"], ["check", "--format", "xml", "x.bib"], ["frobnicate"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr
        assert "Traceback" not in result.stderr


def test_dialect_option_is_validated() -> None:
    result = run("check", "--dialect", "bibtex", str(EXAMPLES / "sample.bib"))
    assert result.returncode == 0
    result = run("check", "--dialect", "amsrefs", str(EXAMPLES / "sample.bib"))
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_select_and_ignore_choose_the_codes_reported(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("check", "--select", "missing-comma", "refs.bib", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "refs.bib:7:28: error[missing-comma] missing `,` between fields"
    ]
    result = run("check", "--ignore", "missing-comma,unbalanced-braces", "refs.bib", cwd=tmp_path)
    assert "missing-comma" not in result.stdout
    assert "unbalanced-braces" not in result.stdout
    result = run("check", "--ignore", "missing-coma", "refs.bib", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "argument --ignore: unknown code 'missing-coma' (did you mean 'missing-comma'?); "
        "the codes are: all-caps-title, author-and-editor, " in result.stderr
    )
    assert "missing-comma, missing-entry-body" in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("bib-lsp ")


def test_broken_pipe_is_not_a_traceback() -> None:
    proc = subprocess.run(
        f"{sys.executable} -m bib_lsp check --format json {EXAMPLES / 'broken.bib'} | head -c 1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in proc.stderr


def test_shipped_examples_show_the_problems_the_readme_promises() -> None:
    result = run("check", str(EXAMPLES / "sample.bib"), str(EXAMPLES / "broken.bib"))
    assert result.returncode == 1
    codes = [line.split("[")[1].split("]")[0] for line in result.stdout.splitlines()]
    assert codes == [
        "duplicate-key",
        "unbalanced-braces",
        "missing-comma",
        "missing-value",
        "duplicate-key",
        "missing-required-field",
    ]


IEEE_EXAMPLE = kpsewhich("IEEEexample.bib")


def _codes_in(stdout: str, code: str) -> int:
    return sum(f"[{code}]" in line for line in stdout.splitlines())


@pytest.mark.skipif(
    IEEE_EXAMPLE is None or kpsewhich("IEEEtran.bst") is None,
    reason="kpsewhich cannot find IEEEexample.bib and IEEEtran.bst (texlive-publishers)",
)
def test_style_option_checks_ieeetran_types_and_fields() -> None:
    assert IEEE_EXAMPLE is not None
    before = run("check", "--dialect", "bibtex", str(IEEE_EXAMPLE))
    assert _codes_in(before.stdout, "unknown-entry-type") == 22
    assert _codes_in(before.stdout, "unknown-field") == 14
    after = run("check", "--dialect", "bibtex", "--style", "IEEEtran", str(IEEE_EXAMPLE))
    assert "Traceback" not in after.stderr and "warning:" not in after.stderr
    assert _codes_in(after.stdout, "unknown-entry-type") == 0
    assert _codes_in(after.stdout, "unknown-field") == 0
    # IEEEtran's @incollection does not ask for a publisher, plain.bst's does
    assert _codes_in(before.stdout, "missing-required-field") == 1
    assert _codes_in(after.stdout, "missing-required-field") == 0


def test_style_option_takes_a_path_and_names_declared_by_hand(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(
        "@webpage{w, title={T}, colour={red}}\n@gadget{d, title={T}, hue={blue}}\n",
        encoding="utf-8",
    )
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "web.bst").write_text(
        "ENTRY { title colour } {} {}\nFUNCTION {fin.entry} { write$ }\n"
        "FUNCTION {webpage} { title write$ fin.entry }\nREAD\nITERATE {call.type$}\n",
        encoding="latin-1",
    )
    result = run("check", "--style", "styles/web.bst", "refs.bib", cwd=tmp_path)
    assert result.stderr.endswith("1 warning in 1 file\n")
    expected = "refs.bib:2:2: warning[unknown-entry-type] `@gadget` is not an entry type of web.bst"
    assert expected in result.stdout
    result = run(
        "check",
        "--style=styles/web.bst",
        "--extra-types=gadget",
        "--extra-fields",
        "hue,shade",
        "refs.bib",
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_unknown_style_is_told_and_plain_is_used(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text("@electronic{e, title={T}}\n", encoding="utf-8")
    result = run("check", "--style", "./nowhere.bst", "refs.bib", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith(
        f"bib-lsp: warning: BibTeX style './nowhere.bst': no style file "
        f"{tmp_path / 'nowhere.bst'}; using plain.bst\n"
    )
    assert "`@electronic` is not a BibTeX entry type" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_not_read_and_does_not_hang(tmp_path: Path) -> None:
    """A FIFO named `x.bib` is skipped in a folder and refused when named."""
    os.mkfifo(tmp_path / "x.bib")
    (tmp_path / "ok.bib").write_text("@misc{a, title = }\n", encoding="utf-8")
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("ok.bib:1:16: error[missing-value]")
    result = run("check", "x.bib", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "bib-lsp: error: 'x.bib': not a regular file\n"
