"""`bib-lsp check` and `bib-lsp format` on hostile files from disk (issue 10): a
documented exit status, no traceback, located findings one per line with no
control characters, a located message for bytes that are not UTF-8, and
formatting that keeps the file's meaning, its encoding and its byte-order mark."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from bib_lsp.document.io import decode_bib
from bib_lsp.formatting import FormatOptions, format_text
from tests.meaning import kept_by_formatting
from tests.reliability.hostile import (
    BOM,
    SAMPLE,
    Case,
    light_cases,
    write_big_file,
    write_long_line,
)

CASES = light_cases()  # the heavy ones: test_deep.py, in process
FINDING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (error|warning|information|hint)\["
)


def run(*args: str, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bib_lsp", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="strict",  # the output itself must be UTF-8
        timeout=timeout,
    )
    return done, time.perf_counter() - began


def check_output(done: subprocess.CompletedProcess[str], path: Path) -> list[re.Match[str]]:
    """The findings of a `check` of one file, each asserted to be well formed."""
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), done.stderr
    found = []
    for line in done.stdout.splitlines():
        match = FINDING.match(line)
        assert match is not None, line[:300]
        assert match["path"] == str(path)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", line), line[:300]
        found.append(match)
    return found


def first_bad_byte(data: bytes) -> int:
    body = data[3:] if data.startswith(BOM) else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start + len(data) - len(body)
    raise AssertionError("valid UTF-8")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case as ``NAME.bib`` in one folder (one CLI run checks them all)."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for case in CASES:
        paths[case.name] = folder / f"{case.name}.bib"
        paths[case.name].write_bytes(case.data)
    return paths


@pytest.fixture(scope="module")
def checked(files: dict[str, Path]) -> dict[str, list[re.Match[str]]]:
    """`bib-lsp check` over the folder: the findings by case."""
    folder = next(iter(files.values())).parent
    done, took = run("check", str(folder), timeout=120)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode in (0, 1), done.stderr
    assert took < 60, took
    by_path: dict[str, list[re.Match[str]]] = {str(p): [] for p in files.values()}
    for line in done.stdout.splitlines():
        match = FINDING.match(line)
        assert match is not None, line[:300]
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", line), line[:300]
        by_path[match["path"]].append(match)
    return {name: by_path[str(path)] for name, path in files.items()}


@pytest.fixture(scope="module")
def checked_json(files: dict[str, Path]) -> dict[str, list[dict[str, Any]]]:
    folder = next(iter(files.values())).parent
    done, _ = run("check", "--format", "json", str(folder), timeout=120)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1)
    by_path: dict[str, list[dict[str, Any]]] = {str(p): [] for p in files.values()}
    for item in json.loads(done.stdout):
        by_path[item["path"]].append(item)
    return {name: by_path[str(path)] for name, path in files.items()}


@pytest.fixture(scope="module")
def formatted(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`bib-lsp format --check`, `format` and `format --check` again over a copy of
    the folder: which files --check named, and the bytes after formatting."""
    folder = tmp_path_factory.mktemp("formatted")
    for path in files.values():
        (folder / path.name).write_bytes(path.read_bytes())
    first, _ = run("format", "--check", str(folder), timeout=120)
    assert "Traceback" not in first.stderr
    assert first.returncode == 1  # some files would change
    unchanged = all(
        (folder / p.name).read_bytes() == p.read_bytes() for p in files.values()
    )  # --check writes nothing
    done, took = run("format", str(folder), timeout=120)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert took < 60
    again, _ = run("format", "--check", str(folder), timeout=120)
    assert "Traceback" not in again.stderr
    return {
        "named": {line.rpartition(": ")[0] for line in first.stderr.splitlines()},
        "check_wrote_nothing": unchanged,
        "again": again,
        "after": {name: (folder / path.name).read_bytes() for name, path in files.items()},
        "folder": folder,
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check(case: Case, checked: dict[str, list[re.Match[str]]]) -> None:
    found = checked[case.name]
    notes = [m for m in found if "[not-utf8]" in m.string]
    if case.utf8:
        assert not notes
        return
    assert len(notes) == 1, [m.string for m in found[:20]]
    note = notes[0]
    if case.data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        assert "UTF-16" in note.string
        assert (note["line"], note["column"]) == ("1", "1")
    else:
        # Read as Latin-1: a character per byte, so the line and column say
        # which byte it is.
        bad = first_bad_byte(case.data)
        before = case.data[:bad].decode("latin-1")
        before = before[3:] if case.data.startswith(BOM) else before
        line = len(re.findall(r"\r\n|\r|\n", before)) + 1
        column = len(re.split(r"\r\n|\r|\n", before)[-1]) + 1
        assert (int(note["line"]), int(note["column"])) == (line, column)
        assert f"byte 0x{case.data[bad]:02x}" in note.string


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_json(case: Case, checked_json: dict[str, list[dict[str, Any]]]) -> None:
    text = decode_bib(case.data).text
    lines = re.split(r"\r\n|\r|\n", text)
    for item in checked_json[case.name]:
        for end in ("start", "end"):
            where = item["range"][end]
            assert 0 <= where["line"] < len(lines)
            units = len(lines[where["line"]].encode("utf-16-le", "surrogatepass")) // 2
            assert 0 <= where["character"] <= units


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_format_keeps_meaning_and_bytes_it_does_not_change(
    case: Case, formatted: dict[str, Any]
) -> None:
    assert formatted["check_wrote_nothing"]
    after = formatted["after"][case.name]
    named = str(formatted["folder"] / f"{case.name}.bib") in formatted["named"]
    assert (after != case.data) == named
    assert formatted["again"].returncode == 0, formatted["again"].stderr  # idempotent
    if after == case.data:
        return
    before_text, after_text = decode_bib(case.data), decode_bib(after)
    assert after_text.encoding == before_text.encoding
    assert after[:3] == case.data[:3] or not case.data.startswith(BOM)
    assert after[:2] == case.data[:2] or case.data[:2] not in (b"\xff\xfe", b"\xfe\xff")
    options = FormatOptions()
    assert kept_by_formatting(after_text.text, options) == kept_by_formatting(
        before_text.text, options
    )


def test_utf16_is_read_as_utf16_and_written_back_so(tmp_path: Path) -> None:
    messy = SAMPLE.replace("  author  = {Donald", "author={Donald")
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        path = tmp_path / f"{codec}.bib"
        path.write_bytes(bom + messy.encode(codec))
        done, _ = run("format", str(path))
        assert done.returncode == 0
        data = path.read_bytes()
        assert data.startswith(bom)
        assert data[2:].decode(codec) == format_text(messy)


def test_unreadable_and_missing_paths_are_usage_errors(tmp_path: Path) -> None:
    folder = tmp_path / "folder.bib"
    folder.mkdir()  # a directory named like a file: searched, and empty
    done, _ = run("check", str(tmp_path / "missing.bib"), str(folder))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "no such file" in done.stderr
    assert "no .bib files" in done.stderr


def test_the_five_megabyte_line(tmp_path: Path) -> None:
    path = write_long_line(tmp_path / "line.bib")
    done, took = run("check", str(path), timeout=120)
    check_output(done, path)
    assert took < 30, took
    data = path.read_bytes()
    done, took = run("format", str(path), timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert took < 30, took
    options = FormatOptions()
    assert kept_by_formatting(path.read_text(encoding="utf-8"), options) == kept_by_formatting(
        data.decode(), options
    )


@pytest.mark.slow
def test_the_fifty_megabyte_file(tmp_path: Path) -> None:
    path = write_big_file(tmp_path / "big.bib")
    done, took = run("check", str(path), timeout=600)
    check_output(done, path)
    assert took < 300, took
    done, took = run("format", "--check", str(path), timeout=600)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr
    assert took < 300, took
