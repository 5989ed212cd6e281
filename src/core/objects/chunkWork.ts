import type { Column } from "../data/dataset";
import type { DecodeBatch, DecodedBatch, EncodeBatch, EncodedBatch } from "../../protocol/chunkWorker";
import { compressChunkSync, decompressStored, sha256 } from "./chunkBytes";
import { BLOCK_ROWS } from "./chunker";
import { type ColumnPlan, planNumbers, planTexts } from "./columnCodec";
import { chunkRows, chunkSize, decodeColumnsInto, writeChunkAt } from "./datasetCodec";
import { publishEnd, waitForEnd, type RowCursor } from "./rowCursor";

/**
 * The work on a batch of chunks, the same on a chunk thread (chunkWorker.ts) and on the store's
 * own thread (small datasets, or no thread code): the bytes stored never depend on where they
 * were made.
 */

/** One block of rows' hashes and text columns' words (null for numeric columns), in shared memory. */
export interface BlockSlot {
  hashes: Int32Array;
  words: (Int32Array | null)[];
}

/** Bytes of one block slot for columns of these kinds: a hash per row, and a word per row and text column. */
export function blockSlotBytes(kinds: readonly Column["kind"][]): number {
  return BLOCK_ROWS * 4 * (1 + kinds.filter((kind) => kind === "string").length);
}

/**
 * The block slots laid out in `memory` (as many as fit): the storing thread writes a block's words
 * into a slot, a chunk thread reads them and writes the row hashes there. A few slots reused,
 * instead of new word, width and hash arrays per block handed over in messages (~34 MB of
 * short-lived off-heap arrays on the storing thread for the 198 MiB table).
 */
export function blockSlots(memory: SharedArrayBuffer, kinds: readonly Column["kind"][]): BlockSlot[] {
  const slotBytes = blockSlotBytes(kinds);
  return Array.from({ length: Math.floor(memory.byteLength / slotBytes) }, (_, slot) => {
    let at = slot * slotBytes;
    const view = () => new Int32Array(memory, (at += 4 * BLOCK_ROWS) - 4 * BLOCK_ROWS, BLOCK_ROWS);
    return { hashes: view(), words: kinds.map((kind) => (kind === "string" ? view() : null)) };
  });
}

/** A batch of chunks to store, with its text columns encoded here (the strings stay on this thread). */
export function encodeBatch(columns: readonly Column[], ranges: readonly { start: number; end: number }[]): EncodeBatch {
  const plans: ColumnPlan[] = [];
  for (const { start, end } of ranges) for (const column of columns) if (column.kind === "string") plans.push(planTexts(column.values, start, end));
  const texts = new Uint8Array(plans.reduce((sum, plan) => sum + plan.size, 0));
  const out = Buffer.from(texts.buffer);
  let at = 0;
  for (const plan of plans) {
    plan.write(out, at);
    at += plan.size;
  }
  return { starts: ranges.map((r) => r.start), ends: ranges.map((r) => r.end), texts, textLengths: plans.map((plan) => plan.size) };
}

/**
 * Encodes, hashes and compresses a batch of chunks; `numbers` holds the numeric columns (null for
 * text). Every chunk is planned first, then written in place into one buffer for the batch: one
 * allocation per batch instead of one per chunk plus a copy into the message.
 */
export function encodeChunks(numbers: readonly (Float64Array | null)[], batch: EncodeBatch): EncodedBatch {
  const planned = planBatch(numbers, batch);
  const plain = new Uint8Array(planned.reduce((sum, chunk) => sum + chunkSize(chunk.plans), 0));
  const out = Buffer.from(plain.buffer);
  const hashes: string[] = [];
  const plainLengths: number[] = [];
  const compressed: Buffer[] = [];
  let at = 0;
  for (const { rows, plans } of planned) {
    const length = writeChunkAt(out, at, rows, plans);
    const content = out.subarray(at, at + length);
    hashes.push(sha256(content));
    compressed.push(compressChunkSync(content));
    plainLengths.push(length);
    at += length;
  }
  return { hashes, plain, plainLengths, compressed: packed(compressed), compressedLengths: compressed.map((c) => c.length) };
}

