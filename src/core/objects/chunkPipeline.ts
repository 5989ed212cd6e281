import * as os from "node:os";
import type { Dataset } from "../data/dataset";
import type { DecodedChunk, EncodedChunk, EncodeTask } from "../../protocol/chunkWorker";
import { chunkRanges } from "./chunker";
import { ChunkThreads, isShared } from "./chunkPool";
import { asBuffer, compressChunkSync, decodeChunk, encodeChunk, encodeTask } from "./chunkWork";
import { sha256 } from "./chunkFiles";
import { decodeColumns, encodeHeader, type DecodedRows, type Header } from "./datasetCodec";

/**
 * The order of work when storing and reading a dataset, spread over the machine's cores: this
 * thread hashes rows and places chunk boundaries (a cheap pass that must run in order), encodes
 * text columns, and keeps the chunks in order; chunk threads encode numeric columns, take each
 * chunk's SHA-256 and compress it (or, reading, decompress, check and decode). The chunks and
 * their bytes are exactly those of the same work on one thread (test/unit/core/chunkPipeline.test.ts).
 */
export interface PipelineOptions {
  /** Chunk threads to use: 0 or 1 works on this thread only. Default: every core for big datasets. */
  threads?: number;
}

/** Below this much plain data, starting threads costs more than it saves (measured: ~40 ms a thread). */
const THREADS_FROM_BYTES = 8 * 1024 * 1024;
const MAX_THREADS = 8;
/** Chunks per message to a thread (~200 KiB of plain data): fewer, bigger messages cost this thread less. */
const BATCH = 8;
/** Batches in flight per thread: enough that a thread never waits for this one, little memory. */
const BATCHES_PER_THREAD = 3;

export function threadCount(plainBytes: number, options: PipelineOptions): number {
  if (options.threads !== undefined) return Math.min(options.threads, MAX_THREADS);
  return plainBytes >= THREADS_FROM_BYTES ? Math.min(os.availableParallelism(), MAX_THREADS) : 0;
}

/** About the dataset's plain size (8 bytes a number, ~16 a text), to decide on threads. */
function roughPlainBytes(dataset: Dataset): number {
  return dataset.rowCount * dataset.columns.reduce((sum, column) => sum + (column.kind === "number" ? 8 : 16), 0);
}

/** A chunk to store: the SHA-256 of its content (its name), the content, and its brotli stream. */
export interface StoredChunk {
  hash: string;
  plain: Buffer;
  compressed: Buffer;
}

/** The dataset's stored chunks, header first, each with its hash and compressed bytes, in order. */
export async function* encodeDataset(dataset: Dataset, options: PipelineOptions = {}): AsyncGenerator<StoredChunk> {
  const header = encodeHeader(dataset);
  yield { hash: sha256(header), plain: header, compressed: compressChunkSync(header) };
  const threads = ChunkThreads.start(dataset.columns, threadCount(roughPlainBytes(dataset), options));
  if (!threads) {
    const columns = dataset.columns.map((column) => (column.kind === "number" ? column.values : null));
    for (const range of chunkRanges(dataset.columns, dataset.rowCount)) yield fromThread([encodeChunk(columns, encodeTask(dataset.columns, range.start, range.end, () => true))])[0];
    return;
  }
  const shared = (c: number) => dataset.columns[c].kind === "number" && isShared(dataset.columns[c].values as Float64Array);
  const batches: Promise<EncodedChunk[]>[] = [];
  const limit = BATCHES_PER_THREAD * threads.size;
  try {
    let batch: EncodeTask[] = [];
    for (const range of chunkRanges(dataset.columns, dataset.rowCount)) {
      batch.push(encodeTask(dataset.columns, range.start, range.end, shared));
      if (batch.length < BATCH) continue;
      batches.push(quiet(threads.encode(batch)));
      batch = [];
      while (batches.length >= limit) yield* fromThread(await (batches.shift() as Promise<EncodedChunk[]>));
    }
    if (batch.length) batches.push(quiet(threads.encode(batch)));
    while (batches.length) yield* fromThread(await (batches.shift() as Promise<EncodedChunk[]>));
  } finally {
    await threads.close();
  }
}

function fromThread(chunks: EncodedChunk[]): StoredChunk[] {
  return chunks.map((chunk) => ({ hash: chunk.hash, plain: asBuffer(chunk.plain), compressed: asBuffer(chunk.compressed) }));
}

/** A chunk read back, or why it could not be. */
export type ReadChunk = { plain: Buffer; rows: DecodedRows } | { problem: "missing" | "corrupted" | "undecodable" };

/**
 * A format-3 dataset's row chunks read back in order: stored bytes are fetched ahead by `readStored`
 * (undefined: missing), and each chunk is decompressed, checked against its hash and decoded, its
 * numeric columns on the chunk threads and its text columns here (strings made on another thread
 * would be copied back one by one). The caller checks the whole content's hash.
 */
export async function* decodeDataset(header: Header, hashes: readonly string[], contentBytes: number, readStored: (hash: string) => Promise<Buffer | undefined>, options: PipelineOptions = {}): AsyncGenerator<ReadChunk> {
  const kinds = header.columns.map((spec) => spec.kind);
  const numeric = kinds.map((kind) => kind === "number");
  // Stored content is about a third of the plain data (format 3).
  const threads = ChunkThreads.start([], threadCount(3 * contentBytes, options));
  const decode = async (batch: readonly string[]): Promise<(DecodedChunk | undefined)[]> => {
    const stored = await Promise.all(batch.map(readStored));
    const tasks = batch.flatMap((hash, i) => (stored[i] ? [{ hash, stored: ownBytes(stored[i] as Buffer) }] : []));
    const decoded = threads ? await threads.decode(numeric, tasks) : tasks.map((task) => decodeChunk(numeric, task));
    let next = 0;
    return stored.map((bytes) => (bytes ? decoded[next++] : undefined));
  };
  const batches: Promise<(DecodedChunk | undefined)[]>[] = [];
  const limit = BATCHES_PER_THREAD * Math.max(1, threads?.size ?? 1);
  let asked = 0;
  try {
    while (asked < hashes.length || batches.length) {
      while (asked < hashes.length && batches.length < limit) {
        batches.push(quiet(decode(hashes.slice(asked, asked + BATCH))));
        asked += BATCH;
      }
      for (const chunk of await (batches.shift() as Promise<(DecodedChunk | undefined)[]>)) yield withTexts(chunk, kinds);
    }
  } finally {
    await threads?.close();
  }
}

/** The chunk's text columns decoded from its content, beside the numeric ones decoded on a thread. */
function withTexts(chunk: DecodedChunk | undefined, kinds: Header["columns"][number]["kind"][]): ReadChunk {
  if (!chunk) return { problem: "missing" };
  if ("problem" in chunk) return chunk;
  const plain = asBuffer(chunk.plain);
  try {
    const texts = kinds.some((kind) => kind === "string") ? decodeColumns(plain, kinds, "string").columns : [];
    return { plain, rows: { rows: chunk.rows, columns: kinds.map((kind, c) => (kind === "number" ? (chunk.numbers[c] as Float64Array) : (texts[c] as (string | null)[]))) } };
  } catch {
    return { problem: "undecodable" };
  }
}

/** Stored bytes in a buffer of their own, to hand to a thread (a file read may sit in Node's shared pool). */
function ownBytes(stored: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(stored.length);
  stored.copy(copy);
  return copy;
}

/** The promise, marked as handled: a batch failing while an earlier one is awaited is reported when its turn comes. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
