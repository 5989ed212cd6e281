import * as fs from "node:fs";
import * as path from "node:path";
import { ObjectStore } from "../objects/objectStore";
import { MANIFEST_FILE, readManifest } from "../training/artifacts";
import { messageOf } from "../util/errors";
import { RunDatabase } from "./database";
import * as runs from "./runs";
import type { Store } from "./store";

export interface GcResult {
  removedDatasets: number;
  removedChunks: number;
  freedBytes: number;
  keptDatasets: number;
}

/** Objects younger than this are kept: a run that is still training may be about to refer to them. */
export const GC_GRACE_MS = 60 * 60 * 1000;

/** Removes stored datasets no run refers to, and chunks no remaining dataset uses. */
export async function collectGarbage(store: Store, graceMs = GC_GRACE_MS): Promise<GcResult> {
  const objects = new ObjectStore(path.join(store.dir, "objects"));
  const referenced = new Set((await store.listRuns()).map((run) => run.dataset_hash).filter((h): h is string => Boolean(h)));
  const cutoff = Date.now() - graceMs;
  const result: GcResult = { removedDatasets: 0, removedChunks: 0, freedBytes: 0, keptDatasets: 0 };
  const liveChunks = new Set<string>();
  for (const hash of objects.listDatasets()) {
    const file = objects.manifestPath(hash);
    if (referenced.has(hash) || isRecent(file, cutoff)) {
      result.keptDatasets++;
      const manifest = objects.readManifest(hash);
      for (const group of manifest.groups) liveChunks.add(group);
      for (const chunk of objects.chunkHashes(manifest)) liveChunks.add(chunk);
      continue;
    }
    result.freedBytes += removeFile(file);
    result.removedDatasets++;
  }
  for (const chunk of objects.chunks.list()) {
    const file = objects.chunkPath(chunk);
    if (liveChunks.has(chunk) || isRecent(file, cutoff)) continue;
    result.freedBytes += removeFile(file);
    result.removedChunks++;
  }
  fs.rmSync(path.join(store.dir, "snapshots"), { recursive: true, force: true });
  return result;
}

function isRecent(file: string, cutoff: number): boolean {
  return fs.statSync(file).mtimeMs > cutoff;
}

function removeFile(file: string): number {
  const size = fs.statSync(file).size;
  fs.rmSync(file);
  return size;
}

export interface RebuildResult {
  runs: number;
  skipped: { folder: string; reason: string }[];
  /** Where the previous database file was moved, if there was one. */
  movedAside?: string;
}

/** Rebuilds the run database from the `run.json` manifest in each run's artifact folder. */
export async function rebuildDatabase(store: Store): Promise<RebuildResult> {
  const runsDir = path.join(store.dir, "runs");
  const folders = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).sort() : [];
  const movedAside = moveAside(store.db.file);
  const fresh = new RunDatabase(store.db.file);
  const skipped: RebuildResult["skipped"] = [];
  let count = 0;
  await fresh.write((db) => {
    for (const folder of folders) {
      if (!fs.existsSync(path.join(runsDir, folder, MANIFEST_FILE))) continue;
      try {
        const manifest = readManifest(path.join(runsDir, folder));
        runs.insertRun(db, manifest.run);
        runs.insertHistory(db, manifest.run.run_id, manifest.history);
        runs.insertTrials(db, manifest.run.run_id, manifest.trials);
        count++;
      } catch (error) {
        skipped.push({ folder, reason: messageOf(error) });
      }
    }
  });
  store.db.close();
  return { runs: count, skipped, ...(movedAside ? { movedAside } : {}) };
}

function moveAside(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const aside = `${file}.before-rebuild-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  fs.renameSync(file, aside);
  return aside;
}
