import * as vscode from "vscode";
import type { ModelRun } from "../../core/store/runRecord";
import { CONTEXT_KEYS, COMMANDS, STATE_KEYS, VIEWS } from "../constants";
import type { TrainingInfo, TrainingService } from "../training/trainingService";
import { Debouncer } from "../util/debounce";
import { count } from "../util/format";
import type { RunRepository } from "./runRepository";
import { EMPTY_PAGE, RunsPageLoader, type RunsPage } from "./runsPage";
import {
  groupChildren,
  groupDescription,
  moreDescription,
  moreNodes,
  hasTrials,
  nodeId,
  pendingLabel,
  pendingNodes,
  runContextValue,
  runDescription,
  runLabel,
  runsRoot,
  runTooltipMarkdown,
  STATUS_ICONS,
  trialDescription,
  trialLabel,
  trialNodes,
  type PendingTraining,
  type RunsNode,
  type RunsViewOptions,
} from "./runTree";

export interface RunsViewDeps {
  repository: () => RunRepository | undefined;
  trainings: TrainingService;
  state: vscode.Memento;
  output: vscode.LogOutputChannel;
}

/**
 * The Runs view: the newest runs first (a page of them, "Load more…" for more) or grouped by
 * model, with live status and progress. A refresh reads only the page it shows.
 */
