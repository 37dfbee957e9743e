// The bib-lsp extension: starts the language server for BibTeX files, shows its
// state and the file's dialect in the status bar, and restarts it on request.
import { ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
} from "vscode-languageclient/node";
import { ensureEnded, startProcess } from "./process";
import { Candidate, candidates, choose, explain, runner, settingsCommand } from "./server";
import { ServerState, StatusBar } from "./status";

const SECTION = "bibLsp";
const LANGUAGE = "bibtex";
/** The server may stop this many times within RESTART_WINDOW_MS before we give up. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;
/** How long `shutdown` and `exit` may take, and then the process to end on its own. */
const STOP_TIMEOUT_MS = 2000;
const EXIT_GRACE_MS = 2000;

let client: LanguageClient | undefined;
/** The process of the running server (a new one after each restart). */
let serverProcess: ChildProcess | undefined;
let output: vscode.OutputChannel;
let status: StatusBar;
/** Problems already told to the user in this window (each is told once). */
const told = new Set<string>();
const shown: string[] = [];

export interface Api {
  /** The running client, for tests and other extensions. */
  client(): LanguageClient | undefined;
  /** Resolves when the server is running (or has failed to start). */
  ready(): Promise<void>;
  /** What the status bar item shows. */
  statusText(): string;
  /** The server's state as the status bar shows it. */
  state(): ServerState;
  /** The error messages shown to the user so far in this window. */
  shownErrors(): string[];
  /** The end of the output channel's text (the last OUTPUT_KEPT characters). */
  outputText(): string;
  /** The process id of the running server. */
  serverPid(): number | undefined;
  /** What "Open Settings" of a message does: the settings of the server's command. */
  openServerSettings(): Thenable<unknown>;
}

/** How much of the output channel's text the API keeps, for tests. */
const OUTPUT_KEPT = 256 * 1024;
let outputKept = "";

