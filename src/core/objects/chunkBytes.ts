import { createHash } from "node:crypto";
import { promisify } from "node:util";
import * as zlib from "node:zlib";

// A chunk's stored form, wherever it is kept (a pack, a loose file, a PostgreSQL row, a message
// between threads): one brotli stream of the content, named by the content's SHA-256.

const brotliCompress = promisify(zlib.brotliCompress);

export function sha256(buffer: Buffer): string {
  return createHash("sha256").update(buffer).digest("hex");
}

/** A chunk's brotli stream, compressed on libuv's thread pool (every core at once). */
export function compressChunk(plain: Buffer): Promise<Buffer> {
  return brotliCompress(plain, compressionOptions(plain.length));
}

/** `compressChunk` on this thread (the same bytes), for worker threads. */
export function compressChunkSync(plain: Buffer): Buffer {
  return zlib.brotliCompressSync(plain, compressionOptions(plain.length));
}

/**
 * Brotli at quality 1, chosen by measurement on format-3 chunks (`npm run bench -- storage` prints
 * the alternatives: brotli 0–4, deflate 1/6): quality 0 and 1 compress at about the same speed and
 * 1 is a few percent smaller; quality 4 and deflate are two to three times slower to write.
 * Node's zlib runs each call on libuv's thread pool, so chunks compress on every core at once.
 */
export const BROTLI_QUALITY = 1;

/**
 * The options every chunk is compressed with. Sizing zlib's output buffer to the chunk (instead of
 * its default 16 KiB, allocated per call) saved 16–26% of brotli's CPU on the bench's table chunks
 * in isolation, but storing the 198 MiB table end to end showed no difference (2 chunk threads,
 * bundled, idle, 11 alternating processes: 1,966 vs 1,975 ms CPU), so the options stay as they were.
 */
export function compressionOptions(length: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: length,
      // A window just big enough for the chunk: the default 4 MiB window costs an allocation per chunk.
      [zlib.constants.BROTLI_PARAM_LGWIN]: windowBits(length),
    },
  };
}

function windowBits(length: number): number {
  return Math.min(24, Math.max(16, Math.ceil(Math.log2(length + 1))));
}

/** Whether stored (compressed) bytes are the chunk with this content hash. */
export function storedMatches(hash: string, stored: Buffer): boolean {
  const buffer = decompressWhole(stored);
  return buffer !== undefined && sha256(buffer) === hash;
}

/** The content of stored (compressed) chunk bytes, or undefined when they are not one brotli stream. */
export function decompressStored(stored: Buffer): Buffer | undefined {
  return decompressWhole(stored);
}

/** Decompresses a chunk file, or undefined when it is not exactly one brotli stream (added bytes count too). */
export function decompressWhole(compressed: Buffer): Buffer | undefined {
  try {
    const { buffer, engine } = zlib.brotliDecompressSync(compressed, withInfo()) as unknown as DecompressedWithInfo;
    return engine.bytesWritten === compressed.length ? buffer : undefined;
  } catch {
    return undefined;
  }
}

/**
 * decompressWhole on the thread pool: the engine's count of bytes consumed shows added bytes. zlib's
 * one-call form rather than a stream with listeners: 114 → 99 ms of CPU for the bench's 1,297 table
 * chunks, 16 at a time (median of 9 alternating).
 */
export function decompressWholeAsync(compressed: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    zlib.brotliDecompress(compressed, withInfo(), (error, result) => {
      if (error) return resolve(undefined);
      const { buffer, engine } = result as unknown as DecompressedWithInfo;
      resolve(engine.bytesWritten === compressed.length ? buffer : undefined);
    });
  });
}

/** What zlib hands back when asked for `info`: the output and the engine that made it. */
interface DecompressedWithInfo {
  buffer: Buffer;
  engine: { bytesWritten: number };
}

function withInfo(): zlib.BrotliOptions {
  return { info: true } as zlib.BrotliOptions;
}
