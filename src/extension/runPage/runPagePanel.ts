import * as vscode from "vscode";
import type { ComponentDescription } from "../../core/workspace/describe";
import { RUN_PAGE_VIEW_TYPE, isFromRunPage, runIdOfState, type FromRunPage, type RunPageAction, type ToRunPage } from "../../protocol/runPage";
import { reportForActionResult } from "../compare/actionOutcome";
import { createNonce } from "../compare/html";
import type { CompareRunSource } from "../compare/runSource";
import { webviewOptions, webviewRoot } from "../compare/compareWebview";
import { RestoredPanels } from "../compare/restoredTab";
import type { RunActionRunner } from "../compare/vscodeHost";
import { artifactFiles } from "./artifactFiles";
import { runPageHtml } from "./html";
import { runPageData } from "./runPageData";

export interface RunPageDeps {
  extensionUri: vscode.Uri;
  folder(): string | undefined;
  source: CompareRunSource;
  /** The components' descriptions, for the parameters' defaults (empty when unavailable). */
  components(): Promise<readonly ComponentDescription[]>;
  /** The per-run actions (the same mlexp commands as the Runs view and the comparison panel). */
  runAction: RunActionRunner;
  compareWith(runId: string): Thenable<unknown>;
  log(message: string): void;
  /** How long to wait for VS Code to revive a restored run page once shown (default 15 s). */
  reviveTimeoutMs?: number;
}

/**
 * The run page: one rendered page per run (metrics, parameters with defaults, learning curves,
 * trials, code, dataset, reproductions, artifacts, actions). One panel is reused, as a preview is:
 * clicking another run shows that run in it. It follows the store while it is visible.
 */
export class RunPagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private runId: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  static register(context: Pick<vscode.ExtensionContext, "subscriptions" | "extensionUri">, deps: Omit<RunPageDeps, "extensionUri">): RunPagePanel {
    const page = new RunPagePanel({ ...deps, extensionUri: context.extensionUri });
    context.subscriptions.push(
      page,
      vscode.window.registerWebviewPanelSerializer(RUN_PAGE_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const runId = runIdOfState(state);
          if (runId) page.adopt(panel, runId);
          else panel.dispose();
          page.restored.settled(runId ? panel : undefined);
        },
      }),
    );
    return page;
  }

  /** A run page VS Code restored after a reload, revived when a run is shown. */
  private readonly restored: RestoredPanels<vscode.WebviewPanel>;

  constructor(private readonly deps: RunPageDeps) {
    this.restored = new RestoredPanels({ viewType: RUN_PAGE_VIEW_TYPE, current: () => this.panel, timeoutMs: deps.reviveTimeoutMs, log: deps.log });
  }

  /** Shows a run, in the open page if there is one (also one VS Code restored after a reload). */
  async show(runId: string, options: { preserveFocus?: boolean } = {}): Promise<void> {
    const column = this.panel ? vscode.ViewColumn.Active : (await this.restored.revive()).column;
    if (this.panel) {
      this.runId = runId;
      this.panel.title = `Run ${runId}`;
      this.panel.reveal(undefined, options.preserveFocus ?? false);
      await this.post();
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUN_PAGE_VIEW_TYPE, `Run ${runId}`, { viewColumn: column, preserveFocus: options.preserveFocus ?? false }, { enableFindWidget: true });
    this.adopt(panel, runId);
  }

  /** The store changed: a visible page shows the run as it is now (a hidden one reads it when shown). */
  refresh(): void {
    if (this.panel?.visible) void this.post();
  }

  get openRunId(): string | undefined {
    return this.panel ? this.runId : undefined;
  }

  private adopt(panel: vscode.WebviewPanel, runId: string): void {
    this.disposePanel();
    this.panel = panel;
    this.runId = runId;
    panel.title = `Run ${runId}`;
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, "media", "mlexp.svg");
    panel.webview.options = webviewOptions(this.deps.extensionUri);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidChangeViewState((event) => {
        if (event.webviewPanel.visible) void this.post();
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) this.disposePanel();
      }),
    );
    panel.webview.html = this.html(panel.webview);
  }

  private html(webview: vscode.Webview): string {
    const file = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(webviewRoot(this.deps.extensionUri), name)).toString();
    return runPageHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: file("run.js"),
      styleUris: [file("compare.css"), file("run.css")],
      codiconsUri: file("codicon.css"),
    });
  }

  private async receive(message: unknown): Promise<void> {
    if (!isFromRunPage(message)) {
      this.deps.log(`Run page: ignored a malformed message ${JSON.stringify(message)?.slice(0, 200)}`);
      return;
    }
    if (message.type === "ready") return this.post();
    await this.act(message);
  }

  private async act(message: Extract<FromRunPage, { type: "action" }>): Promise<void> {
    const action: RunPageAction = message.action;
    if (action === "compareWith") {
      await this.deps.compareWith(message.runId);
      return;
    }
    const report = reportForActionResult(action, message.runId, await this.deps.runAction(action, message.runId));
    if (report.notice) this.send({ type: "notice", level: report.notice.level, text: report.notice.text });
    if (report.compareAlso?.length) await this.post();
  }

  private async post(): Promise<void> {
    const runId = this.runId;
    if (!runId || !this.panel) return;
    try {
      const runs = await this.deps.source.list();
      const run = runs.find((candidate) => candidate.run_id === runId);
      if (!run) {
        this.send({ type: "missing", runId, message: `Run ${runId} is not in this workspace's run database (deleted, or another workspace's).` });
        return;
      }
      const folder = this.deps.folder();
      const [history, trials, components] = await Promise.all([this.deps.source.history(runId), this.deps.source.trials(runId), this.deps.components().catch(() => [])]);
      const page = runPageData({ run, runs, history, trials, components, artifactFiles: folder ? artifactFiles(folder, runId) : [] });
      if (this.runId === runId) this.send({ type: "run", page });
    } catch (error) {
      this.send({ type: "missing", runId, message: `Could not read run ${runId}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private send(message: ToRunPage): void {
    void this.panel?.webview.postMessage(message);
  }

  private disposePanel(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    const panel = this.panel;
    this.panel = undefined;
    panel?.dispose();
  }

  dispose(): void {
    this.disposePanel();
  }
}
