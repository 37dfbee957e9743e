"""Which files the server reads from disk (issue 10, safety): only under the
workspace folders, links resolved (a link to a file or folder outside is not
followed; one that stays inside is), and none larger than
`bibLsp.workspace.maxFileSize` (checked with stat, before reading)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bib_lsp.document.files import MAX_BYTES, find_bib_files, find_files, inside
from bib_lsp.features.references import NameKind, read_text, scan_files
from bib_lsp.lsp.config import DEFAULT_MAX_FILE_SIZE, parse_settings
from bib_lsp.lsp.workspace import WorkspaceFiles
from bib_lsp.model.summaries import summarise


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (ws / "sub").mkdir(parents=True)
    (outside / "o.bib").write_text("@misc{outside, title = {O}}\n")
    (outside / "dir" / "d.bib").write_text("@misc{outsidedir}\n")
    (outside / "o.tex").write_text("\\cite{k}\n")
    (ws / "a.bib").write_text("@misc{k, title = {A}}\n")
    (ws / "sub" / "b.tex").write_text("\\cite{k}\n")
    (ws / "out.bib").symlink_to(outside / "o.bib")
    (ws / "out.tex").symlink_to(outside / "o.tex")
    (ws / "outdir").symlink_to(outside / "dir", target_is_directory=True)
    (ws / "in.bib").symlink_to(ws / "a.bib")
    (ws / "sub" / "up.bib").symlink_to(Path("..") / "a.bib")
    return ws


def test_links_out_of_the_folder_are_not_listed(tree: Path) -> None:
    names = {Path(p).relative_to(tree).as_posix() for p in find_bib_files(str(tree))}
    assert names == {"a.bib", "in.bib", "sub/up.bib"}
    tex = {Path(p).name for p in find_files(str(tree), (".bib", ".tex"))}
    assert "out.tex" not in tex and "b.tex" in tex


def test_a_folder_given_through_a_link_still_works(tree: Path, tmp_path: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(tree, target_is_directory=True)
    names = {Path(p).name for p in find_bib_files(str(alias))}
    assert names == {"a.bib", "in.bib", "up.bib"}
    assert inside(str(alias / "a.bib"), [str(tree)])
    assert not inside(str(alias / "out.bib"), [str(alias)])


def test_the_server_reads_no_link_out_of_its_folders(tree: Path) -> None:
    files = WorkspaceFiles()
    files.folders = [str(tree)]
    assert files.contains(str(tree / "a.bib")) and files.contains(str(tree / "in.bib"))
    assert not files.contains(str(tree / "out.bib"))  # as a watched-file event would name it
    assert not files.contains(str(tree / "outdir" / "d.bib"))
    assert not files.contains(str(tree.parent / "outside" / "o.bib"))


def test_files_over_the_limit_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.bib"
    big.write_text("@misc{bigentry}\n" + "%\n" * 600)
    tex = tmp_path / "big.tex"
    tex.write_text("\\cite{bigentry}\n" + "%\n" * 600)
    size = big.stat().st_size
    assert summarise(str(big), size) is not None
    reads: list[str] = []
    real = Path.read_bytes

    def watch(self: Path) -> bytes:
        reads.append(str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", watch)
    assert summarise(str(big), size - 1) is None
    assert read_text(str(big), size - 1) is None
    assert read_text(str(tex), 100) is None
    assert reads == []
    skipped: list[str] = []
    hits = scan_files([str(big), str(tex)], NameKind.KEY, "bigentry", 100, skipped)
    assert hits == [] and skipped == [str(big), str(tex)] and reads == []
    assert len(scan_files([str(big), str(tex)], NameKind.KEY, "bigentry", 10**6)) == 2


def test_the_setting() -> None:
    assert DEFAULT_MAX_FILE_SIZE == MAX_BYTES == 64 * 1024 * 1024
    settings, problems = parse_settings({"workspace": {"maxFileSize": 1000}})
    assert settings.max_file_size == 1000 and problems == []
    for bad in ("1000", -5, True, None, float("nan"), [1]):
        settings, problems = parse_settings({"workspace": {"maxFileSize": bad}})
        assert settings.max_file_size == DEFAULT_MAX_FILE_SIZE
        assert len(problems) == 1 and "bibLsp.workspace.maxFileSize" in problems[0]
    settings, problems = parse_settings({"workspace": {"maxFileSize": 1e300}})
    assert settings.max_file_size >= 2**63 and problems == []
    _, problems = parse_settings({"workspace": "big"})
    assert problems == ['bibLsp.workspace must be an object, not "big"']
    base, _ = parse_settings({"workspace": {"maxFileSize": 7}})
    assert parse_settings({"dialect": "bibtex"}, base)[0].max_file_size == 7


def test_skipped_files_are_told_once() -> None:
    files = WorkspaceFiles()
    told: list[str] = []
    files.tell = told.append
    files.max_bytes = 10
    files.too_large(["/w/a.bib", "/w/b.bib"])
    files.too_large(["/w/a.bib"])
    assert len(told) == 2 and "/w/a.bib" in told[0] and "10 bytes" in told[0]
