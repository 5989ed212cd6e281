import * as fs from "node:fs";
import * as path from "node:path";
import { MlexpError } from "../util/errors";
import { storedMatches } from "./chunkBytes";
import { HASH_PATTERN, listFiles } from "./chunkFiles";
import { repackWithout } from "./repack";
import type { ChunkSink, ObjectBackend, StoredChunk, StoredEntry } from "./objectBackend";
import { checkHash, ObjectStore, type DatasetManifest } from "./objectStore";

/** What a pull may have to fetch again if it is killed: past it, the pack being written is committed and a new one started. */
const PULL_PACK_BYTES = 64 * 1024 * 1024;

/** The workspace's `.mlexp/objects/` folder behind the object interface (also the team store's local cache). */
export class FileObjectBackend implements ObjectBackend {
  readonly store: ObjectStore;
  readonly description: string;

  constructor(readonly dir: string) {
    this.store = new ObjectStore(dir);
    this.description = `object folder ${dir}`;
  }

  /** Stores the chunks not yet stored (checked against their hashes first) in one new pack. */
  async putChunks(chunks: readonly StoredChunk[]): Promise<number> {
    const sink = this.beginPut();
    try {
      const added = await sink.put(chunks);
      await sink.commit();
      return added;
    } catch (error) {
      await sink.abort();
      throw error;
    }
  }

  /**
   * Many batches into one pack (as git's fetch writes one pack per fetch), a new one past
   * PULL_PACK_BYTES: a pull of N chunks used to leave N/64 small packs, each fsynced and each an index
   * every later read loads. Bytes go to the pack file as they come (in ~1 MiB writes), so a pull
   * holds one batch in memory. A pull killed half-way leaves a temporary pack no reader sees (gc
   * removes it) plus the full packs already committed; the next pull sends what is still missing.
   */
  beginPut(): ChunkSink {
    const writer = this.store.chunks.begin(PULL_PACK_BYTES);
    return {
      put: async (chunks) => {
        for (const chunk of chunks) if (!storedMatches(checkHash(chunk.hash), chunk.bytes)) throw mismatch(chunk.hash, this.description);
        let added = 0;
        for (const chunk of chunks) {
          if (await writer.has(chunk.hash, chunk.bytes)) continue;
          if ((await writer.add(chunk.hash, chunk.bytes)) > 0) added++;
        }
        return added;
      },
      commit: async () => {
        await writer.commit();
      },
      abort: () => writer.abort(),
    };
  }

  async missingChunks(hashes: readonly string[]): Promise<string[]> {
    return hashes.filter((hash) => !this.store.chunks.exists(checkHash(hash)));
  }

  async getChunks(hashes: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const reader = this.store.chunks.reader();
    try {
      for (const hash of hashes) {
        const bytes = reader.readStored(checkHash(hash));
        if (bytes) found.set(hash, bytes);
      }
    } finally {
      reader.closeSync();
    }
    return found;
  }

  /**
   * Removes chunks: their chunk files, and their entries from packs (each pack holding one is
   * rewritten without it). Under the collection lock, as `gc` does: two repacks at once could each
   * remove a pack the other is copying from, and a training confirming its chunks (under the same
   * lock) must not have one removed between its check and its manifest.
   */
  async deleteChunks(hashes: readonly string[]): Promise<number> {
    const doomed = new Set(hashes.map(checkHash));
    // No folder, nothing stored: the lock needs the folder, and deleting should not create it.
    if (!fs.existsSync(this.dir)) return 0;
    const release = await this.store.lockAgainstCollection();
    try {
      const stored = new Set(this.store.chunks.list().map((entry) => entry.hash));
      let removed = 0;
      for (const hash of doomed) {
        fs.rmSync(this.store.chunks.pathOf(hash), { force: true });
        if (stored.has(hash)) removed++;
      }
      await repackWithout(this.store.chunks, (hash) => !doomed.has(hash));
      return removed;
    } finally {
      await release();
    }
  }

  async listChunks(): Promise<StoredEntry[]> {
    return this.store.chunks.list();
  }

  async putManifest(manifest: DatasetManifest): Promise<boolean> {
    return this.store.writeManifest(manifest) > 0;
  }

  async getManifest(hash: string): Promise<DatasetManifest | undefined> {
    return fs.existsSync(this.store.manifestPath(checkHash(hash))) ? this.store.readManifest(hash) : undefined;
  }

  async deleteManifest(hash: string): Promise<boolean> {
    const file = this.store.manifestPath(checkHash(hash));
    if (!fs.existsSync(file)) return false;
    fs.rmSync(file);
    return true;
  }

  async listManifests(): Promise<StoredEntry[]> {
    return listFiles(this.store.datasetsDir)
      .map((file) => ({ hash: path.basename(file, ".json"), storedAt: mtimeOf(file) }))
      .filter((entry) => HASH_PATTERN.test(entry.hash));
  }

  async close(): Promise<void> {}
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

export function mismatch(hash: string, where: string): MlexpError {
  return new MlexpError(`A chunk sent to ${where} does not match its hash ${hash}; it was not stored.`, "object_corrupted", "Nothing was changed. The sender's copy is damaged: run `mlexp gc` there or store the data again.");
}
