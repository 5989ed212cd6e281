import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Dataset } from "../data/dataset";
import { replaceAtomically } from "../store/database";
import { explainWriteError } from "../util/diskErrors";
import { MlexpError } from "../util/errors";
import { takeLock, type ReleaseLock } from "../util/fileLock";
import { BoundedWork } from "./boundedWork";
import { chunkRanges, type RowRange } from "./chunker";
import { decodeDataset, decodeHere, encodeDataset, type PipelineOptions } from "./chunkPipeline";
import { compressChunk, sha256 } from "./chunkBytes";
import { ChunkFiles, HASH_PATTERN, listFiles, type ChunkRead, type ChunkReader, type ChunkWriter } from "./chunkFiles";
import { forgetIfDamaged } from "./sourceIndex";
import { ColumnBuilder, decodeHeader, decodeRows, encodeHeader, encodeRows, FORMAT, type Header } from "./datasetCodec";

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

/**
 * Chunk hashes per group. A version that grows rewrites its last group: 32 hashes (1 KiB) keep that
 * small next to the rows it adds, while a 200 MiB dataset's manifest still lists only ~300 groups.
 */
const GROUP_SIZE = 32;
const HASH_BYTES = 32;
/** Chunks compressing and writing (or reading) on the thread pool at once: enough to keep its 4 threads busy. */
const IN_FLIGHT = 16;

/**
 * Content-addressed, compressed storage of datasets under `.mlexp/objects/`: chunks are named by
 * the SHA-256 of their content and written once, whatever number of runs or dataset versions share
 * them; a dataset is a manifest named by the SHA-256 of its whole content (never a sample).
 */
export class ObjectStore {
  readonly chunks: ChunkFiles;
  readonly datasetsDir: string;

  constructor(readonly dir: string) {
    this.chunks = new ChunkFiles(dir);
    this.datasetsDir = path.join(dir, "datasets");
  }

  /**
   * Stores a dataset: its header and row chunks, each once, then its chunk list and manifest.
   * Chunks are encoded and hashed on this thread while those before them compress on libuv's
   * thread pool (IN_FLIGHT at a time) and go into this call's pack, so every core works and
   * memory stays bounded.
   */
  async putDataset(dataset: Dataset, options: PipelineOptions = {}): Promise<PutResult> {
    const whole = createHash("sha256");
    const ranges: RowRange[] = [];
    const hashes: string[] = [];
    const writer = this.chunks.begin();
    const writes = new BoundedWork(IN_FLIGHT);
    let bytes = 0;
    try {
      // Chunks come encoded, hashed and compressed (on chunk threads for big datasets), in order, by batches.
      for await (const batch of encodeDataset(dataset, options)) {
        for (const chunk of batch) {
          whole.update(chunk.plain);
          bytes += chunk.plain.length;
          hashes.push(chunk.hash);
          if (chunk.range) ranges.push(chunk.range);
          // A chunk surely not stored yet (new data) is added at once; one that may be is checked first, several at a time.
          if (writer.mayHave(chunk.hash)) await writes.add(() => storeCompressed(writer, chunk.hash, chunk.compressed));
          else await writer.add(chunk.hash, chunk.compressed);
        }
        if (writes.failed) break;
      }
      // Fails here, with the first failure, before any chunk list is written for a partial store.
      await writes.finish();
      const groups = groupHashes(hashes);
      for (const group of groups) await writes.add(() => storeChunk(writer, group.hash, group.buffer));
      await writes.finish();
      const written = await writer.commit();
      const manifest: DatasetManifest = { hash: whole.digest("hex"), rows: dataset.rowCount, bytes, chunkCount: hashes.length, groups: groups.map((g) => g.hash) };
      // What the dataset needs, each with a way to make it again (rather than keeping every chunk in memory).
      const needed = [
        ...hashes.map((hash, i) => ({ hash, make: () => (i === 0 ? encodeHeader(dataset) : encodeRows(dataset.columns, ranges[i - 1].start, ranges[i - 1].end)) })),
        ...groups.map((group) => ({ hash: group.hash, make: () => group.buffer })),
      ];
      const writtenBytes = written + this.writeManifest(manifest) + (await this.confirmStored(manifest, needed));
      return { manifest, writtenBytes };
    } catch (error) {
      await writes.finish().catch(() => undefined);
      // The pack being written was never visible: removing it gives back the space (a full disk).
      await writer.abort();
      throw explainWriteError(error, this.dir, bytes, "storing the dataset");
    }
  }

