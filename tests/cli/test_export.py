"""`bib-lsp export --format csl-json`: the CLI around the CSL-JSON conversion."""

from __future__ import annotations

import io
import json
from pathlib import Path

from bib_lsp.cli import main, run_export


def test_export_writes_one_array_for_all_files(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text(
        '@string{j = "Journal"}\n@article{one, title = {{DNA} \\& X}, journal = j, year = 2001}\n',
        encoding="utf-8",
    )
    (tmp_path / "b.bib").write_text("@book{two, title = {Two}}\n@misc{ONE, title = {dup}}\n")
    out, err = io.StringIO(), io.StringIO()
    assert run_export([str(tmp_path)], None, out, err) == 0
    items = json.loads(out.getvalue())
    assert [i["id"] for i in items] == ["one", "two"]
    assert items[0]["title"] == "DNA & X"
    assert items[0]["container-title"] == "Journal"
    assert "key 'ONE' already exported" in err.getvalue()


def test_export_to_a_file_and_errors(tmp_path: Path) -> None:
    source = tmp_path / "a.bib"
    source.write_text("@misc{k, title = {T}\n")  # broken: still exported as far as it goes
    target = tmp_path / "out.json"
    assert main(["export", str(source), "-o", str(target), "--allow-errors"]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))[0]["title"] == "T"
    err = io.StringIO()
    assert run_export([str(tmp_path / "missing.bib")], None, io.StringIO(), err) == 2
    assert "no such file or directory" in err.getvalue()


def test_syntax_errors_are_located_per_entry_and_fail_unless_allowed(tmp_path: Path) -> None:
    source = tmp_path / "a.bib"
    source.write_text(
        '@misc{ok, title = {Fine}}\n@misc{q, title = "He said "hi"", year = 2001}\n'
        "@misc{open, title = {T}\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_export([str(source)], None, out, err) == 1
    assert [i["id"] for i in json.loads(out.getvalue())] == ["ok", "q", "open"]
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        f"{source}:2:27: warning: entry 'q': syntax error[quote-in-quoted-value]"
    )
    assert lines[0].endswith("; exported as far as it could be read")
    assert lines[1].startswith(f"{source}:3:6: warning: entry 'open': syntax error[unbalanced")
    out, err = io.StringIO(), io.StringIO()
    assert run_export([str(source)], None, out, err, allow_errors=True) == 0
    assert len(err.getvalue().splitlines()) == 2  # still said


def test_a_windows_1252_file_exports_its_smart_quotes_and_says_how_it_was_read(
    tmp_path: Path,
) -> None:
    source = tmp_path / "windows.bib"
    text = "@misc{k, title = {“Quoted” – and ‘single’ … €5}, note = {Café}}\n"
    source.write_bytes(text.encode("cp1252"))
    out, err = io.StringIO(), io.StringIO()
    assert run_export([str(source)], None, out, err) == 0
    [item] = json.loads(out.getvalue())
    assert item["title"] == "“Quoted” – and ‘single’ … €5"
    assert item["note"] == "Café"
    assert "read as Windows-1252" in err.getvalue()
    assert "byte 0x93" in err.getvalue()


def test_a_latin_1_file_with_bytes_windows_1252_leaves_undefined_stays_latin_1(
    tmp_path: Path,
) -> None:
    source = tmp_path / "latin.bib"
    source.write_bytes(b"@misc{k, note = {Caf\xe9 \x81}}\n")  # 0x81: not Windows-1252
    out, err = io.StringIO(), io.StringIO()
    assert run_export([str(source)], None, out, err) == 0
    assert json.loads(out.getvalue())[0]["note"] == "Café \x81"
    assert "read as Latin-1 (ISO-8859-1)" in err.getvalue()
