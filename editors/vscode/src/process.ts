// The server's process, started by the extension rather than by the language
// client: so that a server that does not stop when asked is ended, with its
// subprocesses, and so that a normal exit is not reported as an error (the client
// logs every exit of a process it started, code 0 included, at error level).
// Kept free of the vscode module so that it can be tested in plain Node.
import { ChildProcess, execFile, spawn } from "node:child_process";

export type Log = (line: string) => void;

/**
 * Start the server with pipes for its stdio. An exit with a code other than 0, or
 * by a signal the extension did not send, is one line in ``log``; a normal exit
 * says nothing.
 */
export function startProcess(command: string, args: string[], cwd: string, log: Log): ChildProcess {
  const child = spawn(command, args, { cwd, stdio: "pipe", windowsHide: true });
  child.on("error", (error) => log(`Could not run ${command}: ${String(error)}`));
  child.on("exit", (code, signal) => {
    if (ending.has(child)) {
      return; // ended on purpose: said when it was ended
    }
    if (code !== null && code !== 0) {
      log(`The bib-lsp process exited with code ${code}.`);
    } else if (signal !== null) {
      log(`The bib-lsp process was ended by ${signal}.`);
    }
  });
  return child;
}

const ending = new WeakSet<ChildProcess>();

function hasEnded(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with whether ``child`` has ended within ``ms``. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (hasEnded(child) || child.pid === undefined) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(hasEnded(child));
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

/**
 * Make sure the server has ended: wait up to ``graceMs`` for it to exit after
 * `shutdown` and `exit` (0 when they were not answered), then end it and all its
 * subprocesses. A server busy with a long request does not read `shutdown`; left
 * alone, it would go on beside the new one for minutes.
 */
export async function ensureEnded(child: ChildProcess, graceMs: number, log: Log): Promise<void> {
  if (await waitForExit(child, graceMs)) {
    return;
  }
  const pid = child.pid as number;
  ending.add(child);
  log(`bib-lsp (process ${pid}) did not stop when asked; ending it and its subprocesses.`);
  await killTree(pid);
  if (!(await waitForExit(child, 5000))) {
    log(`bib-lsp (process ${pid}) could not be ended.`);
  }
}

/**
 * Kill process ``pid`` and its descendants: on Windows with `taskkill /T /F`; on
 * POSIX with SIGKILL to each process of the tree, found with `ps` (the tree, not
 * the process group: the server shares the editor's group).
 */
export async function killTree(pid: number, platform: NodeJS.Platform = process.platform): Promise<void> {
  if (platform === "win32") {
    await execute("taskkill", ["/T", "/F", "/PID", String(pid)]);
    return;
  }
  signal(pid, "SIGSTOP"); // no new children while the tree is listed
  const tree = new Set<number>([pid]);
  // Twice: a child forked while the first listing ran is stopped by the second.
  for (let pass = 0; pass < 2; pass++) {
    for (const found of descendants(pid, await execute("ps", ["-A", "-o", "pid=,ppid="]))) {
      if (!tree.has(found)) {
        tree.add(found);
        signal(found, "SIGSTOP");
      }
    }
  }
  for (const member of tree) {
    signal(member, "SIGKILL");
  }
}

/** The descendants of ``root`` in a `ps -o pid=,ppid=` listing. */
export function descendants(root: number, listing: string): number[] {
  const children = new Map<number, number[]>();
  for (const line of listing.split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) {
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      if (child !== root && !out.includes(child)) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

function execute(command: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(command, args, { windowsHide: true }, (error, stdout) => resolve(error ? "" : String(stdout)));
  });
}
