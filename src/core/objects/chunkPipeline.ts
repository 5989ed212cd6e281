import * as os from "node:os";
import type { Column, Dataset } from "../data/dataset";
import type { DecodedBatch, EncodedBatch } from "../../protocol/chunkWorker";
import { BLOCK_ROWS, Boundaries, chunkRanges, fillTextBlock, type RowRange } from "./chunker";
import { compressChunkSync, sha256 } from "./chunkBytes";
import { ChunkThreads, isShared } from "./chunkPool";
import { blockSlotBytes, blockSlots, decodeChunks, encodeBatch, encodeChunks, packed, type BlockSlot } from "./chunkWork";
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
/** Blocks of rows being hashed ahead of the boundary pass. */
const BLOCKS_AHEAD = 4;

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

/**
 * The dataset's stored chunks, header first, each with its hash and compressed bytes, in order, a
 * batch at a time: per-chunk steps through async generators cost the storing thread promises and
 * garbage for each of ~8,000 chunks of a 200 MiB table.
 */
export async function* encodeDataset(dataset: Dataset, options: PipelineOptions = {}): AsyncGenerator<StoredChunk[]> {
  const header = encodeHeader(dataset);
  yield [{ hash: sha256(header), plain: header, compressed: compressChunkSync(header) }];
  const count = threadCount(roughPlainBytes(dataset), options);
  const columns = count >= 2 ? inSharedMemory(dataset.columns) : dataset.columns;
  const kinds = columns.map((column) => column.kind);
  const threads = ChunkThreads.start(columns, count, count >= 2 ? new SharedArrayBuffer(BLOCKS_AHEAD * blockSlotBytes(kinds)) : null);
  if (!threads) {
    const numbers = columns.map((column) => (column.kind === "number" ? column.values : null));
    for (const ranges of batchesOf(chunkRanges(columns, dataset.rowCount))) yield unpacked(encodeChunks(numbers, encodeBatch(columns, ranges)), ranges);
    return;
  }
  try {
    yield* encodeOnThreads(threads, columns, dataset.rowCount, blockSlots(threads.blocks as SharedArrayBuffer, kinds));
  } finally {
    await threads.close();
  }
}

/**
 * The threads hash blocks of rows (a few blocks ahead) and encode batches of chunks; this thread
 * turns each block's hashes into boundaries, in order, and hands out the chunks as batches.
 * Block k goes through slot k % BLOCKS_AHEAD: block k is asked for only once block k - BLOCKS_AHEAD
 * has been placed, so a slot is never written while its block is still read.
 */
async function* encodeOnThreads(threads: ChunkThreads, columns: readonly Column[], rowCount: number, slots: readonly BlockSlot[]): AsyncGenerator<StoredChunk[]> {
  const boundaries = new Boundaries(columns);
  const widths = slots.map(() => (columns.some((column) => column.kind === "string") ? new Uint32Array(BLOCK_ROWS) : undefined));
  const blocks: { from: number; to: number; slot: number; hashed: Promise<void> }[] = [];
  let nextBlock = 0;
  const askHashes = () => {
    while (blocks.length < BLOCKS_AHEAD && nextBlock < rowCount) {
      const from = nextBlock;
      const to = Math.min(rowCount, from + BLOCK_ROWS);
      const slot = (from / BLOCK_ROWS) % BLOCKS_AHEAD;
      fillTextBlock(columns, from, to, slots[slot].words, widths[slot]);
      blocks.push({ from, to, slot, hashed: quiet(threads.hash({ from, to, slot })) });
      nextBlock = to;
    }
  };
  const batches: { ranges: RowRange[]; encoded: Promise<EncodedBatch> }[] = [];
  const ready: RowRange[] = [];
  async function* handOut(all: boolean): AsyncGenerator<StoredChunk[]> {
    while (ready.length >= BATCH || (all && ready.length)) {
      const ranges = ready.splice(0, BATCH);
      batches.push({ ranges, encoded: quiet(threads.encode(encodeBatch(columns, ranges))) });
      while (batches.length >= BATCHES_PER_THREAD * threads.size) yield await nextBatch(batches);
    }
  }
  askHashes();
  while (blocks.length) {
    const { from, to, slot, hashed } = blocks.shift() as (typeof blocks)[number];
    await hashed;
    ready.push(...boundaries.place(slots[slot].hashes.subarray(0, to - from), widths[slot], from));
    askHashes();
    yield* handOut(false);
  }
  ready.push(...boundaries.finish(rowCount));
  yield* handOut(true);
  while (batches.length) yield await nextBatch(batches);
}

async function nextBatch(batches: { ranges: RowRange[]; encoded: Promise<EncodedBatch> }[]): Promise<StoredChunk[]> {
  const { ranges, encoded } = batches.shift() as (typeof batches)[number];
  return unpacked(await encoded, ranges);
}

/** The columns with every numeric one in shared memory (copied there when it is not), for the threads to read in place. */
function inSharedMemory(columns: readonly Column[]): Column[] {
  return columns.map((column) => {
    if (column.kind !== "number" || isShared(column.values)) return column;
    const values = new Float64Array(new SharedArrayBuffer(column.values.byteLength));
    values.set(column.values);
    return { ...column, values };
  });
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
  const plain = Buffer.from(batch.plain.buffer, batch.plain.byteOffset, batch.plain.byteLength);
  const compressed = Buffer.from(batch.compressed.buffer, batch.compressed.byteOffset, batch.compressed.byteLength);
  let plainAt = 0;
  let compressedAt = 0;
  return batch.hashes.map((hash, i) => ({
    hash,
    plain: plain.subarray(plainAt, (plainAt += batch.plainLengths[i])),
    compressed: compressed.subarray(compressedAt, (compressedAt += batch.compressedLengths[i])),
    range: ranges[i],
  }));
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
