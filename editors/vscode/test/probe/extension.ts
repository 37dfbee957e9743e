// Test-only extension, run inside a real VS Code (code-server) by
// test/e2e/run.mjs. It reads its task from `bib-lsp-probe.json` in the opened
// folder, opens the .bib file named there, and writes what the bib-lsp extension
// gave it (diagnostics, completion, hover, formatting, symbols, the status bar, a
// restart) to the result file named there. The end-to-end test asserts on that
// file. Nothing here decides whether the test passes.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";

interface Task {
  file: string;
  out: string;
  /** Where to ask for completion and hover: [line, character], 0-based. */
  completionAt: [number, number];
  hoverAt: [number, number];
  timeoutMs: number;
  /** A stand-in server that never answers `shutdown` (it has a subprocess), and the
   * file where it writes its pid and its subprocess's pid when it starts. */
  busyServer?: string;
  busyPids?: string;
}

interface BibLspApi {
  ready(): Promise<void>;
  statusText(): string;
  state(): string;
  shownErrors(): string[];
  outputText(): string;
  serverPid(): number | undefined;
  openServerSettings(): Thenable<unknown>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const log: string[] = [];

function note(text: string): void {
  log.push(`${new Date().toISOString()} ${text}`);
}

export function activate(): void {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) {
    return;
  }
  const taskFile = path.join(folder, "bib-lsp-probe.json");
  if (!fs.existsSync(taskFile)) {
    return;
  }
  const task = JSON.parse(fs.readFileSync(taskFile, "utf8")) as Task;
  void probe(task).then(
    (result) => write(task, { ok: true, ...result, log }),
    (error: unknown) => write(task, { ok: false, error: String(error), log }),
  );
}

function write(task: Task, result: Record<string, unknown>): void {
  const tmp = `${task.out}.part`;
  fs.writeFileSync(tmp, JSON.stringify(result, null, 2));
  fs.renameSync(tmp, task.out);
}

function within<T>(what: string, ms: number, promise: Thenable<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Resolves with the document's diagnostics once the server has sent some. */
function diagnosticsOf(uri: vscode.Uri, ms: number): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri);
  if (now.length > 0) {
    return Promise.resolve(now);
  }
  return within(
    "diagnostics",
    ms,
    new Promise<vscode.Diagnostic[]>((resolve) => {
      const listener = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === uri.toString())) {
          const found = vscode.languages.getDiagnostics(uri);
          if (found.length > 0) {
            listener.dispose();
            resolve(found);
          }
        }
      });
    }),
  );
}

function plain(value: string | vscode.MarkdownString | { value: string } | undefined): string {
  if (value === undefined) {
    return "";
  }
  return typeof value === "string" ? value : value.value;
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === "string" ? c : "value" in c ? c.value : ""))
    .join("\n");
}

