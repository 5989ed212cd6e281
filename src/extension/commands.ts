import * as vscode from "vscode";
import type { ComponentCatalog } from "./components/componentCatalog";
import type { ComponentsNode } from "./components/componentTree";
import { goToComponentDefinition } from "./components/definitions";
import { COMMANDS } from "./constants";
import * as runCommands from "./runs/runCommands";
import { trainModelCommand, type TrainCommandDeps } from "./train/trainCommand";
import { treeItemTrainArgs } from "./train/trainFlow";
import type { MlexpWorkspace } from "./workspace/mlexpWorkspace";
import { createExampleCommand } from "./workspace/createExample";

export interface CommandDeps {
  workspace: MlexpWorkspace;
  catalog: ComponentCatalog;
  runs: runCommands.RunCommandDeps;
  train: TrainCommandDeps;
  output: vscode.LogOutputChannel;
  refresh(): Promise<void>;
  setStorePassword(): Promise<void>;
}

type Handler = (...args: unknown[]) => unknown;

/** Every command of package.json's `contributes.commands`, bound to its handler. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { runs } = deps;
  const handlers: Record<string, Handler> = {
    [COMMANDS.trainModel]: (arg) => trainModelCommand(deps.train, arg),
    // The Components view's actions, like the lenses: ▶ in two answers, the long flow under "Train with Parameters…".
    [COMMANDS.trainThisModel]: (arg) => trainModelCommand(deps.train, treeItemTrainArgs(arg, "last")),
    [COMMANDS.trainThisModelWithParameters]: (arg) => trainModelCommand(deps.train, treeItemTrainArgs(arg, "ask")),
    [COMMANDS.reproduceRun]: (arg) => runCommands.reproduceRunCommand(runs, arg),
    [COMMANDS.compareRuns]: (arg, selection) => runCommands.compareRunsCommand(runs, arg, selection),
    [COMMANDS.compareWith]: (arg) => runCommands.compareWithCommand(runs, arg),
    [COMMANDS.showRunDetails]: (arg) => runCommands.showRunDetailsCommand(runs, arg),
    [COMMANDS.openRunArtifacts]: (arg) => runCommands.openRunArtifactsCommand(runs, arg),
    [COMMANDS.checkoutRun]: (arg) => runCommands.checkoutRunCommand(runs, arg),
    [COMMANDS.openRunInWorktree]: (arg) => runCommands.openRunInWorktreeCommand(runs, arg),
    [COMMANDS.deleteRun]: (arg, selection) => runCommands.deleteRunCommand(runs, arg, selection),
    [COMMANDS.copyRunId]: (arg) => runCommands.copyRunIdCommand(runs, arg),
    [COMMANDS.cancelTraining]: (arg) => runCommands.cancelTrainingCommand(runs, arg),
    [COMMANDS.chooseRunsMetric]: () => runCommands.chooseRunsMetricCommand(runs),
    [COMMANDS.groupRunsByModel]: () => runs.runsView.setGroupByModel(true),
    [COMMANDS.ungroupRuns]: () => runs.runsView.setGroupByModel(false),
    [COMMANDS.refresh]: () => deps.refresh(),
    [COMMANDS.showOutput]: () => deps.output.show(true),
    [COMMANDS.setStorePassword]: () => deps.setStorePassword(),
    [COMMANDS.createExample]: () => createExampleCommand(deps.workspace, deps.output),
    [COMMANDS.goToComponentDefinition]: (arg) => goToComponentDefinition(deps.workspace.folderUri, componentOf(arg)),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, withErrorReport(id, handler, deps.output)));
}

function componentOf(arg: unknown) {
  const node = arg as ComponentsNode | undefined;
  return node?.kind === "component" ? node.component : undefined;
}

/** A command that throws must never fail silently: log it and say so. */
function withErrorReport(id: string, handler: Handler, output: vscode.LogOutputChannel): Handler {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      output.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
      const choice = await vscode.window.showErrorMessage(`mlexp: ${message}`, "Open Output");
      if (choice === "Open Output") output.show(true);
      return undefined;
    }
  };
}
