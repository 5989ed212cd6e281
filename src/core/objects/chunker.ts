import type { Column } from "../data/dataset";
import { murmurFinalise, murmurMix } from "../util/murmur";
import { HIGH_WORD, LOW_WORD } from "./byteShuffle";

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

/** Rows hashed at a time: the boundary pass streams, so chunks can be encoded while later rows are hashed. */
export const BLOCK_ROWS = 32_768;

/** The row ranges to store as chunks, in order, covering every row. */
export function chunkRows(columns: readonly Column[], rowCount: number): RowRange[] {
  return [...chunkRanges(columns, rowCount)];
}

/**
 * The same ranges as `chunkRows`, each as soon as it is known: rows are hashed a block at a time
 * (each row's hash depends on that row alone, so blocks give the same hashes as the whole).
 */
export function* chunkRanges(columns: readonly Column[], rowCount: number): Generator<RowRange> {
  const boundaries = new Boundaries(columns);
  const numbers = columns.map((column) => (column.kind === "number" ? column.values : null));
  for (let from = 0; from < rowCount; from += BLOCK_ROWS) {
    const to = Math.min(rowCount, from + BLOCK_ROWS);
    const block = textBlock(columns, from, to);
    yield* boundaries.place(hashRows(numbers, block.words, from, to), block.widths, from);
  }
  yield* boundaries.finish(rowCount);
}

/**
 * The boundary pass, in row order: where each chunk ends depends on the plain bytes since the last
 * boundary, so it runs on one thread, given each block's row hashes (which may come from anywhere).
 */
export class Boundaries {
  private start = 0;
  private bytes = 0;
  private readonly fixedWidth: number;

  constructor(columns: readonly Pick<Column, "kind">[]) {
    this.fixedWidth = columns.filter((c) => c.kind === "number").length * 8;
  }

  /** The chunks that end in the block of rows [from, from + hashes.length). */
  place(hashes: Int32Array, widths: Uint32Array | undefined, from: number): RowRange[] {
    const ranges: RowRange[] = [];
    for (let r = 0; r < hashes.length; r++) {
      const width = widths ? widths[r] : this.fixedWidth;
      this.bytes += width;
      // Normalised chunking (as in FastCDC): boundaries are rarer before the target size and likelier
      // after, so chunk sizes vary less and the chunk a grown version rewrites is smaller on average.
      const odds = (width / TARGET_CHUNK_BYTES) * (this.bytes < TARGET_CHUNK_BYTES ? BELOW_TARGET : ABOVE_TARGET);
      const boundary = (hashes[r] >>> 0) / 4294967296 < odds;
      if (this.bytes >= MAX_CHUNK_BYTES || (boundary && this.bytes >= MIN_CHUNK_BYTES)) {
        ranges.push({ start: this.start, end: from + r + 1 });
        this.start = from + r + 1;
        this.bytes = 0;
      }
    }
    return ranges;
  }

  /** The last chunk (the only one, empty, for a dataset without rows). */
  finish(rowCount: number): RowRange[] {
    return this.start < rowCount || rowCount === 0 ? [{ start: this.start, end: rowCount }] : [];
  }
}

/** What the text columns give rows [from, to): each text's word for the row hash, and each row's plain width. */
export function textBlock(columns: readonly Column[], from: number, to: number): { words: (Int32Array | null)[]; widths: Uint32Array | undefined } {
  const words = columns.map((column) => (column.kind === "string" ? new Int32Array(to - from) : null));
  const widths = columns.some((c) => c.kind === "string") ? new Uint32Array(to - from) : undefined;
  fillTextBlock(columns, from, to, words, widths);
  return { words, widths };
}

/** `textBlock` written into arrays the caller keeps (at least to - from long): storing on threads reuses a few. */
export function fillTextBlock(columns: readonly Column[], from: number, to: number, words: readonly (Int32Array | null)[], widths: Uint32Array | undefined): void {
  columns.forEach((column, c) => {
    if (column.kind === "string") textWords(column.values, from, to, words[c] as Int32Array);
  });
  if (widths) rowWidths(columns, from, to, widths);
}

function textWords(values: readonly (string | null)[], from: number, to: number, words: Int32Array): void {
  for (let i = 0; i < to - from; i++) {
    const text = values[from + i];
    words[i] = text === null ? 0x6e756c6c : stringHash(text);
  }
}

/**
 * A 32-bit hash of each row in [from, to) of its values (MurmurHash3's steps over each double's
 * two words folded into one, and over a hash of each text), column by column: `numbers` holds the
 * numeric columns (null for text), `words` the text columns' words for these rows (null for
 * numbers). Several times faster than row by row. It only places boundaries; identity is the
 * chunks' SHA-256.
 */
export function hashRows(numbers: readonly (Float64Array | null)[], words: readonly (Int32Array | null)[], from: number, to: number, out?: Int32Array): Int32Array {
  const count = to - from;
  const hashes = (out ? out.subarray(0, count) : new Int32Array(count)).fill(0x9e3779b9 | 0);
  for (let c = 0; c < numbers.length; c++) {
    const values = numbers[c];
    if (values) {
      const halves = new Uint32Array(values.buffer, values.byteOffset + from * 8, count * 2);
      for (let i = 0; i < count; i++) {
        const low = halves[2 * i + LOW_WORD];
        const high = halves[2 * i + HIGH_WORD];
        // Both halves of the double in one word (every NaN as one): one mixing step per value. NaN is
        // told from the bits (exponent all ones, fraction not zero) rather than by reading the value as
        // a double as well: 101 → 74 ms for the 198 MiB table's numbers (same-process A/B, medians of 15).
        const nan = (high & 0x7ff00000) === 0x7ff00000 && ((high & 0xfffff) | low) !== 0;
        hashes[i] = mix(hashes[i], nan ? 0x7ff80000 : low ^ high);
      }
    } else {
      const text = words[c] as Int32Array;
      for (let i = 0; i < count; i++) hashes[i] = mix(hashes[i], text[i]);
    }
  }
  for (let i = 0; i < count; i++) hashes[i] = finalise(hashes[i]);
  return hashes;
}

/** Each row's plain width in [from, to), written into `widths` (used when some column is text: rows then differ). */
function rowWidths(columns: readonly Column[], from: number, to: number, widths: Uint32Array): void {
  const count = to - from;
  widths.fill(columns.filter((c) => c.kind === "number").length * 8, 0, count);
  for (const column of columns) {
    if (column.kind === "number") continue;
    const values = column.values;
    for (let i = 0; i < count; i++) {
      const text = values[from + i];
      widths[i] += 4 + (text === null ? 0 : text.length);
    }
  }
}

function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
