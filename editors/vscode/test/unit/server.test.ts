// How the extension chooses the server command and what it tells the user when
// none works (src/server.ts), with scripted and real commands.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import {
  Candidate,
  RunResult,
  Runner,
  candidates,
  choose,
  explain,
  isPython,
  probe,
  run,
  settingsCommand,
} from "../../src/server";

const none = { path: "", args: [] };

test("the configured command alone is tried, a Python interpreter with -m bib_lsp", () => {
  const [only, ...rest] = candidates({ path: "/opt/venv/bin/python3.12", args: [] }, "/ws", "/x/python");
  assert.deepEqual(rest, []);
  assert.deepEqual([only.command, ...only.args], ["/opt/venv/bin/python3.12", "-m", "bib_lsp"]);
  const [exe] = candidates({ path: "${workspaceFolder}/.venv/bin/bib-lsp", args: [] }, "/ws", undefined);
  assert.deepEqual([exe.command, ...exe.args], ["/ws/.venv/bin/bib-lsp"]);
  const [withArgs] = candidates({ path: "~/bin/python", args: ["-X", "utf8", "-m", "bib_lsp"] }, undefined, undefined);
  assert.equal(withArgs.command, path.join(os.homedir(), "bin/python"));
  assert.deepEqual(withArgs.args, ["-X", "utf8", "-m", "bib_lsp"]);
});

test("without a configured command: the Python extension's, bib-lsp, python3 (py -3 on Windows)", () => {
  const linux = candidates(none, undefined, "/venv/bin/python").map((c) => [c.command, ...c.args].join(" "));
  assert.deepEqual(linux, ["/venv/bin/python -m bib_lsp", "bib-lsp", "python3 -m bib_lsp"]);
  const windows = candidates(none, undefined, undefined, "win32").map((c) => [c.command, ...c.args].join(" "));
  assert.deepEqual(windows, ["bib-lsp", "py -3 -m bib_lsp"]);
});

test("interpreters are told from executables by name", () => {
  for (const name of ["python", "python3", "python3.12", "/usr/bin/python3", "C:\\Py\\python.exe", "pypy3", "py"]) {
    assert.ok(isPython(name.replace(/\\/g, "/")), name);
  }
  for (const name of ["bib-lsp", "/usr/local/bin/bib-lsp", "pythonista", "bib_lsp.exe"]) {
    assert.ok(!isPython(name), name);
  }
});

function scripted(answers: Record<string, Partial<RunResult>>): Runner {
  return (command) => {
    const answer = answers[command] ?? { systemError: "ENOENT" };
    return Promise.resolve({ code: 1, stdout: "", stderr: "", ...answer });
  };
}

test("the first candidate that answers --version is chosen", async () => {
  const found = await choose(
    candidates(none, undefined, "/venv/bin/python"),
    scripted({
      "/venv/bin/python": { code: 1, stderr: "/venv/bin/python: No module named bib_lsp" },
      "bib-lsp": { code: 0, stdout: "bib-lsp 0.1.0\n" },
    }),
  );
  assert.equal(found.chosen?.command, "bib-lsp");
  assert.equal(found.version, "0.1.0");
  assert.equal(found.failures.length, 1);
});

test("no Python at all: one sentence saying so, and how to install", async () => {
  const found = await choose(candidates(none, undefined, undefined), scripted({}));
  assert.equal(found.chosen, undefined);
  const { message, fix } = explain(found.failures);
  assert.match(message, /no Python 3 was found/);
  assert.match(message, /not on PyPI yet: in a checkout of bib-lsp/);
  assert.equal(fix, "pipx install .");
});

test("Python without bib-lsp: the install command for that very interpreter", async () => {
  const found = await choose(
    candidates(none, undefined, "/home/me/my env/bin/python"),
    scripted({
      "/home/me/my env/bin/python": { stderr: "/home/me/my env/bin/python: No module named bib_lsp" },
      python3: { stderr: "/usr/bin/python3: No module named bib_lsp" },
    }),
  );
  const { message, fix } = explain(found.failures);
  assert.equal(fix, '"/home/me/my env/bin/python" -m pip install .');
  assert.match(message, /bib-lsp is not on PyPI yet: in a checkout of bib-lsp \(git clone\), run: "\/home\/me\/my env\/bin\/python" -m pip install \.$/);
  assert.match(message, /^bib-lsp is not installed \(looked in: the Python extension's interpreter, bib-lsp on PATH, python3 on PATH\)/);
  assert.ok(!message.includes("Traceback"));
});

test("only the system python3 without bib-lsp: pipx, which Debian's own Python allows", async () => {
  const found = await choose(
    candidates(none, undefined, undefined),
    scripted({ python3: { stderr: "/usr/bin/python3: No module named bib_lsp" } }),
  );
  const { message, fix } = explain(found.failures);
  assert.equal(fix, "pipx install .");
  assert.match(message, /not on PyPI yet: in a checkout of bib-lsp \(git clone\), run: pipx install \.$/);
});

test("a configured path that does not exist is named", async () => {
  const found = await choose(candidates({ path: "/nowhere/bib-lsp", args: [] }, undefined, undefined), scripted({}));
  const { message, fix } = explain(found.failures);
  assert.match(message, /bibLsp.server.path is "\/nowhere\/bib-lsp", which does not exist/);
  assert.equal(fix, undefined); // no command to copy: the setting is what to change
});

test("a server that fails to import says why, in its last lines only", async () => {
  const traceback = ["Traceback (most recent call last):", ...Array.from({ length: 20 }, () => '  File "x.py", line 1'), "ModuleNotFoundError: No module named 'pygls'"];
  const result = await probe(
    { command: "bib-lsp", args: [], origin: "bib-lsp on PATH" },
    scripted({ "bib-lsp": { code: 1, stderr: traceback.join("\n") } }),
  );
  assert.equal(result.ok, false);
  if (!result.ok) {
    assert.equal(result.reason, "failed");
    assert.match(result.detail, /No module named 'pygls'$/);
    assert.ok(result.detail.split("\n").length <= 6);
  }
});

test("real commands: a missing one, and a real Python without the module", async () => {
  const missing = await probe({ command: "/nonexistent/bib-lsp-xyz", args: [], origin: "test" }, run);
  assert.deepEqual(missing.ok ? "ok" : missing.reason, "missing");
  // An empty virtual environment's Python surely lacks bib_lsp.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bib-lsp-unit-"));
  let python: string | undefined;
  try {
    execFileSync("python3", ["-m", "venv", "--without-pip", scratch], { stdio: "ignore" });
    python = path.join(scratch, "bin", "python");
  } catch {
    python = undefined; // no python3 here: nothing more to try
  }
  if (python) {
    const candidate: Candidate = { command: python, args: ["-m", "bib_lsp"], origin: "test", python };
    const result = await probe(candidate, run);
    assert.equal(result.ok ? "ok" : result.reason, "no-module");
    assert.match(explain([{ candidate: { ...candidate, origin: "bibLsp.server.path" }, probe: result }]).fix ?? "", /-m pip install \.$/);
  }
  fs.rmSync(scratch, { recursive: true, force: true });
});

test("Open Settings: the remote machine's settings in a remote window, else the user's", () => {
  // bibLsp.server.path is machine-scoped: in a remote window it is set on the Remote tab.
  for (const remote of ["ssh-remote", "wsl", "dev-container", "code-server"]) {
    assert.deepEqual(settingsCommand(remote), ["workbench.action.openRemoteSettings", { query: "bibLsp.server" }]);
  }
  assert.deepEqual(settingsCommand(undefined), ["workbench.action.openSettings", "bibLsp.server"]);
});
