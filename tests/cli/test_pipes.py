"""`bib-lsp` in CI and behind editors: `--min-severity`, standard input (`-`) with
`--stdin-filename`, `fix` (the server's `source.fixAll`) and `format --diff`, run as
a user or an editor plugin runs them (real processes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bib_lsp.text import LineIndex, Position, PositionEncoding
from tools.raw_lsp import RawLspClient

MESSY = "@Article{k,title={T},\n     year = 2001}\n@misc{m}"
TIDY = "@Article{k,\n  title = {T},\n  year = 2001\n}\n@misc{m}\n"
# A missing comma (error), a hyphen in a page range (information), an unknown field
# (hint) and an undefined macro (warning).
FIXABLE = "@misc{k,\n  title = {T}\n  pages = {1-2},\n  titl = {x},\n  note = nm\n}\n"
FIXED = "@misc{k,\n  title = {T},\n  pages = {1--2},\n  titl = {x},\n  note = nm\n}\n"


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bib_lsp", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_min_severity_filters_and_fails_on_what_it_keeps(tmp_path: Path) -> None:
    (tmp_path / "w.bib").write_text("@misc{k, note = nm, ulr = {x}}\n", encoding="utf-8")
    plain = run("check", "w.bib", cwd=tmp_path)
    assert (
        plain.returncode == 0
    )  # a warning and a hint (`ulr`: too short to be sure of `url`): no error
    assert len(plain.stdout.splitlines()) == 2
    strict = run("check", "--min-severity", "warning", "w.bib", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout.decode().splitlines() == [
        "w.bib:1:17: warning[undefined-macro] `nm` is not defined: no `@string` for it in this file"
    ]
    errors_only = run("check", "--min-severity", "error", "w.bib", cwd=tmp_path)
    assert (errors_only.returncode, errors_only.stdout) == (0, b"")
    bad = run("check", "--min-severity", "fatal", "w.bib", cwd=tmp_path)
    assert bad.returncode == 2
    assert b"invalid choice: 'fatal'" in bad.stderr


def test_check_reads_standard_input_under_the_name_given() -> None:
    result = run("check", "--stdin-filename", "refs/my.bib", "-", stdin=FIXABLE.encode())
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "refs/my.bib:2:14: error[missing-comma] missing `,` between fields"
    assert all(line.startswith("refs/my.bib:") for line in lines)
    unnamed = run("check", "-", stdin=FIXABLE.encode())
    assert unnamed.stdout.decode().startswith("<stdin>:2:14: error[missing-comma]")


def test_standard_input_is_the_only_path_and_the_name_needs_it(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text("@misc{k}\n", encoding="utf-8")
    mixed = run("check", "-", "a.bib", cwd=tmp_path, stdin=b"")
    assert mixed.returncode == 2
    assert b"'-' (standard input) must be the only PATH" in mixed.stderr
    named = run("format", "--stdin-filename", "x.bib", "a.bib", cwd=tmp_path)
    assert named.returncode == 2
    assert b"give '-' as the PATH" in named.stderr


def test_format_reads_standard_input_and_writes_standard_output(tmp_path: Path) -> None:
    result = run("format", "-", stdin=MESSY.encode())
    assert (result.returncode, result.stdout, result.stderr) == (0, TIDY.encode(), b"")
    # Already formatted: the same text back, nothing else.
    again = run("format", "-", stdin=TIDY.encode())
    assert (again.returncode, again.stdout, again.stderr) == (0, TIDY.encode(), b"")
    # Latin-1 in, Latin-1 out: the bytes an editor sent, in their encoding.
    latin = "@misc{k,title={Stra\xdfe}}\n".encode("latin-1")
    formatted = run("format", "-", stdin=latin).stdout
    assert formatted == "@misc{k,\n  title = {Stra\xdfe}\n}\n".encode("latin-1")


def test_format_of_standard_input_finds_the_configuration_of_the_file_named(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    (project / "refs").mkdir(parents=True)
    (project / "bib-lsp.toml").write_text("[format]\nindent = 4\n", encoding="utf-8")
    name = str(project / "refs" / "not-yet-saved.bib")
    result = run("format", "--stdin-filename", name, "-", stdin=MESSY.encode(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == TIDY.replace("\n  ", "\n    ")
    check = run("format", "--check", "--stdin-filename", name, "-", stdin=TIDY.encode())
    assert check.returncode == 1
    assert check.stdout == b""


def test_format_diff_fails_when_something_would_change_and_patch_reads_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.bib"
    # Formatted but for the missing final newline; a form feed in a comment is text,
    # not a line break.
    source = "% \x0c notes\n@misc{m,\n  title = {T}\n}"
    path.write_text(source, encoding="utf-8", newline="")
    result = run("format", "--diff", "a.bib", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "--- a.bib\n"
        "+++ a.bib (formatted)\n"
        "@@ -1,4 +1,4 @@\n"
        " % \x0c notes\n"
        " @misc{m,\n"
        "   title = {T}\n"
        "-}\n"
        "\\ No newline at end of file\n"
        "+}\n"
    )
    assert path.read_text(encoding="utf-8") == source
    if shutil.which("patch"):
        subprocess.run(["patch", "-s", "a.bib"], input=result.stdout, cwd=tmp_path, check=True)
        assert run("format", "--check", "a.bib", cwd=tmp_path).returncode == 0


def test_format_diff_of_a_formatted_file_is_empty_and_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(TIDY, encoding="utf-8")
    result = run("format", "--diff", "a.bib", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, b"")


def server_fix_all(text: str) -> str:
    """What the server's `source.fixAll` code action makes of ``text``."""
    client = RawLspClient(timeout=60)
    try:
        client.initialize()
        uri = "file:///tmp/fix.bib"
        client.open(uri, text)
        end = LineIndex(text).position(len(text), PositionEncoding.UTF16)
        whole = {"start": {"line": 0, "character": 0}, "end": _json(end)}
        params = {
            "textDocument": {"uri": uri},
            "range": whole,
            "context": {"diagnostics": [], "only": ["source.fixAll"]},
        }
        (action,) = client.request("textDocument/codeAction", params)["result"]
        edits = action["edit"]["changes"][uri]
    finally:
        client.close()
    index = LineIndex(text)
    out = text
    for edit in sorted(edits, key=lambda e: _offset(index, e["range"]["start"]), reverse=True):
        start = _offset(index, edit["range"]["start"])
        end_at = _offset(index, edit["range"]["end"])
        out = out[:start] + edit["newText"] + out[end_at:]
    return out


