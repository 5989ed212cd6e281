import * as fs from "node:fs";
import * as path from "node:path";
import { Store, STORE_DIR } from "../../core/store/store";
import { STORE_ENV } from "../../core/store/storeUrl";
import type { RunSummary } from "../../protocol/language";
import { summariseRuns } from "./runSummary";

const NO_RUNS: ReadonlyMap<string, RunSummary> = new Map();

export function databaseOf(workspace: string): string {
  return path.join(workspace, STORE_DIR, "mlexp.db");
}

/**
 * Run summaries of each mlexp workspace, read from its `.mlexp/mlexp.db` with the library's
 * store (sql.js, loaded on first use). A workspace without a database has no runs, and none is
 * created: the server only reads.
 */
export class RunStore {
  private readonly stores = new Map<string, Store>();
  private readonly summaries = new Map<string, ReadonlyMap<string, RunSummary>>();
  private readonly signatures = new Map<string, string>();

  constructor(private readonly log: (message: string) => void) {}

  summaryOf(workspace: string, model: string): RunSummary | undefined {
    return this.summaries.get(workspace)?.get(model);
  }

  /** Re-reads a workspace's runs; true when what the lenses show changed. */
  async refresh(workspace: string): Promise<boolean> {
    const summaries = await this.read(workspace);
    const signature = JSON.stringify([...summaries]);
    if (this.signatures.get(workspace) === signature) return false;
    this.signatures.set(workspace, signature);
    this.summaries.set(workspace, summaries);
    return true;
  }

  private async read(workspace: string): Promise<ReadonlyMap<string, RunSummary>> {
    if (!usesSharedStore() && !fs.existsSync(databaseOf(workspace))) {
      this.stores.get(workspace)?.close();
      this.stores.delete(workspace);
      return NO_RUNS;
    }
    try {
      let store = this.stores.get(workspace);
      if (!store) {
        store = Store.open(workspace);
        this.stores.set(workspace, store);
      }
      return summariseRuns(await store.listRuns());
    } catch (error) {
      // A database being replaced or from a newer mlexp: keep the lenses going without run counts.
      this.log(`mlexp: cannot read runs of ${workspace}: ${error instanceof Error ? error.message : String(error)}`);
      return this.summaries.get(workspace) ?? NO_RUNS;
    }
  }

  close(): void {
    for (const store of this.stores.values()) store.close();
    this.stores.clear();
  }
}

/** A team store (MLEXP_STORE, set by the extension from `mlexp.store`) is read even where no local database exists. */
function usesSharedStore(): boolean {
  const value = process.env[STORE_ENV]?.trim();
  return Boolean(value && value !== "workspace");
}
