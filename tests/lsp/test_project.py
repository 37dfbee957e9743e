"""The project file through the real server, as VS Code and Neovim drive it:
formatting follows `[format]` as `bib-lsp format` does, diagnostics follow `[check]`
from the first report, the files read together define macros, a bad value is told
with its file and line, and the quick fix that reads a file together with this one."""

from __future__ import annotations

import asyncio
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from bib_lsp.cli import run_format
from tests.edits.apply import apply_edits
from tests.lsp.conftest import PROFILES, Session, start

MESSY = "@Article{k,title={T},\n     year = 2001}\n@misc{m,note={N}}\n"
ABBREVIATIONS = '@string{IEEE_J_EDL = "{IEEE} Electron Device Lett."}\n'
REFS = "@article{k, author = {A. Writer}, title = {T}, journal = IEEE_J_EDL, year = 2001}\n"
OPTIONS = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
FAST = {"diagnostics": {"debounceMs": 0}}


def codes(diagnostics: list[lsp.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


async def diagnostics_when(
    session: Session, uri: str, text: str, wanted: Callable[[list[lsp.Diagnostic]], bool]
) -> list[lsp.Diagnostic]:
    """The document's diagnostics once ``wanted`` holds (the workspace is read in
    the background): the same text sent again until then, for at most 20 s."""
    found: list[lsp.Diagnostic] = []
    for _ in range(100):
        change = session.change(uri, [lsp.TextDocumentContentChangeWholeDocument(text)])
        try:
            # A publication the server sends by itself (the workspace read) may
            # take the place of the one awaited: then ask again.
            found = await asyncio.wait_for(change, 2)
        except asyncio.TimeoutError:
            continue
        if wanted(found):
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"never came: {[d.message for d in found]}")


@pytest.mark.parametrize("profile", PROFILES)
async def test_formatting_in_the_editor_follows_the_project_file(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "bib-lsp.toml").write_text(
        '[format]\nindent = 4\ntype_case = "lower"\nalign = true\n', encoding="utf-8"
    )
    path = tmp_path / "refs.bib"
    path.write_text(MESSY, encoding="utf-8")
    # The editor's own settings say otherwise: the project file wins where it speaks.
    options = {**FAST, "format": {"indent": "tab", "typeCase": "upper", "fieldCase": "upper"}}
    session = await start(client, profile, options, tmp_path.as_uri())
    uri = path.as_uri()
    await session.open(uri, MESSY)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(lsp.TextDocumentIdentifier(uri), OPTIONS)
    )
    formatted = apply_edits(MESSY, edits, session.encoding)
    assert formatted.startswith("@article{k,\n    TITLE = {T},\n    YEAR  = 2001\n}")
    # What the editor wrote passes `bib-lsp format --check` (without fieldCase, which
    # only the editor sets, the CLI would keep the names as written).
    (tmp_path / "bib-lsp.toml").write_text(
        '[format]\nindent = 4\ntype_case = "lower"\nalign = true\nfield_case = "upper"\n',
        encoding="utf-8",
    )
    path.write_text(formatted, encoding="utf-8")
    err = io.StringIO()
    assert run_format([str(path)], True, False, None, io.StringIO(), err) == 0, err.getvalue()


@pytest.mark.parametrize("profile", PROFILES)
async def test_check_table_governs_the_first_report_and_a_change_is_seen(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    toml = tmp_path / "bib-lsp.toml"
    toml.write_text(
        '[check]\nignore = ["undefined-macro"]\nseverity = {unknown-field = "error"}\n',
        encoding="utf-8",
    )
    text = "@misc{a, title = {T}, note = foo, year = 2000, adress = {x}}\n"
    session = await start(client, profile, FAST, tmp_path.as_uri())
    uri = (tmp_path / "a.bib").as_uri()
    first = await session.open(uri, text)
    assert codes(first) == ["unknown-field"]
    assert first[0].severity == lsp.DiagnosticSeverity.Error
    # The project file changes: seen at once with a watcher, else at the next report.
    toml.write_text('[check]\ndialect = "biblatex"\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams([lsp.FileEvent(toml.as_uri(), lsp.FileChangeType.Changed)])
    )
    later = await diagnostics_when(session, uri, text, lambda d: "undefined-macro" in codes(d))
    assert sorted(codes(later)) == ["undefined-macro", "unknown-field"]
    assert all(d.severity != lsp.DiagnosticSeverity.Error for d in later)  # severity: gone


@pytest.mark.parametrize("profile", PROFILES)
async def test_a_project_file_created_later_is_found_without_a_watcher(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    text = "@misc{a, title = {T}, note = foo, year = 2000}\n"
    session = await start(client, profile, FAST, tmp_path.as_uri())
    uri = (tmp_path / "a.bib").as_uri()
    assert codes(await session.open(uri, text)) == ["undefined-macro"]
    (tmp_path / "bib-lsp.toml").write_text('[check]\nignore = ["undefined-macro"]\n')
    await diagnostics_when(session, uri, text, lambda d: d == [])  # no event sent


@pytest.mark.parametrize("profile", PROFILES)
async def test_files_read_together_define_macros_in_the_server(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "abbrev.bib").write_text(ABBREVIATIONS, encoding="utf-8")
    (tmp_path / "a-copy.bib").write_text(ABBREVIATIONS, encoding="utf-8")  # first by name
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "bib-lsp.toml").write_text(
        '[check]\ntogether = [["abbrev.bib", "refs.bib"]]\n', encoding="utf-8"
    )
    session = await start(client, profile, FAST, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    # Read from the workspace (not open): the report comes clean once it is read.
    await session.open(uri, REFS)
    await diagnostics_when(session, uri, REFS, lambda d: "undefined-macro" not in codes(d))
    # Hover names the file read together, not another that defines it too.
    position = lsp.Position(0, REFS.index("IEEE_J_EDL") + 1)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), position)
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "Defined in `abbrev.bib`, line 1." in hover.contents.value
    # Open, the macro file speaks through its live text: remove the macro there.
    abbrev = (tmp_path / "abbrev.bib").as_uri()
    await session.open(abbrev, "@string{other = {O}}\n")
    found = await diagnostics_when(session, uri, REFS, lambda d: "undefined-macro" in codes(d))
    assert "`IEEE_J_EDL` is not defined" in found[0].message


