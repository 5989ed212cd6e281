import * as fs from "node:fs";
import * as path from "node:path";
import type { ModelRun } from "../../core/store/runRecord";
import { Store, STORE_DIR } from "../../core/store/store";

/**
 * The extension's access to a workspace's run store. Nothing is created on disk just by looking:
 * the Store (and sql.js with it) is opened only once `.mlexp/mlexp.db` exists.
 */
export class RunRepository {
  private store: Store | undefined;

  constructor(readonly workspace: string) {}

  get databaseFile(): string {
    return path.join(this.workspace, STORE_DIR, "mlexp.db");
  }

  /** Changes whenever the database file is replaced (every write renames a new file over it). */
  fingerprint(): string {
    try {
      const stat = fs.statSync(this.databaseFile);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return "missing";
    }
  }

  /** Every run, with live status (a `running` row whose process is gone reads as `crashed`). */
  async list(): Promise<ModelRun[]> {
    const store = this.open();
    return store ? store.listRuns() : [];
  }

  async get(runId: string): Promise<ModelRun> {
    return this.require().getRun(runId);
  }

  async delete(runId: string): Promise<ModelRun> {
    return this.require().deleteRun(runId);
  }

  runDir(runId: string): string {
    return path.join(this.workspace, STORE_DIR, "runs", runId);
  }

  /**
   * Marks a killed training's run as cancelled. The run is found by its id when the progress
   * events told us, otherwise by the process id recorded in its row.
   */
  async markKilledRunCancelled(pid: number | undefined, runId: string | undefined): Promise<void> {
    const store = this.open();
    if (!store) return;
    const runs = await store.listRuns();
    const run = runs.find((candidate) => (runId ? candidate.run_id === runId : pid !== undefined && candidate.pid === pid));
    if (!run || (run.status !== "running" && run.status !== "crashed")) return;
    await store.updateRun(run.run_id, {
      status: "cancelled",
      error: "Training was cancelled (the process did not stop in time and was killed).",
      end_time: new Date().toISOString(),
    });
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
  }

  private open(): Store | undefined {
    if (!this.store && fs.existsSync(this.databaseFile)) this.store = Store.open(this.workspace);
    return this.store;
  }

  private require(): Store {
    const store = this.open();
    if (!store) throw new Error(`This workspace has no runs yet (${this.databaseFile} does not exist).`);
    return store;
  }
}
