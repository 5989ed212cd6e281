import * as zlib from "node:zlib";
import type { Column } from "../../../src/core/data/dataset";
import { murmurFinalise, murmurMix } from "../../../src/core/util/murmur";

/**
 * The data path as it was before issue 11, kept here only to measure against in the same run:
 * row-by-row boundary hashing, format-2 chunks (raw float64, length-prefixed text), brotli 1.
 */
export function rowByRowHashes(columns: readonly Column[], rowCount: number): number {
  let sum = 0;
  for (let row = 0; row < rowCount; row++) {
    let hash = 0x9e3779b9;
    for (const column of columns) {
      if (column.kind === "number") {
        const words = new Uint32Array(column.values.buffer, column.values.byteOffset + row * 8, 2);
        hash = murmurMix(murmurMix(hash, words[0]), words[1]);
      } else {
        const text = column.values[row];
        let h = 0x811c9dc5;
        if (text !== null) for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
        hash = murmurMix(hash, h);
      }
    }
    sum += murmurFinalise(hash) >>> 0;
  }
  return sum;
}

export function formatTwoRows(columns: readonly Column[], start: number, end: number): Buffer {
  const count = Buffer.allocUnsafe(4);
  count.writeUInt32LE(end - start, 0);
  const parts: Buffer[] = [count];
  for (const column of columns) {
    if (column.kind === "number") {
      const slice = column.values.subarray(start, end);
      parts.push(Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength));
      continue;
    }
    for (let i = start; i < end; i++) {
      const value = column.values[i];
      const bytes = value === null ? Buffer.alloc(0) : Buffer.from(value, "utf8");
      const length = Buffer.allocUnsafe(4);
      length.writeUInt32LE(value === null ? 0 : bytes.length + 1, 0);
      parts.push(length, bytes);
    }
  }
  return Buffer.concat(parts);
}

export function brotli(quality: number, buffer: Buffer): Buffer {
  return zlib.brotliCompressSync(buffer, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
      [zlib.constants.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(16, Math.ceil(Math.log2(buffer.length + 1)))),
    },
  });
}
