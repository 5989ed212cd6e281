import * as vscode from "vscode";
import { refreshWorkspaceTypes } from "../../core/workspace/workspaceTypes";
import type { MlexpWorkspace } from "./mlexpWorkspace";

/**
 * Gives the open mlexp workspace this extension's declarations of "mlexp" (and Node's) and a
 * tsconfig.json that maps them, so that the user's components type-check in the editor. Runs after
 * activation (activation itself stays free of I/O) and whenever the folder or its config changes;
 * a copy already current costs one small read.
 */
export function keepWorkspaceTypesCurrent(workspace: MlexpWorkspace, output: vscode.LogOutputChannel): vscode.Disposable {
  const update = () => {
    const folder = workspace.folder;
    if (!folder || !workspace.hasConfig) return;
    const problem = refreshWorkspaceTypes(folder, { tsconfig: true });
    if (problem) output.warn(problem);
  };
  const timer = setTimeout(update, 0);
  const subscriptions = [workspace.onDidChangeFolder(update), workspace.onDidChangeComponents(update)];
  return new vscode.Disposable(() => {
    clearTimeout(timer);
    for (const subscription of subscriptions) subscription.dispose();
  });
}
