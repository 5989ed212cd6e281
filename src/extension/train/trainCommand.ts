import * as vscode from "vscode";
import type { ModelRun } from "../../core/store/runRecord";
import type { TrainRequestMessage, TrainResult } from "../../protocol/training";
import type { Outcome } from "../training/outcome";
import type { ComponentCatalog } from "../components/componentCatalog";
import type { TrainingUi } from "../training/trainingUi";
import { presetRequest, trainArgsFrom, type LastParamsLookup, type TrainArgs } from "./trainFlow";
import { askTrainRequest, type AskedTraining } from "./trainFlowUi";
import { otherWorkspaceProblem } from "../workspace/workspaceFolder";

export interface TrainCommandDeps {
  folder(): string | undefined;
  catalog: ComponentCatalog;
  trainingUi: TrainingUi;
  state: vscode.Memento;
  output: vscode.LogOutputChannel;
  requireTrust(action: string): boolean;
  /** The workspace's runs, for the parameters of a combination's last run. */
  runs(): Promise<readonly ModelRun[]>;
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
  if (args.ask === false) {
    const request = requestFromPreset(args);
    return request ? deps.trainingUi.train(folder, request) : undefined;
  }
  const asked = await ask(deps, args);
  if (!asked) return undefined;
  const outcome = await deps.trainingUi.train(folder, asked.request);
  if (outcome.status === "finished") await asked.rememberParams();
  return outcome;
}

/** The parameters of the latest finished run of each combination, from the runs as they are now. */
export function lastParamsOf(runs: readonly ModelRun[]): LastParamsLookup {
  const finished = runs.filter((run) => run.status === "finished" && !run.reproduced_from).sort((a, b) => b.start_time.localeCompare(a.start_time));
  return (model, featureGenerator, dataset) => {
    const run = finished.find((r) => r.model_class === model && r.feature_generator_class === featureGenerator && r.dataset_class === dataset);
    return run && { modelParams: run.model_params, featureGeneratorParams: run.feature_generator_params, datasetParams: run.dataset_params };
  };
}

function requestFromPreset(args: TrainArgs): TrainRequestMessage | undefined {
  const request = presetRequest(args);
  if (!request) void vscode.window.showErrorMessage("Train Model without questions needs at least a model and a data access object.");
  return request;
}

async function ask(deps: TrainCommandDeps, args: TrainArgs): Promise<AskedTraining | undefined> {
  const [listing, runs] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: "mlexp: loading the workspace's components" },
    () => Promise.all([deps.catalog.load(), deps.runs().catch(() => [])]),
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
  return askTrainRequest(listing.components, deps.state, args, { parameters: args.parameters ?? "ask", lastParams: lastParamsOf(runs) });
}
