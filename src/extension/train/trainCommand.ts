import * as vscode from "vscode";
import type { TrainRequestMessage, TrainResult } from "../../protocol/training";
import type { Outcome } from "../training/outcome";
import type { ComponentCatalog } from "../components/componentCatalog";
import type { TrainingUi } from "../training/trainingUi";
import { presetRequest, trainArgsFrom, type TrainArgs, type TrainPreset } from "./trainFlow";
import { askTrainRequest } from "./trainFlowUi";
import { otherWorkspaceProblem } from "../workspace/workspaceFolder";

export interface TrainCommandDeps {
  folder(): string | undefined;
  catalog: ComponentCatalog;
  trainingUi: TrainingUi;
  state: vscode.Memento;
  output: vscode.LogOutputChannel;
  requireTrust(action: string): boolean;
}

/** Resolves once the training has ended, with how it ended; undefined when none started (no folder, untrusted, the user gave up). */
export async function trainModelCommand(deps: TrainCommandDeps, arg: unknown): Promise<Outcome<TrainResult> | undefined> {
  const folder = deps.folder();
  if (!folder) {
    void vscode.window.showErrorMessage("Open a folder first: mlexp trains in a workspace folder and records the runs there.");
    return undefined;
  }
  if (!deps.requireTrust("train a model")) return undefined;
  const elsewhere = otherWorkspaceProblem(arg, folder, "train its components");
  if (elsewhere) {
    void vscode.window.showWarningMessage(elsewhere);
    return undefined;
  }
  const args = trainArgsFrom(arg);
  const request = args.ask === false ? requestFromPreset(args) : await ask(deps, args);
  return request ? deps.trainingUi.train(folder, request) : undefined;
}

function requestFromPreset(args: TrainArgs): TrainRequestMessage | undefined {
  const request = presetRequest(args);
  if (!request) void vscode.window.showErrorMessage("Train Model without questions needs at least a model and a data access object.");
  return request;
}

async function ask(deps: TrainCommandDeps, preset: TrainPreset) {
  const listing = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: "mlexp: loading the workspace's components" },
    () => deps.catalog.load(),
  );
  if (listing.loadError) {
    deps.output.error(listing.loadError);
    const choice = await vscode.window.showWarningMessage(
      `The workspace's components could not be loaded: ${listing.loadError}`,
      "Continue with Built-ins",
      "Open Output",
    );
    if (choice === "Open Output") deps.output.show(true);
    if (choice !== "Continue with Built-ins") return undefined;
  }
  return askTrainRequest(listing.components, deps.state, preset);
}
