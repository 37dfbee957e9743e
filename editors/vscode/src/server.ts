// How the extension finds the command that starts bib-lsp, and checks that it
// works before handing it to the language client. Kept free of the vscode module
// so that it can be tested in plain Node.
import { execFile } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

/** A way to start the server: a command, its arguments, and where it came from. */
export interface Candidate {
  command: string;
  args: string[];
  /** Shown to the user: "bibLsp.server.path", "the Python extension's interpreter", ... */
  origin: string;
  /** The interpreter, when the command is one: fixes are phrased with it. */
  python?: string;
}

export interface ServerSettings {
  path: string;
  args: string[];
}

const PYTHON_NAME = /^(python|pypy)(\d+(\.\d+)*)?(\.exe)?$|^py(\.exe)?$/i;

/** Does this command look like a Python interpreter (then `-m bib_lsp` is meant)? */
export function isPython(command: string): boolean {
  return PYTHON_NAME.test(path.basename(command));
}

/** `~` and `${workspaceFolder}` (and `${userHome}`) expanded. */
export function expand(value: string, workspaceFolder: string | undefined): string {
  let out = value.trim();
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = os.homedir() + out.slice(1);
  }
  out = out.split("${userHome}").join(os.homedir());
  if (workspaceFolder !== undefined) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  return out;
}

/**
 * The ways to start the server, in the order they are tried: the configured
 * command alone when there is one; else the Python extension's interpreter, the
 * `bib-lsp` executable on PATH, and `python3 -m bib_lsp` (`py -3` on Windows).
 */
export function candidates(
  settings: ServerSettings,
  workspaceFolder: string | undefined,
  extensionPython: string | undefined,
  platform: NodeJS.Platform = process.platform,
): Candidate[] {
  const configured = expand(settings.path ?? "", workspaceFolder);
  const extraArgs = (settings.args ?? []).map((a) => expand(a, workspaceFolder));
  if (configured) {
    const python = isPython(configured);
    const args = extraArgs.length > 0 ? extraArgs : python ? ["-m", "bib_lsp"] : [];
    return [
      {
        command: configured,
        args,
        origin: "bibLsp.server.path",
        python: python ? configured : undefined,
      },
    ];
  }
  const found: Candidate[] = [];
  if (extensionPython) {
    found.push({
      command: extensionPython,
      args: ["-m", "bib_lsp"],
      origin: "the Python extension's interpreter",
      python: extensionPython,
    });
  }
  found.push({ command: "bib-lsp", args: [], origin: "bib-lsp on PATH" });
  if (platform === "win32") {
    found.push({ command: "py", args: ["-3", "-m", "bib_lsp"], origin: "py -3", python: "py -3" });
  } else {
    found.push({
      command: "python3",
      args: ["-m", "bib_lsp"],
      origin: "python3 on PATH",
      python: "python3",
    });
  }
  return found;
}

/** What happened when a candidate was asked for its version. */
export type Probe =
  | { ok: true; version: string }
  | { ok: false; reason: "missing" | "no-module" | "failed"; detail: string };

export type Runner = (
  command: string,
  args: string[],
  timeoutMs: number,
) => Promise<RunResult>;

/** How a command ended: its exit code (null when killed), its output, and the
 * system error (ENOENT, EACCES, ...) when it could not be run at all. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  systemError?: string;
  message?: string;
}

/** Runs commands in ``cwd``: the folder the server itself will run in, since
 * `python -m bib_lsp` also finds a `bib_lsp` folder there. */
export function runner(cwd: string | undefined): Runner {
  return (command, args, timeoutMs) => run(command, args, timeoutMs, cwd);
}

export const run = (
  command: string,
  args: string[],
  timeoutMs: number,
  cwd?: string,
): Promise<RunResult> =>
  new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true, cwd }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({
        code,
        stdout: String(stdout),
        stderr: String(stderr),
        systemError: error && typeof error.code === "string" ? error.code : undefined,
        message: error?.message,
      });
    });
  });

/** Ask a candidate for `--version`: bib-lsp answers `bib-lsp X.Y.Z`. */
export async function probe(candidate: Candidate, runner: Runner = run, timeoutMs = 20000): Promise<Probe> {
  const result = await runner(candidate.command, [...candidate.args, "--version"], timeoutMs);
  if (result.systemError === "ENOENT" || result.systemError === "EACCES") {
    return { ok: false, reason: "missing", detail: `${candidate.command}: ${result.systemError}` };
  }
  const text = `${result.stdout}\n${result.stderr}`;
  const match = /bib-lsp (\S+)/.exec(text);
  if (result.code === 0 && match) {
    return { ok: true, version: match[1] };
  }
  if (/No module named '?bib_lsp/.test(text)) {
    return { ok: false, reason: "no-module", detail: text.trim() };
  }
  const detail = text.trim() || result.message || `exit code ${result.code}`;
  return { ok: false, reason: "failed", detail: lastLines(detail, 6) };
}

