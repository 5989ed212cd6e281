import type { DatasetManifest } from "./objectStore";

/** A chunk in the form it is stored and sent in: brotli-compressed, named by the SHA-256 of its content. */
export interface StoredChunk {
  hash: string;
  bytes: Buffer;
}

/**
 * Chunks stored over many calls as if in one (a pull, a cache fill): a backend that keeps chunks in
 * pack files writes few packs instead of one per batch. Chunks put are stored by `commit` at the
 * latest (some may be earlier); `abort` drops what is not stored yet, as if it had never been put.
 */
export interface ChunkSink {
  /** Stores (or queues for storing) the chunks not yet stored; returns how many were new. Refuses a chunk whose bytes do not match its hash. */
  put(chunks: readonly StoredChunk[]): Promise<number>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface StoredEntry {
  hash: string;
  /** When it was stored (ms since the epoch): gc keeps young entries a running training may be about to use. */
  storedAt: number;
}

/**
 * Where content-addressed objects live: the workspace's `.mlexp/objects/` folder, or a team's
 * PostgreSQL table (and, later, an S3 bucket: see README "Object backends").
 *
 * Consistency contract:
 * - Chunks are immutable and named by the SHA-256 of their decompressed content. `putChunks`
 *   stores each chunk if absent (insert-if-absent, never overwrite) and is safe to run at the same
 *   time as other writers of the same chunks: one copy is kept, none is lost.
 * - Readers never trust a backend: every chunk read is checked against its hash before use (the
 *   dataset reader does it, and so does every copy into a cache), so a corrupted or truncated chunk
 *   is reported as such, never used.
 * - A dataset manifest is written only after all its chunks are stored, so a reader that finds a
 *   manifest finds its chunks (unless gc or a person removed them since).
 * - `missingChunks` answers for many hashes in one round trip (one query, not one per chunk).
 * - Only gc deletes, and only entries older than its grace period that nothing refers to.
 * - Errors are `MlexpError`s with one-line messages that never contain a password.
 */
export interface ObjectBackend {
  /** What to show the user. */
  readonly description: string;
  /** Stores chunks not yet stored; returns how many were new. Refuses a chunk whose bytes do not match its hash. */
  putChunks(chunks: readonly StoredChunk[]): Promise<number>;
  /** A sink for many batches of chunks; without one, each `putChunks` call is a store call of its own. */
  beginPut?(): ChunkSink;
  /** The hashes among these that are not stored. */
  missingChunks(hashes: readonly string[]): Promise<string[]>;
  /** The stored bytes of these chunks (absent ones are left out of the map). */
  getChunks(hashes: readonly string[]): Promise<Map<string, Buffer>>;
  deleteChunks(hashes: readonly string[]): Promise<number>;
  listChunks(): Promise<StoredEntry[]>;

  putManifest(manifest: DatasetManifest): Promise<boolean>;
  getManifest(hash: string): Promise<DatasetManifest | undefined>;
  deleteManifest(hash: string): Promise<boolean>;
  listManifests(): Promise<StoredEntry[]>;
  close(): Promise<void>;
}
