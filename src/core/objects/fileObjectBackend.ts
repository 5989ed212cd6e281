import * as fs from "node:fs";
import * as path from "node:path";
import { MlexpError } from "../util/errors";
import { HASH_PATTERN, listFiles } from "./chunkFiles";
import type { ObjectBackend, StoredChunk, StoredEntry } from "./objectBackend";
import { checkHash, ObjectStore, type DatasetManifest } from "./objectStore";

/** The workspace's `.mlexp/objects/` folder behind the object interface (also the team store's local cache). */
export class FileObjectBackend implements ObjectBackend {
  readonly store: ObjectStore;
  readonly description: string;

  constructor(readonly dir: string) {
    this.store = new ObjectStore(dir);
    this.description = `object folder ${dir}`;
  }

  async putChunks(chunks: readonly StoredChunk[]): Promise<number> {
    let added = 0;
    for (const chunk of chunks) {
      const written = await this.store.chunks.putStored(checkHash(chunk.hash), chunk.bytes);
      if (written < 0) throw mismatch(chunk.hash, this.description);
      if (written > 0) added++;
    }
    return added;
  }

  async missingChunks(hashes: readonly string[]): Promise<string[]> {
    return hashes.filter((hash) => !fs.existsSync(this.store.chunkPath(checkHash(hash))));
  }

  async getChunks(hashes: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    for (const hash of hashes) {
      const bytes = this.store.chunks.readStored(checkHash(hash));
      if (bytes) found.set(hash, bytes);
    }
    return found;
  }

  async deleteChunks(hashes: readonly string[]): Promise<number> {
    let removed = 0;
    for (const hash of hashes) {
      const file = this.store.chunkPath(checkHash(hash));
      if (fs.existsSync(file)) {
        fs.rmSync(file);
        removed++;
      }
    }
    return removed;
  }

  async listChunks(): Promise<StoredEntry[]> {
    return this.store.chunks.list().map((hash) => ({ hash, storedAt: mtimeOf(this.store.chunkPath(hash)) }));
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
