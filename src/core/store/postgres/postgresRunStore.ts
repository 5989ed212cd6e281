import * as fs from "node:fs";
import type * as pg from "pg";
import { isOrphaned } from "../liveness";
import type { MetricPoint, ModelRun, SearchTrial } from "../runRecord";
import { buildRunQuery, filterClauses, finishInJs, type SqlDialect } from "../runQuery";
import { JSON_COLUMNS, RUN_COLUMNS } from "../runs";
import type { ChangeSubscription, ImportOutcome, RunBundle, RunFilter, RunQuery, RunStore } from "../runStore";
import { sameBundle } from "../workspaceRunStore";
import { MlexpError } from "../../util/errors";
import type { PostgresDatabase } from "./database";

const PG: SqlDialect = {
  noLimit: "ALL",
  placeholder: (n) => `$${n}`,
  metricValue: (_name, param) => `(metrics ->> ${param}::text)::double precision`,
};

/**
 * Tests only: with MLEXP_TEST_HOLD_FINISH set to a file path, `finishRun` writes that file once its
 * rows are written and never commits, so a test can `kill -9` the process in the middle of the write.
 */
async function holdBeforeCommitForTests(): Promise<void> {
  const marker = process.env.MLEXP_TEST_HOLD_FINISH;
  if (!marker) return;
  fs.writeFileSync(marker, String(process.pid));
  // Keeps the process alive, holding the open transaction, until the test kills it.
  await new Promise(() => setInterval(() => undefined, 60_000));
}

/** A running run whose heartbeat is older than this is crashed, whatever host it runs on. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

/** Every run with whether its heartbeat is stale; the planner pushes outer WHERE, ORDER BY and LIMIT into it. */
const SELECT = `SELECT * FROM (SELECT ${RUN_COLUMNS.map((c) => `r.${c}`).join(", ")},
  (r.status = 'running' AND (h.beat_at IS NULL OR h.beat_at < now() - make_interval(secs => $1::double precision))) AS stale
  FROM model_runs r LEFT JOIN run_heartbeats h ON h.run_id = r.run_id) AS runs`;

/**
 * The team store's runs in PostgreSQL. Several processes on several hosts write at once; each
 * method is one statement or one transaction. Liveness is by heartbeat (any host) and, for runs of
 * this host, by pid.
 */
export class PostgresRunStore implements RunStore {
  readonly kind = "postgresql";

  constructor(
    private readonly db: PostgresDatabase,
    private readonly staleAfterMs = DEFAULT_STALE_AFTER_MS,
  ) {}

  get description(): string {
    return this.db.description;
  }

  async createRun(run: ModelRun): Promise<void> {
    await this.db.transaction(async (client) => {
      const inserted = await insertRun(client, run, true);
      if (!inserted) throw new MlexpError(`A run ${run.run_id} is already stored.`, "store_conflict", "Run ids are random: this is a replayed write; nothing was changed.");
      await client.query("INSERT INTO run_heartbeats (run_id) VALUES ($1) ON CONFLICT (run_id) DO UPDATE SET beat_at = now()", [run.run_id]);
    });
  }

  async updateRun(runId: string, patch: Partial<ModelRun>): Promise<boolean> {
    return this.db.withClient((client) => updateRun(client, runId, patch));
  }

  async finishRun(runId: string, patch: Partial<ModelRun>, history: readonly MetricPoint[], trials: readonly SearchTrial[]): Promise<void> {
    await this.db.transaction(async (client) => {
      await updateRun(client, runId, patch);
      await insertHistory(client, runId, history);
      await insertTrials(client, runId, trials);
      await holdBeforeCommitForTests();
    });
  }

  async appendHistory(runId: string, points: readonly MetricPoint[]): Promise<void> {
    await this.db.withClient((client) => insertHistory(client, runId, points));
  }

  async appendTrials(runId: string, trials: readonly SearchTrial[]): Promise<void> {
    await this.db.withClient((client) => insertTrials(client, runId, trials));
  }

  async heartbeat(runId: string): Promise<void> {
    await this.db.query("INSERT INTO run_heartbeats (run_id) VALUES ($1) ON CONFLICT (run_id) DO UPDATE SET beat_at = now()", [runId]);
  }

