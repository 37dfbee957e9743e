// The server's process (src/process.ts): a server that does not stop when asked is
// ended with its subprocesses, and a normal exit says nothing. The servers here are
// small Node scripts standing in for bib-lsp.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { descendants, ensureEnded, startProcess, waitForExit } from "../../src/process";

// A server busy with a long request: it reads nothing (not `shutdown`, not `exit`),
// ignores SIGTERM, and has a subprocess of its own; it writes both pids to a file.
const BUSY = `
const { spawn } = require("node:child_process");
const fs = require("node:fs");
process.on("SIGTERM", () => undefined);
const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => undefined); setInterval(() => undefined, 1000)"], { stdio: "ignore" });
fs.writeFileSync(process.argv[2], JSON.stringify([process.pid, child.pid]));
setInterval(() => undefined, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, ms: number, check: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("a server that does not stop is ended with its subprocesses, and says so once", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bib-lsp-busy-"));
  const script = path.join(dir, "busy.js");
  const pids = path.join(dir, "pids.json");
  fs.writeFileSync(script, BUSY);
  const log: string[] = [];
  const child = startProcess(process.execPath, [script, pids], dir, (line) => log.push(line));
  try {
    await until("the busy server to start its subprocess", 10_000, () => fs.existsSync(pids));
    const [server, sub] = JSON.parse(fs.readFileSync(pids, "utf8")) as [number, number];
    assert.equal(server, child.pid);
    assert.ok(alive(server) && alive(sub));
    await ensureEnded(child, 300, (line) => log.push(line));
    await until("the subprocess to be gone", 5_000, () => !alive(sub));
    assert.ok(!alive(server));
    assert.equal(log.length, 1, log.join("\n"));
    assert.match(log[0], new RegExp(`bib-lsp \\(process ${server}\\) did not stop when asked`));
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a server that exits with code 0 logs nothing; another code is one line", async () => {
  const log: string[] = [];
  const clean = startProcess(process.execPath, ["-e", "process.exit(0)"], os.tmpdir(), (l) => log.push(l));
  assert.ok(await waitForExit(clean, 10_000));
  await ensureEnded(clean, 1000, (l) => log.push(l));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(log.length, 0, log.join("\n"));
  const crashed = startProcess(process.execPath, ["-e", "process.exit(3)"], os.tmpdir(), (l) => log.push(l));
  assert.ok(await waitForExit(crashed, 10_000));
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(log, ["The bib-lsp process exited with code 3."]);
});

test("the process tree is read from ps's pid and parent pid columns", () => {
  const listing = "    1     0\n  100     1\n  101   100\n  102   101\n  103   100\n  200     1\n";
  assert.deepEqual(descendants(100, listing).sort(), [101, 102, 103]);
  assert.deepEqual(descendants(200, listing), []);
});
