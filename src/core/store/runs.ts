import type { Database, SqlValue } from "sql.js";
import type { JsonObject } from "../util/json";
import type { MetricPoint, ModelRun, SearchTrial } from "./runRecord";

/** Columns stored as JSON text, parsed on the way out. */
export const JSON_COLUMNS = new Set([
  "hyperparameters",
  "metrics",
  "model_params",
  "feature_generator_params",
  "dataset_params",
  "search",
  "reproduction",
  "details",
]);

export const RUN_COLUMNS = [
  "run_id",
  "model_class",
  "hyperparameters",
  "githash",
  "feature_generator_class",
  "dataset_class",
  "metrics",
  "artifacts",
  "start_time",
  "end_time",
  "status",
  "model_params",
  "feature_generator_params",
  "dataset_params",
  "seed",
  "metric",
  "search",
  "task",
  "test_fraction",
  "backend",
  "base_commit",
  "dirty",
  "workspace_path",
  "dataset_hash",
  "dataset_rows",
  "reproduced_from",
  "reproduction",
  "details",
  "error",
  "pid",
  "host",
  "mlexp_version",
] as const satisfies readonly (keyof ModelRun)[];

function toSql(column: string, value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (JSON_COLUMNS.has(column)) return JSON.stringify(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as SqlValue;
}

function fromSql(column: string, value: SqlValue): unknown {
  if (value === null) return null;
  if (JSON_COLUMNS.has(column)) return JSON.parse(value as string);
  if (column === "dirty") return value === 1;
  return value;
}

export function insertRun(db: Database, run: ModelRun): void {
  const placeholders = RUN_COLUMNS.map(() => "?").join(", ");
  db.run(
    `INSERT INTO model_runs (${RUN_COLUMNS.join(", ")}) VALUES (${placeholders})`,
    RUN_COLUMNS.map((column) => toSql(column, run[column])),
  );
}

/** Updates some columns of one run; returns false when the run does not exist. */
export function updateRun(db: Database, runId: string, patch: Partial<ModelRun>): boolean {
  const columns = Object.keys(patch).filter((key) => key !== "run_id" && (RUN_COLUMNS as readonly string[]).includes(key));
  if (!columns.length) return true;
  db.run(
    `UPDATE model_runs SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE run_id = ?`,
    [...columns.map((c) => toSql(c, patch[c as keyof ModelRun])), runId],
  );
  return db.getRowsModified() > 0;
}

export function deleteRunRow(db: Database, runId: string): boolean {
  db.run("DELETE FROM metric_history WHERE run_id = ?", [runId]);
  db.run("DELETE FROM search_trials WHERE run_id = ?", [runId]);
  db.run("DELETE FROM model_runs WHERE run_id = ?", [runId]);
  return db.getRowsModified() > 0;
}

export function runExists(db: Database, runId: string): boolean {
  return db.exec("SELECT 1 FROM model_runs WHERE run_id = ?", [runId]).length > 0;
}

export function allRunIds(db: Database): string[] {
  return (db.exec("SELECT run_id FROM model_runs")[0]?.values ?? []).map(([id]) => String(id));
}

export function getRun(db: Database, runId: string): ModelRun | undefined {
  return selectRuns(db, "WHERE run_id = ?", [runId])[0];
}

/** Every run, newest first. */
export function listRuns(db: Database): ModelRun[] {
  return selectRuns(db, "ORDER BY start_time DESC, run_id DESC", []);
}

export function selectRuns(db: Database, clause: string, params: SqlValue[]): ModelRun[] {
  const statement = db.prepare(`SELECT ${RUN_COLUMNS.join(", ")} FROM model_runs ${clause}`);
  try {
    statement.bind(params);
    const runs: ModelRun[] = [];
    while (statement.step()) {
      const row = statement.get();
      const run: Record<string, unknown> = {};
      RUN_COLUMNS.forEach((column, i) => (run[column] = fromSql(column, row[i])));
      runs.push(run as unknown as ModelRun);
    }
    return runs;
  } finally {
    statement.free();
  }
}

export function insertHistory(db: Database, runId: string, points: readonly MetricPoint[]): void {
  const statement = db.prepare("INSERT OR REPLACE INTO metric_history (run_id, step, name, value) VALUES (?, ?, ?, ?)");
  try {
    for (const point of points) statement.run([runId, point.step, point.name, finiteOrNull(point.value)]);
  } finally {
    statement.free();
  }
}

export function getHistory(db: Database, runId: string): MetricPoint[] {
  const result = db.exec("SELECT step, name, value FROM metric_history WHERE run_id = ? ORDER BY name, step", [runId]);
  return (result[0]?.values ?? []).map(([step, name, value]) => ({
    step: step as number,
    name: name as string,
    value: value === null ? NaN : (value as number),
  }));
}

const TRIAL_EXTRAS = ["status", "error", "worker", "host", "start_time", "duration_ms"] as const;

export function insertTrials(db: Database, runId: string, trials: readonly SearchTrial[]): void {
  const columns = ["run_id", "trial", "params", "score", "fold_scores", ...TRIAL_EXTRAS];
  const statement = db.prepare(`INSERT OR REPLACE INTO search_trials (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
  try {
    for (const t of trials) {
      const extras = TRIAL_EXTRAS.map((key) => t[key] ?? null);
      statement.run([runId, t.trial, JSON.stringify(t.params), finiteOrNull(t.score), JSON.stringify(t.fold_scores), ...extras]);
    }
  } finally {
    statement.free();
  }
}

export function getTrials(db: Database, runId: string): SearchTrial[] {
  const result = db.exec(`SELECT trial, params, score, fold_scores, ${TRIAL_EXTRAS.join(", ")} FROM search_trials WHERE run_id = ? ORDER BY trial`, [runId]);
  return (result[0]?.values ?? []).map(([trial, params, score, folds, ...extras]) => {
    const found: SearchTrial = {
      trial: trial as number,
      params: JSON.parse(params as string) as JsonObject,
      score: score === null ? NaN : (score as number),
      fold_scores: JSON.parse(folds as string) as number[],
    };
    // Trials scored in the run's own process have none of these: leave them out rather than null.
    TRIAL_EXTRAS.forEach((key, i) => {
      if (extras[i] !== null) Object.assign(found, { [key]: extras[i] });
    });
    return found;
  });
}

/** SQLite has no NaN: it would store NULL anyway, so say so explicitly. */
function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
