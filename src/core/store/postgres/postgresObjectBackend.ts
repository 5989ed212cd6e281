import { storedMatches } from "../../objects/chunkBytes";
import { mismatch } from "../../objects/fileObjectBackend";
import type { ObjectBackend, StoredChunk, StoredEntry } from "../../objects/objectBackend";
import { checkHash, type DatasetManifest } from "../../objects/objectStore";
import type { PostgresDatabase } from "./database";

/** Rows per INSERT: bounded by bytes so one statement stays a few MiB. */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Entries older than this get a new time when a writer reuses them (far below gc's one-hour grace). */
const REFRESH_AFTER = "5 minutes";

/**
 * Content-addressed chunks as immutable rows of `object_chunks` (STORAGE EXTERNAL: already
 * compressed), inserted if absent and checked against their hash before they are sent. Only gc
 * deletes. The same interface an S3 backend would implement (see README).
 */
export class PostgresObjectBackend implements ObjectBackend {
  constructor(private readonly db: PostgresDatabase) {}

  get description(): string {
    return `team objects in ${this.db.description}`;
  }

  async putChunks(chunks: readonly StoredChunk[]): Promise<number> {
    for (const chunk of chunks) {
      if (!storedMatches(checkHash(chunk.hash), chunk.bytes)) throw mismatch(chunk.hash, this.description);
    }
    let added = 0;
    for (const batch of batches(chunks)) {
      const result = await this.db.query(
        "INSERT INTO object_chunks (hash, bytes) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (hash) DO NOTHING",
        [batch.map((c) => c.hash), batch.map((c) => c.bytes)],
      );
      added += result.rowCount ?? 0;
    }
    return added;
  }

  /**
   * One query for any number of hashes (after one that refreshes the time of old ones found: the
   * caller is about to refer to them, so gc must not take them now).
   */
  async missingChunks(hashes: readonly string[]): Promise<string[]> {
    if (!hashes.length) return [];
    hashes.forEach(checkHash);
    await this.db.query(`UPDATE object_chunks SET stored_at = now() WHERE hash = ANY($1::text[]) AND stored_at < now() - interval '${REFRESH_AFTER}'`, [hashes]);
    const result = await this.db.query<{ hash: string }>(
      "SELECT h.hash FROM unnest($1::text[]) WITH ORDINALITY AS h(hash, n) WHERE NOT EXISTS (SELECT 1 FROM object_chunks c WHERE c.hash = h.hash) ORDER BY h.n",
      [hashes],
    );
    return result.rows.map((row) => row.hash);
  }

  async getChunks(hashes: readonly string[]): Promise<Map<string, Buffer>> {
    hashes.forEach(checkHash);
    const found = new Map<string, Buffer>();
    if (!hashes.length) return found;
    const result = await this.db.query<{ hash: string; bytes: Buffer }>("SELECT hash, bytes FROM object_chunks WHERE hash = ANY($1::text[])", [hashes]);
    for (const row of result.rows) found.set(row.hash, row.bytes);
    return found;
  }

  async deleteChunks(hashes: readonly string[]): Promise<number> {
    hashes.forEach(checkHash);
    if (!hashes.length) return 0;
    const result = await this.db.query("DELETE FROM object_chunks WHERE hash = ANY($1::text[])", [hashes]);
    return result.rowCount ?? 0;
  }

  async listChunks(): Promise<StoredEntry[]> {
    const result = await this.db.query<{ hash: string; stored_at: Date }>("SELECT hash, stored_at FROM object_chunks ORDER BY hash");
    return result.rows.map((row) => ({ hash: row.hash, storedAt: row.stored_at.getTime() }));
  }

  async putManifest(manifest: DatasetManifest): Promise<boolean> {
    const result = await this.db.query("INSERT INTO dataset_manifests (hash, manifest) VALUES ($1, $2::jsonb) ON CONFLICT (hash) DO NOTHING", [
      checkHash(manifest.hash),
      JSON.stringify(manifest),
    ]);
    return (result.rowCount ?? 0) > 0;
  }

  /** Refreshes an old manifest's time as it reads it: the reader may be about to refer to it (see gc). */
  async getManifest(hash: string): Promise<DatasetManifest | undefined> {
    checkHash(hash);
    await this.db.query(`UPDATE dataset_manifests SET stored_at = now() WHERE hash = $1 AND stored_at < now() - interval '${REFRESH_AFTER}'`, [hash]).catch(() => undefined);
    const result = await this.db.query<{ manifest: DatasetManifest }>("SELECT manifest FROM dataset_manifests WHERE hash = $1", [hash]);
    return result.rows[0]?.manifest;
  }

  async deleteManifest(hash: string): Promise<boolean> {
    const result = await this.db.query("DELETE FROM dataset_manifests WHERE hash = $1", [checkHash(hash)]);
    return (result.rowCount ?? 0) > 0;
  }

  async listManifests(): Promise<StoredEntry[]> {
    const result = await this.db.query<{ hash: string; stored_at: Date }>("SELECT hash, stored_at FROM dataset_manifests ORDER BY hash");
    return result.rows.map((row) => ({ hash: row.hash, storedAt: row.stored_at.getTime() }));
  }

  /** The pool is shared with the run store, which closes it. */
  async close(): Promise<void> {}
}

function* batches(chunks: readonly StoredChunk[]): Generator<StoredChunk[]> {
  let batch: StoredChunk[] = [];
  let bytes = 0;
  for (const chunk of chunks) {
    if (batch.length && bytes + chunk.bytes.length > MAX_BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(chunk);
    bytes += chunk.bytes.length;
  }
  if (batch.length) yield batch;
}