  /**
   * Makes sure everything the dataset needs is stored once no `gc` is running: a `gc` that
   * started before this training was recorded as running may have removed (repacked away) a chunk
   * it had just found stored. A `gc` starting after this sees the training running and keeps its objects.
   */
  private async confirmStored(manifest: DatasetManifest, needed: { hash: string; make: () => Buffer }[]): Promise<number> {
    const release = await this.lockAgainstCollection();
    try {
      this.chunks.packs.refresh();
      const missing = needed.filter((object) => !this.chunks.exists(object.hash));
      let written = 0;
      if (missing.length) {
        const writer = this.chunks.begin();
        try {
          for (const object of missing) await writer.add(object.hash, await compressChunk(object.make()));
          written = await writer.commit();
        } catch (error) {
          await writer.abort();
          throw error;
        }
      }
      return written + this.writeManifest(manifest);
    } finally {
      await release();
    }
  }

  /** Held by `gc` while it removes objects, and briefly by a training confirming what it stored. */
  lockAgainstCollection(): Promise<ReleaseLock> {
    return takeLock(path.join(this.dir, "gc"), `The object store ${this.dir}`);
  }

  /** Reads a dataset back, checking every chunk and the whole against their hashes (see forgetIfDamaged). */
  getDataset(hash: string): Dataset {
    try {
      return this.getDatasetChecked(hash);
    } catch (error) {
      throw forgetIfDamaged(this, hash, error);
    }
  }

  private getDatasetChecked(hash: string): Dataset {
    const manifest = this.readManifest(hash);
    const reader = new DatasetReader(manifest, this.manifestPath(hash));
    const files = this.chunks.reader();
    try {
      const [headerChunk, ...chunks] = this.chunkHashes(manifest, files);
      const header = reader.addHeader(this.checked(files.read(headerChunk), headerChunk, hash));
      const decoded = header.format === FORMAT ? decodeHere(chunks, (batch) => files.readStoredBatch(batch), reader.columns) : undefined;
      for (const chunk of chunks) {
        const next = decoded?.next().value;
        if (next && !("problem" in next)) reader.addDecoded(next.plain);
        // Format 2, or a newest copy that failed: read the checked way (an older good copy, or the error).
        else reader.add(this.checked(files.read(chunk), chunk, hash));
      }
    } finally {
      files.closeSync();
    }
    return reader.finish();
  }

  /**
   * `getDataset` on chunk threads for big datasets (decompressed, checked and decoded there, in
   * order), else on this thread.
   */
  async readDataset(hash: string, options: PipelineOptions = {}): Promise<Dataset> {
    try {
      return await this.readDatasetChecked(hash, options);
    } catch (error) {
      throw forgetIfDamaged(this, hash, error);
    }
  }

  private async readDatasetChecked(hash: string, options: PipelineOptions): Promise<Dataset> {
    const manifest = this.readManifest(hash);
    const reader = new DatasetReader(manifest, this.manifestPath(hash));
    const files = this.chunks.reader();
    try {
      const [headerChunk, ...chunks] = this.chunkHashes(manifest, files);
      const header = reader.addHeader(this.checked(await files.readAsync(headerChunk), headerChunk, hash));
      if (header.format !== FORMAT) {
        for (const chunk of chunks) reader.add(this.checked(await files.readAsync(chunk), chunk, hash));
        return reader.finish();
      }
      let i = 0;
      for await (const chunk of decodeDataset(chunks, manifest.bytes, (batch) => files.readStoredBatch(batch), reader.columns, options)) {
        // The newest copy failed: reading it the checked way falls back on an older good copy, or says what is wrong.
        if ("problem" in chunk) reader.add(this.checked(await files.readAsync(chunks[i]), chunks[i], hash));
        else reader.addDecoded(chunk.plain);
        i++;
      }
    } finally {
      await files.close();
    }
    return reader.finish();
  }