function lastLines(text: string, count: number): string {
  return text.split(/\r?\n/).slice(-count).join("\n");
}

/** Where the install commands run: bib-lsp is installed from a checkout until it is on PyPI. */
const FROM_CHECKOUT = "bib-lsp is not on PyPI yet: in a checkout of bib-lsp (git clone), run:";

/**
 * The command that would install bib-lsp for this candidate, run in a checkout of
 * bib-lsp: pip for a chosen interpreter (a virtual environment's, typically),
 * pipx otherwise (Debian's and Ubuntu's own python3 refuse pip).
 */
export function installCommand(candidate: Candidate | undefined): string {
  const python = candidate?.python;
  const chosen = candidate?.origin === "bibLsp.server.path" || candidate?.origin === "the Python extension's interpreter";
  if (!python || !chosen) {
    return "pipx install .";
  }
  const quoted = /\s/.test(python) && !python.startsWith("py ") ? `"${python}"` : python;
  return `${quoted} -m pip install .`;
}

/**
 * The command (and its argument) that opens the settings of the server's command.
 * `bibLsp.server.path` is machine-scoped: in a remote window (code-server,
 * Remote-SSH, WSL, a container) it is set on the remote machine's tab, and the
 * user settings would show "No Settings Found".
 */
export function settingsCommand(
  remoteName: string | undefined,
): [string, string | { query: string }] {
  const query = "bibLsp.server";
  return remoteName ? ["workbench.action.openRemoteSettings", { query }] : ["workbench.action.openSettings", query];
}

/** Tried in order: the first that answers, or why none did. */
export async function choose(
  tried: Candidate[],
  runner: Runner = run,
): Promise<{ chosen?: Candidate; version?: string; failures: Array<{ candidate: Candidate; probe: Probe }> }> {
  const failures: Array<{ candidate: Candidate; probe: Probe }> = [];
  for (const candidate of tried) {
    const result = await probe(candidate, runner);
    if (result.ok) {
      return { chosen: candidate, version: result.version, failures };
    }
    failures.push({ candidate, probe: result });
  }
  return { failures };
}

/**
 * One sentence for the user when no candidate started: what is wrong and the
 * command that fixes it.
 */
export function explain(failures: Array<{ candidate: Candidate; probe: Probe }>): {
  message: string;
  /** A shell command that fixes it (offered to copy), when there is one. */
  fix?: string;
} {
  const configured = failures.find((f) => f.candidate.origin === "bibLsp.server.path");
  if (configured) {
    const { candidate, probe: result } = configured;
    if (!result.ok && result.reason === "missing") {
      return {
        message: `bib-lsp could not start: bibLsp.server.path is "${candidate.command}", which does not exist or cannot be run.`,
      };
    }
    if (!result.ok && result.reason === "no-module") {
      const fix = installCommand(candidate);
      return {
        message: `bib-lsp could not start: it is not installed for ${candidate.command}. ${FROM_CHECKOUT} ${fix}`,
        fix,
      };
    }
    const detail = result.ok ? "" : result.detail;
    return {
      message: `bib-lsp could not start with ${[candidate.command, ...candidate.args].join(" ")} (bibLsp.server.path and bibLsp.server.args): ${detail}`,
    };
  }
  const broken = failures.find((f) => !f.probe.ok && f.probe.reason === "failed");
  if (broken && !broken.probe.ok) {
    const { candidate } = broken;
    return {
      message: `bib-lsp could not start with ${[candidate.command, ...candidate.args].join(" ")}: ${broken.probe.detail}`,
      fix: installCommand(candidate),
    };
  }
  const noModule = failures.find((f) => !f.probe.ok && f.probe.reason === "no-module");
  if (noModule) {
    const fix = installCommand(noModule.candidate);
    return {
      message: `bib-lsp is not installed (looked in: ${failures.map((f) => f.candidate.origin).join(", ")}). ${FROM_CHECKOUT} ${fix}`,
      fix,
    };
  }
  return {
    message:
      `bib-lsp could not start: no Python 3 was found. Install Python 3 and pipx; ${FROM_CHECKOUT} pipx install . (or set bibLsp.server.path).`,
    fix: "pipx install .",
  };
}
