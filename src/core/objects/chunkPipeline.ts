import * as os from "node:os";
import type { Column, Dataset } from "../data/dataset";
import type { DecodedBatch, EncodedBatch, StoredBatch } from "../../protocol/chunkWorker";
import { BLOCK_ROWS, Boundaries, chunkRanges, fillTextBlock, type RowRange } from "./chunker";
import { compressChunkSync, sha256 } from "./chunkBytes";
import { ChunkThreads, isShared } from "./chunkPool";
import { blockSlotBytes, blockSlots, checkedContent, encodeBatch, encodeChunks, rowsOf, type BlockSlot } from "./chunkWork";
import { decodeColumnsInto, encodeHeader, type ColumnBuilder } from "./datasetCodec";
import { giveUp, newRowCursor } from "./rowCursor";

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
 * garbage for each of ~8,000 chunks of a 200 MiB table (with putDataset's direct adds, the storing
 * thread's JS allocations for that table went 65 → 33 MB, V8's allocation sampling).
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

/**
 * A chunk read back (its values already in the ColumnBuilder), or why it could not be: the
 * caller then reads it the checked way and adds it to the builder itself, before the next chunk.
 */
export type ReadChunk = { plain: Buffer } | { problem: "missing" | "corrupted" | "undecodable" };

/** Stored bytes of chunks, fetched by hash (see StoredBatch). */
export type ReadStored = (hashes: readonly string[]) => StoredBatch;

/**
 * A format-3 dataset's row chunks read back in order into `into`: stored bytes are fetched a batch
 * at a time by `readStored`, and each chunk is decompressed, checked against its hash and decoded,
 * its numeric columns on the chunk threads and its text columns here (strings made on another
 * thread would be copied back one by one). The caller checks the whole content's hash.
 */
export async function* decodeDataset(hashes: readonly string[], contentBytes: number, readStored: ReadStored, into: ColumnBuilder, options: PipelineOptions = {}): AsyncGenerator<ReadChunk> {
  const cursor = newRowCursor(Math.ceil(hashes.length / BATCH));
  const numbers = into.values.map((values) => (values instanceof Float64Array ? values : null));
  // Stored content is about a third of the plain data (format 3).
  const threads = ChunkThreads.forReading(numbers, cursor, threadCount(3 * contentBytes, options));
  if (!threads) return yield* decodeHere(hashes, readStored, into);
  const numeric = into.kinds.map((kind) => kind === "number");
  const pending: Promise<DecodedBatch>[] = [];
  const limit = BATCHES_PER_THREAD * threads.size;
  let asked = 0;
  try {
    while (asked < hashes.length || pending.length) {
      while (asked < hashes.length && pending.length < limit) {
        const batch = hashes.slice(asked, asked + BATCH);
        pending.push(quiet(threads.decode({ ...readStored(batch), index: asked / BATCH, hashes: batch, numeric })));
        asked += batch.length;
      }
      yield* placeDecoded(await (pending.shift() as Promise<DecodedBatch>), into);
    }
  } finally {
    giveUp(cursor);
    await threads.close();
  }
}

/** `decodeDataset` on this thread, and synchronous (getDataset): each chunk decoded straight into the builder. */
export function* decodeHere(hashes: readonly string[], readStored: ReadStored, into: ColumnBuilder): Generator<ReadChunk> {
  for (let first = 0; first < hashes.length; first += BATCH) {
    const batch = hashes.slice(first, first + BATCH);
    const { stored, starts, lengths } = readStored(batch);
    const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
    for (let i = 0; i < batch.length; i++) {
      const content = checkedContent(bytes, starts[i], lengths[i], batch[i]);
      const rows = typeof content === "string" ? undefined : rowsOf(content);
      if (typeof content === "string") yield { problem: content };
      else if (rows === undefined) yield { problem: "undecodable" };
      else yield decodedHere(content, rows, into, into.values);
    }
  }
}

/** A checked chunk decoded into the builder (the columns given; the others only stepped over). */
function decodedHere(content: Buffer, rows: number, into: ColumnBuilder, columns: readonly (Float64Array | (string | null)[] | null)[]): ReadChunk {
  const at = into.reserve(rows);
  try {
    decodeColumnsInto(content, into.kinds, columns, at);
    return { plain: content };
  } catch {
    into.release(at);
    return { problem: "undecodable" };
  }
}

/**
 * Each chunk of a batch decoded on a thread, in order: its numbers already in the builder's columns
 * (placed) or copied in from the batch, and its text columns decoded here.
 */
function* placeDecoded(batch: DecodedBatch, into: ColumnBuilder): Generator<ReadChunk> {
  const plain = Buffer.from(batch.plain.buffer, batch.plain.byteOffset, batch.plain.byteLength);
  const hasText = into.kinds.includes("string");
  let offset = 0;
  for (const chunk of batch.chunks) {
    if ("problem" in chunk) {
      yield chunk;
      continue;
    }
    const content = plain.subarray(offset, (offset += chunk.plainLength));
    const at = into.rows;
    if (hasText) {
      const placed = decodedHere(content, chunk.rows, into, into.values.map((values, c) => (into.kinds[c] === "string" ? values : null)));
      if ("problem" in placed) {
        yield placed;
        continue;
      }
    } else into.reserve(chunk.rows);
    if (!batch.placed) copyNumbers(batch, chunk, into, at);
    // The threads place batches by the rows they counted; this thread counts the same rows in the same order.
    else if (chunk.at !== at) throw new Error(`A chunk thread placed rows at ${chunk.at}, expected ${at}.`);
    yield { plain: content };
  }
}

/** Copies a chunk's numeric columns from its decoded batch into the builder's columns at row `at`. */
function copyNumbers(batch: DecodedBatch, chunk: { rows: number; at: number }, into: ColumnBuilder, at: number): void {
  let column = 0;
  into.kinds.forEach((kind, c) => {
    if (kind !== "number") return;
    const from = column++ * batch.rows + chunk.at;
    (into.values[c] as Float64Array).set(batch.numbers.subarray(from, from + chunk.rows), at);
  });
}

/** The promise, marked as handled: a batch failing while an earlier one is awaited is reported when its turn comes. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