  /**
   * The hash this version gives the stored dataset `hash`: the same hash, unless an earlier version
   * stored it in an older format (its content is then read and hashed as it would be stored now).
   * Undefined when the dataset is not stored here. Lets a fresh load be compared with old data.
   */
  async currentFormatHash(hash: string): Promise<string | undefined> {
    if (!fs.existsSync(this.manifestPath(checkHash(hash)))) return undefined;
    const [headerChunk] = this.chunkHashes(this.readManifest(hash));
    if (decodeHeader(this.readChunk(headerChunk, hash), hash).format === FORMAT) return hash;
    return hashDataset(await this.readDataset(hash));
  }

  /** The dataset's chunk hashes, in order, read from its stored groups. */
  chunkHashes(manifest: DatasetManifest, reader?: ChunkReader): string[] {
    const hashes = manifest.groups.flatMap((group) => {
      const buffer = this.checked(reader ? reader.read(group) : this.chunks.read(group), group, manifest.hash);
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

  /** The file holding the chunk (its newest pack, or an earlier version's chunk file): what an error names. */
  chunkPath(hash: string): string {
    return this.chunks.where(hash);
  }

  /** Bytes the objects take on disk: packs and their indexes, chunk files of earlier versions, manifests. */
  sizeOnDisk(): number {
    return [...listFiles(this.chunks.packDir), ...listFiles(this.chunks.looseDir), ...listFiles(this.datasetsDir)].reduce((sum, file) => sum + fs.statSync(file).size, 0);
  }

  private readChunk(hash: string, dataset: string): Buffer {
    return this.checked(this.chunks.read(hash), hash, dataset);
  }

  private checked(result: ChunkRead, hash: string, dataset: string): Buffer {
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

/** The hash `putDataset` gives a dataset (the SHA-256 of its stored content), without storing it. */
export function hashDataset(dataset: Dataset): string {
  const whole = createHash("sha256").update(encodeHeader(dataset));
  for (const range of chunkRanges(dataset.columns, dataset.rowCount)) whole.update(encodeRows(dataset.columns, range.start, range.end));
  return whole.digest("hex");
}

/**
 * Reading a dataset in order: every chunk is checked against its own hash before it gets here; the
 * whole content is checked against the dataset's hash before any of it is returned. Rows go
 * straight into the dataset's final columns (ColumnBuilder), sized from the manifest.
 */
class DatasetReader {
  private readonly whole = createHash("sha256");
  private header: Header | undefined;
  private builder: ColumnBuilder | undefined;

  constructor(
    private readonly manifest: DatasetManifest,
    private readonly manifestFile: string,
  ) {}

  get columns(): ColumnBuilder {
    if (!this.builder) throw new Error("The dataset's header has not been read.");
    return this.builder;
  }

  /** The header, then each row chunk's content, in order. */
  add(buffer: Buffer): void {
    this.whole.update(buffer);
    if (!this.header) {
      this.header = decodeHeader(buffer, this.manifest.hash);
      this.builder = new ColumnBuilder(this.header, this.manifest.rows, this.manifest.bytes);
    } else this.columns.append(decodeRows(buffer, this.header, this.manifest.hash));
  }

  addHeader(buffer: Buffer): Header {
    this.add(buffer);
    return this.header as Header;
  }

  /** A chunk already decoded into `columns`, checked against its own hash. */
  addDecoded(plain: Buffer): void {
    this.whole.update(plain);
  }

  finish(): Dataset {
    if (this.whole.digest("hex") !== this.manifest.hash || !this.builder) throw corrupted(`dataset ${this.manifest.hash}`, this.manifestFile);
    return this.builder.finish();
  }
}

/** Stores one chunk unless a good copy is there already; returns the bytes written. */
async function storeChunk(writer: ChunkWriter, hash: string, plain: Buffer): Promise<number> {
  if (await writer.has(hash)) return 0;
  return writer.add(hash, await compressChunk(plain));
}

async function storeCompressed(writer: ChunkWriter, hash: string, compressed: Buffer): Promise<number> {
  return (await writer.has(hash, compressed)) ? 0 : writer.add(hash, compressed);
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
