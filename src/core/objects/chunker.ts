import type { Column } from "../data/dataset";
import { murmurFinalise, murmurMix } from "../util/murmur";

// Bound once: through a transpiled module's export getter (tsx, vitest), each call costs several times the hashing step.
const mix = murmurMix;
const finalise = murmurFinalise;

/**
 * Content-defined chunking on row boundaries. Each row gets a hash of its own values; a row whose
 * hash falls under a threshold ends a chunk. The threshold grows with the row's width so chunks
 * hold about TARGET_CHUNK_BYTES whatever the row size, and because the decision depends only on
 * the row's content, not its position, inserting or appending rows changes only the chunks around
 * the change: every other chunk is shared with the earlier versions of the dataset.
 *
 * Sizes are of the rows' plain form (8 bytes a number, 4 + length a text). A version that appends
 * rows rewrites the chunk that ended its predecessor, so the target and the spread of chunk sizes
 * set what each new version costs beyond its new rows. Measured with `npm run bench -- storage`
 * (30 versions growing 3%, two datasets): 32 KiB without normalisation 1.20×/1.21× one copy;
 * 32 KiB normalised 1.11–1.13×/1.17–1.18×; 24 KiB normalised 1.10×/1.12×; 16 KiB 1.08×/1.13× but
 * half again as many files, and each file costs more than its bytes when storing.
 */
export const TARGET_CHUNK_BYTES = 24 * 1024;
export const MIN_CHUNK_BYTES = 2 * 1024;
export const MAX_CHUNK_BYTES = 128 * 1024;
/** Boundary odds before and after the target size (normalisation level 3 of FastCDC: 1/8 and 8). */
const BELOW_TARGET = 1 / 8;
const ABOVE_TARGET = 8;

export interface RowRange {
  start: number;
  end: number;
}

/** The row ranges to store as chunks, in order, covering every row. */
export function chunkRows(columns: readonly Column[], rowCount: number): RowRange[] {
  const hashes = rowHashes(columns, rowCount);
  const widths = rowWidths(columns, rowCount);
  const fixedWidth = columns.filter((c) => c.kind === "number").length * 8;
  const ranges: RowRange[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rowCount; i++) {
    const width = widths ? widths[i] : fixedWidth;
    bytes += width;
    // Normalised chunking (as in FastCDC): boundaries are rarer before the target size and likelier
    // after, so chunk sizes vary less and the chunk a grown version rewrites is smaller on average.
    const odds = (width / TARGET_CHUNK_BYTES) * (bytes < TARGET_CHUNK_BYTES ? BELOW_TARGET : ABOVE_TARGET);
    const boundary = (hashes[i] >>> 0) / 4294967296 < odds;
    if (bytes >= MAX_CHUNK_BYTES || (boundary && bytes >= MIN_CHUNK_BYTES)) {
      ranges.push({ start, end: i + 1 });
      start = i + 1;
      bytes = 0;
    }
  }
  if (start < rowCount || rowCount === 0) ranges.push({ start, end: rowCount });
  return ranges;
}

/**
 * A 32-bit hash of each row's values (MurmurHash3's steps over each double's two words folded
 * into one, and over a hash of each text). Computed column by column over typed arrays: several
 * times faster than row by row. It only places boundaries; identity is the chunks' SHA-256.
 */
function rowHashes(columns: readonly Column[], rowCount: number): Int32Array {
  const hashes = new Int32Array(rowCount).fill(0x9e3779b9 | 0);
  for (const column of columns) {
    if (column.kind === "number") {
      const values = column.values;
      const words = new Uint32Array(values.buffer, values.byteOffset, rowCount * 2);
      for (let i = 0; i < rowCount; i++) {
        // Both halves of the double in one word (every NaN as one): one mixing step per value.
        hashes[i] = mix(hashes[i], values[i] !== values[i] ? 0x7ff80000 : words[2 * i] ^ words[2 * i + 1]);
      }
    } else {
      const values = column.values;
      for (let i = 0; i < rowCount; i++) {
        const text = values[i];
        hashes[i] = mix(hashes[i], text === null ? 0x6e756c6c : stringHash(text));
      }
    }
  }
  for (let i = 0; i < rowCount; i++) hashes[i] = finalise(hashes[i]);
  return hashes;
}

/** Each row's plain width, or undefined when every row has the same (no text columns). */
function rowWidths(columns: readonly Column[], rowCount: number): Uint32Array | undefined {
  if (columns.every((c) => c.kind === "number")) return undefined;
  const widths = new Uint32Array(rowCount);
  for (const column of columns) {
    if (column.kind === "number") {
      for (let i = 0; i < rowCount; i++) widths[i] += 8;
    } else {
      const values = column.values;
      for (let i = 0; i < rowCount; i++) {
        const text = values[i];
        widths[i] += 4 + (text === null ? 0 : text.length);
      }
    }
  }
  return widths;
}

function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
