import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, type Column } from "../../../../src/core/data/dataset";
import { diffStoredData } from "../../../../src/core/diff/data/dataDiff";
import { summariseDataset } from "../../../../src/core/diff/data/summarise";
import { ObjectStore } from "../../../../src/core/objects/objectStore";
import { removeChunk } from "../../../helpers/storedChunks";
import { tempDir } from "../../../helpers/tempDir";

function dataset(rows: number, edit: (i: number, x: number) => number = (_, x) => x, extra?: Column): Dataset {
  const x = new Float64Array(rows).map((_, i) => edit(i, (i * 7919) % 1000));
  const y = new Float64Array(rows).map((_, i) => i % 2);
  const city: (string | null)[] = Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? null : ["north", "south", "east"][i % 3]));
  const columns: Column[] = [
    { name: "x", kind: "number", values: x },
    { name: "city", kind: "string", values: city },
    { name: "y", kind: "number", values: y },
  ];
  return new Dataset(extra ? [...columns, extra] : columns, "y");
}

async function stored(objects: ObjectStore, data: Dataset): Promise<string> {
  return (await objects.putDataset(data)).manifest.hash;
}

describe("diffStoredData", () => {
  it("says identical for the same hash without reading any chunk", async () => {
    const objects = new ObjectStore(tempDir());
    const hash = await stored(objects, dataset(100));
    expect(await diffStoredData(objects, hash, hash)).toEqual({ status: "identical", hash, rows: 100 });
  });

  it("finds one edited row among 50,000 and never reads the chunks both versions share", async () => {
    const dir = tempDir();
    const objects = new ObjectStore(dir);
    const a = dataset(50_000);
    const b = dataset(50_000, (i, x) => (i === 31_337 ? -1 : x));
    const [hashA, hashB] = [await stored(objects, a), await stored(objects, b)];
    const chunksA = objects.chunkHashes(objects.readManifest(hashA));
    const chunksB = new Set(objects.chunkHashes(objects.readManifest(hashB)));
    const shared = chunksA.filter((chunk) => chunksB.has(chunk));
    expect(shared.length).toBeGreaterThan(10);
    // Remove every shared row chunk from disk: a diff that read one would fail.
    for (const chunk of shared.slice(1)) removeChunk(dir, chunk);
    const diff = await diffStoredData(objects, hashA, hashB, { summaryA: summariseDataset(a), summaryB: summariseDataset(b) });
    expect(diff).toMatchObject({ status: "changed", rowsAdded: 0, rowsRemoved: 0, rowsChanged: 1, approximate: false });
    if (diff.status !== "changed") return;
    expect(diff.chunks.sharedChunks).toBe(shared.length - 1);
    expect(diff.sample).toEqual([{ change: "changed", a: { x: (31_337 * 7919) % 1000, city: ["north", "south", "east"][31_337 % 3], y: 1 }, b: { x: -1, city: ["north", "south", "east"][31_337 % 3], y: 1 }, columns: ["x"] }]);
    expect(diff.shifts.map((s) => s.name)).toEqual(["x"]);
    expect(path.isAbsolute(dir)).toBe(true);
  });

  it("counts appended and removed rows, and summarises from the chunks when no summary was recorded", async () => {
    const objects = new ObjectStore(tempDir());
    const small = dataset(20_000);
    const big = dataset(21_000);
    const [hashSmall, hashBig] = [await stored(objects, small), await stored(objects, big)];
    const grown = await diffStoredData(objects, hashSmall, hashBig, { sampleSize: 3 });
    expect(grown).toMatchObject({ status: "changed", rowsA: 20_000, rowsB: 21_000, rowsAdded: 1000, rowsRemoved: 0, rowsChanged: 0 });
    if (grown.status !== "changed") return;
    expect(grown.sample.map((row) => row.change)).toEqual(["added", "added", "added"]);
    expect(grown.shifts.find((s) => s.name === "city")?.missing).toEqual([summariseDataset(small).columns[1].missing, summariseDataset(big).columns[1].missing]);
    const shrunk = await diffStoredData(objects, hashBig, hashSmall);
    expect(shrunk).toMatchObject({ rowsAdded: 0, rowsRemoved: 1000, rowsChanged: 0 });
  });

  it("names added and retyped columns and compares rows on the columns both have", async () => {
    const objects = new ObjectStore(tempDir());
    const base = dataset(5000);
    const withColumn = dataset(5000, undefined, { name: "z", kind: "string", values: Array.from({ length: 5000 }, () => "k") });
    const retyped = new Dataset([{ name: "x", kind: "string", values: Array.from({ length: 5000 }, (_, i) => String(i)) }, base.column("city"), base.column("y")], "y");
    const [hashBase, hashColumn, hashRetyped] = [await stored(objects, base), await stored(objects, withColumn), await stored(objects, retyped)];
    expect(await diffStoredData(objects, hashBase, hashColumn)).toMatchObject({ columnsAdded: ["z"], columnsRemoved: [], rowsChanged: 0, comparedColumns: ["x", "city", "y"] });
    expect(await diffStoredData(objects, hashBase, hashRetyped)).toMatchObject({ columnsRetyped: [{ name: "x", a: "number", b: "string" }], comparedColumns: ["city", "y"], rowsChanged: 0 });
  });

  it("says clearly which chunk is missing when a differing chunk is gone", async () => {
    const objects = new ObjectStore(tempDir());
    const [hashA, hashB] = [await stored(objects, dataset(3000)), await stored(objects, dataset(3000, (i, x) => (i === 5 ? 1e6 : x)))];
    const onlyB = objects.chunkHashes(objects.readManifest(hashB)).filter((c) => !objects.chunkHashes(objects.readManifest(hashA)).includes(c));
    removeChunk(objects.dir, onlyB[0]);
    await expect(diffStoredData(objects, hashA, hashB)).rejects.toThrow(/chunk of the stored dataset .* is missing/);
  });
});
