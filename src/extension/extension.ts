import { bundleLoadStarted } from "./activationClock";
import * as vscode from "vscode";
import type { MlexpApi, TreeRow } from "./api";
import { registerCommands } from "./commands";
import { ComparePanel } from "./compare/comparePanel";
import { StoreRunSource } from "./compare/runSource";
import { commandRunActions } from "./compare/vscodeHost";
import { ComponentCatalog } from "./components/componentCatalog";
import type { ComponentsNode } from "./components/componentTree";
import { ComponentsView } from "./components/componentsView";
import { WorkerComponentSource } from "./components/workerComponentSource";
import { OUTPUT_CHANNEL_NAME, SETTINGS } from "./constants";
import { startLanguageClient } from "./language/languageClient";
import { BackgroundLanguageServer } from "./language/languageServer";
import { LanguageServerComponentSource } from "./language/languageServerComponentSource";
import { earlierRunsOfModel } from "./runs/runArgs";
import { RunPagePanel } from "./runPage/runPagePanel";
import { RunsView } from "./runs/runsView";
import { StoreWatcher } from "./runs/storeWatcher";
import { ConcurrencyLimiter } from "./training/limiter";
import { StoreCredentials } from "./store/storeCredentials";
import { createStoreStatusBar } from "./store/storeStatusBar";
import { createTrainingStatusBar } from "./training/statusBar";
import { workerLauncher, type LaunchWorker } from "./training/trainingProcess";
import { TrainingService } from "./training/trainingService";
import { TrainingUi } from "./training/trainingUi";
import { cancelTimeoutMs, maxConcurrentTrainings, nodePathSetting, pollIntervalMs, storeSetting } from "./training/workerSettings";
import { MANAGE_TRUST_BUTTON, UNTRUSTED_MESSAGE } from "./trust";
import { registerLocalWorkers } from "./workers/localWorkersUi";
import { MlexpWorkspace } from "./workspace/mlexpWorkspace";
import { keepWorkspaceTypesCurrent } from "./workspace/workspaceTypes";

/** Every imported module has been evaluated by now (activationClock.ts first). */
const bundleEvaluated = performance.now();

/**
 * The composition root: builds the services, views and commands and ties their events together.
 * Activation does no I/O beyond a few `stat`s: the views read the store and ask for the
 * components when they are first shown.
 */
