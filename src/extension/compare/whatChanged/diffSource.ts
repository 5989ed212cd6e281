import * as fs from "node:fs";
import * as path from "node:path";
import { diffRuns } from "../../../core/diff/runDiff";
import type { RunDiff } from "../../../core/diff/types";
import { Store, STORE_DIR } from "../../../core/store/store";
import { MlexpError } from "../../../core/util/errors";

/** Where "What changed" comes from: the library's run diff over the workspace's store and repository. */
export interface RunDiffSource {
  diff(baseRunId: string, runId: string): Promise<RunDiff>;
}

/**
 * The workspace's runs, diffed with the library (git for the code, the object store's chunks for
 * the data). A finished run never changes, so a diff of two finished runs is kept for the session;
 * a running one is diffed again on each request.
 */
export class StoreDiffSource implements RunDiffSource {
  private opened: { folder: string; store: Store } | undefined;
  private readonly cache = new Map<string, RunDiff>();

  constructor(private readonly folder: () => string | undefined) {}

  async diff(baseRunId: string, runId: string): Promise<RunDiff> {
    const key = `${baseRunId} ${runId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const { folder, store } = this.store();
    const [base, run] = await Promise.all([store.getRun(baseRunId), store.getRun(runId)]);
    const diff = await diffRuns(base, run, {
      workspace: folder,
      objects: store.localObjects.store,
      trials: (id) => store.trials(id),
    });
    if (base.status !== "running" && run.status !== "running") this.cache.set(key, diff);
    return diff;
  }

  private store(): { folder: string; store: Store } {
    const folder = this.folder();
    if (this.opened && this.opened.folder !== folder) this.close();
    if (!folder || !fs.existsSync(path.join(folder, STORE_DIR, "mlexp.db"))) {
      throw new MlexpError("This workspace has no runs to compare.", "unknown_run", "Train a run first.");
    }
    this.opened ??= { folder, store: Store.open(folder) };
    return this.opened;
  }

  close(): void {
    this.opened?.store.close();
    this.opened = undefined;
    this.cache.clear();
  }
}
