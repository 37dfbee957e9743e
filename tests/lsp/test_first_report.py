"""What a client such as Neovim sees first: settings given as `[]` (an empty Lua
table) taken as none, without a warning; the very first diagnostics following
the settings the client answers to `workspace/configuration`, pushed or pulled
(Neovim 0.11 pulls and cannot be told to pull again); and a rename that could
not search the other files saying so."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tools.raw_lsp import EDITOR_CAPABILITIES, Message, RawLspClient

URI = "file:///tmp/bib-lsp-first/refs.bib"
TEXT = "@misc{a, title = {x} year = 1}\n@misc{b, t = }\n"  # missing comma, missing value
SETTINGS = {"diagnostics": {"debounceMs": 0, "ignore": ["missing-comma"]}}


class Client(RawLspClient):
    """Answers `workspace/configuration` with ``answer`` (for the `bibLsp` section),
    or holds its answer back until ``answer_configuration()``; keeps every
    `window/showMessage`."""

    def __init__(self, answer: Any, hold: bool = False) -> None:
        super().__init__(timeout=30)
        self.answer = answer
        self.hold = hold
        self.held: list[int | str] = []
        self.shown: list[str] = []

    def note(self, message: Message) -> None:
        if message.get("method") == "workspace/configuration":
            if self.hold:
                self.held.append(message["id"])
            else:
                self.send({"id": message["id"], "result": [self.answer]})
            return
        if message.get("method") == "window/showMessage":
            self.shown.append(message["params"]["message"])
        super().note(message)

    def answer_configuration(self) -> None:
        for request_id in self.held:
            self.send({"id": request_id, "result": [self.answer]})
        self.held = []


def capabilities(pull: bool) -> Message:
    """An editor's capabilities with `workspace/configuration`; pulling ones
    without `workspace.diagnostic.refreshSupport`, as Neovim 0.11's."""
    caps: Message = {**EDITOR_CAPABILITIES, "workspace": {"configuration": True}}
    if pull:
        caps["textDocument"] = {**caps["textDocument"], "diagnostic": {}}
    return caps


def pull(client: Client, uri: str = URI) -> list[str]:
    answer = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    return [d["code"] for d in answer["result"]["items"]]


def open_document(client: Client, uri: str = URI, text: str = TEXT) -> None:
    item = {"uri": uri, "languageId": "bibtex", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})


@pytest.mark.parametrize("pulls", [False, True], ids=["push", "pull"])
def test_empty_list_settings_are_no_settings_and_no_warning(pulls: bool) -> None:
    # Neovim's `settings = {bibLsp = {diagnostics = {severity = {}}, format = {}}}`.
    empty_sections = {
        "diagnostics": {"severity": []},
        "format": [],
        "citation": [],
        "workspace": [],
    }
    client = Client(answer=empty_sections)
    try:
        client.initialize(capabilities(pulls), options=[])  # type: ignore[arg-type]
        open_document(client)
        if pulls:
            codes = pull(client)
        else:
            codes = [d["code"] for d in client.published(URI, 1)["diagnostics"]]
        assert codes == ["missing-comma", "missing-value"]
        client.notify("workspace/didChangeConfiguration", {"settings": None})
        client.drain(0.5)
    finally:
        client.close()
    assert client.shown == []
    assert client.errors == []


@pytest.mark.parametrize("pulls", [False, True], ids=["push", "pull"])
def test_first_report_follows_the_configuration_answered_late(pulls: bool) -> None:
    """initializationOptions `[]`, the settings only in the answer to
    `workspace/configuration`, which comes 0.5 s after the document is opened."""
    client = Client(answer=SETTINGS, hold=True)
    try:
        client.initialize(capabilities(pulls), options=[])  # type: ignore[arg-type]
        client.wait_for("workspace/configuration")
        open_document(client)
        if pulls:
            client.send(
                {
                    "id": "first",
                    "method": "textDocument/diagnostic",
                    "params": {"textDocument": {"uri": URI}},
                }
            )
        client.drain(0.5)
        assert URI not in client.diagnostics  # nothing published before the settings
        client.answer_configuration()
        if pulls:
            items = client.response_to("first")["result"]["items"]
            codes = [d["code"] for d in items]
        else:
            codes = [d["code"] for d in client.published(URI, 1)["diagnostics"]]
        assert codes == ["missing-value"]
    finally:
        client.close()
    assert client.shown == []


@pytest.mark.parametrize("pulls", [False, True], ids=["push", "pull"])
def test_a_configuration_never_answered_delays_the_first_report_a_few_seconds_only(
    pulls: bool,
) -> None:
    client = Client(answer=SETTINGS, hold=True)
    try:
        client.initialize(capabilities(pulls), options={"diagnostics": {"debounceMs": 0}})
        client.wait_for("workspace/configuration")
        start = time.monotonic()
        open_document(client)
        if pulls:
            codes = pull(client)
        else:
            codes = [d["code"] for d in client.published(URI, 1)["diagnostics"]]
        waited = time.monotonic() - start
        assert codes == ["missing-comma", "missing-value"]  # initialize's settings
        assert waited < 10
    finally:
        client.close()


REFS = "@misc{old, title = {T}}\n"
PAPER = "\\documentclass{article}\n\\begin{document}\\cite{old}\\end{document}\n"


def rename(root: Path | None, bib: Path) -> tuple[Message, list[str]]:
    client = Client(answer=None)
    try:
        client.initialize(capabilities(False), root=root)
        uri = bib.as_uri()
        open_document(client, uri, REFS)
        client.published(uri, 1)
        params = {
            "textDocument": {"uri": uri},
            "position": {"line": 0, "character": 7},
            "newName": "new",
        }
        result = client.request("textDocument/rename", params)["result"]
        client.drain(0.3)
    finally:
        client.close()
    return result, client.shown


def changed_files(edit: Message) -> set[str]:
    uris = set(edit.get("changes") or {})
    uris |= {c["textDocument"]["uri"] for c in edit.get("documentChanges") or ()}
    return {Path(u.removeprefix("file://")).name for u in uris}


def test_a_rename_without_a_workspace_folder_says_that_other_files_were_not_searched(
    tmp_path: Path,
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(REFS, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(PAPER, encoding="utf-8")
    edit, shown = rename(None, bib)
    assert changed_files(edit) == {"refs.bib"}
    [warning] = [m for m in shown if "renamed" in m]
    assert "`old` renamed in the open documents only" in warning
    assert "no workspace folder" in warning


def test_a_rename_with_a_workspace_folder_reaches_the_latex_file_silently(
    tmp_path: Path,
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(REFS, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(PAPER, encoding="utf-8")
    edit, shown = rename(tmp_path, bib)
    assert changed_files(edit) == {"refs.bib", "paper.tex"}
    assert not [m for m in shown if "renamed" in m]


def test_a_rename_of_a_file_outside_the_workspace_folders_says_so(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere").mkdir()
    bib = tmp_path / "elsewhere" / "refs.bib"
    bib.write_text(REFS, encoding="utf-8")
    _, shown = rename(tmp_path / "project", bib)
    [warning] = [m for m in shown if "renamed" in m]
    assert "outside the workspace folders" in warning
