import type { MetricPoint, ModelRun, RunStatus, SearchTrial } from "./runRecord";

/** A run with everything recorded about it besides its artifact files. */
export interface RunBundle {
  run: ModelRun;
  history: MetricPoint[];
  trials: SearchTrial[];
}

export interface RunFilter {
  /** Only runs whose status (as readers see it: `crashed` included) is one of these. */
  status?: readonly RunStatus[];
  model_class?: string;
  /** Only runs whose id starts with this (a unique prefix finds one run). */
  idPrefix?: string;
  /** Only these runs. */
  ids?: readonly string[];
}

/** `metric:NAME` sorts by a metric's value (runs without it last). */
export type RunSortKey = "start_time" | "end_time" | "model_class" | "run_id" | `metric:${string}`;

export interface RunQuery extends RunFilter {
  /** Default: `start_time` descending (newest first), ties broken by run id. */
  sort?: RunSortKey;
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

export type ImportOutcome = "created" | "updated" | "unchanged";

/** What a store reports to `watch` listeners: something changed, read again. */
export interface ChangeSubscription {
  dispose(): void;
}

/**
 * Where runs, their learning curves and their search trials live: the workspace's sql.js file, or
 * a team's PostgreSQL database. Everything mlexp reads or writes about runs goes through this.
 *
 * Consistency contract (what every backend guarantees, between threads, processes and hosts):
 * - Each method is atomic: a reader sees a write whole or not at all. `finishRun` and `importRun`
 *   write a run with its curves and trials in one transaction, so no reader ever sees a finished
 *   run without them, and a writer killed in the middle (even by `kill -9`) leaves the previous
 *   state.
 * - Read-your-writes: once a write's promise resolves, every later read from any process sees it.
 *   Reads are not snapshots across calls: two calls may see different states.
 * - `createRun` with an id that exists fails (`MlexpError` code `store_conflict`) and changes
 *   nothing: ids are random, so this is a bug or a replayed import, never a normal race.
 * - Writes to different runs never conflict and are never lost; concurrent writes to the same
 *   run's fields are applied in some order, the last one wins per field (only the process running
 *   a training writes its row, so this does not happen in normal use).
 * - `appendHistory` / `appendTrials` are idempotent: a point (run, name, step) or trial (run,
 *   trial) written twice is stored once with the last value.
 * - `importRun` is idempotent: importing the same bundle again changes nothing and says
 *   `unchanged`; it is how `mlexp push` / `pull` stay resumable.
 * - Liveness: a run whose row says `running` is reported as `crashed` by every reader once its
 *   process is known to be gone. The workspace store knows it for processes on this host (by pid);
 *   the team store knows it for any host, by the heartbeat (`heartbeat`) being older than a limit.
 *   `crashed` is never written: it is how a reader sees an abandoned `running` row.
 * - `changeToken` is cheap and differs after any write that a `listRuns` could see (heartbeats
 *   excepted); `watch` calls its listener soon after such a write by any process (it may also call
 *   it without a change, and it may coalesce several changes into one call).
 * - Errors are `MlexpError`s with a one-line message that says what failed and how to fix it; they
 *   never contain a password.
 *
 * How the workspace store keeps it: a write is one fsynced line appended, under the database lock,
 * to `.mlexp/mlexp.journal` after being checked against the current state; every read applies the
 * lines it has not seen to its in-memory copy of `.mlexp/mlexp.db` (see RunDatabase). The file
 * alone may lag behind the journal until a checkpoint folds it in: read it through this interface.
 */
export interface RunStore {
  /** What to show the user: "workspace database /path/.mlexp/mlexp.db" or "postgresql://user@host:5432/db". */
  readonly description: string;
  /** `workspace` (the embedded sql.js file) or `postgresql`. */
  readonly kind: "workspace" | "postgresql";

  createRun(run: ModelRun): Promise<void>;
  /** Changes some fields of a run; false when there is no such run. `run_id` cannot change. */
  updateRun(runId: string, patch: Partial<ModelRun>): Promise<boolean>;
  /** The final state of a run together with its learning curves and trials, in one transaction. */
  finishRun(runId: string, patch: Partial<ModelRun>, history: readonly MetricPoint[], trials: readonly SearchTrial[]): Promise<void>;
  appendHistory(runId: string, points: readonly MetricPoint[]): Promise<void>;
  appendTrials(runId: string, trials: readonly SearchTrial[]): Promise<void>;
  /** Says the run's process is alive (a no-op where liveness is known otherwise). */
  heartbeat(runId: string): Promise<void>;
  /** Writes a run with its curves and trials as given, whatever was stored before. */
  importRun(bundle: RunBundle): Promise<ImportOutcome>;
  /** Removes a run with its curves and trials; false when there was none. */
  deleteRun(runId: string): Promise<boolean>;

  getRun(runId: string): Promise<ModelRun | undefined>;
  listRuns(query?: RunQuery): Promise<ModelRun[]>;
  countRuns(filter?: RunFilter): Promise<number>;
  getHistory(runId: string): Promise<MetricPoint[]>;
  getTrials(runId: string): Promise<SearchTrial[]>;

  changeToken(): Promise<string>;
  watch(listener: () => void): ChangeSubscription;
  close(): Promise<void>;
}

export const DEFAULT_LIST_ORDER: Required<Pick<RunQuery, "sort" | "order">> = { sort: "start_time", order: "desc" };

/** A metric name as it may appear in a sort key: letters, digits, `_`, `.`, `-`, `@`. */
export const METRIC_NAME_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;