export function activate(context: vscode.ExtensionContext): MlexpApi {
  const activateStarted = performance.now();
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  const credentials = new StoreCredentials(context.secrets, storeSetting);
  const workspace = new MlexpWorkspace(() => credentials.current);
  const launcherFor = (cwd: string) =>
    workerLauncher({ workerPath: context.asAbsolutePath("dist/worker.js"), nodePath: nodePathSetting(), cwd, store: storeSetting(), env: credentials.env() });
  const trainings = new TrainingService({
    limiter: new ConcurrencyLimiter(maxConcurrentTrainings()),
    launcher: (job) => launcherFor(job.workspace),
    cancelTimeoutMs,
    markKilledRunCancelled: (pid, runId) => workspace.repository?.markKilledRunCancelled(pid, runId) ?? Promise.resolve(),
  });
  // Each needs the other, lazily: the catalog asks the server when a view loads, the server's index invalidates the catalog.
  const catalog = componentCatalog(workspace, () => language, launcherFor, output);
  const language = startLanguageServer(context, output, () => catalog.invalidate(), () => credentials.env());
  const componentsView = new ComponentsView(catalog, () => workspace.hasConfig);
  const runsView = new RunsView({ repository: () => workspace.repository, trainings, state: context.workspaceState, output });
  const trainingUi = new TrainingUi(trainings, output, {
    earlierRunsOf: async (run) => earlierRunsOfModel(await runsView.allRuns(), run),
    showFinal: (run) => runsView.showFinal(run),
  });
  const requireTrust = (action: string) => checkTrust(action, output);
  const folder = () => workspace.folder;
  // Registers its panel serializer now, so a panel open before a window reload comes back.
  const comparePanel = ComparePanel.register(context, { folder, storeUrl: storeSetting, log: (message) => output.warn(message) });
  const runPageSource = new StoreRunSource(folder, storeSetting);
  const runPage = RunPagePanel.register(context, {
    folder,
    source: runPageSource,
    components: async () => (await catalog.load()).components,
    runAction: commandRunActions,
    compareWith: (runId) => comparePanel.compareWith(runId),
    log: (message) => output.warn(message),
  });
  context.subscriptions.push(output, workspace, trainings, catalog, componentsView, runsView, createTrainingStatusBar(trainings), credentials, createStoreStatusBar(workspace));
  context.subscriptions.push(new vscode.Disposable(() => runPageSource.close()));
  // A password given (or changed) in SecretStorage: reopen the store with it.
  context.subscriptions.push(credentials.onDidChange(() => workspace.reopenStore()));
  void credentials.load();

  // Whoever wrote the store (this window, another one, the CLI): the views and the lenses' run counts follow.
  const storeWatcher = watchStore(context, workspace, {
    changed: () => {
      void runsView.reload();
      runPage.refresh();
      comparePanel.refresh();
      language.notifyRunsChanged(workspace.folder);
    },
    ticked: () => {
      void runsView.reloadIfRunning();
      comparePanel.refreshIfRunning();
    },
    problem: (message) => runsView.showStoreProblem(message),
  });
  context.subscriptions.push(
    // A training or reproduction of this window ended: its run is final now, tell the lenses without waiting for the watcher.
    trainings.onDidChange((training) => {
      if (training === undefined) language.notifyRunsChanged(workspace.folder);
    }),
    workspace.onDidChangeComponents(() => catalog.invalidate()),
    workspace.onDidChangeFolder(() => {
      catalog.invalidate();
      void runsView.reload();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => catalog.invalidate()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.pollIntervalSeconds}`)) storeWatcher.current?.setPollInterval(pollIntervalMs());
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.store}`)) void credentials.load().finally(() => workspace.reopenStore());
    }),
    ...registerCommands({
      workspace,
      catalog,
      output,
      runs: { folder, repository: () => workspace.repository, runsView, trainings, trainingUi, comparer: comparePanel, runPage, output, requireTrust },
      train: { folder, catalog, trainingUi, state: context.workspaceState, output, requireTrust, runs: () => runsView.allRuns() },
      setStorePassword: () => credentials.ask(),
      refresh: async () => {
        catalog.invalidate();
        await runsView.reload();
      },
    }),
  );
  context.subscriptions.push(...registerLocalWorkers({ context, folder, launch: launcherFor, requireTrust }));
  limitTrainingsBySetting(context, trainings);
  context.subscriptions.push(keepWorkspaceTypesCurrent(workspace, context.workspaceState, output));

  const activated = performance.now();
  const activationMs = activated - bundleLoadStarted;
  const timing = [
    `evaluating the bundle ${(bundleEvaluated - bundleLoadStarted).toFixed(1)} ms`,
    `waiting for VS Code to call activate() ${(activateStarted - bundleEvaluated).toFixed(1)} ms`,
    `activate() ${(activated - activateStarted).toFixed(1)} ms`,
  ];
  output.info(`mlexp activated in ${activationMs.toFixed(1)} ms (${timing.join(", ")}; workspace: ${workspace.folder ?? "none"}, trusted: ${vscode.workspace.isTrusted})`);
  return api(activationMs, workspace, catalog, runsView, componentsView, trainings);
}

export function deactivate(): void {
  // Everything is in context.subscriptions; disposing the TrainingService cancels running trainings.
}

/**
 * The components of the Components view and the train quick picks: what the language server
 * indexed from the source, which runs no code and so serves untrusted workspaces too. The training
 * process, which bundles and runs mlexp.config.ts, stands in only when the server is unavailable.
 */
function componentCatalog(
  workspace: MlexpWorkspace,
  language: () => BackgroundLanguageServer,
  launcherFor: (cwd: string) => LaunchWorker,
  output: vscode.LogOutputChannel,
): ComponentCatalog {
  const workerSource = new WorkerComponentSource(() => workspace.folder, launcherFor, { onOutput: (text) => output.info(text.trimEnd()) });
  const source = new LanguageServerComponentSource(() => language().indexProvider(), () => workspace.folder, workerSource);
  return new ComponentCatalog(source, () => vscode.workspace.isTrusted);
}

