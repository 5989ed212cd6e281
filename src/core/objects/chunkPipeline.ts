import * as os from "node:os";
import type { Column, Dataset } from "../data/dataset";
import type { DecodedBatch, EncodedBatch } from "../../protocol/chunkWorker";
import { chunkRanges, type RowRange } from "./chunker";
import { compressChunkSync, sha256 } from "./chunkFiles";
import { ChunkThreads, isShared } from "./chunkPool";
import { decodeChunks, encodeBatch, encodeChunks, packed } from "./chunkWork";
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
/** Chunks per message to a thread (~400 KiB of plain data): fewer, bigger messages cost this thread less. */
const BATCH = 16;
/** Batches in flight per thread: enough that a thread never waits for this one, with little memory. */
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
  /** The rows it holds (none for the header). */
  range?: RowRange;
}

/** The dataset's stored chunks, header first, each with its hash and compressed bytes, in order. */
export async function* encodeDataset(dataset: Dataset, options: PipelineOptions = {}): AsyncGenerator<StoredChunk> {
  const header = encodeHeader(dataset);
  yield { hash: sha256(header), plain: header, compressed: compressChunkSync(header) };
  const { columns } = dataset;
  const kinds = columns.map((column) => column.kind);
  const threads = ChunkThreads.start(columns, threadCount(roughPlainBytes(dataset), options));
  if (!threads) {
    // On this thread: every numeric column is read where it is.
    const numeric = columns.map((column) => (column.kind === "number" ? column.values : null));
    for (const ranges of batchesOf(chunkRanges(columns, dataset.rowCount))) yield* unpacked(encodeChunks(numeric, kinds, encodeBatch(columns, ranges, () => true)), ranges);
    return;
  }
  const shared = (c: number) => sharedNumbers(columns[c]);
  const pending: { ranges: RowRange[]; encoded: Promise<EncodedBatch> }[] = [];
  const next = async () => {
    const { ranges, encoded } = pending.shift() as (typeof pending)[number];
    return unpacked(await encoded, ranges);
  };
  try {
    for (const ranges of batchesOf(chunkRanges(columns, dataset.rowCount))) {
      pending.push({ ranges, encoded: quiet(threads.encode(encodeBatch(columns, ranges, shared))) });
      while (pending.length >= BATCHES_PER_THREAD * threads.size) yield* await next();
    }
    while (pending.length) yield* await next();
  } finally {
    await threads.close();
  }
}

function sharedNumbers(column: Column): boolean {
  return column.kind === "number" && isShared(column.values);
}

function* batchesOf(ranges: Iterable<RowRange>): Generator<RowRange[]> {
  let batch: RowRange[] = [];
  for (const range of ranges) {
    batch.push(range);
    if (batch.length < BATCH) continue;
    yield batch;
    batch = [];
  }
  if (batch.length) yield batch;
}

function unpacked(batch: EncodedBatch, ranges: readonly RowRange[]): StoredChunk[] {
  const bytes = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  let at = 0;
  const plains = batch.plainLengths.map((length) => bytes.subarray(at, (at += length)));
  const compressed = batch.compressedLengths.map((length) => bytes.subarray(at, (at += length)));
  return batch.hashes.map((hash, i) => ({ hash, plain: plains[i], compressed: compressed[i], range: ranges[i] }));
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
  const decode = async (batch: readonly string[]): Promise<ReadChunk[]> => {
    const stored = await Promise.all(batch.map(readStored));
    const present = batch.filter((_, i) => stored[i]);
    const found = stored.filter((bytes): bytes is Buffer => bytes !== undefined);
    const work = { hashes: present, stored: packed(found), storedLengths: found.map((bytes) => bytes.length), numeric };
    const decoded = unpackedRows(threads ? await threads.decode(work) : decodeChunks(work), kinds);
    let next = 0;
    return stored.map((bytes) => (bytes ? decoded[next++] : { problem: "missing" }));
  };
  const pending: Promise<ReadChunk[]>[] = [];
  const limit = BATCHES_PER_THREAD * Math.max(1, threads?.size ?? 1);
  let asked = 0;
  try {
    while (asked < hashes.length || pending.length) {
      while (asked < hashes.length && pending.length < limit) {
        pending.push(quiet(decode(hashes.slice(asked, asked + BATCH))));
        asked += BATCH;
      }
      yield* await (pending.shift() as Promise<ReadChunk[]>);
    }
  } finally {
    await threads?.close();
  }
}

/** Each chunk of a decoded batch, with its text columns decoded here from its content. */
function unpackedRows(batch: DecodedBatch, kinds: readonly Column["kind"][]): ReadChunk[] {
  const plain = Buffer.from(batch.plain.buffer, batch.plain.byteOffset, batch.plain.byteLength);
  const hasText = kinds.includes("string");
  let at = 0;
  let n = 0;
  return batch.chunks.map((chunk): ReadChunk => {
    if ("problem" in chunk) return chunk;
    const content = plain.subarray(at, (at += chunk.plainLength));
    const numbers = kinds.map((kind) => (kind === "number" ? batch.numbers.subarray(n, (n += chunk.rows)) : null));
    try {
      const texts = hasText ? decodeColumns(content, kinds, "string").columns : [];
      return { plain: content, rows: { rows: chunk.rows, columns: kinds.map((kind, c) => (kind === "number" ? (numbers[c] as Float64Array) : (texts[c] as (string | null)[]))) } };
    } catch {
      return { problem: "undecodable" };
    }
  });
}

/** The promise, marked as handled: a batch failing while an earlier one is awaited is reported when its turn comes. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
