import * as path from "node:path";
import * as vscode from "vscode";
import { writeExampleWorkspace } from "../../core/workspace/scaffold";
import { ensureWorkspaceTypes } from "../../core/workspace/workspaceTypes";
import type { MlexpWorkspace } from "./mlexpWorkspace";

/** Writes the quickstart example (a model, a feature generator, a DAO, a CSV) into the workspace folder and opens its config. */
export async function createExampleCommand(workspace: MlexpWorkspace, output: vscode.LogOutputChannel): Promise<void> {
  const folder = workspace.folder;
  if (!folder) {
    void vscode.window.showErrorMessage("Open a folder first: the example is written into the workspace folder.");
    return;
  }
  try {
    const written = writeExampleWorkspace(folder);
    if (ensureWorkspaceTypes(folder, { tsconfig: true }).tsconfig === "written") written.push(path.join(folder, "tsconfig.json"));
    output.info(`Wrote the example setup: ${written.map((file) => path.relative(folder, file)).join(", ")}`);
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    return;
  }
  workspace.update();
  await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder, "mlexp.config.ts")));
  void vscode.window.showInformationMessage("Example setup created: train it with “mlexp: Train Model…” or from the Components view.");
}