  importRun(bundle: RunBundle): Promise<ImportOutcome> {
    return this.db.transaction(async (client) => {
      // Serialises imports of the same run (two `mlexp push` at once).
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [bundle.run.run_id]);
      const existing = await selectRuns(client, `WHERE run_id = $2`, [bundle.run.run_id], this.staleAfterMs);
      if (existing.length) {
        const [history, trials] = [await getHistory(client, bundle.run.run_id), await getTrials(client, bundle.run.run_id)];
        if (sameBundle({ run: existing[0], history, trials }, bundle)) return "unchanged";
        await client.query("DELETE FROM model_runs WHERE run_id = $1", [bundle.run.run_id]);
      }
      await insertRun(client, bundle.run, false);
      await insertHistory(client, bundle.run.run_id, bundle.history);
      await insertTrials(client, bundle.run.run_id, bundle.trials);
      return existing.length ? "updated" : "created";
    });
  }

  async deleteRun(runId: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM model_runs WHERE run_id = $1", [runId]);
    return (result.rowCount ?? 0) > 0;
  }

  async getRun(runId: string): Promise<ModelRun | undefined> {
    return (await this.db.withClient((client) => selectRuns(client, "WHERE run_id = $2", [runId], this.staleAfterMs)))[0];
  }

  async listRuns(query: RunQuery = {}): Promise<ModelRun[]> {
    const part = buildRunQuery(query, { ...PG, placeholder: (n) => `$${n + 1}` });
    const rows = await this.db.withClient((client) => selectRuns(client, `${part.where}${part.orderLimit}`, part.params, this.staleAfterMs));
    return finishInJs(rows, part, query);
  }

  async countRuns(filter: RunFilter = {}): Promise<number> {
    if (filter.status) return (await this.listRuns(filter)).length;
    const params: unknown[] = [];
    const { clauses } = filterClauses(filter, PG, (value) => {
      params.push(value);
      return PG.placeholder(params.length);
    });
    const result = await this.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM model_runs ${clauses.length ? `WHERE ${clauses.join(" AND ")}` : ""}`, params);
    return result.rows[0].n;
  }

  getHistory(runId: string): Promise<MetricPoint[]> {
    return this.db.withClient((client) => getHistory(client, runId));
  }

  getTrials(runId: string): Promise<SearchTrial[]> {
    return this.db.withClient((client) => getTrials(client, runId));
  }

  /** A counter that a statement trigger raises in the writing transaction: it changes exactly when committed runs do. */
  async changeToken(): Promise<string> {
    const result = await this.db.query<{ counter: number }>("SELECT counter FROM mlexp_changes WHERE id = 1");
    return String(result.rows[0]?.counter ?? 0);
  }

  /**
   * LISTEN/NOTIFY for prompt news, backed by a poll of the change token (a notification is lost
   * while the connection is down); a server that is down is retried at each poll.
   */
  watch(listener: () => void, pollMs = 2_000): ChangeSubscription {
    let stopped = false;
    let last: string | undefined;
    let client: pg.Client | undefined;
    let connecting = false;
    const check = async () => {
      try {
        const token = await this.changeToken();
        if (!stopped && last !== undefined && token !== last) listener();
        last = token;
      } catch {
        // Down: the views keep what they show; the next poll tries again.
      }
      if (!client && !connecting && !stopped) void listen();
    };
    const listen = async () => {
      connecting = true;
      try {
        const fresh = await this.db.listenClient();
        if (stopped) return void fresh.end();
        fresh.on("notification", () => void check());
        fresh.on("error", () => {
          client = undefined;
        });
        fresh.on("end", () => {
          client = undefined;
        });
        await fresh.query("LISTEN mlexp_runs");
        client = fresh;
      } catch {
        client = undefined;
      } finally {
        connecting = false;
      }
    };
    void check();
    const timer = setInterval(() => void check(), pollMs);
    timer.unref?.();
    return {
      dispose: () => {
        stopped = true;
        clearInterval(timer);
        void client?.end().catch(() => undefined);
      },
    };
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

type Client = pg.PoolClient;

function toPg(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (JSON_COLUMNS.has(column)) return JSON.stringify(value);
  return value;
}

async function insertRun(client: Client, run: ModelRun, onlyIfAbsent: boolean): Promise<boolean> {
  const values = RUN_COLUMNS.map((column) => toPg(column, run[column]));
  const placeholders = RUN_COLUMNS.map((column, i) => `$${i + 1}${JSON_COLUMNS.has(column) ? "::jsonb" : ""}`);
  const status = run.status === "crashed" ? "running" : run.status;
  values[RUN_COLUMNS.indexOf("status")] = status;
  const result = await client.query(
    `INSERT INTO model_runs (${RUN_COLUMNS.join(", ")}) VALUES (${placeholders.join(", ")})${onlyIfAbsent ? " ON CONFLICT (run_id) DO NOTHING" : ""}`,
    values,
  );
  return (result.rowCount ?? 0) > 0;
}

async function updateRun(client: Client, runId: string, patch: Partial<ModelRun>): Promise<boolean> {
  const columns = Object.keys(patch).filter((key) => key !== "run_id" && (RUN_COLUMNS as readonly string[]).includes(key));
  if (!columns.length) return (await client.query("SELECT 1 FROM model_runs WHERE run_id = $1", [runId])).rowCount === 1;
  const sets = columns.map((c, i) => `${c} = $${i + 2}${JSON_COLUMNS.has(c) ? "::jsonb" : ""}`);
  const result = await client.query(`UPDATE model_runs SET ${sets.join(", ")} WHERE run_id = $1`, [runId, ...columns.map((c) => toPg(c, patch[c as keyof ModelRun]))]);
  return (result.rowCount ?? 0) > 0;
}

async function selectRuns(client: Client, clause: string, params: unknown[], staleAfterMs: number): Promise<ModelRun[]> {
  const result = await client.query(`${SELECT} ${clause}`, [staleAfterMs / 1000, ...params]);
  return result.rows.map((row: Record<string, unknown>) => {
    const { stale, ...fields } = row;
    const run = fields as unknown as ModelRun;
    return stale || (run.status === "running" && isOrphaned(run)) ? { ...run, status: "crashed" } : run;
  });
}

async function insertHistory(client: Client, runId: string, points: readonly MetricPoint[]): Promise<void> {
  if (!points.length) return;
  await client.query(
    `INSERT INTO metric_history (run_id, name, step, value)
     SELECT $1, name, step, value FROM unnest($2::text[], $3::integer[], $4::double precision[]) AS p(name, step, value)
     ON CONFLICT (run_id, name, step) DO UPDATE SET value = EXCLUDED.value`,
    [runId, points.map((p) => p.name), points.map((p) => p.step), points.map((p) => (Number.isFinite(p.value) ? p.value : null))],
  );
}

async function insertTrials(client: Client, runId: string, trials: readonly SearchTrial[]): Promise<void> {
  if (!trials.length) return;
  await client.query(
    `INSERT INTO search_trials (run_id, trial, params, score, fold_scores, status, error, worker, host, start_time, duration_ms)
     SELECT $1, trial, params::jsonb, score, folds::jsonb, status, error, worker, host, start_time, duration_ms
     FROM unnest($2::integer[], $3::text[], $4::double precision[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::double precision[])
       AS t(trial, params, score, folds, status, error, worker, host, start_time, duration_ms)
     ON CONFLICT (run_id, trial) DO UPDATE SET params = EXCLUDED.params, score = EXCLUDED.score, fold_scores = EXCLUDED.fold_scores,
       status = EXCLUDED.status, error = EXCLUDED.error, worker = EXCLUDED.worker, host = EXCLUDED.host, start_time = EXCLUDED.start_time, duration_ms = EXCLUDED.duration_ms`,
    [
      runId,
      trials.map((t) => t.trial),
      trials.map((t) => JSON.stringify(t.params)),
      trials.map((t) => (Number.isFinite(t.score) ? t.score : null)),
      trials.map((t) => JSON.stringify(t.fold_scores)),
      trials.map((t) => t.status ?? null),
      trials.map((t) => t.error ?? null),
      trials.map((t) => t.worker ?? null),
      trials.map((t) => t.host ?? null),
      trials.map((t) => t.start_time ?? null),
      trials.map((t) => t.duration_ms ?? null),
    ],
  );
}

type TrialRow = { trial: number; params: SearchTrial["params"]; score: number | null; fold_scores: number[] } & Record<(typeof TRIAL_EXTRAS)[number], string | number | null>;

/** Only trials of distributed searches have these; in-process trials leave them out. */
const TRIAL_EXTRAS = ["status", "error", "worker", "host", "start_time", "duration_ms"] as const;

async function getTrials(client: Client, runId: string): Promise<SearchTrial[]> {
  const result = await client.query<TrialRow>(`SELECT trial, params, score, fold_scores, ${TRIAL_EXTRAS.join(", ")} FROM search_trials WHERE run_id = $1 ORDER BY trial`, [runId]);
  return result.rows.map((row) => {
    const trial: SearchTrial = { trial: row.trial, params: row.params, score: row.score === null ? NaN : row.score, fold_scores: row.fold_scores };
    for (const key of TRIAL_EXTRAS) if (row[key] !== null) Object.assign(trial, { [key]: row[key] });
    return trial;
  });
}
async function getHistory(client: Client, runId: string): Promise<MetricPoint[]> {
  const result = await client.query<{ step: number; name: string; value: number | null }>("SELECT step, name, value FROM metric_history WHERE run_id = $1 ORDER BY name, step", [runId]);
  return result.rows.map((row) => ({ step: row.step, name: row.name, value: row.value === null ? NaN : row.value }));
}
