import type { RunManifest } from "../training/artifacts";
import type { StoredStatus } from "./runRecord";
import { RUN_ID_PATTERN } from "./runRecord";

const STORED_STATUSES: readonly StoredStatus[] = ["running", "finished", "failed", "cancelled"];

/** Columns a row cannot be without (NOT NULL in `model_runs`), with the type they must have. */
const REQUIRED: Record<string, "string" | "number" | "object"> = {
  model_class: "string",
  hyperparameters: "object",
  feature_generator_class: "string",
  dataset_class: "string",
  metrics: "object",
  artifacts: "string",
  start_time: "string",
  model_params: "object",
  feature_generator_params: "object",
  dataset_params: "object",
  seed: "number",
  metric: "string",
  search: "object",
  task: "string",
  test_fraction: "number",
  details: "object",
  mlexp_version: "string",
};

/**
 * What is wrong with a run manifest read from the folder `folder`, or undefined when it can become
 * a row: a run id of the right form that names its own folder, a known status, and every column
 * the table requires, of its type. A manifest that fails is skipped by `db rebuild`, by name.
 */
export function manifestProblem(value: unknown, folder: string): string | undefined {
  if (!isObject(value) || !isObject(value.run)) return "it has no \"run\" object";
  const run = value.run;
  const id = run.run_id;
  if (typeof id !== "string" || !RUN_ID_PATTERN.test(id)) return `its run_id ${shorten(JSON.stringify(id))} is not a run id`;
  if (id !== folder) return `its run_id ${id} is not the name of its folder`;
  const problem = runProblem(run);
  if (problem) return problem;
  if (!Array.isArray(value.history) || !value.history.every(isMetricPoint)) return "its \"history\" is not a list of {step, name, value}";
  if (!Array.isArray(value.trials) || !value.trials.every(isTrial)) return "its \"trials\" is not a list of {trial, params, score, fold_scores}";
  return undefined;
}

/** What is wrong with a run record (from a manifest or an old database row), or undefined. */
export function runProblem(run: Record<string, unknown>): string | undefined {
  if (typeof run.run_id !== "string" || !RUN_ID_PATTERN.test(run.run_id)) return `its run_id ${shorten(JSON.stringify(run.run_id))} is not a run id`;
  if (!STORED_STATUSES.includes(run.status as StoredStatus)) {
    return `its status ${shorten(JSON.stringify(run.status))} is not one of ${STORED_STATUSES.join(", ")}`;
  }
  for (const [column, type] of Object.entries(REQUIRED)) {
    const actual = run[column] === null ? "null" : typeof run[column];
    if (actual !== type) return `its ${column} is ${actual === "undefined" ? "missing" : `a ${actual}`}, not a ${type}`;
  }
  return undefined;
}

/** A column the table requires (NOT NULL) that the run lacks, if any. */
export function missingColumn(run: Record<string, unknown>): string | undefined {
  return ["run_id", "status", ...Object.keys(REQUIRED)].find((column) => run[column] === undefined || run[column] === null);
}

export function asManifest(value: unknown): RunManifest {
  return value as RunManifest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isMetricPoint(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.step) && typeof value.name === "string" && (typeof value.value === "number" || value.value === null);
}

function isTrial(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.trial) && isObject(value.params) && Array.isArray(value.fold_scores);
}

/** A value from a file, cut so that a hostile 100 KB id does not become a 100 KB message. */
export function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}
