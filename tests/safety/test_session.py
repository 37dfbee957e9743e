"""The server's safety (issue 10), watched from inside its process: a full session
over stdio with a hostile workspace, hostile documents and hostile settings, the
server running under an audit hook (tests/safety/hook) that records every attempt
to use the network, start a program, compile code, write a file or open one. Then:
no network, no program, no code but modules' and the libraries' own generated
code (none holding the documents' or settings' text), no file written, no file
read outside the workspace folder, the Python installation and the server's own
package (plus /proc and /dev); a `.bib` file linked from outside the folder is not
read, a file over `bibLsp.workspace.maxFileSize` is not read and that is logged
once; every request is answered and the server shuts down cleanly."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from tests.safety.audit import HOOK_DIR, judge
from tests.safety.conftest import Web
from tools.raw_lsp import EDITOR_CAPABILITIES, Message, RawLspClient

TIMEOUT = 20.0
LIMIT = 2000  # bytes: the test's bibLsp.workspace.maxFileSize


class Client(RawLspClient):
    """Keeps the log messages; no answer may be an InternalError."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(timeout=TIMEOUT, env=env)
        self.logs: list[str] = []
        self.shown: list[str] = []
        self.answers: list[str] = []  # every response, as JSON

    def note(self, message: Message) -> None:
        super().note(message)
        method = message.get("method")
        if method == "window/logMessage":
            self.logs.append(message["params"]["message"])
        elif method == "window/showMessage":
            self.shown.append(message["params"]["message"])
        elif method is None:
            self.answers.append(json.dumps(message))

    def request(self, method: str, params: Any = None, timeout: float | None = None) -> Message:
        answer = super().request(method, params, timeout)
        assert "error" not in answer or answer["error"]["code"] != -32603, (method, answer)
        return answer


def _workspace(tmp_path: Path, web: Web) -> dict[str, Path]:
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    ws.mkdir()
    (outside / "secret.bib").write_text("@misc{outsidesecret, title = {Secret}}\n")
    (outside / "dir" / "d.bib").write_text("@misc{outsidedir, title = {Dir}}\n")
    (outside / "leak.txt").write_text("ENTITYLEAK")
    (ws / "a.bib").write_text(
        '@string{jr = "Journal of Research"}\n'
        "@article{inside2020, author = {Smith, John}, title = {In}, journal = jr, year = 2020}\n"
    )
    (ws / "paper.tex").write_text("\\cite{inside2020} \\input{/etc/passwd}\n")
    (ws / "link.bib").symlink_to(outside / "secret.bib")
    (ws / "linkdir").symlink_to(outside / "dir", target_is_directory=True)
    (ws / "inner.bib").symlink_to(ws / "a.bib")  # a link that stays inside: fine
    big = "@misc{bigentry, title = {Big}}\n" + "% padding\n" * (LIMIT // 10 + 10)
    (ws / "big.bib").write_text(big)
    return {"ws": ws, "outside": outside, "pwned": tmp_path / "pwned"}


def _hostile(paths: dict[str, Path], web: Web) -> str:
    return (
        f'@preamble{{"\\immediate\\write18{{touch {paths["pwned"]}}}"}}\n'
        '@string{evil = "\\input{/etc/passwd}"}\n'
        "@article{../../etc/passwd,\n"
        "  author = {Author, A. and Other, B.},\n"
        "  title = {\\input{/etc/passwd} \\include{/etc/shadow} \\write18{id}},\n"
        "  journal = evil,\n"
        "  crossref = {/etc/passwd},\n"
        f"  xdata = {{{paths['outside']}/secret.bib}},\n"
        "  file = {/etc/shadow},\n"
        "  url = {file:///etc/passwd},\n"
        f"  doi = {{10.1000/xyz}},\n"
        "  year = 2020,\n"
        "}\n"
        "@book{inside2020b,\n"
        "  title = {B},\n"
        f"  url = {{{web.url}/url}},\n"
        "  crossref = {inside2020},\n"
        f"  eprint = {{{web.url}/eprint}},\n"
        "}\n"
    )


def _style(paths: dict[str, Path], web: Web) -> Path:
    """A CSL style declaring external entities: a local file and a URL."""
    style = paths["outside"] / "evil.csl"
    style.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        "<!DOCTYPE style [\n"
        f'  <!ENTITY local SYSTEM "file://{paths["outside"]}/leak.txt">\n'
        f'  <!ENTITY remote SYSTEM "{web.url}/entity">\n'
        f'  <!ENTITY % param SYSTEM "{web.url}/param"> %param;\n'
        "]>\n"
        '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">\n'
        "  <info><title>Evil</title><id>evil</id><updated>2020-01-01T00:00:00+00:00</updated>"
        "</info>\n"
        '  <citation><layout><text variable="title"/></layout></citation>\n'
        "  <bibliography><layout>\n"
        '    <text value="&local;"/><text value="&remote;"/><text variable="title"/>\n'
        "  </layout></bibliography>\n"
        "</style>\n"
    )
    return style


