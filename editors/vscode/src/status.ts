// The status bar item: the server's state, and the dialect of the BibTeX file in
// the active editor (asked of the server with its `bibLsp/status` request).
import * as vscode from "vscode";
import { LanguageClient, State } from "vscode-languageclient/node";

export type ServerState = "starting" | "running" | "stopped" | "failed";

interface DocumentStatus {
  /** null while a large file's first check is still running. */
  dialect: string | null;
  detected: boolean;
  entries: number | null;
  /** The server is still checking the file (a large one, in the background). */
  checking?: boolean;
  version: string;
}

const LANGUAGE = "bibtex";
const REFRESH_DELAY_MS = 400;

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private current: ServerState = "starting";
  private problem = "";
  private document: DocumentStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: () => LanguageClient | undefined) {
    this.item = vscode.window.createStatusBarItem("bibLsp.status", vscode.StatusBarAlignment.Right, 100);
    this.item.name = "bib-lsp";
    this.item.command = "bibLsp.chooseDialect";
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshSoon(0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) {
          this.refreshSoon(REFRESH_DELAY_MS);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration("bibLsp")) {
          this.refreshSoon(REFRESH_DELAY_MS);
        }
      }),
      vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon(REFRESH_DELAY_MS)),
    );
    this.render();
  }

  get state(): ServerState {
    return this.current;
  }

  /** What the item shows now (for tests). */
  get text(): string {
    return this.item.text;
  }

  set(state: ServerState, problem = ""): void {
    this.current = state;
    this.problem = problem;
    if (state !== "running") {
      this.document = undefined;
    }
    this.render(); // now; the file's dialect follows when the server answers
    this.refreshSoon(0);
  }

  watch(client: LanguageClient, context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      client.onDidChangeState((event) => {
        if (event.newState === State.Running) {
          this.set("running");
        } else if (event.newState === State.Starting) {
          this.set("starting");
        } else if (this.current !== "failed") {
          this.set("stopped");
        }
      }),
    );
  }

  private refreshSoon(delay: number): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    this.document = undefined;
    if (editor && editor.document.languageId === LANGUAGE && client && this.current === "running") {
      try {
        const answer = await client.sendRequest<DocumentStatus | null>("bibLsp/status", {
          textDocument: { uri: editor.document.uri.toString() },
        });
        this.document = answer ?? undefined;
      } catch {
        this.document = undefined; // an older server, or one that is restarting
      }
    }
    this.render();
  }

  private render(): void {
    const editor = vscode.window.activeTextEditor;
    const visible = editor?.document.languageId === LANGUAGE || this.current === "failed";
    const tooltip = new vscode.MarkdownString(undefined, true);
    if (this.current === "failed") {
      this.item.text = "$(error) bib-lsp";
      this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
      tooltip.appendText(this.problem || "bib-lsp is not running.");
      tooltip.appendMarkdown("\n\nClick to restart.");
      this.item.command = "bibLsp.restartServer";
    } else if (this.current === "starting") {
      this.item.text = "$(sync~spin) bib-lsp";
      this.item.backgroundColor = undefined;
      tooltip.appendText("bib-lsp is starting.");
      this.item.command = "bibLsp.showOutput";
    } else if (this.current === "stopped") {
      this.item.text = "$(debug-stop) bib-lsp";
      this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
      tooltip.appendText("bib-lsp has stopped. Click to restart.");
      this.item.command = "bibLsp.restartServer";
    } else {
      const doc = this.document;
      const dialect = doc?.dialect ? (doc.dialect === "biblatex" ? "biblatex" : "BibTeX") : "bib-lsp";
      this.item.text = doc?.checking ? `$(sync~spin) ${dialect}` : `$(book) ${dialect}`;
      this.item.backgroundColor = undefined;
      if (doc?.checking) {
        tooltip.appendText("bib-lsp is checking this file; its problems so far are the parser's.");
      } else if (doc) {
        const how = doc.detected ? "detected from the types and fields the file uses" : "set by bibLsp.dialect";
        tooltip.appendText(`Checked as ${dialect} (${how}). ${doc.entries} entries. bib-lsp ${doc.version}.`);
      } else {
        tooltip.appendText("bib-lsp is running.");
      }
      tooltip.appendMarkdown("\n\nClick to choose the dialect.");
      this.item.command = "bibLsp.chooseDialect";
    }
    this.item.tooltip = tooltip;
    if (visible) {
      this.item.show();
    } else {
      this.item.hide();
    }
  }

  dispose(): void {
    if (this.timer) {
      clearTimeout(this.timer);
    }
    this.item.dispose();
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}
