import * as fs from "node:fs";
import * as path from "node:path";
import type { MetricPoint, ModelRun, SearchTrial } from "../../core/store/runRecord";
import { Store, STORE_DIR } from "../../core/store/store";

/** What the comparison reads: every run, and a run's learning curves and search trials. */
export interface CompareRunSource {
  list(): Promise<ModelRun[]>;
  history(runId: string): Promise<MetricPoint[]>;
  trials(runId: string): Promise<SearchTrial[]>;
}

/**
 * The workspace's run store, opened on first read and only once `.mlexp/mlexp.db` exists (looking
 * must not create a store), reopened when the workspace folder changes. The Store re-reads the file
 * whenever it was replaced, so every read sees the runs as they are now.
 */
export class StoreRunSource implements CompareRunSource {
  private opened: { folder: string; storeUrl: string | undefined; store: Store } | undefined;

  /** @param storeUrl the `mlexp.store` setting (undefined: the workspace's own database). */
  constructor(
    private readonly folder: () => string | undefined,
    private readonly storeUrl: () => string | undefined = () => undefined,
  ) {}

  async list(): Promise<ModelRun[]> {
    return (await this.store()?.listRuns()) ?? [];
  }

  async history(runId: string): Promise<MetricPoint[]> {
    return (await this.store()?.history(runId)) ?? [];
  }

  async trials(runId: string): Promise<SearchTrial[]> {
    return (await this.store()?.trials(runId)) ?? [];
  }

  private store(): Store | undefined {
    const folder = this.folder();
    const storeUrl = this.storeUrl();
    if (this.opened && (this.opened.folder !== folder || this.opened.storeUrl !== storeUrl)) this.close();
    if (!this.opened && folder && (storeUrl || fs.existsSync(path.join(folder, STORE_DIR, "mlexp.db")))) {
      this.opened = { folder, storeUrl, store: Store.open(folder, { store: storeUrl ?? "workspace" }) };
    }
    return this.opened?.store;
  }

  close(): void {
    this.opened?.store.close();
    this.opened = undefined;
  }
}
