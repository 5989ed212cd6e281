import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset } from "../data/dataset";
import { replaceAtomically } from "../store/database";
import { explainWriteError } from "../util/diskErrors";
import { MlexpError } from "../util/errors";
import { takeLock, type ReleaseLock } from "../util/fileLock";
import { chunkRows } from "./chunker";
import { ChunkFiles, HASH_PATTERN, listFiles, sha256 } from "./chunkFiles";
import { assembleDataset, decodeHeader, decodeRows, encodeHeader, encodeRows } from "./datasetCodec";

/**
 * A stored dataset: the SHA-256 of its whole stored content, and its chunk list. The list itself is
 * stored in groups of GROUP_SIZE hashes, as chunks: versions of a growing dataset then share their
 * groups too, and each version adds only its new rows and a small manifest.
 */
export interface DatasetManifest {
  hash: string;
  rows: number;
  bytes: number;
  chunkCount: number;
  groups: string[];
}

export interface PutResult {
  manifest: DatasetManifest;
  /** Bytes written to disk by this call: 0 when everything was already stored. */
  writtenBytes: number;
}

const GROUP_SIZE = 64;
const HASH_BYTES = 32;

/**
 * Content-addressed, compressed storage of datasets under `.mlexp/objects/`: chunks are named by
 * the SHA-256 of their content and written once, whatever number of runs or dataset versions share
 * them; a dataset is a manifest named by the SHA-256 of its whole content (never a sample).
 */
export class ObjectStore {
  readonly chunks: ChunkFiles;
  readonly datasetsDir: string;

  constructor(readonly dir: string) {
    this.chunks = new ChunkFiles(path.join(dir, "chunks"));
    this.datasetsDir = path.join(dir, "datasets");
  }

  /**
   * Stores a dataset: its header and row chunks, each once, then its chunk list and manifest.
   * Hashing happens before the first await; compression and writing run on libuv's thread pool,
   * so a caller can train while they finish.
   */
  async putDataset(dataset: Dataset): Promise<PutResult> {
    const whole = createHash("sha256");
    const buffers = [encodeHeader(dataset), ...chunkRows(dataset.columns, dataset.rowCount).map((r) => encodeRows(dataset.columns, r.start, r.end))];
    let bytes = 0;
    const hashes = buffers.map((buffer) => {
      whole.update(buffer);
      bytes += buffer.length;
      return sha256(buffer);
    });
    const objects = [...buffers.map((buffer, i) => ({ hash: hashes[i], buffer })), ...groupHashes(hashes)];
    const created = new Map<string, number>();
    const manifest: DatasetManifest = { hash: whole.digest("hex"), rows: dataset.rowCount, bytes, chunkCount: hashes.length, groups: objects.slice(buffers.length).map((g) => g.hash) };
    try {
      const written = await settleAll(objects.map((object) => this.chunks.put(object.hash, object.buffer, created)));
      const writtenBytes = written.reduce((sum, n) => sum + n, 0) + this.writeManifest(manifest) + (await this.confirmStored(manifest, objects));
      return { manifest, writtenBytes };
    } catch (error) {
      await this.removeCreated(created);
      throw explainWriteError(error, this.dir, bytes, "storing the dataset");
    }
  }

  /**
   * After a failed store (a full disk), removes the chunks this call created, so that the space
   * they hold is there to record the failure. A chunk whose time changed since was reused by
   * another training meanwhile and stays; the collection lock orders this with its confirmation.
   */
  private async removeCreated(created: Map<string, number>): Promise<void> {
    if (!created.size) return;
    const release = await this.lockAgainstCollection().catch(() => undefined);
    if (!release) return;
    try {
      for (const [hash, mtimeMs] of created) {
        const file = this.chunkPath(hash);
        if (fileTime(file) === mtimeMs) fs.rmSync(file, { force: true });
      }
    } finally {
      await release();
    }
  }

  /**
   * Makes sure everything the dataset needs is on disk once no `gc` is running: a `gc` that
   * started before this training was recorded as running may have removed a chunk it had just
   * written or reused. A `gc` starting after this sees the training running and keeps its objects.
   */
  private async confirmStored(manifest: DatasetManifest, objects: { hash: string; buffer: Buffer }[]): Promise<number> {
    const release = await this.lockAgainstCollection();
    try {
      let written = 0;
      for (const object of objects) if (!this.chunks.exists(object.hash)) written += await this.chunks.put(object.hash, object.buffer);
      return written + this.writeManifest(manifest);
    } finally {
      await release();
    }
  }

  /** Held by `gc` while it removes objects, and briefly by a training confirming what it stored. */
  lockAgainstCollection(): Promise<ReleaseLock> {
    return takeLock(path.join(this.dir, "gc"), `The object store ${this.dir}`);
  }

