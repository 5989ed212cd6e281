/**
 * Byte shuffling (as in Blosc and HDF5's shuffle filter): the bytes of fixed-width values are
 * regrouped by position — every value's first byte, then every value's second byte… — so a column's
 * sign/exponent and high bytes, which change little from row to row, sit together and compress
 * well, while its noisy low bytes no longer break up the repeats. Values are taken little-endian.
 *
 * The loops read and write whole 16/32-bit words through the values (never a byte view of them),
 * one monomorphic loop per width: about three times faster than a byte loop over a generic view,
 * and independent of the machine's byte order (a word's low byte is its little-endian first byte).
 */
export const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the low and high 32-bit word of a double within a Uint32Array view of Float64 data. */
export const LOW_WORD = isLittleEndian ? 0 : 1;
export const HIGH_WORD = 1 - LOW_WORD;

/** Writes the 16-bit values shuffled at `offset` of `out` (2 × length bytes). */
export function shuffle16(values: Uint16Array, out: Uint8Array, offset: number): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[offset + i] = v;
    out[offset + n + i] = v >>> 8;
  }
}

/** Writes the 32-bit values shuffled at `offset` of `out` (4 × length bytes). */
export function shuffle32(values: Uint32Array, out: Uint8Array, offset: number): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    out[offset + i] = v;
    out[offset + n + i] = v >>> 8;
    out[offset + 2 * n + i] = v >>> 16;
    out[offset + 3 * n + i] = v >>> 24;
  }
}

/** Writes `n` doubles, given as their 32-bit word pairs, shuffled at `offset` of `out` (8n bytes). */
export function shuffle64(words: Uint32Array, n: number, out: Uint8Array, offset: number): void {
  for (let i = 0; i < n; i++) {
    const low = words[2 * i + LOW_WORD];
    const high = words[2 * i + HIGH_WORD];
    out[offset + i] = low;
    out[offset + n + i] = low >>> 8;
    out[offset + 2 * n + i] = low >>> 16;
    out[offset + 3 * n + i] = low >>> 24;
    out[offset + 4 * n + i] = high;
    out[offset + 5 * n + i] = high >>> 8;
    out[offset + 6 * n + i] = high >>> 16;
    out[offset + 7 * n + i] = high >>> 24;
  }
}

/** Writes the `n` shuffled doubles at `offset` of `bytes` into `out` from `at` (no array of their own: see ColumnReader.numbersInto). */
export function unshuffle64Into(bytes: Uint8Array, offset: number, n: number, out: Float64Array, at: number): void {
  const words = new Uint32Array(out.buffer, out.byteOffset + 8 * at, 2 * n);
  for (let i = 0; i < n; i++) {
    words[2 * i + LOW_WORD] = bytes[offset + i] | (bytes[offset + n + i] << 8) | (bytes[offset + 2 * n + i] << 16) | (bytes[offset + 3 * n + i] << 24);
    words[2 * i + HIGH_WORD] = bytes[offset + 4 * n + i] | (bytes[offset + 5 * n + i] << 8) | (bytes[offset + 6 * n + i] << 16) | (bytes[offset + 7 * n + i] << 24);
  }
}
