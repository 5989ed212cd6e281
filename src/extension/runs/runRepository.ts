import * as fs from "node:fs";
import * as path from "node:path";
import type { ModelRun, SearchTrial } from "../../core/store/runRecord";
import { storeFingerprint } from "../../core/store/storeFingerprint";
import { EMPTY_PAGE, type RunsPage } from "./runsPage";
import { checkRunIdSyntax } from "../../core/store/runId";
import { Store, STORE_DIR } from "../../core/store/store";
import { resolveStore } from "../../core/store/storeUrl";

/**
 * The extension's access to a workspace's run store. Nothing is created on disk just by looking:
 * the Store (and sql.js with it) is opened only once `.mlexp/mlexp.db` exists.
 */
export class RunRepository {
  private store: Store | undefined;

  /** @param storeUrl the `mlexp.store` setting: undefined for the workspace's own database. */
  constructor(
    readonly workspace: string,
    readonly storeUrl?: string,
    /** The team store's password from SecretStorage, if one was given there. */
    private readonly password?: string,
  ) {}

  /** True when runs live outside this workspace's own database (a team store or another folder). */
  get isShared(): boolean {
    const location = resolveStore(this.workspace, this.storeUrl ?? "workspace");
    return location.kind !== "workspace" || path.resolve(location.workspace) !== path.resolve(this.workspace);
  }

  /** What the status bar says: the store in use. */
  describe(): string {
    return this.open()?.runs.description ?? `workspace database ${this.databaseFile}`;
  }

  /** Changes whenever a run changes, in whichever store is in use. */
  async changeToken(): Promise<string> {
    if (!this.isShared) return this.fingerprint();
    const store = this.open();
    return store ? store.runs.changeToken() : "missing";
  }

  get databaseFile(): string {
    return path.join(this.workspace, STORE_DIR, "mlexp.db");
  }

  /** Changes whenever a write is journaled or the database file is replaced. */
  fingerprint(): string {
    return storeFingerprint(this.databaseFile);
  }

  /** Every run, with live status (a `running` row whose process is gone reads as `crashed`). */
  async list(): Promise<ModelRun[]> {
    const store = this.open();
    return store ? store.listRuns() : [];
  }

  /** The newest `limit` runs (with live status), how many runs there are and how many of them run. */
  async page(limit: number): Promise<RunsPage> {
    const store = this.open();
    if (!store) return EMPTY_PAGE;
    const [runs, total, running] = await Promise.all([store.listRuns({ limit }), store.runs.countRuns(), store.runs.countRuns({ status: ["running"] })]);
    return { runs, total, running };
  }

  async get(runId: string): Promise<ModelRun> {
    return this.require().getRun(runId);
  }

  /** A run's search trials, in the order they were recorded (none when the store does not exist yet). */
  async trials(runId: string): Promise<SearchTrial[]> {
    const store = this.open();
    return store ? store.runs.getTrials(checkRunIdSyntax(runId)) : [];
  }

  async delete(runId: string): Promise<ModelRun> {
    return this.require().deleteRun(runId);
  }

  /** The run's artifact folder; the id (from a tree item, a command argument or the webview) is checked before it becomes a path. */
  runDir(runId: string): string {
    return path.join(this.workspace, STORE_DIR, "runs", checkRunIdSyntax(runId));
  }

  /**
   * Marks a killed training's run as cancelled. The run is found by its id when the progress
   * events told us, otherwise by the process id recorded in its row.
   */
  async markKilledRunCancelled(pid: number | undefined, runId: string | undefined): Promise<void> {
    const store = this.open();
    if (!store) return;
    // Only running rows (crashed ones read as such) can be this training's.
    const runs = runId ? await store.listRuns({ ids: [runId] }) : await store.listRuns({ status: ["running", "crashed"] });
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
    if (!this.store && (this.isShared || fs.existsSync(this.databaseFile))) this.store = Store.open(this.workspace, { store: this.storeUrl ?? "workspace", ...(this.password ? { password: this.password } : {}) });
    return this.store;
  }

  private require(): Store {
    const store = this.open();
    if (!store) throw new Error(`This workspace has no runs yet (${this.databaseFile} does not exist).`);
    return store;
  }
}