  /** Reads a dataset back, checking every chunk and the whole against their hashes. */
  getDataset(hash: string): Dataset {
    const manifest = this.readManifest(hash);
    const whole = createHash("sha256");
    const buffers = this.chunkHashes(manifest).map((chunk) => {
      const buffer = this.readChunk(chunk, hash);
      whole.update(buffer);
      return buffer;
    });
    if (whole.digest("hex") !== hash) throw corrupted(`dataset ${hash}`, this.manifestPath(hash));
    const header = decodeHeader(buffers[0], hash);
    return assembleDataset(header, buffers.slice(1).map((buffer) => decodeRows(buffer, header, hash)));
  }

  /** The dataset's chunk hashes, in order, read from its stored groups. */
  chunkHashes(manifest: DatasetManifest): string[] {
    const hashes = manifest.groups.flatMap((group) => {
      const buffer = this.readChunk(group, manifest.hash);
      return Array.from({ length: buffer.length / HASH_BYTES }, (_, i) => buffer.toString("hex", i * HASH_BYTES, (i + 1) * HASH_BYTES));
    });
    if (hashes.length !== manifest.chunkCount) throw corrupted(`chunk list of dataset ${manifest.hash}`, this.manifestPath(manifest.hash));
    return hashes;
  }

  readManifest(hash: string): DatasetManifest {
    const file = this.manifestPath(checkHash(hash));
    if (!fs.existsSync(file)) {
      throw new MlexpError(
        `The stored dataset ${hash} is missing (${file}).`,
        "object_missing",
        "It may have been removed by hand or by `mlexp gc`; reproduce with --fresh-data to load the data again.",
      );
    }
    try {
      const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as DatasetManifest;
      if (manifest.hash === hash && manifest.groups.every((g) => HASH_PATTERN.test(g))) return manifest;
    } catch {
      // reported below
    }
    throw corrupted(`dataset ${hash}`, file);
  }

  /** Every stored dataset hash, for garbage collection. */
  listDatasets(): string[] {
    return listFiles(this.datasetsDir)
      .map((file) => path.basename(file, ".json"))
      .filter((h) => HASH_PATTERN.test(h));
  }

  manifestPath(hash: string): string {
    return path.join(this.datasetsDir, `${hash}.json`);
  }

  chunkPath(hash: string): string {
    return this.chunks.pathOf(hash);
  }

  /** Bytes the objects take on disk. */
  sizeOnDisk(): number {
    return [...listFiles(this.chunks.dir), ...listFiles(this.datasetsDir)].reduce((sum, file) => sum + fs.statSync(file).size, 0);
  }

  private readChunk(hash: string, dataset: string): Buffer {
    const result = this.chunks.read(hash);
    if (result === "missing") {
      throw new MlexpError(`A chunk of the stored dataset ${dataset} is missing (${this.chunkPath(hash)}).`, "object_missing");
    }
    if (result === "corrupted") throw corrupted(`chunk ${hash} of dataset ${dataset}`, this.chunkPath(hash));
    return result;
  }

  /** Writes the manifest unless an identical one is there (whose time is then refreshed, for gc). */
  writeManifest(manifest: DatasetManifest): number {
    const file = this.manifestPath(manifest.hash);
    if (sameManifest(file, manifest)) {
      touch(file);
      return 0;
    }
    fs.mkdirSync(this.datasetsDir, { recursive: true });
    const bytes = Buffer.from(JSON.stringify(manifest));
    replaceAtomically(file, bytes);
    return bytes.length;
  }
}

/** Waits for every promise (none is left writing in the background) and fails with the first failure. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function fileTime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** A reused object's new time tells `gc` that a running training uses it. */
function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // Removed meanwhile by gc: confirmStored writes it again.
  }
}

function sameManifest(file: string, manifest: DatasetManifest): boolean {
  try {
    return fs.readFileSync(file, "utf8") === JSON.stringify(manifest);
  } catch {
    return false;
  }
}

/** Chunk hashes in groups of GROUP_SIZE, each group as the bytes of its hashes. */
function groupHashes(hashes: string[]): { hash: string; buffer: Buffer }[] {
  const groups: { hash: string; buffer: Buffer }[] = [];
  for (let i = 0; i < hashes.length; i += GROUP_SIZE) {
    const buffer = Buffer.from(hashes.slice(i, i + GROUP_SIZE).join(""), "hex");
    groups.push({ hash: sha256(buffer), buffer });
  }
  return groups;
}

export function checkHash(hash: unknown): string {
  if (typeof hash === "string" && HASH_PATTERN.test(hash)) return hash;
  throw new MlexpError(`${JSON.stringify(hash)} is not a SHA-256 object hash.`, "invalid_argument");
}

function corrupted(what: string, file: string): MlexpError {
  return new MlexpError(
    `The stored ${what} is corrupted: its content does not match its hash (${file}).`,
    "object_corrupted",
    "Nothing was changed. Reproduce with --fresh-data to load the data through its data access object again.",
  );
}
