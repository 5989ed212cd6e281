import * as vscode from "vscode";
import { COMPARE_VIEW_TYPE, selectionOfState, type CompareSelection } from "../../protocol/compare";
import type { RunComparer } from "../runs/runComparer";
import { CompareWebview } from "./compareWebview";
import { StoreRunSource, type CompareRunSource } from "./runSource";
import { RestoredPanels } from "./restoredTab";
import { selectionOfModel, selectionOfRuns } from "./selection";
import { commandRunActions, pickRunsToAdd, type RunActionRunner } from "./vscodeHost";
import { StoreDiffSource, type RunDiffSource } from "./whatChanged/diffSource";
import { WhatChangedDocuments } from "./whatChanged/vscodeWhatChanged";

export interface ComparePanelDeps {
  /** The extension's folder (`context.extensionUri`): the page's bundle is under dist/webview. */
  extensionUri: vscode.Uri;
  /** The workspace folder whose runs are compared. */
  folder(): string | undefined;
  /** The `mlexp.store` setting (undefined: the workspace's own database). */
  storeUrl?(): string | undefined;
  /** Per-run actions; by default the mlexp commands (checkout, worktree, reproduce, artifacts). */
  runAction?: RunActionRunner;
  /** Where runs, curves and trials come from; by default the folder's run store. */
  source?: CompareRunSource;
  /** Where "What changed" diffs come from; by default the folder's store and git repository. */
  diffSource?: RunDiffSource;
  log?(message: string): void;
  /** How long to wait for VS Code to revive a restored comparison tab once shown (default 15 s). */
  reviveTimeoutMs?: number;
}

/**
 * The comparison webview panel: opens (or reveals) the panel for some runs, restores panels after a
 * window reload through its WebviewPanelSerializer, and refreshes open panels when the store
 * changes. Wiring in the composition root is `ComparePanel.register(context, deps)`, then
 * `panel.compare(runIds)` from commands and `panel.refresh()` from the store watcher.
 */
export class ComparePanel implements RunComparer, vscode.Disposable {
  private readonly webviews = new Set<CompareWebview>();
  /** The panel `show` reuses: the one opened or focused last. */
  private latest: CompareWebview | undefined;
  private readonly source: CompareRunSource;
  private readonly ownSource: StoreRunSource | undefined;
  private readonly diffSource: RunDiffSource;
  private readonly ownDiffSource: StoreDiffSource | undefined;
  /** Snapshot files and row samples, opened read-only from "What changed". */
  private readonly documents: WhatChangedDocuments;
  /** A comparison tab VS Code restored after a reload, revived when a comparison is asked for. */
  private readonly restored: RestoredPanels<CompareWebview>;

  /** Creates the panel controller, registers its serializer, and disposes both with the extension. */
  static register(context: Pick<vscode.ExtensionContext, "subscriptions" | "extensionUri">, deps: Omit<ComparePanelDeps, "extensionUri">): ComparePanel {
    const panel = new ComparePanel({ ...deps, extensionUri: context.extensionUri });
    context.subscriptions.push(panel, vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, panel));
    return panel;
  }

  constructor(private readonly deps: ComparePanelDeps) {
    this.ownSource = deps.source ? undefined : new StoreRunSource(deps.folder, () => deps.storeUrl?.());
    this.source = deps.source ?? (this.ownSource as StoreRunSource);
    this.ownDiffSource = deps.diffSource ? undefined : new StoreDiffSource(deps.folder);
    this.diffSource = deps.diffSource ?? (this.ownDiffSource as StoreDiffSource);
    this.documents = new WhatChangedDocuments(deps.folder);
    this.restored = new RestoredPanels({ viewType: COMPARE_VIEW_TYPE, current: () => this.latest, timeoutMs: deps.reviveTimeoutMs, log: (message) => deps.log?.(message) });
  }

  /** RunComparer: what `mlexp.compareRuns` calls with the chosen run ids. */
  compare(runIds: readonly string[]): Promise<void> {
    return this.show(runIds);
  }

  /** Shows exactly these runs, in the open panel if there is one. */
  async show(runIds: readonly string[]): Promise<void> {
    await this.open(selectionOfRuns(runIds));
  }

  /** Shows every run of a model, and keeps adding its new runs as they appear. */
  async showModel(model: string): Promise<void> {
    await this.open(selectionOfModel(model));
  }

  /** "Compare with…": asks for the runs to compare `runId` with. */
  async compareWith(runId: string): Promise<void> {
    const others = await pickRunsToAdd(this.source, new Set([runId]), `Compare ${runId} with…`);
    if (others.length) await this.show([runId, ...others]);
  }

  /** The run store changed on disk (a run started, finished or was deleted). */
  refresh(): void {
    for (const webview of this.webviews) webview.refresh();
  }

  /** On the store watcher's tick: a running run whose process died reads as crashed without any write. */
  refreshIfRunning(): void {
    for (const webview of this.webviews) if (webview.controller.hasRunningRuns) webview.refresh();
  }

  get openPanels(): number {
    return this.webviews.size;
  }

  /** WebviewPanelSerializer: VS Code restores a panel that was open before the window reloaded. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.adopt(panel, selectionOfState(state) ?? { runIds: [] });
  }

  /**
   * Reveals and updates the one comparison panel: the open one, else one VS Code restored after a
   * reload but has not revived yet (a background tab), else a new one.
   */
  private async open(selection: CompareSelection): Promise<void> {
    const { revived, column } = this.latest ? { revived: this.latest, column: vscode.ViewColumn.Active } : await this.restored.revive();
    if (revived) {
      revived.reveal();
      await revived.controller.setSelection(selection);
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, "Compare Runs", column, { enableFindWidget: true });
    this.adopt(panel, selection);
  }

  private adopt(panel: vscode.WebviewPanel, selection: CompareSelection): CompareWebview {
    const webview = new CompareWebview(panel, selection, {
      extensionUri: this.deps.extensionUri,
      source: this.source,
      folder: this.deps.folder,
      runAction: this.deps.runAction ?? commandRunActions,
      log: this.deps.log ?? (() => undefined),
      diffs: { source: this.diffSource, host: this.documents },
    });
    this.webviews.add(webview);
    this.latest = webview;
    this.restored.settled(webview);
    webview.onDidBecomeActive(() => (this.latest = webview));
    webview.onDidDispose(() => {
      this.webviews.delete(webview);
      if (this.latest === webview) this.latest = [...this.webviews].at(-1);
    });
    return webview;
  }

  dispose(): void {
    for (const webview of [...this.webviews]) webview.dispose();
    this.ownSource?.close();
    this.ownDiffSource?.close();
    this.documents.dispose();
  }
}
