import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { Worker } from "node:worker_threads";
import type { Dataset } from "../../../src/core/data/dataset";
import type { chunkRows } from "../../../src/core/objects/chunker";
import type { decodeColumnsInto, encodeRows } from "../../../src/core/objects/datasetCodec";
import type { FloorReply, FloorRequest, FloorShare } from "./floorContract";

export interface Timed {
  ms: number;
  cpu: number;
}

export interface FloorRow {
  what: string;
  run: Timed;
}

/**
 * What storing and reading cannot go below on this machine, whatever the code around it: the
 * store's own per-chunk work alone (SHA-256 of each encoded chunk, brotli 1, decompression) on
 * `threads` threads already started, the dataset's whole-content SHA-256, and the boundary hash
 * and encoding on one thread. The floors add their CPU and divide by the threads, as if every step
 * overlapped perfectly with every other and with the write: a bound no real pipeline reaches.
 */
export async function storageFloor(dataset: Dataset, threads: number, plainWriteCpu: number): Promise<FloorRow[]> {
  const { chunkRows, encodeRows, decodeColumnsInto } = await bundledChunking();
  const boundaries = timedSync(() => chunkRows(dataset.columns, dataset.rowCount));
  const encoded = timedSync(() => boundaries.value.map((range) => encodeRows(dataset.columns, range.start, range.end)));
  const content = sharedContent(encoded.value);
  const decoded = timedSync(() => decodeAll(dataset, encoded.value, decodeColumnsInto));
  const whole = timedSync(() => createHash("sha256").update(Buffer.from(content.buffer)).digest());
  const pool = await startThreads(content, encoded.value, threads);
  try {
    const hash = await pool.step("hash");
    const compress = await pool.step("compress");
    const decompress = await pool.step("decompress");
    const on = `on ${threads} threads already started`;
    const storeCpu = hash.cpu + compress.cpu + whole.cpu + plainWriteCpu;
    const readCpu = decompress.cpu + hash.cpu + whole.cpu;
    return [
      { what: `  floor parts: boundary hash, one thread (${encoded.value.length.toLocaleString()} chunks)`, run: boundaries },
      { what: `  floor parts: encode format 3, one thread (${(content.byteLength / 2 ** 20).toFixed(0)} MiB encoded)`, run: encoded },
      { what: `  floor parts: SHA-256 of each encoded chunk ${on}`, run: hash },
      { what: `  floor parts: brotli 1 of each encoded chunk ${on}`, run: compress },
      { what: `  floor parts: decompress each chunk ${on}`, run: decompress },
      { what: "  floor parts: decode format 3 into the final columns, one thread", run: decoded },
      { what: "  floor parts: SHA-256 of the whole encoded content (the dataset's hash), one call", run: whole },
      { what: `FLOOR for storing: (chunk SHA-256 + brotli + whole SHA-256 + the plain write's CPU) / ${threads} cores; no boundary hash, no encoding`, run: { ms: storeCpu / threads, cpu: storeCpu } },
      { what: `FLOOR for storing with today's boundary hash and encoding also spread over ${threads} cores`, run: { ms: (storeCpu + boundaries.cpu + encoded.cpu) / threads, cpu: storeCpu + boundaries.cpu + encoded.cpu } },
      { what: `FLOOR for reading back with verification: (decompress + chunk SHA-256 + whole SHA-256) / ${threads} cores; no read, no decoding`, run: { ms: readCpu / threads, cpu: readCpu } },
      { what: `FLOOR for reading back with today's decoding also spread over ${threads} cores`, run: { ms: (readCpu + decoded.cpu) / threads, cpu: readCpu + decoded.cpu } },
    ];
  } finally {
    await pool.close();
  }
}

interface Chunking {
  chunkRows: typeof chunkRows;
  encodeRows: typeof encodeRows;
  decodeColumnsInto: typeof decodeColumnsInto;
}

/**
 * The boundary hash and the encoder bundled by esbuild as dist/ bundles them (node20, minified):
 * from source, through tsx, they run measurably slower than what users and the chunk threads run.
 */
async function bundledChunking(): Promise<Chunking> {
  const root = path.resolve(__dirname, "..", "..", "..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-floor-"));
  const outfile = path.join(dir, "chunking.js");
  buildSync({
    stdin: { contents: `export { chunkRows } from "./src/core/objects/chunker"; export { encodeRows, decodeColumnsInto } from "./src/core/objects/datasetCodec";`, resolveDir: root, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minify: true,
    outfile,
  });
  const loaded = (await import(outfile)) as Chunking & { default?: Chunking };
  fs.rmSync(dir, { recursive: true });
  return loaded.default ?? loaded;
}

/** Every chunk decoded in order into columns allocated once, as reading back does; checks the row count. */
function decodeAll(dataset: Dataset, chunks: Buffer[], decode: typeof decodeColumnsInto): number {
  const kinds = dataset.columns.map((column) => column.kind);
  const columns = kinds.map((kind) => (kind === "number" ? new Float64Array(dataset.rowCount) : new Array<string | null>(dataset.rowCount)));
  let at = 0;
  for (const chunk of chunks) {
    decode(chunk, kinds, columns, at);
    at += chunk.readUInt32LE(0);
  }
  if (at !== dataset.rowCount) throw new Error(`The floor bench decoded ${at} rows of ${dataset.rowCount}.`);
  return at;
}

function sharedContent(chunks: Buffer[]): Uint8Array {
  const content = new Uint8Array(new SharedArrayBuffer(chunks.reduce((sum, chunk) => sum + chunk.length, 0)));
  let at = 0;
  for (const chunk of chunks) {
    content.set(chunk, at);
    at += chunk.length;
  }
  return content;
}

interface FloorPool {
  step(step: FloorRequest["step"]): Promise<Timed>;
  close(): Promise<void>;
}

/** Threads each given a contiguous run of chunks holding about the same number of bytes. */
async function startThreads(content: Uint8Array, chunks: Buffer[], threads: number): Promise<FloorPool> {
  const shares: FloorShare[] = [];
  let at = 0;
  let next = 0;
  for (let t = 0; t < threads; t++) {
    const share: FloorShare = { content: content.buffer as SharedArrayBuffer, start: at, ends: [] };
    const goal = (content.byteLength * (t + 1)) / threads;
    while (next < chunks.length && (at < goal || t === threads - 1)) share.ends.push((at += chunks[next++].length));
    shares.push(share);
  }
  const tsx = require.resolve("tsx/cjs");
  const source = path.join(__dirname, "floorWorker.ts");
  const workers = shares.map((share) => new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { eval: true, workerData: share }));
  const reply = (worker: Worker) => new Promise<FloorReply>((resolve, reject) => worker.once("message", resolve).once("error", reject));
  await Promise.all(workers.map(reply));
  return {
    async step(step) {
      const before = process.cpuUsage();
      const started = performance.now();
      const replies = workers.map(reply);
      for (const worker of workers) worker.postMessage({ step } satisfies FloorRequest);
      const bytes = (await Promise.all(replies)).reduce((sum, r) => sum + r.bytes, 0);
      if (bytes === 0) throw new Error(`The floor bench's ${step} step produced nothing.`);
      return { ms: performance.now() - started, cpu: cpuMs(before) };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

function timedSync<T>(work: () => T): Timed & { value: T } {
  const before = process.cpuUsage();
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, cpu: cpuMs(before), value };
}

function cpuMs(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