async function waitFor<T>(what: string, ms: number, get: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(`timed out after ${ms} ms: ${what}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function probe(task: Task): Promise<Record<string, unknown>> {
  const extension = vscode.extensions.getExtension<BibLspApi>("bib-lsp.bib-lsp");
  if (!extension) {
    throw new Error("the bib-lsp extension is not installed");
  }
  const uri = vscode.Uri.file(task.file);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  note(`opened ${task.file} as ${document.languageId}`);
  const api = await extension.activate();
  await within("the server to start", task.timeoutMs, api.ready());
  note("server ready");

  const diagnostics = await diagnosticsOf(uri, task.timeoutMs);
  note(`${diagnostics.length} diagnostics`);

  const [cl, cc] = task.completionAt;
  const completion = await vscode.commands.executeCommand<vscode.CompletionList>(
    "vscode.executeCompletionItemProvider",
    uri,
    new vscode.Position(cl, cc),
    undefined,
    // Resolve the first items, as VS Code does for the one it shows.
    5,
  );
  note(`${completion.items.length} completion items`);

  const [hl, hc] = task.hoverAt;
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    "vscode.executeHoverProvider",
    uri,
    new vscode.Position(hl, hc),
  );
  note(`${hovers.length} hovers`);

  const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
    "vscode.executeDocumentSymbolProvider",
    uri,
  );
  const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
    "vscode.executeFormatDocumentProvider",
    uri,
    { tabSize: 2, insertSpaces: true },
  );
  const formatted = edits ? applied(document.getText(), document, edits) : document.getText();

  const status = await waitFor("the status bar to show the dialect", task.timeoutMs, () =>
    Promise.resolve(/BibTeX|biblatex/.test(api.statusText()) ? api.statusText() : undefined),
  );
  note(`status bar: ${status}`);

  // A restart must bring the server back, with its diagnostics.
  await vscode.commands.executeCommand("bibLsp.restartServer");
  await within("the server to restart", task.timeoutMs, api.ready());
  const hoversAfterRestart = await waitFor("a hover after the restart", task.timeoutMs, async () => {
    const again = await vscode.commands.executeCommand<vscode.Hover[]>(
      "vscode.executeHoverProvider",
      uri,
      new vscode.Position(hl, hc),
    );
    return again.length > 0 ? again : undefined;
  });
  note("restarted");
  const outputAfterRestart = api.outputText();

  // "Open Settings" of a message: the settings editor on the server's command.
  await api.openServerSettings();
  const settingsTab = vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? "";
  // What the user sees in it, once its search has run: the setting, or "No Settings Found".
  await new Promise((r) => setTimeout(r, 2000));
  const [settingsShown] = await askPage(task, [".settings-editor .settings-body"]);
  await vscode.commands.executeCommand("workbench.action.closeActiveEditor");
  note(`settings opened: ${settingsTab} (remote: ${vscode.env.remoteName ?? "none"})`);

  // A server that does not stop when asked: a restart ends it and its subprocess.
  let busy: Record<string, unknown> = {};
  if (task.busyServer && task.busyPids) {
    const config = vscode.workspace.getConfiguration("bibLsp");
    await config.update("server.path", task.busyServer, vscode.ConfigurationTarget.Workspace);
    const pids = task.busyPids;
    const [server, sub] = await waitFor("the busy server to start", task.timeoutMs, () =>
      Promise.resolve(
        fs.existsSync(pids) && api.state() === "running"
          ? (JSON.parse(fs.readFileSync(pids, "utf8")) as [number, number])
          : undefined,
      ),
    );
    const aliveBefore = [alive(server), alive(sub)];
    fs.rmSync(pids);
    const started = Date.now();
    await vscode.commands.executeCommand("bibLsp.restartServer");
    await within("the restart of the busy server", task.timeoutMs, api.ready());
    const restartMs = Date.now() - started;
    const after = await waitFor("the new busy server", task.timeoutMs, () =>
      Promise.resolve(fs.existsSync(pids) ? (JSON.parse(fs.readFileSync(pids, "utf8")) as [number, number]) : undefined),
    );
    // The old subprocess belonged to the killed server: give init a moment to reap it.
    await waitFor("the old server's subprocess to go", 5000, () =>
      Promise.resolve(alive(sub) ? undefined : true),
    ).catch(() => undefined);
    busy = { aliveBefore, aliveAfter: [alive(server), alive(sub)], restartMs, newPid: after[0], newServerPid: api.serverPid() };
    await config.update("server.path", undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor("the real server to come back", task.timeoutMs, () =>
      Promise.resolve(api.state() === "running" && ![undefined, after[0]].includes(api.serverPid()) ? true : undefined),
    );
    busy.newAliveAfterSwitch = alive(after[0]);
    note(`busy server: ${JSON.stringify(busy)}`);
  }

  // A server that cannot start: one clear message, the status bar says so, and
  // nothing more is shown when another file is opened. Then back to a good one.
  const config = vscode.workspace.getConfiguration("bibLsp");
  const before = api.shownErrors().length;
  await config.update("server.path", "/nonexistent/bin/bib-lsp", vscode.ConfigurationTarget.Workspace);
  await waitFor("the status bar to show the failure", task.timeoutMs, () =>
    Promise.resolve(api.state() === "failed" ? true : undefined),
  );
  const failedStatus = api.statusText();
  const other = vscode.Uri.file(path.join(path.dirname(task.file), "other.bib"));
  fs.writeFileSync(other.fsPath, "@misc{other, title = {Other}}\n");
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(other));
  await new Promise((r) => setTimeout(r, 1500));
  const failureMessages = api.shownErrors().slice(before);
  note(`failure: ${failedStatus}: ${failureMessages.join(" | ")}`);
  await config.update("server.path", undefined, vscode.ConfigurationTarget.Workspace);
  await waitFor("the server to come back", task.timeoutMs, () =>
    Promise.resolve(api.state() === "running" ? true : undefined),
  );
  const editorAgain = await vscode.window.showTextDocument(document);
  await waitFor("diagnostics after coming back", task.timeoutMs, () =>
    Promise.resolve(vscode.languages.getDiagnostics(uri).length > 0 ? true : undefined),
  );
  note("back");

  // Leave the editor as a user would see it, for the screenshot: the cursor on
  // the key, its hover open, the problem underlined.
  await vscode.commands.executeCommand("notifications.clearAll");
  editorAgain.selection = new vscode.Selection(hl, hc, hl, hc);
  await vscode.commands.executeCommand("editor.action.showHover");

  return {
    languageId: document.languageId,
    diagnostics: diagnostics.map((d) => ({
      message: d.message,
      code: typeof d.code === "object" ? String(d.code.value) : String(d.code ?? ""),
      severity: d.severity,
      line: d.range.start.line,
      source: d.source ?? "",
    })),
    completion: completion.items.map((item) => ({
      label: typeof item.label === "string" ? item.label : item.label.label,
      sort: item.sortText ?? null,
      documentation: plain(item.documentation),
      snippet: item.insertText instanceof vscode.SnippetString ? item.insertText.value : null,
    })),
    hover: hoverText(hovers),
    hoverAfterRestart: hoverText(hoversAfterRestart),
    symbols: symbols.map((s) => ({ name: s.name, detail: s.detail, kind: s.kind })),
    formatted,
    status,
    failedStatus,
    failureMessages,
    outputAfterRestart,
    settingsTab,
    settingsShown,
    remoteName: vscode.env.remoteName ?? null,
    busy,
  };
}

/** The text of the first visible element matching each selector, as run.mjs reads
 * it from the page (null where nothing matches). */
async function askPage(task: Task, selectors: string[]): Promise<Array<string | null>> {
  const answer = `${task.out}.answer`;
  fs.writeFileSync(`${task.out}.ask.part`, JSON.stringify(selectors));
  fs.renameSync(`${task.out}.ask.part`, `${task.out}.ask`);
  const texts = await waitFor("the page's text", task.timeoutMs, () =>
    Promise.resolve(fs.existsSync(answer) ? (JSON.parse(fs.readFileSync(answer, "utf8")) as Array<string | null>) : undefined),
  );
  fs.rmSync(answer);
  return texts;
}

function applied(text: string, document: vscode.TextDocument, edits: vscode.TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  let out = text;
  for (const edit of sorted) {
    const start = document.offsetAt(edit.range.start);
    const end = document.offsetAt(edit.range.end);
    out = out.slice(0, start) + edit.newText + out.slice(end);
  }
  return out;
}