def _json(position: Position) -> dict[str, int]:
    return {"line": position.line, "character": position.character}


def _offset(index: LineIndex, position: dict[str, int]) -> int:
    return index.offset(Position(position["line"], position["character"]), PositionEncoding.UTF16)


def test_fix_applies_what_the_servers_fix_all_applies(tmp_path: Path) -> None:
    assert server_fix_all(FIXABLE) == FIXED
    path = tmp_path / "a.bib"
    path.write_text(FIXABLE, encoding="utf-8")
    check = run("fix", "--check", "a.bib", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stderr == b"a.bib: would be fixed\nbib-lsp: 1 file would be fixed\n"
    diff = run("fix", "--diff", "a.bib", cwd=tmp_path)
    assert diff.returncode == 1
    assert b"\n+  title = {T},\n+  pages = {1--2},\n" in diff.stdout
    assert path.read_text(encoding="utf-8") == FIXABLE
    result = run("fix", "a.bib", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, b"bib-lsp: 1 file fixed\n")
    assert path.read_text(encoding="utf-8") == FIXED
    assert run("fix", "--check", "a.bib", cwd=tmp_path).returncode == 0


def test_fix_of_standard_input_and_ignored_codes() -> None:
    result = run("fix", "-", stdin=FIXABLE.encode())
    assert (result.returncode, result.stdout, result.stderr) == (0, FIXED.encode(), b"")
    kept = run("fix", "--ignore", "page-range-hyphen", "-", stdin=FIXABLE.encode())
    assert kept.stdout.decode() == FIXED.replace("1--2", "1-2")


@pytest.mark.parametrize("command", ["check", "fix", "format", "export"])
def test_every_file_command_reads_standard_input(command: str) -> None:
    result = run(command, "-", stdin=TIDY.encode())
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
