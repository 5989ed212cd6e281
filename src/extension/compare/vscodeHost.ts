import * as path from "node:path";
import * as vscode from "vscode";
import type { RunAction } from "../../protocol/compare";
import { COMMANDS } from "../constants";
import { reportForActionResult, type ActionReport } from "./actionOutcome";
import type { CompareHost } from "./controller";
import { runPickItems } from "./pickItems";
import type { CompareRunSource } from "./runSource";

/** Runs one per-run action and returns what the command returned (see reportForActionResult). */
export type RunActionRunner = (action: RunAction, runId: string) => Thenable<unknown>;

const ACTION_COMMANDS: Record<Exclude<RunAction, "copyRunId">, string> = {
  checkout: COMMANDS.checkoutRun,
  worktree: COMMANDS.openRunInWorktree,
  // The Reproduce Run command trains in a child process with progress and cancel; the panel never
  // trains in the extension host.
  reproduce: COMMANDS.reproduceRun,
  openArtifacts: COMMANDS.openRunArtifacts,
};

/**
 * The panel's Checkout button says what it does ("check out the run's commit in this working
 * tree"), so it checks out a detached HEAD without asking; a branch is one command away
 * (`git switch -c`, or the Runs view's Checkout Run's Code). The panel says how it went in its own
 * notice line (which the next action replaces), so the command shows no notification that would
 * linger beside a later success.
 */
const ACTION_OPTIONS: Partial<Record<RunAction, object>> = { checkout: { branch: false, notify: false } };

/**
 * The default actions: the same mlexp commands as the Runs view's context menu, so trust checks,
 * notifications and the safe checkout — which refuses a dirty working tree and says why — behave
 * the same from both places.
 */
export const commandRunActions: RunActionRunner = async (action, runId) => {
  if (action === "copyRunId") {
    await vscode.env.clipboard.writeText(runId);
    return { ok: true, value: runId };
  }
  return vscode.commands.executeCommand(ACTION_COMMANDS[action], { runId, ...ACTION_OPTIONS[action] });
};

export interface VscodeHostOptions {
  source: CompareRunSource;
  folder(): string | undefined;
  runAction: RunActionRunner;
  setTitle(title: string): void;
}

export function createVscodeCompareHost(options: VscodeHostOptions): CompareHost {
  return {
    pickRunsToAdd: (compared) => pickRunsToAdd(options.source, compared),
    saveCsv: (csv, fileName) => saveCsv(options.folder(), csv, fileName),
    runAction: async (action, runId): Promise<ActionReport> => reportForActionResult(action, runId, await options.runAction(action, runId)),
    setTitle: options.setTitle,
  };
}

export async function pickRunsToAdd(source: CompareRunSource, compared: ReadonlySet<string>, title = "Add Runs to the Comparison"): Promise<string[]> {
  const items = runPickItems(await source.list(), compared);
  if (!items.length) {
    void vscode.window.showInformationMessage("Every run of this workspace is already compared.");
    return [];
  }
  const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
  return picked?.map((item) => item.runId) ?? [];
}

async function saveCsv(folder: string | undefined, csv: string, fileName: string): Promise<string | undefined> {
  const defaultUri = folder ? vscode.Uri.file(path.join(folder, fileName)) : undefined;
  const target = await vscode.window.showSaveDialog({ defaultUri, filters: { "CSV files": ["csv"] }, title: "Export the Comparison as CSV" });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(csv));
  return target.fsPath;
}
