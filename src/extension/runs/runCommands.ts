import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { checkoutRun, worktreeForRun, type CheckoutResult } from "../../core/git/checkout";
import { metricNames } from "../../core/compare/compare";
import type { ReproduceResult } from "../../protocol/training";
import type { Outcome } from "../training/outcome";
import type { TrainingService } from "../training/trainingService";
import type { TrainingUi } from "../training/trainingUi";
import { count } from "../util/format";
import { modelOfArg } from "./runArgs";
import type { RunComparer } from "./runComparer";
import type { RunDetailsDocuments } from "./runDetailsDocument";
import { runIdsFor } from "./runPicker";
import type { RunRepository } from "./runRepository";
import type { RunsView } from "./runsView";
import { otherWorkspaceProblem } from "../workspace/workspaceFolder";

/** What the run commands work with; one object rather than a long list of arguments. */
export interface RunCommandDeps {
  folder(): string | undefined;
  repository(): RunRepository | undefined;
  runsView: RunsView;
  trainings: TrainingService;
  trainingUi: TrainingUi;
  comparer: RunComparer;
  details: RunDetailsDocuments;
  output: vscode.LogOutputChannel;
  /** False (and a message shown) in a restricted workspace. */
  requireTrust(action: string): boolean;
}

export async function reproduceRunCommand(deps: RunCommandDeps, arg: unknown): Promise<Outcome<ReproduceResult> | undefined> {
  const folder = deps.folder();
  if (!folder || !deps.requireTrust("reproduce a run")) return undefined;
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Reproduce Run", many: false, statuses: ["finished"] });
  return runId ? deps.trainingUi.reproduce(folder, runId) : undefined;
}

export async function compareRunsCommand(deps: RunCommandDeps, arg: unknown, selection: unknown): Promise<void> {
  const folder = deps.folder();
  const elsewhere = folder ? otherWorkspaceProblem(arg, folder, "compare its runs") : undefined;
  if (elsewhere) {
    void vscode.window.showWarningMessage(elsewhere);
    return;
  }
  const model = modelOfArg(arg);
  if (model !== undefined) {
    // The lens "N runs · best …": the panel follows the model, so runs trained later join the comparison.
    await deps.comparer.showModel(model);
    return;
  }
  const runIds = await runIdsFor(deps.runsView, arg, selection, { title: "Compare Runs (pick two or more)", many: true });
  if (runIds.length) await deps.comparer.compare(runIds);
}

/** "Compare With…" on a run: the panel asks which runs to compare it with. */
export async function compareWithCommand(deps: RunCommandDeps, arg: unknown): Promise<void> {
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Compare With… (pick a run)", many: false });
  if (runId) await deps.comparer.compareWith(runId);
}

export async function showRunDetailsCommand(deps: RunCommandDeps, arg: unknown): Promise<void> {
  const runIds = await runIdsFor(deps.runsView, arg, undefined, { title: "Show Run Details", many: false });
  if (runIds.length) await deps.details.show(runIds);
}

export async function openRunArtifactsCommand(deps: RunCommandDeps, arg: unknown): Promise<void> {
  const repository = deps.repository();
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Open Run Artifacts", many: false });
  if (!repository || !runId) return;
  const dir = repository.runDir(runId);
  if (!fs.existsSync(dir)) {
    void vscode.window.showErrorMessage(`Run ${runId} has no artifact folder (${dir} does not exist).`);
    return;
  }
  const reveal = { label: "$(folder-opened) Reveal the folder in the Explorer", file: "" };
  const files = listFiles(dir).map((file) => ({ label: `$(file) ${path.relative(dir, file)}`, file }));
  const picked = await vscode.window.showQuickPick([reveal, ...files], { title: `Artifacts of run ${runId}`, placeHolder: dir });
  if (!picked) return;
  if (picked.file) await vscode.commands.executeCommand("vscode.open", vscode.Uri.file(picked.file));
  else await vscode.commands.executeCommand("revealInExplorer", vscode.Uri.file(dir));
}

function listFiles(dir: string, limit = 500): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (found.length >= limit) return;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/** What the git commands return (to tests and other extensions); the user has seen a notification either way. */
export type CommandResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** `{ runId, branch: true|false }` checks out without asking how. */
export async function checkoutRunCommand(deps: RunCommandDeps, arg: unknown): Promise<CommandResult<CheckoutResult> | undefined> {
  const folder = deps.folder();
  const repository = deps.repository();
  if (!folder || !repository || !deps.requireTrust("check out a run's code")) return undefined;
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Check Out Run's Code", many: false });
  if (!runId) return undefined;
  const branch = await askBranch(arg, runId);
  if (branch === undefined) return undefined;
  return reportErrors(deps, async () => {
    const result = await checkoutRun(folder, await repository.get(runId), { branch });
    const where = result.branch ? `branch ${result.branch}` : `a detached HEAD`;
    void vscode.window.showInformationMessage(`Checked out ${result.commit.slice(0, 12)} (the code of run ${runId}) on ${where}.`);
    return result;
  });
}

