import * as vscode from "vscode";
import { ensureWorkspaceTypes, refreshWorkspaceTypes, tsconfigChange } from "../../core/workspace/workspaceTypes";
import type { MlexpWorkspace } from "./mlexpWorkspace";

const DECLINED_KEY = "mlexp.tsconfigDeclined";
const ADD = { write: "Add tsconfig.json", "add-paths": 'Add "mlexp" to tsconfig.json' } as const;
const NOT_NOW = "Not Now";
const NEVER = "Never for This Workspace";

/**
 * Gives the open mlexp workspace this extension's declarations of "mlexp" (and Node's) in
 * .mlexp/types, refreshed after activation (activation itself stays free of I/O) and whenever the
 * folder or its config changes; a copy already current costs one small read. A tsconfig.json that
 * maps "mlexp" to them is the user's file (in their repository, changing it dirties every run's
 * snapshot until committed), so the extension offers it once per window and writes it on a yes.
 */
export function keepWorkspaceTypesCurrent(workspace: MlexpWorkspace, state: vscode.Memento, output: vscode.LogOutputChannel): vscode.Disposable {
  let offered = false;
  const update = () => {
    const folder = workspace.folder;
    if (!folder || !workspace.hasConfig) return;
    const problem = refreshWorkspaceTypes(folder);
    if (problem) return output.warn(problem);
    const change = tsconfigChange(folder);
    if (!change || offered || state.get<boolean>(DECLINED_KEY)) return;
    offered = true;
    void offerTsconfig(folder, change, state, output);
  };
  const timer = setTimeout(update, 0);
  const subscriptions = [workspace.onDidChangeFolder(update), workspace.onDidChangeComponents(update)];
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    for (const subscription of subscriptions) subscription.dispose();
  });
}

async function offerTsconfig(folder: string, change: "write" | "add-paths", state: vscode.Memento, output: vscode.LogOutputChannel): Promise<void> {
  const what = change === "write" ? "a tsconfig.json" : 'a "paths" entry for "mlexp" to your tsconfig.json (nothing else changes)';
  const choice = await vscode.window.showInformationMessage(
    `TypeScript cannot resolve "mlexp" in this workspace, so your components show errors and get no completion. Add ${what} that maps it to the declarations mlexp keeps in .mlexp/types?`,
    ADD[change],
    NOT_NOW,
    NEVER,
  );
  if (choice === NEVER) await state.update(DECLINED_KEY, true);
  if (choice !== ADD[change]) return;
  try {
    const result = ensureWorkspaceTypes(folder, { tsconfig: true });
    output.info(`tsconfig.json: ${result.tsconfig} (maps "mlexp" to .mlexp/types)`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Could not update tsconfig.json: ${error instanceof Error ? error.message : String(error)}`);
  }
}
