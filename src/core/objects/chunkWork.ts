import type { Column } from "../data/dataset";
import type { DecodedChunk, DecodeTask, EncodedChunk, EncodeTask } from "../../protocol/chunkWorker";
import * as zlib from "node:zlib";
import { BROTLI_QUALITY, decompressStored, sha256 } from "./chunkFiles";
import { type ColumnPlan, planNumbers, planTexts } from "./columnCodec";
import { decodeColumns, writeChunk } from "./datasetCodec";

/**
 * The work on one chunk, the same on a chunk thread (chunkWorker.ts) and on the store's own thread
 * (small datasets, or no thread file): so the bytes stored never depend on where they were made.
 */

/**
 * A chunk task for rows [start, end): each text column encoded here (the strings stay on this
 * thread), each numeric column left to the thread when `shared(c)` (null), else copied for it.
 */
export function encodeTask(columns: readonly Column[], start: number, end: number, shared: (c: number) => boolean): EncodeTask {
  const parts = columns.map((column, c) => {
    if (column.kind === "string") return encodedPlan(planTexts(column.values, start, end));
    return shared(c) ? null : column.values.slice(start, end);
  });
  return { start, end, parts };
}

function encodedPlan(plan: ColumnPlan): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(plan.size);
  plan.write(bytes, 0);
  return bytes;
}

/** Encodes, hashes and compresses one chunk; `columns` holds the shared numeric columns (null for text). */
export function encodeChunk(columns: readonly (Float64Array | null)[], task: EncodeTask): EncodedChunk {
  const plans = task.parts.map((part, c): ColumnPlan => {
    if (part instanceof Float64Array) return planNumbers(part, 0, part.length);
    if (part) return { size: part.length, write: (out, offset) => out.set(part, offset) };
    return planNumbers(columns[c] as Float64Array, task.start, task.end);
  });
  const plain = writeChunk(task.end - task.start, plans);
  return { hash: sha256(plain), plain, compressed: ownCopy(compressChunkSync(plain)) };
}

/** Decompresses one stored chunk, checks it against its hash, and decodes its numeric columns. */
export function decodeChunk(numeric: readonly boolean[], task: DecodeTask): DecodedChunk {
  const plain = decompressStored(asBuffer(task.stored));
  if (!plain || sha256(plain) !== task.hash) return { problem: "corrupted" };
  try {
    const { rows, columns } = decodeColumns(plain, numeric.map((n) => (n ? "number" : "string")), "number");
    return { plain: ownCopy(plain), rows, numbers: columns as (Float64Array | null)[] };
  } catch {
    return { problem: "undecodable" };
  }
}

/**
 * The bytes in an ArrayBuffer of their own and of their size: zlib's output may be a slice of a
 * larger buffer (or of Node's shared pool), which a thread could neither hand over nor copy cheaply.
 */
function ownCopy(bytes: Buffer): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/** A Buffer over bytes that crossed a thread (they arrive as a plain Uint8Array). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The chunk's brotli stream as the store writes it (chunkFiles.ts's options), on this thread. */
export function compressChunkSync(plain: Buffer): Buffer {
  return zlib.brotliCompressSync(plain, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
      [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(16, Math.ceil(Math.log2(plain.length + 1)))),
    },
  });
}
