import type { Column } from "../data/dataset";
import { murmurFinalise as finalise, murmurMix as mix } from "../util/murmur";

/**
 * Content-defined chunking on row boundaries. Each row gets a hash of its own values; a row whose
 * hash falls under a threshold ends a chunk. The threshold grows with the row's width so chunks
 * hold about TARGET_CHUNK_BYTES whatever the row size, and because the decision depends only on
 * the row's content, not its position, inserting or appending rows changes only the chunks around
 * the change: every other chunk is shared with the earlier versions of the dataset.
 */
export const TARGET_CHUNK_BYTES = 32 * 1024;
export const MIN_CHUNK_BYTES = 4 * 1024;
export const MAX_CHUNK_BYTES = 256 * 1024;

export interface RowRange {
  start: number;
  end: number;
}

/** The row ranges to store as chunks, in order, covering every row. */
export function chunkRows(columns: readonly Column[], rowCount: number): RowRange[] {
  const ranges: RowRange[] = [];
  const hasher = new RowHasher(columns);
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < rowCount; i++) {
    const { hash, width } = hasher.hash(i);
    bytes += width;
    const boundary = hash / 4294967296 < width / TARGET_CHUNK_BYTES;
    if (bytes >= MAX_CHUNK_BYTES || (boundary && bytes >= MIN_CHUNK_BYTES)) {
      ranges.push({ start, end: i + 1 });
      start = i + 1;
      bytes = 0;
    }
  }
  if (start < rowCount || rowCount === 0) ranges.push({ start, end: rowCount });
  return ranges;
}

/** A 32-bit hash of one row's values and its stored width in bytes. */
class RowHasher {
  private readonly words: Uint32Array[];

  constructor(private readonly columns: readonly Column[]) {
    this.words = columns.map((column) =>
      column.kind === "number" ? new Uint32Array(column.values.buffer, column.values.byteOffset, column.values.length * 2) : new Uint32Array(0),
    );
  }

  hash(row: number): { hash: number; width: number } {
    let hash = 0x9e3779b9;
    let width = 0;
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c];
      if (column.kind === "number") {
        const value = column.values[row];
        hash = mix(hash, Number.isNaN(value) ? 0x7ff80000 : this.words[c][row * 2]);
        hash = mix(hash, Number.isNaN(value) ? 0 : this.words[c][row * 2 + 1]);
        width += 8;
      } else {
        const text = column.values[row];
        hash = mix(hash, text === null ? 0x6e756c6c : stringHash(text));
        width += 4 + (text === null ? 0 : text.length);
      }
    }
    return { hash: finalise(hash) >>> 0, width };
  }
}


function stringHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