/**
 * Starts the language server (CodeLens, diagnostics, completion, definition, hover) without
 * making activation wait for it; `onIndexChanged` follows its component index.
 */
function startLanguageServer(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, onIndexChanged: () => void, secretEnv: () => Record<string, string>): BackgroundLanguageServer {
  const server = new BackgroundLanguageServer(
    () => startLanguageClient(context, context.asAbsolutePath("dist/server.js"), onIndexChanged, { store: storeSetting() }, secretEnv()),
    (message) => output.error(`The mlexp language server did not start: ${message}. No CodeLens or diagnostics; the Components view loads the workspace instead.`),
  );
  context.subscriptions.push(server);
  return server;
}

interface StoreListeners {
  /** The run database was replaced since the last check. */
  changed(): void;
  /** Every poll interval, changed or not (running runs may have crashed). */
  ticked(): void;
  /** The store cannot be read (why), or can again (undefined). */
  problem(message: string | undefined): void;
}

/** One StoreWatcher for the current folder, replaced when the folder changes. */
function watchStore(context: vscode.ExtensionContext, workspace: MlexpWorkspace, listeners: StoreListeners): { current?: StoreWatcher } {
  const holder: { current?: StoreWatcher } = {};
  const start = () => {
    holder.current?.dispose();
    const repository = workspace.repository;
    const uri = workspace.folderUri;
    holder.current = repository && uri ? new StoreWatcher(repository, uri, pollIntervalMs()) : undefined;
    holder.current?.onDidChange(listeners.changed);
    holder.current?.onDidTick(listeners.ticked);
    holder.current?.onDidChangeProblem(listeners.problem);
  };
  start();
  context.subscriptions.push(workspace.onDidChangeFolder(start), { dispose: () => holder.current?.dispose() });
  return holder;
}

function limitTrainingsBySetting(context: vscode.ExtensionContext, trainings: TrainingService): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.maxConcurrentTrainings}`)) trainings.setLimit(maxConcurrentTrainings());
    }),
  );
}

function checkTrust(action: string, output: vscode.LogOutputChannel): boolean {
  if (vscode.workspace.isTrusted) return true;
  output.warn(`Refused to ${action}: the workspace is not trusted.`);
  void vscode.window.showWarningMessage(`Cannot ${action}. ${UNTRUSTED_MESSAGE}`, MANAGE_TRUST_BUTTON).then((choice) => {
    if (choice === MANAGE_TRUST_BUTTON) void vscode.commands.executeCommand("workbench.trust.manage");
  });
  return false;
}

function api(
  activationMs: number,
  workspace: MlexpWorkspace,
  catalog: ComponentCatalog,
  runsView: RunsView,
  componentsView: ComponentsView,
  trainings: TrainingService,
): MlexpApi {
  return {
    activationMs,
    get workspaceFolder() {
      return workspace.folder;
    },
    components: () => catalog.load(),
    runs: () => runsView.allRuns(),
    runsViewRows: () => rowsOf(runsView, undefined, 0, () => true),
    componentsViewRows: () => rowsOf(componentsView, undefined, 0, (node: ComponentsNode) => node.kind !== "component"),
    trainings: () => trainings.list(),
  };
}

/** The rows a tree provider renders, depth first, expanding nodes for which `expand` says so. */
async function rowsOf<T>(provider: vscode.TreeDataProvider<T>, parent: T | undefined, depth: number, expand: (node: T) => boolean): Promise<TreeRow[]> {
  const rows: TreeRow[] = [];
  for (const node of (await provider.getChildren(parent)) ?? []) {
    const item = await provider.getTreeItem(node);
    const label = typeof item.label === "string" ? item.label : (item.label?.label ?? "");
    rows.push({ label, description: typeof item.description === "string" ? item.description : "", depth });
    if (expand(node)) rows.push(...(await rowsOf(provider, node, depth + 1, expand)));
  }
  return rows;
}
