import * as os from "node:os";
import * as vscode from "vscode";
import { COMMANDS, SETTINGS } from "../constants";
import { count } from "../util/format";
import { queueSetting, storeSetting } from "../training/workerSettings";
import type { LaunchWorker } from "../training/trainingProcess";
import { LocalWorkerPool } from "./localWorkerPool";

export const WORKERS_OUTPUT_CHANNEL_NAME = "mlexp Workers";

export interface LocalWorkersDeps {
  context: vscode.ExtensionContext;
  folder: () => string | undefined;
  launch: (workspace: string) => LaunchWorker;
  requireTrust: (action: string) => boolean;
}

/**
 * "mlexp: Start Local Workers" and "mlexp: Stop Local Workers": a pool of workers on this machine
 * for the searches distributed on `mlexp.queue`, with a status bar item and an output channel.
 * The pool stops with the window (it is disposed on deactivate).
 */
export function registerLocalWorkers(deps: LocalWorkersDeps): vscode.Disposable[] {
  // Created on first use: most windows never start workers.
  let channel: vscode.LogOutputChannel | undefined;
  const output = () => (channel ??= vscode.window.createOutputChannel(WORKERS_OUTPUT_CHANNEL_NAME, { log: true }));
  const pool = new LocalWorkerPool({
    launch: deps.launch,
    stopTimeoutMs: () => 15_000,
    log: (level, line) => (level === "error" ? output().error(line) : level === "warning" ? output().warn(line) : output().info(line)),
    onWorkerFailed: (message) => void showFailure(message, output),
  });
  const start = async () => {
    if (!deps.requireTrust("start workers")) return;
    const folder = deps.folder();
    if (!folder) return void vscode.window.showErrorMessage("mlexp: open a folder first: local workers run its searches' trials.");
    const queue = queueSetting();
    if (!queue) return askForQueue();
    const workers = await askHowMany(pool.workers.length);
    if (workers === undefined) return;
    await pool.start({ count: workers, queue, store: storeSetting() ?? folder, workspace: folder, cacheRoot: vscode.Uri.joinPath(deps.context.globalStorageUri, "worker-cache").fsPath });
    output().info(`started ${count(workers, "local worker")} on ${queue}`);
  };
  return [
    new vscode.Disposable(() => channel?.dispose()),
    pool,
    createWorkersStatusBar(pool),
    vscode.commands.registerCommand(COMMANDS.startLocalWorkers, start),
    vscode.commands.registerCommand(COMMANDS.stopLocalWorkers, async () => {
      if (!pool.workers.length) return void vscode.window.showInformationMessage("mlexp: no local workers are running.");
      await pool.stop();
      output().info("local workers stopped");
    }),
    vscode.commands.registerCommand(COMMANDS.showWorkersOutput, () => output().show(true)),
  ];
}

async function askHowMany(running: number): Promise<number | undefined> {
  const cores = os.availableParallelism();
  const answer = await vscode.window.showInputBox({
    title: "mlexp: Start Local Workers",
    prompt: `How many workers? Each scores one trial at a time in its own process (this machine has ${count(cores, "core")}).${running ? ` The ${count(running, "running worker")} stop first, handing their trials back.` : ""}`,
    value: String(cores),
    validateInput: (text) => (/^\s*[1-9]\d{0,2}\s*$/.test(text) ? undefined : "A whole number from 1 to 999."),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

async function askForQueue(): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    "mlexp: local workers take trials from the queue in the setting mlexp.queue, which is empty. Set it to a Redis server, e.g. redis://127.0.0.1:6379.",
    "Open Settings",
  );
  if (choice === "Open Settings") await vscode.commands.executeCommand("workbench.action.openSettings", `${SETTINGS.section}.${SETTINGS.queue}`);
}

async function showFailure(message: string, output: () => vscode.LogOutputChannel): Promise<void> {
  const choice = await vscode.window.showErrorMessage(`mlexp: a local worker stopped: ${message}`, "Open Output");
  if (choice === "Open Output") output().show(true);
}

/** "$(server-process) 2 workers · 14 trials" while local workers run; hidden otherwise. Click: their output. */
function createWorkersStatusBar(pool: LocalWorkerPool): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("mlexp.localWorkers", vscode.StatusBarAlignment.Left, 8);
  item.name = "mlexp local workers";
  item.command = COMMANDS.showWorkersOutput;
  const update = () => {
    const workers = pool.workers;
    if (!workers.length) return item.hide();
    const trials = workers.reduce((sum, w) => sum + w.finished + w.failed, 0);
    const stopping = workers.every((w) => w.state === "stopping");
    item.text = `$(server-process) ${count(workers.length, "worker")}${stopping ? " stopping" : ` · ${count(trials, "trial")}`}`;
    const lines = workers.map((w) => `Worker ${w.index}${w.name ? ` (${w.name})` : ""}: ${w.state}, ${w.finished} scored, ${w.failed} failed`);
    item.tooltip = `mlexp local workers on ${pool.queue ?? "the queue"}\n${lines.join("\n")}\nStop them with “mlexp: Stop Local Workers”.`;
    item.show();
  };
  const subscription = pool.onDidChange(update);
  update();
  return vscode.Disposable.from(item, subscription);
}