async function askBranch(arg: unknown, runId: string): Promise<boolean | undefined> {
  const given = (arg as { branch?: unknown } | undefined)?.branch;
  if (typeof given === "boolean") return given;
  const how = await vscode.window.showQuickPick(
    [
      { label: "On a new branch", description: `mlexp/${runId}`, branch: true },
      { label: "Detached HEAD", description: "at the run's commit", branch: false },
    ],
    { title: `Check out the code of run ${runId} in this working tree` },
  );
  return how?.branch;
}

export async function openRunInWorktreeCommand(deps: RunCommandDeps, arg: unknown): Promise<CommandResult<string> | undefined> {
  const folder = deps.folder();
  const repository = deps.repository();
  if (!folder || !repository || !deps.requireTrust("create a worktree for a run")) return undefined;
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Open Run in Worktree", many: false });
  if (!runId) return undefined;
  return reportErrors(deps, async () => {
    const target = await worktreeForRun(folder, await repository.get(runId));
    deps.output.info(`Created a worktree with the code of run ${runId} at ${target}`);
    const open = "Open in New Window";
    // Not awaited: the command is done once the worktree exists, whether or not the user opens it.
    void vscode.window.showInformationMessage(`The code of run ${runId} is in ${target}.`, open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand("vscode.openFolder", vscode.Uri.file(target), { forceNewWindow: true });
    });
    return target;
  });
}

export async function deleteRunCommand(deps: RunCommandDeps, arg: unknown, selection: unknown): Promise<void> {
  const repository = deps.repository();
  const runIds = await runIdsFor(deps.runsView, arg, selection, { title: "Delete Runs", many: true });
  if (!repository || !runIds.length) return;
  const busy = await stillTraining(deps, runIds);
  if (busy) {
    void vscode.window.showWarningMessage(busy);
    return;
  }
  const what = runIds.length === 1 ? `run ${runIds[0]}` : count(runIds.length, "run");
  const answer = await vscode.window.showWarningMessage(
    `Delete ${what}?`,
    { modal: true, detail: "Its row in the run database and its artifact folder are removed. Stored datasets that other runs use are kept." },
    "Delete",
  );
  if (answer !== "Delete") return;
  await reportErrors(deps, async () => {
    for (const runId of runIds) await repository.delete(runId);
    deps.output.info(`Deleted ${runIds.join(", ")}`);
    await deps.runsView.reload();
  });
}

/**
 * Why the runs cannot be deleted now, if one is still training: here, or in another window or a
 * terminal. (The store refuses too, under its lock, for a training that starts meanwhile.)
 */
async function stillTraining(deps: RunCommandDeps, runIds: string[]): Promise<string | undefined> {
  const here = runIds.find((id) => deps.trainings.trainingOfRun(id));
  if (here) return `Run ${here} is still training in this window: cancel it first (Cancel Training), then delete it.`;
  const running = (await deps.runsView.allRuns()).find((run) => runIds.includes(run.run_id) && run.status === "running");
  if (running) return `Run ${running.run_id} is still training (process ${running.pid}, started elsewhere): stop it where it was started, then delete it.`;
  return undefined;
}

export async function copyRunIdCommand(deps: RunCommandDeps, arg: unknown): Promise<void> {
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Copy Run ID", many: false });
  if (!runId) return;
  await vscode.env.clipboard.writeText(runId);
  vscode.window.setStatusBarMessage(`Copied run id ${runId}`, 3000);
}

export async function cancelTrainingCommand(deps: RunCommandDeps, arg: unknown): Promise<void> {
  const running = deps.trainings.list();
  const [runId] = await runIdsFor(deps.runsView, arg, undefined, { title: "Cancel Training", many: false, statuses: ["running"] });
  const training = running.find((info) => info.runId === runId);
  if (training) deps.trainings.cancel(training.id);
  else if (runId) void vscode.window.showInformationMessage(`Run ${runId} is not training in this window; stop it where it was started.`);
}

export async function chooseRunsMetricCommand(deps: RunCommandDeps): Promise<void> {
  const names = metricNames(await deps.runsView.allRuns());
  const own = { label: "Each run's own metric", description: "the metric it optimised", metric: undefined as string | undefined };
  const picked = await vscode.window.showQuickPick([own, ...names.map((name) => ({ label: name, description: "", metric: name as string | undefined }))], {
    title: "Metric shown in the Runs view",
  });
  if (picked) await deps.runsView.setMetric(picked.metric);
}

/** Errors become an error notification with the library's message (e.g. checkout refusing a dirty tree). */
async function reportErrors<T>(deps: RunCommandDeps, action: () => Promise<T>): Promise<CommandResult<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.output.error(message);
    void vscode.window.showErrorMessage(message);
    return { ok: false, message };
  }
}
