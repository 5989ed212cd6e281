import * as vscode from "vscode";
import type { ModelRun, RunStatus } from "../../core/store/runRecord";
import { formatTimestamp } from "../util/format";
import { modelOfArg, runIdsFromArgs } from "./runArgs";
import { runLabel, sortNewestFirst } from "./runTree";
import type { RunsView } from "./runsView";

export interface PickRunsOptions {
  title: string;
  many: boolean;
  /** Only runs with these statuses can be picked (e.g. finished ones for a reproduction). */
  statuses?: readonly RunStatus[];
}

/** The run ids a command was given, or, from the palette, the ones the user picks. */
export async function runIdsFor(view: RunsView, arg: unknown, selection: unknown, options: PickRunsOptions): Promise<string[]> {
  const model = modelOfArg(arg);
  // Only `{ model }` needs the runs read before the arguments mean anything.
  const given = runIdsFromArgs(arg, selection, model !== undefined ? await view.allRuns() : []);
  if (given.length) return options.many ? given : given.slice(0, 1);
  if (model !== undefined) {
    // The lens was drawn before its runs were deleted: asking to pick among other models' runs would be a surprise.
    void vscode.window.showInformationMessage(`No runs of ${model} in this workspace.`);
    return [];
  }
  const runs = sortNewestFirst(await view.allRuns()).filter((run) => !options.statuses || options.statuses.includes(run.status));
  if (!runs.length) {
    void vscode.window.showInformationMessage(options.statuses ? `No ${options.statuses.join(" or ")} runs in this workspace.` : "No runs in this workspace yet.");
    return [];
  }
  const items = runs.map((run) => toItem(run, view));
  if (options.many) {
    const picked = await vscode.window.showQuickPick(items, { title: options.title, canPickMany: true, matchOnDescription: true });
    return picked?.map((item) => item.runId) ?? [];
  }
  const picked = await vscode.window.showQuickPick(items, { title: options.title, matchOnDescription: true });
  return picked ? [picked.runId] : [];
}

function toItem(run: ModelRun, view: RunsView): vscode.QuickPickItem & { runId: string } {
  return {
    label: run.run_id,
    description: runLabel(run, view.options()),
    detail: `${run.status} · started ${formatTimestamp(run.start_time)} · ${run.feature_generator_class} features of ${run.dataset_class}`,
    runId: run.run_id,
  };
}
