import type { Database } from "sql.js";
import type { MetricPoint, ModelRun, SearchTrial } from "./runRecord";
import type { RunBundle } from "./runStore";
import * as runs from "./runs";

/**
 * One write to the workspace store, as it is kept in the journal and applied by every reader.
 * Each sets state (never adds to it), so applying a change again after it leaves the same state.
 */
export type StoreChange =
  | { op: "create"; run: ModelRun }
  | { op: "update"; id: string; patch: Partial<ModelRun> }
  | { op: "finish"; id: string; patch: Partial<ModelRun>; history: readonly MetricPoint[]; trials: readonly SearchTrial[] }
  | { op: "history"; id: string; points: readonly MetricPoint[] }
  | { op: "trials"; id: string; trials: readonly SearchTrial[] }
  | { op: "import"; bundle: RunBundle }
  | { op: "delete"; id: string };

export function applyChange(db: Database, change: StoreChange): void {
  switch (change.op) {
    case "create":
      runs.insertRun(db, change.run);
      return;
    case "update":
      runs.updateRun(db, change.id, change.patch);
      return;
    case "finish":
      runs.updateRun(db, change.id, change.patch);
      runs.insertHistory(db, change.id, change.history);
      runs.insertTrials(db, change.id, change.trials);
      return;
    case "history":
      runs.insertHistory(db, change.id, change.points);
      return;
    case "trials":
      runs.insertTrials(db, change.id, change.trials);
      return;
    case "import":
      runs.deleteRunRow(db, change.bundle.run.run_id);
      runs.insertRun(db, change.bundle.run);
      runs.insertHistory(db, change.bundle.run.run_id, change.bundle.history);
      runs.insertTrials(db, change.bundle.run.run_id, change.bundle.trials);
      return;
    case "delete":
      runs.deleteRunRow(db, change.id);
      return;
  }
}

/**
 * JSON drops `undefined`, but a patch's `undefined` means "clear this field": say null instead.
 * (NaN becomes null in JSON too, which is what SQLite stores for it anyway.)
 */
export function patchForJournal(patch: Partial<ModelRun>): Partial<ModelRun> {
  return Object.fromEntries(Object.entries(patch).map(([key, value]) => [key, value === undefined ? null : value])) as Partial<ModelRun>;
}
