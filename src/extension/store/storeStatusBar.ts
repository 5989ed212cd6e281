import * as vscode from "vscode";
import { COMMANDS } from "../constants";
import type { MlexpWorkspace } from "../workspace/mlexpWorkspace";

/** "$(database) team store mlexp@db-host:5432/runs" or "$(database) workspace store": which store the views and trainings use. */
export function createStoreStatusBar(workspace: MlexpWorkspace): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("mlexp.store", vscode.StatusBarAlignment.Left, 9);
  item.name = "mlexp store";
  item.command = COMMANDS.setStorePassword;
  const update = () => {
    const repository = workspace.repository;
    if (!repository) {
      item.hide();
      return;
    }
    const description = repository.describe();
    item.text = repository.isShared ? `$(database) team store ${description.replace(/^postgresql:\/\//, "")}` : "$(database) workspace store";
    item.tooltip = `mlexp stores runs in the ${description} (setting mlexp.store).${repository.isShared ? " Click to give its password." : ""}`;
    item.show();
  };
  const subscription = workspace.onDidChangeFolder(update);
  update();
  return vscode.Disposable.from(item, subscription);
}
