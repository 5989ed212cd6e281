import type { ModelRun } from "../../core/store/runRecord";
import type { CompareSelection } from "../../protocol/compare";

export interface ResolvedSelection {
  /** The selection brought up to date: deleted runs dropped, new runs of a followed model added. */
  selection: CompareSelection;
  runs: ModelRun[];
  /** Runs the selection named that the store no longer has. */
  deleted: string[];
}

export function selectionOfRuns(runIds: readonly string[]): CompareSelection {
  return { runIds: unique(runIds) };
}

export function selectionOfModel(model: string): CompareSelection {
  return { runIds: [], followModel: model, removed: [] };
}

/** The selection against the store's runs now, in the selection's order (new runs last). */
export function resolveSelection(selection: CompareSelection, allRuns: readonly ModelRun[]): ResolvedSelection {
  const byId = new Map(allRuns.map((run) => [run.run_id, run]));
  const kept = selection.runIds.filter((id) => byId.has(id));
  const deleted = selection.runIds.filter((id) => !byId.has(id));
  const ids = [...kept, ...followedRunsToAdd(selection, allRuns, new Set(kept))];
  const removed = selection.removed?.filter((id) => byId.has(id));
  const resolved: CompareSelection = { runIds: ids, ...(selection.followModel ? { followModel: selection.followModel, removed: removed ?? [] } : {}) };
  return { selection: resolved, runs: ids.map((id) => slim(byId.get(id) as ModelRun)), deleted };
}

function followedRunsToAdd(selection: CompareSelection, allRuns: readonly ModelRun[], present: ReadonlySet<string>): string[] {
  if (!selection.followModel) return [];
  const removed = new Set(selection.removed ?? []);
  return allRuns.filter((run) => run.model_class === selection.followModel && !present.has(run.run_id) && !removed.has(run.run_id)).map((run) => run.run_id);
}

/** `details` (feature names, class lists, warnings) can be large and the panel never shows it. */
function slim(run: ModelRun): ModelRun {
  return { ...run, details: {} };
}

export function addToSelection(selection: CompareSelection, runIds: readonly string[]): CompareSelection {
  const added = new Set(runIds);
  const removed = selection.removed?.filter((id) => !added.has(id));
  return { ...selection, runIds: unique([...selection.runIds, ...runIds]), ...(removed ? { removed } : {}) };
}

/** Removing a run of a followed model remembers it, or the next refresh would bring it back. */
export function removeFromSelection(selection: CompareSelection, runIds: readonly string[]): CompareSelection {
  const gone = new Set(runIds);
  const next: CompareSelection = { ...selection, runIds: selection.runIds.filter((id) => !gone.has(id)) };
  if (selection.followModel) next.removed = unique([...(selection.removed ?? []), ...runIds.filter((id) => selection.runIds.includes(id))]);
  return next;
}

/** The panel's title: what is compared, in a few words. */
export function selectionTitle(selection: CompareSelection, runCount: number): string {
  const runs = runCount === 1 ? "1 run" : `${runCount.toLocaleString("en-US")} runs`;
  return selection.followModel ? `${selection.followModel}: ${runs}` : runs;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