export class RunsView implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<RunsNode>;
  private runs: ModelRun[] = [];
  private page: RunsPage = EMPTY_PAGE;
  private readonly loader: RunsPageLoader;
  private loaded: Promise<void> | undefined;
  private signature = "";
  private nodesByRun = new Map<string, RunsNode>();
  private readonly progressDirty = new Set<string>();
  private readonly progressFlush = new Debouncer(() => this.flushProgress(), 250);
  private readonly disposables: vscode.Disposable[] = [];
  private reloading = false;
  /** A training without a row changed: the root (its pending row) is redrawn on the next flush. */
  private pendingDirty = false;

  constructor(private readonly deps: RunsViewDeps) {
    this.loader = new RunsPageLoader(deps.repository);
    this.treeView = vscode.window.createTreeView(VIEWS.runs, { treeDataProvider: this, canSelectMany: true });
    this.disposables.push(this.treeView, this.changed, this.progressFlush, deps.trainings.onDidChange((info) => this.onTrainingChanged(info)));
    void vscode.commands.executeCommand("setContext", CONTEXT_KEYS.runsGroupedByModel, this.options().groupByModel);
  }

  /** Every run, newest first, read when asked (pickers and commands): the view itself reads only its page. */
  async allRuns(): Promise<ModelRun[]> {
    return (await this.deps.repository()?.list()) ?? [];
  }

  /** "Load more…": the view reads and shows one page more. */
  async loadMore(): Promise<void> {
    this.loader.showMore();
    await this.reload();
  }

  /** Reads the store again; the tree is redrawn only if a run changed. */
  async reload(): Promise<void> {
    this.loaded = this.read();
    await this.loaded;
  }

  /**
   * The store cannot be read (a team server that is down): the runs last read stay, with a message
   * saying why above them. Once it can be read again (undefined), the message goes and the runs are read.
   */
  showStoreProblem(problem: string | undefined): void {
    if (problem === undefined) {
      this.treeView.message = undefined;
      void this.reload();
      return;
    }
    this.deps.output.warn(`The run store cannot be read: ${problem}`);
    this.treeView.message = `${problem} The runs below are as last read; they update when the store is back.`;
  }

  /** Re-reads only when runs are running: their liveness (crashed?) can change without any write. */
  async reloadIfRunning(): Promise<void> {
    if (this.page.running > 0 || this.runs.some((run) => run.status === "running")) await this.reload();
  }

  options(): RunsViewOptions {
    const metric = this.deps.state.get<string>(STATE_KEYS.runsMetric);
    return { groupByModel: this.deps.state.get<boolean>(STATE_KEYS.groupRunsByModel, false), ...(metric ? { metric } : {}) };
  }

  async setGroupByModel(grouped: boolean): Promise<void> {
    await this.deps.state.update(STATE_KEYS.groupRunsByModel, grouped);
    await vscode.commands.executeCommand("setContext", CONTEXT_KEYS.runsGroupedByModel, grouped);
    this.changed.fire(undefined);
  }

  async setMetric(metric: string | undefined): Promise<void> {
    await this.deps.state.update(STATE_KEYS.runsMetric, metric);
    this.changed.fire(undefined);
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (node?.kind === "run") return this.trialsOf(node.run);
    if (node) return node.kind === "group" ? this.remember(groupChildren(node)) : [];
    await this.ensureLoaded();
    return [...pendingNodes(this.pendingTrainings()), ...this.remember(runsRoot(this.runs, this.options())), ...moreNodes(this.runs.length, this.page.total)];
  }

  /**
   * The final row of a run this window trained, straight from the training's result: the row and
   * the notification that follows agree without waiting for the store to be read again.
   */
  showFinal(run: ModelRun): void {
    const others = this.runs.filter((candidate) => candidate.run_id !== run.run_id);
    const added = others.length === this.runs.length ? 1 : 0;
    this.apply({ ...this.page, runs: [run, ...others], total: this.page.total + added });
  }

  /** Trainings (not reproductions' bookkeeping) of this window whose run has no row yet. */
  private pendingTrainings(): PendingTraining[] {
    const recorded = new Set(this.runs.map((run) => run.run_id));
    return this.deps.trainings
      .list()
      .filter((info) => info.runId === undefined || !recorded.has(info.runId))
      .map((info) => ({
        id: info.id,
        model: info.job.kind === "train" ? info.job.request.model : `Reproduction of ${info.job.runId}`,
        state: info.state === "queued" ? "queued" : "running",
        ...(info.lastProgress ? { progress: info.lastProgress } : {}),
      }));
  }

  /** A search's trials, read from the store each time the run's row is refreshed (a running search's progress does that). */
  private async trialsOf(run: ModelRun): Promise<RunsNode[]> {
    try {
      return trialNodes(run, (await this.deps.repository()?.trials(run.run_id)) ?? []);
    } catch (error) {
      this.deps.output.warn(`Could not read the trials of run ${run.run_id}: ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    const options = this.options();
    if (node.kind === "trial") return trialItem(node);
    if (node.kind === "pending") {
      const item = new vscode.TreeItem(pendingLabel(node.training), vscode.TreeItemCollapsibleState.None);
      item.id = nodeId(node);
      item.description = "training in this window";
      item.tooltip = "The run is recorded once the code snapshot is taken and the workspace is loaded.";
      item.iconPath = new vscode.ThemeIcon(STATUS_ICONS.running.icon, new vscode.ThemeColor(STATUS_ICONS.running.color ?? "charts.blue"));
      item.contextValue = "pendingTraining:ownTraining";
      return item;
    }
    if (node.kind === "more") {
      const item = new vscode.TreeItem("Load more…", vscode.TreeItemCollapsibleState.None);
      item.id = nodeId(node);
      item.description = moreDescription(node);
      item.iconPath = new vscode.ThemeIcon("ellipsis");
      item.contextValue = "loadMoreRuns";
      item.command = { command: COMMANDS.loadMoreRuns, title: "Load More Runs" };
      return item;
    }
    if (node.kind === "group") {
      const item = new vscode.TreeItem(node.model, vscode.TreeItemCollapsibleState.Expanded);
      item.id = nodeId(node);
      item.description = groupDescription(node, options);
      item.iconPath = new vscode.ThemeIcon("symbol-class");
      item.contextValue = "runGroup";
      return item;
    }
    const run = node.run;
    const training = this.deps.trainings.trainingOfRun(run.run_id);
    // A running search opens on its trials, so they show as they finish.
    const collapsible = !hasTrials(run) ? vscode.TreeItemCollapsibleState.None : run.status === "running" ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(runLabel(run, options, training?.lastProgress), collapsible);
    item.id = nodeId(node);
    item.description = runDescription(run);
    item.tooltip = new vscode.MarkdownString(runTooltipMarkdown(run));
    const icon = STATUS_ICONS[run.status];
    item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    item.contextValue = runContextValue(run, training !== undefined);
    item.command = { command: COMMANDS.showRunDetails, title: "Show Run Details", arguments: [run.run_id] };
    item.accessibilityInformation = { label: `Run ${run.run_id}, ${run.status}, ${item.label}` };
    return item;
  }

  getParent(node: RunsNode): RunsNode | undefined {
    if (node.kind === "trial") return this.nodesByRun.get(node.run.run_id);
    if (node.kind !== "run" || !this.options().groupByModel) return undefined;
    return runsRoot(this.runs, this.options()).find((group) => group.kind === "group" && group.model === node.run.model_class);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private ensureLoaded(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    try {
      const page = await this.loader.load();
      this.treeView.message = undefined;
      this.apply(page);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.output.error(`Could not read the runs: ${message}`);
      this.treeView.message = `Could not read the runs: ${message}`;
    }
  }

  private apply(page: RunsPage): void {
    const runs = page.runs;
    const signature = JSON.stringify([page.total, runs.map((run) => [run.run_id, run.status, run.end_time, run.metrics, run.reproduction])]);
    this.page = page;
    this.runs = runs;
    this.updateBadge();
    if (signature === this.signature) return;
    this.signature = signature;
    this.changed.fire(undefined);
  }

  private updateBadge(): void {
    const running = Math.max(this.page.running, this.runs.filter((run) => run.status === "running").length);
    this.treeView.description = this.page.total ? count(this.page.total, "run") : undefined;
    this.treeView.badge = running ? { value: running, tooltip: `${count(running, "run")} running` } : undefined;
  }

  private remember(nodes: RunsNode[]): RunsNode[] {
    for (const node of nodes) if (node.kind === "run") this.nodesByRun.set(node.run.run_id, node);
    return nodes;
  }

  /** Progress events arrive many times a second: redraw the affected runs at most every 250 ms. */
  private onTrainingChanged(info: TrainingInfo | undefined): void {
    if (info === undefined) {
      // A training ended: its run's final row and its menus (no more "cancel") must show now.
      void this.reload().then(() => this.changed.fire(undefined));
      return;
    }
    const runId = info.runId;
    if (runId === undefined) {
      // A training just queued or started: its row shows now, before the run is recorded.
      if (!this.progressFlush.pending) this.progressFlush.trigger();
      this.pendingDirty = true;
      return;
    }
    if (!this.runs.some((run) => run.run_id === runId)) {
      this.pendingDirty = true;
      if (!this.progressFlush.pending) this.progressFlush.trigger();
      // A run this window just started: read it from the store rather than wait for the watcher.
      if (!this.reloading) {
        this.reloading = true;
        void this.reload().finally(() => (this.reloading = false));
      }
      return;
    }
    this.progressDirty.add(runId);
    // A throttle, not a debounce: epochs arrive faster than 250 ms apart and must still show.
    if (!this.progressFlush.pending) this.progressFlush.trigger();
  }

  private flushProgress(): void {
    if (this.pendingDirty) {
      this.pendingDirty = false;
      this.changed.fire(undefined);
    }
    for (const runId of this.progressDirty) {
      const node = this.nodesByRun.get(runId);
      if (node) this.changed.fire(node);
    }
    this.progressDirty.clear();
  }
}

function trialItem(node: Extract<RunsNode, { kind: "trial" }>): vscode.TreeItem {
  const { trial } = node;
  const item = new vscode.TreeItem(trialLabel(node.run, trial), vscode.TreeItemCollapsibleState.None);
  item.id = nodeId(node);
  item.description = trialDescription(trial);
  const failed = trial.status === "failed";
  item.tooltip = failed ? `Trial ${trial.trial + 1} failed: ${trial.error ?? "no message"}` : `Trial ${trial.trial + 1}: fold scores ${trial.fold_scores.join(", ")}`;
  item.iconPath = new vscode.ThemeIcon(failed ? "error" : "circle-small-filled", new vscode.ThemeColor(failed ? "testing.iconFailed" : "testing.iconPassed"));
  item.contextValue = "trial";
  return item;
}
