import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FileObjectBackend } from "../objects/fileObjectBackend";
import type { ObjectBackend } from "../objects/objectBackend";
import type { RunFilesEnd } from "../objects/runFiles";
import { MlexpError } from "../util/errors";
import { loadSqlJs } from "../util/sqljs";
import { RunDatabase } from "./database";
import type { MetricPoint, ModelRun, SearchTrial } from "./runRecord";
import { checkRunIdSyntax, isRunId } from "./runId";
import type { RunQuery, RunStore } from "./runStore";
import { resolveStore, type StoreLocation } from "./storeUrl";
import { openTeamStore, type TeamStore } from "./teamStore";
import { WorkspaceRunStore } from "./workspaceRunStore";

export const STORE_DIR = ".mlexp";

export interface StoreOptions {
  /** `--store URL`: `workspace`, a workspace folder or `postgresql://…` (default: `MLEXP_STORE`, else the workspace). */
  store?: string;
  env?: NodeJS.ProcessEnv;
  /** The team store's password when it does not come from PGPASSWORD / ~/.pgpass (VS Code's SecretStorage). */
  password?: string;
}

/**
 * A workspace's `.mlexp/` folder (the run artifact folders and the local objects, which are also
 * the cache of a team store's objects) together with the run store and object backend in use:
 * the workspace's own sql.js database and object folder by default, or a team's PostgreSQL
 * database. It carries its own `.gitignore` so none of it is ever committed.
 */
export class Store {
  readonly dir: string;
  /** The workspace's own run database (also where a training's result waits when the team store is down). */
  readonly db: RunDatabase;
  readonly runs: RunStore;
  /** Where datasets are shared: the local folder, or the team's backend. */
  readonly objects: ObjectBackend;
  /** The workspace's object folder: where trainings store datasets and reproductions read them. */
  readonly localObjects: FileObjectBackend;
  readonly location: StoreLocation;
  /** The team store, when runs are kept in PostgreSQL. */
  readonly team: TeamStore | undefined;
  /** Where runs' artifact files are: run folders on disk, or the team store's file lists. */
  readonly files: RunFilesEnd;

  private constructor(
    readonly workspace: string,
    location: StoreLocation,
    options: StoreOptions,
  ) {
    this.dir = path.join(workspace, STORE_DIR);
    this.db = new RunDatabase(path.join(this.dir, "mlexp.db"));
    this.localObjects = new FileObjectBackend(path.join(this.dir, "objects"));
    this.location = location;
    if (location.kind === "postgresql") {
      const team = openTeamStore(location.url, { password: options.password }, options.env);
      this.team = team;
      this.runs = team.runs;
      this.objects = team.objects;
      this.files = { kind: "index", index: team.files, objects: team.objects };
    } else if (path.resolve(location.workspace) === workspace) {
      this.runs = new WorkspaceRunStore(this.db);
      this.objects = this.localObjects;
      this.files = { kind: "folder", runsDir: path.join(this.dir, "runs"), cache: this.localObjects };
    } else {
      const other = path.join(location.workspace, STORE_DIR);
      const otherObjects = new FileObjectBackend(path.join(other, "objects"));
      this.runs = new WorkspaceRunStore(new RunDatabase(path.join(other, "mlexp.db")));
      this.objects = otherObjects;
      this.files = { kind: "folder", runsDir: path.join(other, "runs"), cache: otherObjects };
    }
  }

  /** Opens the store of `workspace`, creating `.mlexp/` on first use. */
  static open(workspace: string, options: StoreOptions = {}): Store {
    const resolved = path.resolve(workspace);
    const store = new Store(resolved, resolveStore(resolved, options.store, options.env), options);
    store.ensureLayout();
    // Compiling sql.js's WebAssembly takes a while; start it now, off the main thread.
    if (store.runs.kind === "workspace") void loadSqlJs().catch(() => undefined);
    return store;
  }

