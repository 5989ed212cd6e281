import type { ModelRun } from "../../core/store/runRecord";
import type { RunsNode } from "./runTree";

/**
 * What a run command can be invoked with: a Runs tree node (context menu, inline action), with
 * the multi-selection as second argument; a run id; `{ runId }` or `{ runIds }` (other extensions,
 * tests); `{ model }` for every run of a model (the "N runs · best …" CodeLens); or nothing
 * (command palette: ask).
 */
export type RunCommandArg = RunsNode | string | { runId: string } | { runIds: string[] } | { model: string } | undefined;

/** What `{ model }` is resolved against: the runs the Runs view knows. */
export type KnownRun = Pick<ModelRun, "run_id" | "model_class">;
export type KnownRunWithStart = KnownRun & Pick<ModelRun, "start_time">;

/**
 * The run ids a command applies to; empty means "ask the user". A group node stands for its runs,
 * `{ model }` for every run in `knownRuns` whose model_class is that name (the registered name a
 * run was started with, which is what the language server's lenses count).
 */
export function runIdsFromArgs(arg: unknown, selection?: unknown, knownRuns: readonly KnownRun[] = []): string[] {
  const chosen = Array.isArray(selection) && selection.length ? selection : [arg];
  const ids = chosen.flatMap((value) => runIdsOf(value, knownRuns));
  return [...new Set(ids)];
}

/** The model name of a `{ model }` argument: the caller must then pass the runs to look it up in. */
export function modelOfArg(arg: unknown): string | undefined {
  if (typeof arg !== "object" || arg === null || "kind" in arg) return undefined;
  const model = (arg as { model?: unknown }).model;
  return typeof model === "string" && model ? model : undefined;
}

/** The runs of `run`'s model started before it, newest first: what "Compare with previous runs" adds to it. */
export function earlierRunsOfModel(runs: readonly KnownRunWithStart[], run: KnownRunWithStart): string[] {
  return runs
    .filter((other) => other.model_class === run.model_class && other.run_id !== run.run_id && other.start_time <= run.start_time)
    .sort((a, b) => b.start_time.localeCompare(a.start_time) || b.run_id.localeCompare(a.run_id))
    .map((other) => other.run_id);
}

function runIdsOf(value: unknown, knownRuns: readonly KnownRun[]): string[] {
  if (typeof value === "string") return value ? [value] : [];
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record.runId === "string") return [record.runId];
  if (Array.isArray(record.runIds)) return record.runIds.filter((id): id is string => typeof id === "string");
  if (record.kind === "run") return [(record as Extract<RunsNode, { kind: "run" }>).run.run_id];
  if (record.kind === "group") return (record as Extract<RunsNode, { kind: "group" }>).runs.map((run) => run.run_id);
  const model = modelOfArg(value);
  if (model !== undefined) return knownRuns.filter((run) => run.model_class === model).map((run) => run.run_id);
  return [];
}
