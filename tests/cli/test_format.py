"""`bib-lsp format`: in place, --check, --diff, options from config files."""

from __future__ import annotations

import io
from pathlib import Path

from bib_lsp.cli import main, run_format

MESSY = "@Article{k,title={T},\n     year = 2001}\n@misc{m}"
TIDY = "@Article{k,\n  title = {T},\n  year = 2001\n}\n@misc{m}\n"


def run(paths: list[str], check: bool = False, diff: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_format(paths, check, diff, None, out, err)
    return status, out.getvalue(), err.getvalue()


def test_format_in_place_then_nothing_to_do(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    path.write_text(MESSY, encoding="utf-8")
    assert run([str(path)]) == (0, "", "bib-lsp: 1 file reformatted\n")
    assert path.read_text(encoding="utf-8") == TIDY
    assert run([str(path), "--check"][:1], check=True)[0] == 0


def test_check_and_diff_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    path.write_text(MESSY, encoding="utf-8")
    status, _, err = run([str(tmp_path)], check=True)
    assert status == 1
    assert f"{path}: would be reformatted" in err
    status, out, _ = run([str(path)], diff=True)
    assert status == 1  # something would change, as with --check
    assert out.startswith(f"--- {path}\n+++ {path} (formatted)\n")
    assert "+  title = {T}," in out
    assert path.read_text(encoding="utf-8") == MESSY


def test_options_from_the_nearest_config_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.bib-lsp.format]\nindent = 4\ntype_case = "lower"\nalign = true\n'
    )
    sub = tmp_path / "refs"
    sub.mkdir()
    path = sub / "a.bib"
    path.write_text(MESSY, encoding="utf-8")
    assert main(["format", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == (
        "@article{k,\n    title = {T},\n    year  = 2001\n}\n@misc{m}\n"
    )
    # A bib-lsp.toml nearer the file wins.
    (sub / "bib-lsp.toml").write_text('[format]\nindent = "tab"\n')
    assert main(["format", str(path)]) == 0
    assert path.read_text(encoding="utf-8").startswith("@article{k,\n\ttitle = {T},\n\tyear  =")


def test_bad_configuration_is_a_clear_usage_error(tmp_path: Path) -> None:
    (tmp_path / "bib-lsp.toml").write_text('[format]\nindent = "wide"\nsortEntries = 3\n')
    path = tmp_path / "a.bib"
    path.write_text(MESSY, encoding="utf-8")
    status, _, err = run([str(path)])
    assert status == 2
    assert "format.indent: must be" in err and "format.sortEntries: must be one of" in err
    assert path.read_text(encoding="utf-8") == MESSY
    (tmp_path / "bib-lsp.toml").write_text("[format\n")
    status, _, err = run([str(path)])
    assert status == 2 and "is not valid TOML" in err


def test_crlf_and_latin1_files_keep_their_line_breaks_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "a.bib"
    path.write_bytes("@misc{k,title={Z\xfcrich},\r\n year=1}\r\n".encode("latin-1"))
    assert run([str(path)])[0] == 0
    assert path.read_bytes() == "@misc{k,\r\n  title = {Z\xfcrich},\r\n  year = 1\r\n}\r\n".encode(
        "latin-1"
    )


def test_the_shipped_sample_is_formatted_and_broken_one_keeps_its_broken_entry() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert run([str(examples / "sample.bib")], check=True)[0] == 0
    broken = (examples / "broken.bib").read_text(encoding="utf-8")
    status, diff, _ = run([str(examples / "broken.bib")], diff=True)
    assert status == 0
    removed = [
        line[1:] for line in diff.splitlines() if line.startswith("-") and line[1:4] != "-- "
    ]
    # The entry whose brace is never closed is not touched.
    unclosed = broken[broken.index("@") : broken.index("@", broken.index("@") + 1)]
    assert not any(line and line in unclosed for line in removed if line.strip())


def test_folders_are_walked_as_the_server_walks_them(tmp_path: Path) -> None:
    """`format .` rewrites `.BIB` files and nothing in hidden or tool folders."""
    for name in ("A.BIB", ".git/b.bib", "node_modules/pkg/c.bib", "sub/.hidden/d.bib"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(MESSY, encoding="utf-8")
    assert run([str(tmp_path)]) == (0, "", "bib-lsp: 1 file reformatted\n")
    assert (tmp_path / "A.BIB").read_text(encoding="utf-8") == TIDY
    for name in (".git/b.bib", "node_modules/pkg/c.bib", "sub/.hidden/d.bib"):
        assert (tmp_path / name).read_text(encoding="utf-8") == MESSY
