import { randomBytes } from "node:crypto";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressChunk, compressChunkSync, decompressStored, decompressWhole, decompressWholeAsync, sha256, storedMatches } from "../../../src/core/objects/chunkBytes";

/** Brotli 1 with a size hint and a window of at least 2^16: the stored form every version so far has written. */
function compressedAsBefore(plain: Buffer): Buffer {
  const window = Math.min(24, Math.max(16, Math.ceil(Math.log2(plain.length + 1))));
  const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: plain.length, [zlib.constants.BROTLI_PARAM_LGWIN]: window };
  return zlib.brotliCompressSync(plain, { params });
}

/** Half repetitive, half random: compressible, but not to nothing. */
function chunkLike(length: number): Buffer {
  const bytes = randomBytes(length);
  for (let i = 0; i < length; i += 2) bytes[i] = i % 7;
  return bytes;
}

describe("a chunk's stored form", () => {
  it("round-trips chunks of every size, ones that do not compress included, the same on this thread and on the pool", async () => {
    for (const plain of [Buffer.alloc(0), chunkLike(1), chunkLike(8_191), chunkLike(128 * 1024), randomBytes(300 * 1024), chunkLike(1024 * 1024)]) {
      const stored = compressChunkSync(plain);
      expect(await compressChunk(plain)).toEqual(stored);
      expect(decompressStored(stored)).toEqual(plain);
      expect(storedMatches(sha256(plain), stored)).toBe(true);
    }
  });

  it("stores the bytes earlier versions stored, so storing the same data again compares them byte for byte instead of decompressing", async () => {
    for (const plain of [chunkLike(100), chunkLike(8_000), chunkLike(24 * 1024), chunkLike(128 * 1024), randomBytes(300 * 1024)]) {
      expect(compressChunkSync(plain)).toEqual(compressedAsBefore(plain));
      expect(await compressChunk(plain)).toEqual(compressedAsBefore(plain));
    }
    expect(storedMatches(sha256(chunkLike(8_000)), compressedAsBefore(chunkLike(8_000)))).toBe(false);
  });
});

describe("reading a chunk's stored form", () => {
  it("gives the content back, and undefined for bytes added after the stream, a cut stream or bytes that are not brotli", async () => {
    const plain = chunkLike(20_000);
    const stored = compressChunkSync(plain);
    for (const read of [decompressWhole, decompressWholeAsync]) {
      expect(await read(stored)).toEqual(plain);
      expect(await read(Buffer.concat([stored, Buffer.from([0])]))).toBeUndefined();
      expect(await read(stored.subarray(0, stored.length - 5))).toBeUndefined();
      expect(await read(randomBytes(500))).toBeUndefined();
    }
  });
});