@pytest.mark.parametrize("profile", PROFILES)
async def test_editor_setting_together_and_the_order_of_the_files(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "abbrev.bib").write_text(ABBREVIATIONS, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    options = {**FAST, "together": [["refs.bib", "abbrev.bib"]]}  # the wrong order
    session = await start(client, profile, options, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    await session.open(uri, REFS)
    found = await diagnostics_when(session, uri, REFS, lambda d: "read after" in str(d))
    assert found[0].message == (
        "`IEEE_J_EDL` is not defined: no `@string` for it in this file; "
        "`abbrev.bib` defines it but is read after this file"
    )


@pytest.mark.parametrize("profile", PROFILES)
async def test_quick_fix_reads_the_defining_file_together_with_this_one(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    (tmp_path / "abbrev.bib").write_text(ABBREVIATIONS, encoding="utf-8")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    toml = tmp_path / "bib-lsp.toml"
    toml.write_text("[format]\nindent = 2\n", encoding="utf-8")
    session = await start(client, profile, FAST, tmp_path.as_uri())
    uri = (tmp_path / "refs.bib").as_uri()
    await session.open(uri, REFS)
    found = await diagnostics_when(session, uri, REFS, lambda d: "not read together" in str(d))
    assert found[0].message.endswith(
        "`abbrev.bib` defines it but is not read together with this file"
    )
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            found[0].range,
            lsp.CodeActionContext(diagnostics=found),
        )
    )
    together = [a for a in actions or [] if isinstance(a, lsp.CodeAction) and "together" in a.title]
    assert [a.title for a in together] == ["Read abbrev.bib together with this one (bib-lsp.toml)"]
    edit = together[0].edit
    assert edit is not None and edit.changes is not None
    text = toml.read_text(encoding="utf-8")
    toml.write_text(apply_edits(text, edit.changes[toml.as_uri()], session.encoding))
    assert toml.read_text(encoding="utf-8") == (
        '[format]\nindent = 2\n\n[check]\ntogether = [["abbrev.bib", "refs.bib"]]\n'
    )
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams([lsp.FileEvent(toml.as_uri(), lsp.FileChangeType.Changed)])
    )
    await diagnostics_when(session, uri, REFS, lambda d: "undefined-macro" not in codes(d))


@pytest.mark.parametrize("profile", PROFILES)
async def test_bad_project_values_are_told_with_file_and_line(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    toml = tmp_path / "bib-lsp.toml"
    toml.write_text('[check]\ndialect = "biber"\nignore = ["undefined-macro"]\n', encoding="utf-8")
    session = await start(client, profile, FAST, tmp_path.as_uri())
    uri = (tmp_path / "a.bib").as_uri()
    first = await session.open(uri, "@misc{a, title = {T}, note = foo, year = 2000}\n")
    assert first == []  # the valid values apply
    told = [m.message for m in client.messages if "bib-lsp.toml" in m.message]
    assert told == [
        f'bib-lsp: {toml}:2: check.dialect: must be one of "auto", "bibtex", "biblatex", '
        "not 'biber'"
    ]


@pytest.mark.parametrize("profile", PROFILES)
async def test_the_project_style_governs_the_bibtex_dialect(
    client: LanguageClient, profile: str, tmp_path: Path
) -> None:
    if (
        not shutil.which("kpsewhich")
        or not subprocess.run(
            ["kpsewhich", "IEEEtran.bst"], capture_output=True, check=False
        ).stdout.strip()
    ):
        pytest.skip("TeX Live's IEEEtran.bst is not installed")
    (tmp_path / "bib-lsp.toml").write_text(
        '[check]\ndialect = "bibtex"\nstyle = "IEEEtran"\n', encoding="utf-8"
    )
    text = "@electronic{e, author = {A. B}, title = {T}, url = {http://x}, year = 2000}\n"
    session = await start(client, profile, FAST, tmp_path.as_uri())
    assert await session.open((tmp_path / "e.bib").as_uri(), text) == []
