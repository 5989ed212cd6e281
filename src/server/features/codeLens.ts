import type { CodeLens, Range } from "vscode-languageserver";
import type { ComponentKind } from "../../core/components/component";
import {
  COMPARE_RUNS_COMMAND,
  TRAIN_ARG_OF_KIND,
  TRAIN_MODEL_COMMAND,
  type CompareRunsArgs,
  type TrainModelArgs,
} from "../../protocol/language";
import type { LinkedClass } from "../index/linkedIndex";
import { isComponentKind, type ComponentEntry } from "../index/registrations";
import { describeRuns } from "../runs/runSummary";
import { positionAt } from "../util/positions";
import type { FeatureContext } from "./context";

const TRAIN_TITLES: Readonly<Record<ComponentKind, string>> = {
  model: "▶ Train this model",
  featureGenerator: "▶ Train with this feature generator",
  dataAccessObject: "▶ Train with this dataset",
};

const REGISTER_FUNCTIONS: Readonly<Record<ComponentKind, string>> = {
  model: "registerModel",
  featureGenerator: "registerFeatureGenerator",
  dataAccessObject: "registerDataAccessObject",
};

/**
 * Above each registered component class: train with it; above models also their runs, which open
 * the comparison. An unregistered concrete component class gets a reminder instead, since nothing
 * can train it until it has a name.
 */
export function codeLenses(context: FeatureContext, file: string): CodeLens[] {
  const source = context.table.get(file);
  if (!source) return [];
  const workspace = context.linked.projectOf(file).root;
  return context.linked.classesIn(file).flatMap((linked) => {
    const start = positionAt(source, linked.cls.start);
    const range: Range = { start, end: start };
    return lensesOf(context, linked, workspace).map((command) => ({ range, command }));
  });
}

function lensesOf(context: FeatureContext, linked: LinkedClass, workspace: string): NonNullable<CodeLens["command"]>[] {
  const kind = linked.kind.kind;
  if (!isComponentKind(kind)) return [];
  if (!linked.entries.length) {
    if (linked.cls.isAbstract || context.linked.isBaseClass(linked.cls)) return [];
    const name = linked.cls.name;
    return [{ title: `Not registered: add ${REGISTER_FUNCTIONS[kind]}("${name}", ${name}) to mlexp.config.ts to train it`, command: "" }];
  }
  const registry = context.linked.registryOf(linked.file);
  // The same class registered twice under one name is allowed: one set of lenses.
  const entries = linked.entries.filter((entry, i, all) => !entry.refused && all.findIndex((e) => e.name === entry.name) === i);
  return entries.flatMap((entry) => {
    const winner = registry.get(entry.kind, entry.name);
    // The name belongs to another class: training it would train that one.
    if (winner && winner.declaration?.cls !== linked.cls) return [{ title: `⚠ "${entry.name}" is also registered for class ${winner.className}: rename one`, command: "" }];
    const several = entries.length > 1;
    return [trainLens(entry, workspace, several), trainWithParametersLens(entry, workspace, several), ...runsLens(context, entry, workspace)];
  });
}

/** Two answers (the other two components, last used first), with the parameters of the combination's last run or the defaults. */
function trainLens(entry: ComponentEntry, workspace: string, several: boolean): NonNullable<CodeLens["command"]> {
  const args: TrainModelArgs = { [TRAIN_ARG_OF_KIND[entry.kind]]: entry.name, workspace, parameters: "last" };
  const title = several ? `${TRAIN_TITLES[entry.kind]} as "${entry.name}"` : TRAIN_TITLES[entry.kind];
  return { title, command: TRAIN_MODEL_COMMAND, arguments: [args] };
}

/** The long flow: the same, plus a parameter box per component, checked as it is typed. */
function trainWithParametersLens(entry: ComponentEntry, workspace: string, several: boolean): NonNullable<CodeLens["command"]> {
  const args: TrainModelArgs = { [TRAIN_ARG_OF_KIND[entry.kind]]: entry.name, workspace, parameters: "ask" };
  return { title: several ? `Train with parameters… as "${entry.name}"` : "Train with parameters…", command: TRAIN_MODEL_COMMAND, arguments: [args] };
}

function runsLens(context: FeatureContext, entry: ComponentEntry, workspace: string): NonNullable<CodeLens["command"]>[] {
  if (entry.kind !== "model") return [];
  const summary = context.runsOf(workspace, entry.name);
  const title = describeRuns(summary);
  if (!summary?.count) return [{ title, command: "" }];
  const args: CompareRunsArgs = { model: entry.name, workspace };
  return [{ title, command: COMPARE_RUNS_COMMAND, arguments: [args] }];
}