  /** True when runs are stored somewhere other than this workspace's own database. */
  get isRemote(): boolean {
    return this.runs.kind !== "workspace" || this.location.kind !== "workspace" || path.resolve(this.location.workspace) !== this.workspace;
  }

  private ensureLayout(): void {
    fs.mkdirSync(path.join(this.dir, "runs"), { recursive: true });
    const ignore = path.join(this.dir, ".gitignore");
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, "# Written by mlexp: runs, data and models stay out of git.\n*\n");
  }

  /** This workspace's run folders (where a training writes its files, and `pull` puts them). */
  get localFiles(): RunFilesEnd {
    return { kind: "folder", runsDir: path.join(this.dir, "runs"), cache: this.localObjects };
  }

  /** The artifact folder of a run, relative to the workspace (what `model_runs.artifacts` holds). */
  artifactsPathOf(runId: string): string {
    return path.posix.join(STORE_DIR, "runs", runId);
  }

  runDir(runId: string): string {
    return path.join(this.dir, "runs", checkRunIdSyntax(runId));
  }

  listRuns(query?: RunQuery): Promise<ModelRun[]> {
    return this.runs.listRuns(query);
  }

  /** The run with this id (or unique id prefix); a clear error when there is none. */
  async getRun(idOrPrefix: string): Promise<ModelRun> {
    const wanted = checkRunIdSyntax(idOrPrefix);
    const exact = await this.runs.getRun(wanted);
    if (exact) return exact;
    const matches = isRunId(wanted) ? [] : await this.runs.listRuns({ idPrefix: wanted, limit: 2 });
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      const count = await this.runs.countRuns({ idPrefix: wanted });
      throw new MlexpError(`The run id prefix "${wanted}" matches ${count} runs.`, "unknown_run", "Give more characters.");
    }
    throw new MlexpError(`No run "${wanted}" in ${this.runs.description}.`, "unknown_run", "List the runs with `mlexp runs`.");
  }

  history(runId: string): Promise<MetricPoint[]> {
    return this.runs.getHistory(runId);
  }

  trials(runId: string): Promise<SearchTrial[]> {
    return this.runs.getTrials(runId);
  }

  insertRun(run: ModelRun): Promise<void> {
    return this.runs.createRun(run);
  }

  /** Writes a run's final state with its learning curves and search trials in one transaction. */
  completeRun(runId: string, patch: Partial<ModelRun>, history: MetricPoint[] = [], trials: SearchTrial[] = []): Promise<void> {
    return this.runs.finishRun(runId, patch, history, trials);
  }

  /** Records search trials as they finish (a trial recorded again replaces itself). */
  recordTrials(runId: string, trials: SearchTrial[]): Promise<void> {
    return this.runs.appendTrials(runId, trials);
  }

  async updateRun(runId: string, patch: Partial<ModelRun>): Promise<void> {
    await this.runs.updateRun(runId, patch);
  }

  /**
   * Removes a run's row, history, trials and artifact folder (shared data objects stay). A run
   * still training is refused: its process would fail writing its end and leave an orphan folder.
   */
  async deleteRun(idOrPrefix: string): Promise<ModelRun> {
    const run = await this.getRun(idOrPrefix);
    // Read with live status: a run never becomes `running` again once it is not, so no lock is needed.
    if (run.status === "running") throw stillTraining(run);
    await this.runs.deleteRun(run.run_id);
    fs.rmSync(this.runDir(run.run_id), { recursive: true, force: true });
    return run;
  }

  close(): void {
    this.db.close();
    void this.runs.close();
    void this.objects.close();
  }
}

function stillTraining(run: ModelRun): MlexpError {
  const where = run.host === os.hostname() ? `process ${run.pid}` : `process ${run.pid} on ${run.host}`;
  return new MlexpError(
    `Run ${run.run_id} is still training (${where}): it cannot be deleted while it runs.`,
    "run_in_use",
    "Cancel it first (Ctrl-C where it was started, or Cancel Training in VS Code), then delete it.",
  );
}
