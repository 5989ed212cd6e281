import * as vscode from "vscode";
import { COMMANDS } from "../constants";
import { count } from "../util/format";
import type { TrainingService } from "./trainingService";

/** "$(sync~spin) 2 trainings" while this window trains; hidden otherwise. Click: the output. */
export function createTrainingStatusBar(service: TrainingService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("mlexp.trainings", vscode.StatusBarAlignment.Left, 10);
  item.name = "mlexp trainings";
  item.command = COMMANDS.showOutput;
  const update = () => {
    const trainings = service.list();
    const running = trainings.filter((t) => t.state === "running").length;
    const queued = trainings.length - running;
    if (!trainings.length) {
      item.hide();
      return;
    }
    item.text = `$(sync~spin) ${count(running, "training")}${queued ? ` (+${queued} queued)` : ""}`;
    item.tooltip = trainings.map((t) => `${t.state === "running" ? "Running" : "Queued"}: ${t.title}${t.runId ? ` (run ${t.runId})` : ""}`).join("\n");
    item.show();
  };
  const subscription = service.onDidChange(update);
  update();
  return vscode.Disposable.from(item, subscription);
}
