import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Dataset } from "../../src/core/data/dataset";
import { ObjectStore } from "../../src/core/objects/objectStore";
import { Rng } from "../../src/core/util/random";
import { mb, printTable, timeIt } from "./timing";

const VERSIONS = 30;
const GROWTH = 1.03;
const FIRST_ROWS = 50_000;

/** A realistic table: ids, integer counts, prices with two decimals, categories, a label. */
function table(rows: number): Dataset {
  const rng = new Rng(11);
  const id = Float64Array.from({ length: rows }, (_, i) => 100_000 + i);
  const count = Float64Array.from({ length: rows }, () => rng.int(50));
  const price = Float64Array.from({ length: rows }, () => Math.round(rng.next() * 10_000) / 100);
  const score = Float64Array.from({ length: rows }, () => rng.normal());
  const region = Array.from({ length: rows }, () => ["north", "south", "east", "west"][rng.int(4)]);
  const label = Float64Array.from({ length: rows }, () => rng.int(2));
  return new Dataset(
    [
      { name: "id", kind: "number", values: id },
      { name: "count", kind: "number", values: count },
      { name: "price", kind: "number", values: price },
      { name: "score", kind: "number", values: score },
      { name: "region", kind: "string", values: region },
      { name: "label", kind: "number", values: label },
    ],
    "label",
  );
}

function freshStore(): ObjectStore {
  return new ObjectStore(fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-bench-objects-")));
}

/**
 * Bytes on disk for 30 versions of a dataset that grows by 3% each (rows appended), against the
 * naive sum of 30 full copies and against one copy of the final version alone.
 */
export async function benchStorageGrowth(): Promise<void> {
  const finalRows = Math.round(FIRST_ROWS * GROWTH ** (VERSIONS - 1));
  const full = table(finalRows);
  const store = freshStore();
  let naiveRaw = 0;
  let naiveCompressed = 0;
  for (let v = 0; v < VERSIONS; v++) {
    const rows = Math.round(FIRST_ROWS * GROWTH ** v);
    const version = full.take(Array.from({ length: rows }, (_, i) => i));
    const alone = freshStore();
    naiveCompressed += (await alone.putDataset(version)).writtenBytes;
    fs.rmSync(alone.dir, { recursive: true });
    naiveRaw += (await store.putDataset(version)).manifest.bytes;
  }
  const stored = store.sizeOnDisk();
  const finalAlone = freshStore();
  await finalAlone.putDataset(full);
  const oneFinal = finalAlone.sizeOnDisk();
  printTable(
    `Dataset storage: ${VERSIONS} versions growing ${Math.round((GROWTH - 1) * 100)}% each (${FIRST_ROWS.toLocaleString()} → ${finalRows.toLocaleString()} rows)`,
    ["what", "MiB", "× one final copy"],
    [
      ["mlexp store, all 30 versions", mb(stored), stored / oneFinal],
      ["one copy of the final version (compressed)", mb(oneFinal), 1],
      ["30 full copies, compressed", mb(naiveCompressed), naiveCompressed / oneFinal],
      ["30 full copies, uncompressed", mb(naiveRaw), naiveRaw / oneFinal],
    ],
  );
  console.log(`goal: within 1.2× of one final copy → ${(stored / oneFinal).toFixed(3)}×`);
  for (const dir of [store.dir, finalAlone.dir]) fs.rmSync(dir, { recursive: true });
}

/** Hashing and storing a 200 MB dataset against the disk's plain write speed for the same bytes. */
export async function benchStorageThroughput(): Promise<void> {
  const rows = Math.round((200 * 1024 * 1024) / (5 * 8 + 8));
  const dataset = table(rows);
  const store = freshStore();
  const stored = await timeIt(() => store.putDataset(dataset));
  const bytes = stored.value.manifest.bytes;
  const plainFile = path.join(store.dir, "plain.bin");
  const payload = Buffer.alloc(bytes, 7);
  const plain = await timeIt(() => {
    const fd = fs.openSync(plainFile, "w");
    fs.writeSync(fd, payload);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  });
  const again = await timeIt(() => store.putDataset(dataset));
  const read = await timeIt(() => store.getDataset(stored.value.manifest.hash));
  printTable(
    `Throughput on a ${mb(bytes).toFixed(0)} MiB dataset (${rows.toLocaleString()} rows)`,
    ["what", "ms", "MiB/s", "× plain write time"],
    [
      ["plain write + fsync of the same bytes", plain.ms, mb(bytes) / (plain.ms / 1000), 1],
      ["mlexp: hash, chunk, compress, store", stored.ms, mb(bytes) / (stored.ms / 1000), stored.ms / plain.ms],
      ["mlexp: same data again (deduplicated)", again.ms, mb(bytes) / (again.ms / 1000), again.ms / plain.ms],
      ["mlexp: read back and verify", read.ms, mb(bytes) / (read.ms / 1000), read.ms / plain.ms],
    ],
  );
  console.log(`stored ${mb(store.sizeOnDisk()).toFixed(1)} MiB on disk for ${mb(bytes).toFixed(1)} MiB of data; the second store wrote ${again.value.writtenBytes} bytes`);
  fs.rmSync(store.dir, { recursive: true });
}

if (require.main === module) void benchStorageGrowth().then(benchStorageThroughput);
