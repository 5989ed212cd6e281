import * as fs from "node:fs";
import type { SqlValue } from "sql.js";
import { MlexpError } from "../util/errors";
import { patchForJournal } from "./changes";
import { missingColumn } from "./manifestCheck";
import { RunDatabase } from "./database";
import { storeFingerprint } from "./storeFingerprint";
import { withLiveStatus } from "./liveness";
import type { MetricPoint, ModelRun, SearchTrial } from "./runRecord";
import { buildRunQuery, filterClauses, finishInJs, type SqlDialect } from "./runQuery";
import * as runs from "./runs";
import type { ChangeSubscription, ImportOutcome, RunBundle, RunFilter, RunQuery, RunStore } from "./runStore";

const SQLITE: SqlDialect = {
  noLimit: "-1",
  placeholder: (n) => `?${n}`,
  metricValue: (_name, param) => `CAST(json_extract(metrics, '$."' || ${param} || '"') AS REAL)`,
};

/**
 * The embedded default: the workspace's `.mlexp/mlexp.db`, a SQLite file held whole in memory by
 * sql.js, and its journal of recent changes (see RunDatabase). Liveness is by pid on this host.
 */
export class WorkspaceRunStore implements RunStore {
  readonly kind = "workspace";
  readonly description: string;

  constructor(readonly db: RunDatabase) {
    this.description = `workspace database ${db.file}`;
  }

  async createRun(run: ModelRun): Promise<void> {
    await this.db.write((view) => {
      if (view.hasRun(run.run_id)) throw conflict(run.run_id);
      const missing = missingColumn(run as unknown as Record<string, unknown>);
      if (missing) throw new MlexpError(`Run ${run.run_id} cannot be stored: its ${missing} is missing.`, "invalid_argument");
      return { result: undefined, change: { op: "create", run } };
    });
  }

  updateRun(runId: string, patch: Partial<ModelRun>): Promise<boolean> {
    return this.db.write((view) => {
      if (!view.hasRun(runId)) return { result: false };
      return { result: true, change: { op: "update", id: runId, patch: patchForJournal(patch) } };
    });
  }

  async finishRun(runId: string, patch: Partial<ModelRun>, history: readonly MetricPoint[], trials: readonly SearchTrial[]): Promise<void> {
    await this.db.write((view) => {
      if (!view.hasRun(runId)) return noRun(runId, history.length + trials.length);
      return { result: undefined, change: { op: "finish", id: runId, patch: patchForJournal(patch), history, trials } };
    });
  }

  async appendHistory(runId: string, points: readonly MetricPoint[]): Promise<void> {
    await this.db.write((view) => {
      if (!points.length || !view.hasRun(runId)) return noRun(runId, points.length);
      return { result: undefined, change: { op: "history", id: runId, points } };
    });
  }

  async appendTrials(runId: string, trials: readonly SearchTrial[]): Promise<void> {
    await this.db.write((view) => {
      if (!trials.length || !view.hasRun(runId)) return noRun(runId, trials.length);
      return { result: undefined, change: { op: "trials", id: runId, trials } };
    });
  }

  /** Liveness here is by pid: nothing to write. */
  async heartbeat(): Promise<void> {}

  importRun(bundle: RunBundle): Promise<ImportOutcome> {
    return this.db.write((view) => {
      if (!view.hasRun(bundle.run.run_id)) return { result: "created" as ImportOutcome, change: { op: "import", bundle } };
      const db = view.database();
      const existing = runs.getRun(db, bundle.run.run_id) as ModelRun;
      if (sameBundle({ run: existing, history: runs.getHistory(db, existing.run_id), trials: runs.getTrials(db, existing.run_id) }, bundle)) {
        return { result: "unchanged" as ImportOutcome };
      }
      return { result: "updated" as ImportOutcome, change: { op: "import", bundle } };
    });
  }

  deleteRun(runId: string): Promise<boolean> {
    return this.db.write((view) => (view.hasRun(runId) ? { result: true, change: { op: "delete", id: runId } } : { result: false }));
  }

  async getRun(runId: string): Promise<ModelRun | undefined> {
    if (!this.exists()) return undefined;
    const run = await this.db.read((db) => runs.getRun(db, runId));
    return run && withLiveStatus(run);
  }

  async listRuns(query: RunQuery = {}): Promise<ModelRun[]> {
    if (!this.exists()) return [];
    const part = buildRunQuery(query, SQLITE);
    const rows = await this.db.read((db) => runs.selectRuns(db, `${part.where}${part.orderLimit}`, part.params as SqlValue[]));
    return finishInJs(rows.map(withLiveStatus), part, query);
  }

  async countRuns(filter: RunFilter = {}): Promise<number> {
    if (filter.status) return (await this.listRuns(filter)).length;
    if (!this.exists()) return 0;
    const params: unknown[] = [];
    const { clauses } = filterClauses(filter, SQLITE, (value) => {
      params.push(value);
      return SQLITE.placeholder(params.length);
    });
    return this.db.read((db) => {
      const result = db.exec(`SELECT count(*) FROM model_runs ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}`, params as SqlValue[]);
      return result[0].values[0][0] as number;
    });
  }

  async getHistory(runId: string): Promise<MetricPoint[]> {
    return this.exists() ? this.db.read((db) => runs.getHistory(db, runId)) : [];
  }

  async getTrials(runId: string): Promise<SearchTrial[]> {
    return this.exists() ? this.db.read((db) => runs.getTrials(db, runId)) : [];
  }

  /** Every write appends to the journal or renames a new database file in: their identities and sizes say so. */
  async changeToken(): Promise<string> {
    return storeFingerprint(this.db.file);
  }

  /** Polls the file's identity (file-system events miss atomic renames on some systems). */
  watch(listener: () => void, intervalMs = 500): ChangeSubscription {
    let last: string | undefined;
    let stopped = false;
    const check = async () => {
      const token = await this.changeToken();
      if (!stopped && last !== undefined && token !== last) listener();
      last = token;
    };
    void check();
    const timer = setInterval(() => void check(), intervalMs);
    timer.unref?.();
    return {
      dispose: () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Reading must not create the database: a workspace without one simply has no runs. */
  private exists(): boolean {
    return fs.existsSync(this.db.file);
  }
}

/** Compares what two stores hold for a run, field by field (JSON key order aside). */
export function sameBundle(a: RunBundle, b: RunBundle): boolean {
  return canonical(a) === canonical(b);
}

function canonical(bundle: RunBundle): string {
  const sortPoints = [...bundle.history].sort((x, y) => x.name.localeCompare(y.name) || x.step - y.step);
  const sortTrials = [...bundle.trials].sort((x, y) => x.trial - y.trial);
  return stableJson({ run: { ...bundle.run, status: bundle.run.status === "crashed" ? "running" : bundle.run.status }, history: sortPoints, trials: sortTrials });
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value) ?? "null";
}

/** Nothing to write for a run that does not exist, unless there was something to record for it: then it is an error. */
function noRun(runId: string, records: number): { result: undefined } {
  if (records > 0) throw new MlexpError(`No run ${runId} in the workspace database: its learning curves and trials cannot be recorded.`, "unknown_run");
  return { result: undefined };
}

function conflict(runId: string): MlexpError {
  return new MlexpError(`A run ${runId} is already stored.`, "store_conflict", "Run ids are random: this is a replayed write; nothing was changed.");
}