/** Each chunk's row count and column plans (text columns as the bytes the store encoded). */
function planBatch(numbers: readonly (Float64Array | null)[], batch: EncodeBatch): { rows: number; plans: ColumnPlan[] }[] {
  const texts = Buffer.from(batch.texts.buffer, batch.texts.byteOffset, batch.texts.byteLength);
  let textAt = 0;
  let text = 0;
  return batch.starts.map((start, i) => {
    const end = batch.ends[i];
    const plans = numbers.map((values): ColumnPlan => {
      if (values) return planNumbers(values, start, end);
      const bytes = texts.subarray(textAt, textAt + batch.textLengths[text++]);
      textAt += bytes.length;
      return { size: bytes.length, write: (out, offset) => bytes.copy(out, offset) };
    });
    return { rows: end - start, plans };
  });
}

/** A chunk's content from its stored bytes, checked against its hash, or why not. */
export function checkedContent(stored: Buffer, start: number, length: number, hash: string): Buffer | "missing" | "corrupted" {
  if (length < 0) return "missing";
  const plain = decompressStored(stored.subarray(start, start + length));
  return plain && sha256(plain) === hash ? plain : "corrupted";
}

/** The row count a checked chunk says it holds, or undefined when it cannot hold that many (or none). */
export function rowsOf(plain: Buffer): number | undefined {
  if (plain.length < 4) return undefined;
  const rows = chunkRows(plain);
  // Every row takes at least one byte of the chunk.
  return rows <= plain.length ? rows : undefined;
}

/** The dataset's final numeric columns (null for text) and the row cursor, when reading on chunk threads. */
export interface ReadTarget {
  columns: readonly (Float64Array | null)[];
  cursor: RowCursor;
}

/**
 * Decompresses a batch of stored chunks, checks each against its hash, and decodes their numeric
 * columns: straight into the dataset's final columns when the row cursor says where the batch
 * starts, else into one array for the whole batch (see DecodedBatch), which the reading thread
 * copies in. Measured on the 198 MiB table, 2 threads, medians of 9 alternating runs: 1,365 ms of
 * CPU in place against 1,461 ms with an array per batch (its allocation, page faults, copy and
 * garbage collection).
 */
export function decodeChunks(batch: DecodeBatch, target?: ReadTarget): DecodedBatch {
  const kinds = batch.numeric.map((n): Column["kind"] => (n ? "number" : "string"));
  const stored = Buffer.from(batch.stored.buffer, batch.stored.byteOffset, batch.stored.byteLength);
  const contents = batch.hashes.map((hash, i) => checkedContent(stored, batch.starts[i], batch.lengths[i], hash));
  let rows = 0;
  const firstRows = contents.map((content) => {
    const count = typeof content === "string" ? undefined : rowsOf(content);
    if (count === undefined) return -1;
    rows += count;
    return rows - count;
  });
  const start = target ? placeBatch(target, batch.index, rows, firstRows.every((first) => first >= 0)) : -1;
  const numbers = new Float64Array(start >= 0 ? 0 : rows * batch.numeric.filter(Boolean).length);
  let column = 0;
  const targets = target && start >= 0 ? target.columns : batch.numeric.map((numeric) => (numeric ? numbers.subarray(rows * column, rows * ++column) : null));
  const offset = Math.max(0, start);
  const plains: Buffer[] = [];
  const chunks = contents.map((content, i): DecodedBatch["chunks"][number] => {
    if (typeof content === "string") return { problem: content };
    if (firstRows[i] < 0) return { problem: "undecodable" };
    try {
      decodeColumnsInto(content, kinds, targets, offset + firstRows[i]);
    } catch {
      return { problem: "undecodable" };
    }
    plains.push(content);
    return { rows: chunkRows(content), at: offset + firstRows[i], plainLength: content.length };
  });
  return { chunks, plain: packed(plains), placed: start >= 0, numbers, rows };
}

/**
 * The dataset row this batch starts at, once the batch before has published its end, or -1 when
 * the batch cannot go in place (a row count unknown before it or in it, or more rows than the
 * columns hold: the manifest's count was wrong). Publishes this batch's end either way.
 */
function placeBatch(target: ReadTarget, index: number, rows: number, complete: boolean): number {
  const before = index === 0 ? 0 : waitForEnd(target.cursor, index - 1);
  const known = complete && before >= 0;
  publishEnd(target.cursor, index, known ? before + rows : -1);
  const capacity = target.columns.find((values) => values !== null)?.length ?? Infinity;
  return known && before + rows <= capacity ? before : -1;
}

/**
 * The bytes one after the other in an ArrayBuffer of their own, which a message can hand over to
 * another thread (Buffer.concat may return a slice of Node's shared pool, which must never move).
 */
export function packed(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