/** The channel, keeping the end of what is written to it for ``Api.outputText``. */
function keeping(channel: vscode.OutputChannel): vscode.OutputChannel {
  const keep = (text: string): void => {
    outputKept = (outputKept + text).slice(-OUTPUT_KEPT);
  };
  return new Proxy(channel, {
    get(target, property) {
      if (property === "append") {
        return (text: string) => {
          keep(text);
          target.append(text);
        };
      }
      if (property === "appendLine") {
        return (text: string) => {
          keep(`${text}\n`);
          target.appendLine(text);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

let starting: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Api {
  output = keeping(vscode.window.createOutputChannel("bib-lsp"));
  status = new StatusBar(() => client);
  context.subscriptions.push(output, status);
  context.subscriptions.push(
    vscode.commands.registerCommand("bibLsp.restartServer", async () => {
      told.clear();
      starting = restart(context);
      await starting;
    }),
    vscode.commands.registerCommand("bibLsp.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("bibLsp.chooseDialect", chooseDialect),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.server`)) {
        told.clear();
        starting = restart(context);
      }
    }),
  );
  starting = start(context);
  return {
    client: () => client,
    ready: () => starting,
    statusText: () => status.text,
    state: () => status.state,
    shownErrors: () => [...shown],
    outputText: () => outputKept,
    serverPid: () => serverProcess?.pid,
    openServerSettings,
  };
}

/** Stop the server, and end its process (with its subprocesses) if it does not
 * exit when asked: a busy server would otherwise run on beside the next one. */
export async function deactivate(): Promise<void> {
  const running = client;
  const ending = serverProcess;
  client = undefined;
  serverProcess = undefined;
  let answered = false;
  if (running) {
    try {
      await running.stop(STOP_TIMEOUT_MS);
      answered = true;
    } catch (error) {
      // Timed out, or a client that never got running (nothing to stop).
      output.appendLine(`Stopping the server: ${String(error)}`);
    }
  }
  if (ending) {
    await ensureEnded(ending, answered ? EXIT_GRACE_MS : 0, (line) => output.appendLine(line));
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  await starting.catch(() => undefined);
  await deactivate();
  await start(context);
}

function tellOnce(key: string, message: string, fix?: string): void {
  if (told.has(key)) {
    return;
  }
  told.add(key);
  shown.push(message);
  output.appendLine(message);
  const actions = fix ? ["Copy Command", "Open Settings", "Show Output"] : ["Open Settings", "Show Output"];
  void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
    if (choice === "Copy Command" && fix) {
      await vscode.env.clipboard.writeText(fix);
    } else if (choice === "Open Settings") {
      await openServerSettings();
    } else if (choice === "Show Output") {
      output.show(true);
    }
  });
}

/** The settings of the server's command, where they can be set (see settingsCommand). */
function openServerSettings(): Thenable<unknown> {
  return vscode.commands.executeCommand(...settingsCommand(vscode.env.remoteName));
}

/** The part of the Python extension's API we use (its `environments` API). */
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(
      environment: { path: string },
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The interpreter the Python extension has selected, if it is installed. */
async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const python = vscode.extensions.getExtension<PythonApi>("ms-python.python");
  if (!python) {
    return undefined;
  }
  try {
    const api = python.isActive ? python.exports : await python.activate();
    const environments = api?.environments;
    if (!environments) {
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const active = environments.getActiveEnvironmentPath(folder);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath;
  } catch (error) {
    output.appendLine(`Could not ask the Python extension for its interpreter: ${String(error)}`);
    return undefined;
  }
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  status.set("starting");
  const config = vscode.workspace.getConfiguration(SECTION);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const settings = {
    path: config.get<string>("server.path", ""),
    args: config.get<string[]>("server.args", []),
  };
  const tried = candidates(settings, folder, settings.path ? undefined : await pythonExtensionInterpreter());
  // The server runs in the workspace folder (or the home folder): so does the check.
  const cwd = folder ?? os.homedir();
  const found = await choose(tried, runner(cwd));
  for (const failure of found.failures) {
    const why = failure.probe.ok ? "" : `${failure.probe.reason}: ${failure.probe.detail}`;
    output.appendLine(`Tried ${describe(failure.candidate)} (${failure.candidate.origin}): ${why}`);
  }
  if (!found.chosen) {
    const { message, fix } = explain(found.failures);
    status.set("failed", message);
    tellOnce(`start:${message}`, message, fix);
    return;
  }
  output.appendLine(`Starting bib-lsp ${found.version} with ${describe(found.chosen)} (${found.chosen.origin})`);
  client = makeClient(found.chosen, cwd);
  status.watch(client, context);
  try {
    await client.start();
    status.set("running");
  } catch (error) {
    const message = `bib-lsp stopped while starting (its messages are in the output channel "bib-lsp"): ${String(error)}`;
    status.set("failed", message);
    tellOnce("start-failed", message);
  }
}

function describe(candidate: Candidate): string {
  return [candidate.command, ...candidate.args].join(" ");
}

function makeClient(candidate: Candidate, cwd: string): LanguageClient {
  // The extension starts the process itself (see process.ts); the client talks to
  // it over its stdio and shows its stderr. Called again for each restart after a crash.
  const serverOptions: ServerOptions = () => {
    serverProcess = startProcess(candidate.command, candidate.args, cwd, (line) => output.appendLine(line));
    return Promise.resolve(serverProcess);
  };
  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: LANGUAGE },
      { scheme: "untitled", language: LANGUAGE },
    ],
    synchronize: {
      configurationSection: SECTION,
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.bib"),
    },
    initializationOptions: settingsForServer(),
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // A server that fails its initialization is not retried; start() tells why.
    initializationFailedHandler: () => false,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        if (made !== client) {
          // A client being replaced (its server ended by a restart): the new one runs.
          return { action: CloseAction.DoNotRestart, message: "The previous bib-lsp process has ended.", handled: true };
        }
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) {
          restarts.shift();
        }
        if (restarts.length > MAX_RESTARTS) {
          const message = `bib-lsp stopped ${restarts.length} times in 3 minutes and will not be restarted. Its messages are in the output channel "bib-lsp"; run "bib-lsp: Restart Server" to try again.`;
          status.set("failed", message);
          tellOnce("crashed", message);
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        output.appendLine("bib-lsp stopped; restarting it.");
        return { action: CloseAction.Restart, handled: true };
      },
    },
  };
  const made = new LanguageClient(SECTION, "bib-lsp", serverOptions, clientOptions);
  return made;
}

/** The `bibLsp` settings the server reads (without the extension's own). */
function settingsForServer(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const out: Record<string, unknown> = {};
  for (const key of ["dialect", "diagnostics", "citation", "format"]) {
    const value = config.get(key);
    if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

async function chooseDialect(): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<string>("dialect", "auto");
  const items: Array<vscode.QuickPickItem & { value: string }> = [
    { value: "auto", label: "auto", description: "decide per file from the types and fields it uses" },
    { value: "bibtex", label: "bibtex", description: "classic BibTeX" },
    { value: "biblatex", label: "biblatex", description: "biblatex with biber" },
  ].map((item) => ({ ...item, picked: item.value === current }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: `Dialect (now ${current})` });
  if (picked && picked.value !== current) {
    const target = vscode.workspace.workspaceFolders
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await config.update("dialect", picked.value, target);
  }
}

