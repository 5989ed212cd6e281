import { readGroups } from "../../objects/transfer";
import type { DatasetManifest } from "../../objects/objectStore";
import type { PostgresObjectBackend } from "./postgresObjectBackend";
import type { PostgresDatabase } from "./database";

export interface TeamGcResult {
  removedDatasets: number;
  removedRunFiles: number;
  removedChunks: number;
  freedBytes: number;
  keptDatasets: number;
}

/** Chunks deleted per statement. */
const DELETE_BATCH = 1000;
/** start_time comes from the training host's clock: allow it to differ this much from the server's. */
const CLOCK_SLACK = "5 minutes";

/**
 * Collects the team store's objects no run uses: dataset manifests no run refers to, file lists of
 * runs that are gone, then chunks that no remaining manifest or file list names. Only entries stored
 * before the cutoff (now minus the grace, and never after the earliest running training started)
 * are candidates, and each DELETE checks the time again: a copy or training that reuses an old
 * entry refreshes its time first (`missingChunks`, `getManifest`, `put`), so gc leaves it alone.
 */
export async function collectTeamObjects(db: PostgresDatabase, objects: PostgresObjectBackend, graceMs: number, earliestRunningStart?: string): Promise<TeamGcResult> {
  const cutoffSql = "least(now() - make_interval(secs => $1::double precision), coalesce($2::timestamptz - interval '" + CLOCK_SLACK + "', 'infinity'))";
  const cutoff = (await db.query<{ cutoff: Date }>(`SELECT ${cutoffSql} AS cutoff`, [graceMs / 1000, earliestRunningStart ?? null])).rows[0].cutoff;
  const datasets = await db.query(
    "DELETE FROM dataset_manifests m WHERE stored_at < $1 AND NOT EXISTS (SELECT 1 FROM model_runs r WHERE r.dataset_hash = m.hash)",
    [cutoff],
  );
  const runFiles = await db.query("DELETE FROM run_files f WHERE stored_at < $1 AND NOT EXISTS (SELECT 1 FROM model_runs r WHERE r.run_id = f.run_id)", [cutoff]);
  const live = await liveChunks(db, objects);
  const candidates = await db.query<{ hash: string }>("SELECT hash FROM object_chunks WHERE stored_at < $1", [cutoff]);
  const unused = candidates.rows.map((row) => row.hash).filter((hash) => !live.chunks.has(hash));
  const result: TeamGcResult = { removedDatasets: datasets.rowCount ?? 0, removedRunFiles: runFiles.rowCount ?? 0, removedChunks: 0, freedBytes: 0, keptDatasets: live.datasets };
  for (let i = 0; i < unused.length; i += DELETE_BATCH) {
    const removed = await db.query<{ size: number }>(
      "DELETE FROM object_chunks WHERE hash = ANY($1::text[]) AND stored_at < $2 RETURNING pg_column_size(bytes) AS size",
      [unused.slice(i, i + DELETE_BATCH), cutoff],
    );
    result.removedChunks += removed.rowCount ?? 0;
    result.freedBytes += removed.rows.reduce((sum, row) => sum + row.size, 0);
  }
  return result;
}

/** Every chunk a remaining dataset manifest or run file list names. */
async function liveChunks(db: PostgresDatabase, objects: PostgresObjectBackend): Promise<{ chunks: Set<string>; datasets: number }> {
  const chunks = new Set<string>();
  const manifests = await db.query<{ manifest: DatasetManifest }>("SELECT manifest FROM dataset_manifests");
  for (const { manifest } of manifests.rows) {
    for (const group of manifest.groups) chunks.add(group);
    try {
      for (const hash of await readGroups(manifest, objects)) chunks.add(hash);
    } catch {
      // A group that cannot be read names chunks we cannot know: keep every chunk this time.
      return { chunks: new Set((await db.query<{ hash: string }>("SELECT hash FROM object_chunks")).rows.map((row) => row.hash)), datasets: manifests.rows.length };
    }
  }
  const files = await db.query<{ hash: string }>("SELECT DISTINCT jsonb_array_elements_text(f -> 'chunks') AS hash FROM run_files, jsonb_array_elements(files) AS f");
  for (const row of files.rows) chunks.add(row.hash);
  return { chunks, datasets: manifests.rows.length };
}
