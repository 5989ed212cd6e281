import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset } from "../../../src/core/data/dataset";
import { ObjectStore } from "../../../src/core/objects/objectStore";
import { Rng } from "../../../src/core/util/random";
import { flipChunkByte, removeChunk } from "../../helpers/storedChunks";
import { tempDir } from "../../helpers/tempDir";

function growingDataset(rows: number, seed = 3): Dataset {
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: rows }, () => rng.normal());
  const b = Float64Array.from({ length: rows }, (_, i) => (i % 17 === 0 ? NaN : rng.next() * 100));
  const c = Array.from({ length: rows }, (_, i) => (i % 23 === 0 ? null : `cat "${i % 5}",\n`));
  const y = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? "yes" : "no"));
  return Dataset.fromColumns({ a: Array.from(a), b: Array.from(b), c, label: y }, "label");
}

describe("object store", () => {
  it("round-trips a dataset exactly: doubles, missing values, awkward strings", async () => {
    const store = new ObjectStore(tempDir());
    const dataset = growingDataset(5000);
    const { manifest } = await store.putDataset(dataset);
    const back = store.getDataset(manifest.hash);
    expect(back.target).toBe("label");
    expect(back.columns.map((c) => [c.name, c.kind])).toEqual(dataset.columns.map((c) => [c.name, c.kind]));
    for (const column of dataset.columns) expect(back.column(column.name).values).toEqual(column.values);
    expect(manifest.rows).toBe(5000);
  });

  it("stores the same dataset once, and a grown dataset shares its unchanged chunks", async () => {
    const store = new ObjectStore(tempDir());
    const big = growingDataset(60_000);
    const first = await store.putDataset(big.take(Array.from({ length: 50_000 }, (_, i) => i)));
    expect(store.chunkHashes(first.manifest).length).toBeGreaterThan(5);
    expect((await store.putDataset(big.take(Array.from({ length: 50_000 }, (_, i) => i)))).writtenBytes).toBe(0);
    const grown = await store.putDataset(big);
    const shared = store.chunkHashes(grown.manifest).filter((chunk) => store.chunkHashes(first.manifest).includes(chunk)).length;
    expect(shared).toBeGreaterThanOrEqual(store.chunkHashes(first.manifest).length - 2);
    expect(grown.writtenBytes).toBeLessThan(first.writtenBytes * 0.4);
  });

  it("keeps most chunks when a row is inserted near the start (boundaries follow content)", async () => {
    const store = new ObjectStore(tempDir());
    const base = growingDataset(50_000);
    const first = (await store.putDataset(base)).manifest;
    const order = [0, 1, 2, 0, ...Array.from({ length: 49_997 }, (_, i) => i + 3)];
    const shifted = (await store.putDataset(base.take(order))).manifest;
    const shared = store.chunkHashes(shifted).filter((chunk) => store.chunkHashes(first).includes(chunk)).length;
    expect(shared).toBeGreaterThanOrEqual(store.chunkHashes(first).length - 3);
  });

  it("reads on the thread pool (readDataset) exactly what the synchronous reader gives, checked the same way", async () => {
    const store = new ObjectStore(tempDir());
    const dataset = growingDataset(30_000);
    const { manifest } = await store.putDataset(dataset);
    const back = await store.readDataset(manifest.hash);
    for (const column of dataset.columns) expect(back.column(column.name).values).toEqual(column.values);
    const victim = store.chunkHashes(manifest)[3];
    const pack = flipChunkByte(store.dir, victim, 0.25);
    await expect(store.readDataset(manifest.hash)).rejects.toThrow(new RegExp(`chunk ${victim} of dataset ${manifest.hash} is corrupted.*\\(${pack}\\)`));
    removeChunk(store.dir, victim);
    await expect(store.readDataset(manifest.hash)).rejects.toThrow(/chunk of the stored dataset .* is missing/);
  });

  it("reads rows into columns sized from the manifest, and still reads exactly when its row count is wrong", async () => {
    const store = new ObjectStore(tempDir());
    const dataset = growingDataset(30_000);
    const { manifest } = await store.putDataset(dataset);
    const file = store.manifestPath(manifest.hash);
    // The row count is not covered by the content hash: too small (columns grow; on threads, the batches past it come back
    // in arrays of their own), too big (cut at the end), absurd (capped).
    for (const rows of [1, 0, 29_999, 30_001, 1e15, -5]) {
      fs.writeFileSync(file, JSON.stringify({ ...manifest, rows }));
      for (const back of [store.getDataset(manifest.hash), await store.readDataset(manifest.hash, { threads: 0 }), await store.readDataset(manifest.hash, { threads: 2 })]) {
        expect(back.rowCount, `rows ${rows}`).toBe(30_000);
        for (const column of dataset.columns) expect(back.column(column.name).values, `rows ${rows}`).toEqual(column.values);
      }
    }
  });

  it("detects a tampered chunk and names it", async () => {
    const store = new ObjectStore(tempDir());
    const { manifest } = await store.putDataset(growingDataset(20_000));
    const victim = store.chunkHashes(manifest)[1];
    const pack = flipChunkByte(store.dir, victim);
    expect(pack).toMatch(/\.pack$/);
    expect(() => store.getDataset(manifest.hash)).toThrow(new RegExp(`chunk ${victim} of dataset ${manifest.hash} is corrupted.*\\(${pack}\\)`));
  });

  it("reports a missing dataset and a missing chunk clearly", async () => {
    const store = new ObjectStore(tempDir());
    expect(() => store.getDataset("a".repeat(64))).toThrow(/stored dataset a{64} is missing/);
    const { manifest } = await store.putDataset(growingDataset(100));
    removeChunk(store.dir, store.chunkHashes(manifest)[0]);
    expect(() => store.getDataset(manifest.hash)).toThrow(/chunk of the stored dataset .* is missing/);
    expect(() => store.getDataset("../etc/passwd")).toThrow(/not a SHA-256 object hash/);
  });

  it("hashes the whole content: changing the last row changes the hash", async () => {
    const store = new ObjectStore(tempDir());
    const a = growingDataset(30_000);
    const values = Array.from((a.column("a").values as Float64Array));
    values[values.length - 1] += 1e-12;
    const b = new Dataset([{ name: "a", kind: "number", values: Float64Array.from(values) }, ...a.columns.slice(1)], "label");
    expect((await store.putDataset(a)).manifest.hash).not.toBe((await store.putDataset(b)).manifest.hash);
    expect(fs.readdirSync(path.join(store.dir, "datasets"))).toHaveLength(2);
  });
});
