import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MlexpError } from "../util/errors";
import { loadSqlJs } from "../util/sqljs";
import { RunDatabase } from "./database";
import { withLiveStatus } from "./liveness";
import type { MetricPoint, ModelRun, SearchTrial } from "./runRecord";
import { checkRunIdSyntax, isRunId } from "./runId";
import * as runs from "./runs";

export const STORE_DIR = ".mlexp";

/**
 * A workspace's `.mlexp/` folder: the run database, one artifact folder per run, and the
 * content-addressed objects. It carries its own `.gitignore` so none of it is ever committed.
 */
export class Store {
  readonly dir: string;
  readonly db: RunDatabase;

  private constructor(readonly workspace: string) {
    this.dir = path.join(workspace, STORE_DIR);
    this.db = new RunDatabase(path.join(this.dir, "mlexp.db"));
  }

  /** Opens the store of `workspace`, creating `.mlexp/` on first use. */
  static open(workspace: string): Store {
    const store = new Store(path.resolve(workspace));
    store.ensureLayout();
    // Compiling sql.js's WebAssembly takes a while; start it now, off the main thread.
    void loadSqlJs().catch(() => undefined);
    return store;
  }

  private ensureLayout(): void {
    fs.mkdirSync(path.join(this.dir, "runs"), { recursive: true });
    const ignore = path.join(this.dir, ".gitignore");
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, "# Written by mlexp: runs, data and models stay out of git.\n*\n");
  }

  /** The artifact folder of a run, relative to the workspace (what `model_runs.artifacts` holds). */
  artifactsPathOf(runId: string): string {
    return path.posix.join(STORE_DIR, "runs", runId);
  }

  runDir(runId: string): string {
    return path.join(this.dir, "runs", checkRunIdSyntax(runId));
  }

  async listRuns(): Promise<ModelRun[]> {
    return (await this.db.read(runs.listRuns)).map(withLiveStatus);
  }

  /** The run with this id (or unique id prefix); a clear error when there is none. */
  async getRun(idOrPrefix: string): Promise<ModelRun> {
    const wanted = checkRunIdSyntax(idOrPrefix);
    const exact = await this.db.read((db) => runs.getRun(db, wanted));
    if (exact) return withLiveStatus(exact);
    const matches = isRunId(wanted) ? [] : (await this.listRuns()).filter((run) => run.run_id.startsWith(wanted));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new MlexpError(`The run id prefix "${wanted}" matches ${matches.length} runs.`, "unknown_run", "Give more characters.");
    }
    throw new MlexpError(`No run "${wanted}" in ${this.dir}.`, "unknown_run", "List the runs with `mlexp runs`.");
  }

  history(runId: string): Promise<MetricPoint[]> {
    return this.db.read((db) => runs.getHistory(db, runId));
  }

  trials(runId: string): Promise<SearchTrial[]> {
    return this.db.read((db) => runs.getTrials(db, runId));
  }

  async insertRun(run: ModelRun): Promise<void> {
    await this.db.write((db) => runs.insertRun(db, run));
  }

  /** Writes a run's final state with its learning curves and search trials in one transaction. */
  async completeRun(runId: string, patch: Partial<ModelRun>, history: MetricPoint[] = [], trials: SearchTrial[] = []): Promise<void> {
    await this.db.write((db) => {
      db.exec("BEGIN");
      runs.updateRun(db, runId, patch);
      runs.insertHistory(db, runId, history);
      runs.insertTrials(db, runId, trials);
      db.exec("COMMIT");
    });
  }

  async updateRun(runId: string, patch: Partial<ModelRun>): Promise<void> {
    await this.db.write((db) => runs.updateRun(db, runId, patch));
  }

  /**
   * Removes a run's row, history, trials and artifact folder (shared data objects stay). A run
   * still training is refused (checked under the lock): its process would fail writing its end.
   */
  async deleteRun(idOrPrefix: string): Promise<ModelRun> {
    const run = await this.getRun(idOrPrefix);
    await this.db.write((db) => {
      const current = runs.getRun(db, run.run_id);
      if (current && withLiveStatus(current).status === "running") throw stillTraining(current);
      runs.deleteRunRow(db, run.run_id);
    });
    fs.rmSync(this.runDir(run.run_id), { recursive: true, force: true });
    return run;
  }

  close(): void {
    this.db.close();
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
