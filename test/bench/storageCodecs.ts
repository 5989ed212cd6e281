import * as os from "node:os";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { chunkRows } from "../../src/core/objects/chunker";
import { BROTLI_QUALITY } from "../../src/core/objects/chunkFiles";
import { encodeRows } from "../../src/core/objects/datasetCodec";
import { hashDataset } from "../../src/core/objects/objectStore";
import { plainBytes } from "./storage";
import { sensorLog, table } from "./storage/datasets";
import { formatTwoRows, rowByRowHashes } from "./storage/formatTwo";
import { mb, printTable, timeIt } from "./timing";

const IN_FLIGHT = 16;

interface Codec {
  name: string;
  compress: (buffer: Buffer) => Promise<Buffer>;
  decompress: (buffer: Buffer) => Promise<Buffer>;
}

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);
const deflateRaw = promisify(zlib.deflateRaw);
const inflateRaw = promisify(zlib.inflateRaw);

const brotliAt = (quality: number): Codec => ({
  name: `brotli ${quality}${quality === BROTLI_QUALITY ? " (chosen)" : ""}`,
  compress: (b) => brotliCompress(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length, [zlib.constants.BROTLI_PARAM_LGWIN]: 17 } }),
  decompress: (b) => brotliDecompress(b),
});
const deflateAt = (level: number): Codec => ({ name: `deflate ${level}`, compress: (b) => deflateRaw(b, { level }), decompress: (b) => inflateRaw(b) });

/** Runs `work` on every item, IN_FLIGHT at a time on libuv's thread pool (as the store does). */
async function pooled<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return results;
}

/**
 * The choices of the data path, each against its alternatives in the same run: the boundary hash
 * (row by row as before, column-wise now), the chunk encoding (format 2 vs 3) and the codec
 * (brotli qualities, deflate levels; zlib's async API, so every core compresses). Native codecs
 * (lz4-napi, zstd) are left out: see the note in src/core/objects/chunkFiles.ts.
 */
export async function benchStorageCodecs(): Promise<void> {
  for (const [name, dataset] of [
    ["table", table(700_000)],
    ["sensor log", sensorLog(120_000)],
  ] as const) {
    const plain = plainBytes(dataset);
    const ranges = chunkRows(dataset.columns, dataset.rowCount);
    const before = await timeIt(() => rowByRowHashes(dataset.columns, dataset.rowCount));
    const now = await timeIt(() => chunkRows(dataset.columns, dataset.rowCount));
    const two = await timeIt(() => ranges.map((r) => formatTwoRows(dataset.columns, r.start, r.end)));
    const three = await timeIt(() => ranges.map((r) => encodeRows(dataset.columns, r.start, r.end)));
    const hashed = await timeIt(() => hashDataset(dataset));
    printTable(
      `Data path choices on the ${name} (${mb(plain).toFixed(0)} MiB plain, ${ranges.length} chunks) — load average ${os.loadavg()[0].toFixed(1)}`,
      ["step", "ms", "MiB/s (plain)", "encoded MiB"],
      [
        ["boundary hash, row by row (before)", before.ms, mb(plain) / (before.ms / 1000), ""],
        ["boundary hash, column by column (now)", now.ms, mb(plain) / (now.ms / 1000), ""],
        ["encode format 2 (raw float64, length-prefixed text; before)", two.ms, mb(plain) / (two.ms / 1000), mb(sum(two.value))],
        ["encode format 3 (scaled integers, float32, shuffled bytes, dictionaries; now)", three.ms, mb(plain) / (three.ms / 1000), mb(sum(three.value))],
        ["dataset hash: chunk + encode + SHA-256 (now)", hashed.ms, mb(plain) / (hashed.ms / 1000), ""],
      ],
    );
    const rows: (string | number)[][] = [];
    for (const codec of [brotliAt(0), brotliAt(1), brotliAt(2), brotliAt(4), deflateAt(1), deflateAt(6)]) {
      for (const [format, chunks] of [["3", three.value], ["2", two.value]] as const) {
        if (format === "2" && codec.name !== brotliAt(1).name) continue;
        const compressed = await timeIt(() => pooled(chunks, codec.compress));
        const restored = await timeIt(() => pooled(compressed.value, codec.decompress));
        rows.push([format === "2" ? "format 2, brotli 1 (before)" : `format 3, ${codec.name}`, sum(compressed.value) / plain, mb(plain) / (compressed.ms / 1000), mb(plain) / (restored.ms / 1000)]);
      }
    }
    printTable(`Codecs on the ${name}'s chunks, ${IN_FLIGHT} at a time on the thread pool — load average ${os.loadavg()[0].toFixed(1)}`, ["codec", "size / plain", "compress MiB/s (plain)", "decompress MiB/s (plain)"], rows);
  }
}

function sum(buffers: Buffer[]): number {
  return buffers.reduce((total, buffer) => total + buffer.length, 0);
}
