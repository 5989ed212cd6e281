import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { Dataset } from "../../src/core/data/dataset";
import { chunkRows } from "../../src/core/objects/chunker";
import { listFiles } from "../../src/core/objects/chunkFiles";
import { encodeHeader } from "../../src/core/objects/datasetCodec";
import { ObjectStore } from "../../src/core/objects/objectStore";
import { sensorLog, table } from "./storage/datasets";
import { brotli, formatTwoRows } from "./storage/formatTwo";
import { plainWrite, plainWriteLabel } from "./storage/plainWrite";
import { mb, printTable, timeIt } from "./timing";

const VERSIONS = 30;
const GROWTH = 1.03;

const load = (): string => `load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} (2 cores)`;

function freshStore(): ObjectStore {
  return new ObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-objects-")));
}

/** The dataset's plain size: 8 bytes a number, 4 + UTF-8 length a text (format 2's size). */
export function plainBytes(dataset: Dataset): number {
  let bytes = 0;
  for (const column of dataset.columns) {
    if (column.kind === "number") bytes += 8 * dataset.rowCount;
    else for (const value of column.values) bytes += 4 + (value === null ? 0 : Buffer.byteLength(value));
  }
  return bytes;
}

/** What one copy took on disk before issue 11: format-2 chunks (of today's boundaries), brotli 1. */
function formatTwoSize(dataset: Dataset): number {
  const chunks = chunkRows(dataset.columns, dataset.rowCount).map((r) => formatTwoRows(dataset.columns, r.start, r.end));
  return [encodeHeader(dataset), ...chunks].reduce((sum, chunk) => sum + brotli(1, chunk).length, 0);
}

/**
 * Bytes on disk for 30 versions of a dataset that grows by 3% each (rows appended), against one
 * copy of the final version alone, on two differently shaped datasets. Goal: ≤ 1.15× one copy,
 * and one copy no larger than before (format 2).
 */
export async function benchStorageGrowth(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [name, make, firstRows] of [
    ["table (6 columns: ids, counts, prices, score, region, label)", table, 50_000],
    ["sensor log (27 columns: timestamp, 24 readings, site, float32 target)", sensorLog, 12_000],
  ] as const) {
    const finalRows = Math.round(firstRows * GROWTH ** (VERSIONS - 1));
    const full = make(finalRows);
    const store = freshStore();
    for (let v = 0; v < VERSIONS; v++) await store.putDataset(full.take(Array.from({ length: Math.round(firstRows * GROWTH ** v) }, (_, i) => i)));
    const stored = store.sizeOnDisk();
    const finalAlone = freshStore();
    await finalAlone.putDataset(full);
    const oneFinal = finalAlone.sizeOnDisk();
    const before = formatTwoSize(full);
    rows.push([`${name}, ${firstRows.toLocaleString()} → ${finalRows.toLocaleString()} rows`, mb(plainBytes(full)), mb(before), mb(oneFinal), oneFinal / before, mb(stored), stored / oneFinal]);
    for (const dir of [store.dir, finalAlone.dir]) fs.rmSync(dir, { recursive: true });
  }
  printTable(
    `Dataset storage: ${VERSIONS} versions growing ${Math.round((GROWTH - 1) * 100)}% each — ${load()}`,
    ["dataset", "plain MiB", "one copy before (format 2) MiB", "one copy now MiB", "now / before", "all 30 versions MiB", "× one copy"],
    rows,
  );
  console.log("goal: all 30 versions ≤ 1.15× one copy on both datasets, one copy no larger than before (now / before ≤ 1)");
}

/** Hashing and storing a 200 MiB dataset against the disk's plain write speed for the same bytes. */
export async function benchStorageThroughput(): Promise<void> {
  const rowCount = Math.round((200 * 1024 * 1024) / (5 * 8 + 9));
  const dataset = table(rowCount);
  const bytes = plainBytes(dataset);
  const store = freshStore();
  const startLoad = load();
  const plain = plainWrite(store.dir, bytes);
  const stored = await timeIt(() => store.putDataset(dataset));
  const again = await timeIt(() => store.putDataset(dataset));
  const read = await timeIt(() => store.readDataset(stored.value.manifest.hash));
  const readSync = await timeIt(() => store.getDataset(stored.value.manifest.hash));
  const packCount = listFiles(store.chunks.packDir).filter((file) => file.endsWith(".pack")).length;
  const packsMs = await rewritePacks(store);
  const row = (what: string, ms: number): (string | number)[] => [what, ms, mb(bytes) / (ms / 1000), ms / plain.ms];
  printTable(
    `Throughput on a ${mb(bytes).toFixed(0)} MiB dataset (${rowCount.toLocaleString()} rows, ${stored.value.manifest.chunkCount.toLocaleString()} chunks) — ${startLoad} at the start, ${load()} at the end`,
    ["what", "ms", "MiB/s", "× plain write time"],
    [
      row(plainWriteLabel(plain), plain.ms),
      row("mlexp: hash, chunk, encode, compress, store", stored.ms),
      row("mlexp: same data again (deduplicated: every stored copy read and compared with the chunk compressed now)", again.ms),
      row("mlexp: read back and verify (readDataset, thread pool)", read.ms),
      row("mlexp: read back and verify (getDataset, one thread)", readSync.ms),
      row(`  for scale: only writing the ${packCount} pack file(s) + index again (temp, fsync, rename; no CPU work)`, packsMs),
    ],
  );
  console.log(`goal: storing ≤ 2× and reading back ≤ 2× the plain write. Stored ${mb(store.sizeOnDisk()).toFixed(1)} MiB on disk for ${mb(bytes).toFixed(1)} MiB of data; the second store wrote ${again.value.writtenBytes} bytes`);
  fs.rmSync(store.dir, { recursive: true });
}

/**
 * Writes the stored packs and their indexes again, as the store does (temporary name, one fsync
 * per pack, rename; index after): what the layout alone costs, without any CPU work.
 */
async function rewritePacks(store: ObjectStore): Promise<number> {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-packs-"));
  const packs = listFiles(store.chunks.packDir).filter((file) => file.endsWith(".pack"));
  const contents = packs.map((file) => ({ file, bytes: fs.readFileSync(file), index: fs.readFileSync(file.replace(/\.pack$/, ".idx")) }));
  const started = performance.now();
  for (const { file, bytes, index } of contents) {
    const to = path.join(target, path.basename(file));
    const temp = `${to}.${randomBytes(4).toString("hex")}.tmp`;
    const handle = await fs.promises.open(temp, "w");
    await handle.write(bytes, 0, bytes.length, 0);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(temp, to);
    const indexTemp = `${to}.idx.${randomBytes(4).toString("hex")}.tmp`;
    await fs.promises.writeFile(indexTemp, index);
    await fs.promises.rename(indexTemp, to.replace(/\.pack$/, ".idx"));
  }
  const ms = performance.now() - started;
  fs.rmSync(target, { recursive: true });
  return ms;
}

if (require.main === module) void benchStorageGrowth().then(benchStorageThroughput);