def test_hostile_session_does_nothing_unsafe(tmp_path: Path, web: Web) -> None:
    paths = _workspace(tmp_path, web)
    ws = paths["ws"]
    style = _style(paths, web)
    log = tmp_path / "audit.jsonl"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HOOK_DIR), os.environ.get("PYTHONPATH", "")]),
        "BIB_LSP_AUDIT_LOG": str(log),
    }
    client = Client(env)
    options = {
        "diagnostics": {"debounceMs": 0},
        "workspace": {"maxFileSize": LIMIT},
        "citation": {"style": str(style)},
    }
    capabilities = {**EDITOR_CAPABILITIES, "window": {"workDoneProgress": True}}
    caps = client.initialize(capabilities, root=ws, options=options)
    text = _hostile(paths, web)
    uri = (ws / "hostile.bib").as_uri()
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "bibtex", "version": 1, "text": text}},
    )
    doc = {"uri": uri}
    lines = text.split("\n")
    positions = [
        {"line": n, "character": c}
        for n, line in enumerate(lines)
        for c in sorted({0, 2, len(line) // 2, max(len(line) - 2, 0)})
    ]
    # The scan of the folder is over when workspace/symbol finds the inside key.
    for _ in range(100):
        found = client.request("workspace/symbol", {"query": "inside2020"})["result"] or []
        if any(s["name"] == "inside2020" for s in found):
            break
        threading.Event().wait(0.1)
    everything = client.request("workspace/symbol", {"query": ""})["result"] or []
    names = {s["name"] for s in everything}
    assert "inside2020" in names
    assert "outsidesecret" not in names and "outsidedir" not in names
    assert "bigentry" not in names
    for query in ("outside", "secret", "bigentry"):
        assert not client.request("workspace/symbol", {"query": query})["result"]

    answered = set()
    for method, name in [
        ("textDocument/hover", "hoverProvider"),
        ("textDocument/definition", "definitionProvider"),
        ("textDocument/references", "referencesProvider"),
        ("textDocument/completion", "completionProvider"),
        ("textDocument/prepareRename", "renameProvider"),
    ]:
        assert name in caps, name
        for position in positions:
            params: dict[str, Any] = {"textDocument": doc, "position": position}
            if method == "textDocument/references":
                params["context"] = {"includeDeclaration": True}
            answer = client.request(method, params)
            if method == "textDocument/completion" and answer.get("result"):
                result = answer["result"]
                items = result["items"] if isinstance(result, dict) else result
                for item in items[:5]:
                    client.request("completionItem/resolve", item)
            answered.add(method)
    for position in positions[::7]:
        for new_name in ("../../../etc/x", "renamed", "/etc/passwd"):
            client.request(
                "textDocument/rename",
                {"textDocument": doc, "position": position, "newName": new_name},
            )
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    requests: list[tuple[str, str, dict[str, Any]]] = [
        (
            "textDocument/codeAction",
            "codeActionProvider",
            {"textDocument": doc, "range": whole, "context": {"diagnostics": []}},
        ),
        (
            "textDocument/formatting",
            "documentFormattingProvider",
            {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}},
        ),
        (
            "textDocument/rangeFormatting",
            "documentRangeFormattingProvider",
            {"textDocument": doc, "range": whole, "options": {"tabSize": 2, "insertSpaces": True}},
        ),
        ("textDocument/documentSymbol", "documentSymbolProvider", {"textDocument": doc}),
        ("textDocument/documentLink", "documentLinkProvider", {"textDocument": doc}),
        ("textDocument/foldingRange", "foldingRangeProvider", {"textDocument": doc}),
        (
            "textDocument/selectionRange",
            "selectionRangeProvider",
            {"textDocument": doc, "positions": positions[:20]},
        ),
        ("textDocument/semanticTokens/full", "semanticTokensProvider", {"textDocument": doc}),
        (
            "textDocument/semanticTokens/range",
            "semanticTokensProvider",
            {"textDocument": doc, "range": whole},
        ),
        ("textDocument/diagnostic", "diagnosticProvider", {"textDocument": doc}),
        ("bibLsp/status", "", {"textDocument": doc}),
    ]
    for method, capability, params in requests:
        if capability and capability not in caps:
            continue
        client.request(method, params)
        answered.add(method)
    for command in (caps.get("executeCommandProvider") or {}).get("commands", []):
        client.request("workspace/executeCommand", {"command": command, "arguments": [uri, "/etc"]})
    links = client.request("textDocument/documentLink", {"textDocument": doc})["result"] or []
    for link in links:
        assert link["target"].startswith(("https://", "http://")), link

    # Hostile settings, then every request that reads them again.
    for settings in (
        {"citation": {"style": "/etc/passwd"}},
        {"citation": {"style": f"{web.url}/style.csl"}},
        {"citation": {"style": "../../../../etc/passwd.csl"}},
        {"workspace": {"maxFileSize": 1e308}, "diagnostics": {"debounceMs": 1e308}},
        {"format": {"indent": 10**12, "wrap": 10**12}, "dialect": "\\write18{id}"},
        {"citation": {"style": str(style)}, "workspace": {"maxFileSize": -1}},
    ):
        client.notify("workspace/didChangeConfiguration", {"settings": {"bibLsp": settings}})
        for position in positions[::5]:
            client.request("textDocument/hover", {"textDocument": doc, "position": position})
        client.request(
            "textDocument/formatting",
            {"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": True}},
        )
    # The over-limit file: references read the folder again; still skipped.
    client.notify("workspace/didChangeConfiguration", {"settings": {"bibLsp": options}})
    key = next(p for p in positions if lines[p["line"]].startswith("@book"))
    key = {"line": key["line"], "character": 8}
    client.request(
        "textDocument/references",
        {"textDocument": doc, "position": key, "context": {"includeDeclaration": True}},
    )
    client.close()
    assert client.closed_cleanly
    assert {"textDocument/documentLink", "textDocument/formatting"} <= answered
    assert "textDocument/semanticTokens/full" in answered and "bibLsp/status" in answered
    assert not [m for m in client.logs if "failed:" in m]  # no handler failed

    skipped = [m for m in client.logs if "big.bib" in m and "maxFileSize" in m]
    assert len(skipped) == 1, client.logs
    said = client.logs + client.shown + client.answers
    assert not any("bigentry" in m or "ENTITYLEAK" in m or "FETCHED" in m for m in said)

    # The hostile style was used (hover rendered with it), not refused.
    assert any("evil.csl" in m for m in client.shown) or any("*B*" in a for a in client.answers)
    assert not paths["pwned"].exists()
    assert web.paths == []  # nothing fetched: not the URLs, not the style's entities
    markers = ["write18", "/etc/passwd", "/etc/shadow", "ENTITYLEAK", "outsidesecret"]
    # The style files the settings name are read (the user chose them; parsed as
    # XML only, without entities or network): the CSL file and /etc/passwd.
    verdict = judge(log, [str(ws), str(style), "/etc/passwd"], markers)
    problems = verdict.problems()
    assert problems == {}, json.dumps(problems, indent=1)[:3000]
    assert verdict.generated_by, "the hook saw no generated code: is it installed?"


def test_the_hook_sees_what_it_should(tmp_path: Path) -> None:
    """The judge itself: a process doing each forbidden thing is caught."""
    log = tmp_path / "audit.jsonl"
    env = {**os.environ, "PYTHONPATH": str(HOOK_DIR), "BIB_LSP_AUDIT_LOG": str(log)}
    script = (
        "import os, socket, subprocess\n"
        f"open({str(tmp_path / 'w.txt')!r}, 'w').close()\n"
        "open('/etc/hostname', 'rb').close() if os.path.exists('/etc/hostname') else None\n"
        "exec(compile('x = \"write18\"', '<doc>', 'exec'))\n"
        "subprocess.run(['true'])\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=0.2)\n"
        "except OSError:\n"
        "    pass\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    verdict = judge(log, [], ["write18"])
    assert verdict.writes and verdict.code and verdict.programs and verdict.network
    if os.path.exists("/etc/hostname"):
        assert any(r["path"] == "/etc/hostname" for r in verdict.reads)
