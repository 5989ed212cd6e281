/**
 * Byte shuffling (as in Blosc and HDF5's shuffle filter): the bytes of fixed-width values are
 * regrouped by position — every value's first byte, then every value's second byte… — so a column's
 * sign/exponent and high bytes, which change little from row to row, sit together and compress
 * well, while its noisy low bytes no longer break up the repeats. Values are taken little-endian.
 */
export const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The little-endian bytes of `count` values of `width` bytes, shuffled. */
export function shuffleBytes(bytes: Uint8Array, width: number): Buffer {
  if (width === 1) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const source = isLittleEndian || width === 1 ? bytes : swapped(bytes, width);
  const count = source.length / width;
  const out = Buffer.allocUnsafe(source.length);
  for (let b = 0; b < width; b++) {
    const base = b * count;
    for (let i = 0, j = b; i < count; i++, j += width) out[base + i] = source[j];
  }
  return out;
}

/** The inverse of shuffleBytes, into a new, aligned buffer of native byte order. */
export function unshuffleBytes(shuffled: Uint8Array, width: number): ArrayBuffer {
  if (width === 1) {
    const copy = new Uint8Array(shuffled.length);
    copy.set(shuffled);
    return copy.buffer;
  }
  const count = shuffled.length / width;
  const out = new Uint8Array(shuffled.length);
  for (let b = 0; b < width; b++) {
    const base = b * count;
    for (let i = 0, j = b; i < count; i++, j += width) out[j] = shuffled[base + i];
  }
  if (!isLittleEndian && width > 1) swapInPlace(Buffer.from(out.buffer), width);
  return out.buffer;
}

function swapped(bytes: Uint8Array, width: number): Buffer {
  const copy = Buffer.from(bytes);
  swapInPlace(copy, width);
  return copy;
}

function swapInPlace(buffer: Buffer, width: number): void {
  if (width === 2) buffer.swap16();
  else if (width === 4) buffer.swap32();
  else if (width === 8) buffer.swap64();
}
