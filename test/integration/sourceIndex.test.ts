import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CsvFile, JsonLines, SqliteQuery, Synthetic } from "../../src/core/builtins/index";
import { builtinSourceIdentity } from "../../src/core/builtins/datasets/sourceIdentity";
import type { DataAccessObjectClass } from "../../src/core/components/dataAccessObject";
import type { Dataset } from "../../src/core/data/dataset";
import { summariseDataset } from "../../src/core/diff/data/summarise";
import { prepareDatasetStoring, type StoredDataset } from "../../src/core/objects/datasetStoring";
import { ObjectStore } from "../../src/core/objects/objectStore";
import { SourceFiles } from "../../src/core/objects/sourceFiles";
import { SourceIndex, sourceKey, type SourceIdentity } from "../../src/core/objects/sourceIndex";
import type { ModelRun } from "../../src/core/store/runRecord";
import type { JsonObject } from "../../src/core/util/json";
import { runCli } from "../helpers/cli";
import { initRepo } from "../helpers/gitRepo";
import { flipChunkByte, packEntries, packFiles } from "../helpers/storedChunks";
import { tempDir } from "../helpers/tempDir";

function csvText(rows: number, shift = 0): string {
  const lines = ["a,b,label"];
  for (let i = 0; i < rows; i++) lines.push(`${(i * 7 + shift) % 23},${(i % 11) + 0.5},${i % 3 === 0 ? "yes" : "no"}`);
  return `${lines.join("\n")}\n`;
}

/** A workspace with data.csv, and what `mlexp train` does with it: identify, load, store (or find stored), remember. */
function csvWorkspace(rows = 500): {
  dir: string;
  objects: string;
  csv: string;
  storeRun(params?: Record<string, unknown>): Promise<StoredDataset & { dataset: Dataset; summary?: JsonObject }>;
} {
  const dir = tempDir();
  const csv = path.join(dir, "data.csv");
  fs.writeFileSync(csv, csvText(rows));
  const objects = path.join(dir, ".mlexp", "objects");
  const storeRun = async (params: Record<string, unknown> = {}) => {
    const dao = new CsvFile({ path: "data.csv", target: "label", ...params });
    const resolvePath = (file: string) => path.resolve(dir, file);
    const storing = prepareDatasetStoring(objects, builtinSourceIdentity(CsvFile, dao, resolvePath));
    const loading = Promise.resolve(dao.load({ workspace: dir, seed: 1, resolvePath }));
    const stored = await storing.whenLoaded(loading, () => undefined);
    const dataset = await loading;
    await storing.remember(stored, summariseDataset(dataset) as unknown as JsonObject);
    return { ...stored, dataset, summary: storing.knownSummary()?.summary };
  };
  return { dir, objects, csv, storeRun };
}

describe("source index: data the store holds from the same inputs is not stored again", () => {
  it("finds a CSV file's dataset stored by an earlier run: same hash, nothing written, the summary recorded with it", async () => {
    const { objects, storeRun } = csvWorkspace();
    const first = await storeRun();
    expect(first.reused).toBe(false);
    expect(first.writtenBytes).toBeGreaterThan(0);
    const packs = packFiles(objects);
    const second = await storeRun();
    expect(second.reused).toBe(true);
    expect(second.writtenBytes).toBe(0);
    expect(second.manifest).toEqual(first.manifest);
    expect(second.summary).toEqual(JSON.parse(JSON.stringify(summariseDataset(second.dataset))));
    expect(packFiles(objects)).toEqual(packs);
    // What was recorded reads back as the data loaded.
    expect(summariseDataset(new ObjectStore(objects).getDataset(second.manifest.hash))).toEqual(summariseDataset(second.dataset));
  });

  it("stores again when the file changed, and the new data is what the new hash reads back as", async () => {
    const { objects, csv, storeRun } = csvWorkspace();
    const first = await storeRun();
    fs.writeFileSync(csv, csvText(500, 1));
    const changed = await storeRun();
    expect(changed.reused).toBe(false);
    expect(changed.manifest.hash).not.toBe(first.manifest.hash);
    expect(summariseDataset(new ObjectStore(objects).getDataset(changed.manifest.hash))).toEqual(summariseDataset(changed.dataset));
    // One entry per loader and parameters: back to the first content, it is stored (found in the
    // store: nothing written) and remembered again.
    fs.writeFileSync(csv, csvText(500));
    const back = await storeRun();
    expect(back).toMatchObject({ reused: false, writtenBytes: 0 });
    expect(back.manifest.hash).toBe(first.manifest.hash);
    expect((await storeRun()).reused).toBe(true);
  });

  it("stores again when the loader's options changed", async () => {
    const { storeRun } = csvWorkspace();
    await storeRun();
    const fewer = await storeRun({ columns: ["a"] });
    expect(fewer.reused).toBe(false);
    expect(fewer.dataset.columns.map((c) => c.name)).toEqual(["a", "label"]);
    expect((await storeRun({ columns: ["a"] })).reused).toBe(true);
  });

  it("does not use hashes of a file that changed while it was loaded", async () => {
    const { csv } = csvWorkspace();
    const files = new SourceFiles([csv]);
    expect(await files.hashes).toHaveLength(1);
    fs.appendFileSync(csv, "1,2,yes\n");
    expect(await files.unchangedHashes()).toBeUndefined();
    const unchanged = new SourceFiles([csv]);
    expect(await unchanged.unchangedHashes()).toEqual(await unchanged.hashes);
  });

  it("a key of another stored data format, or another loader, finds nothing", async () => {
    const { objects, csv, storeRun } = csvWorkspace();
    const first = await storeRun();
    const identity: SourceIdentity = { loader: "CsvFile", params: { path: "data.csv", target: "label" }, files: [csv] };
    const hashes = (await new SourceFiles([csv]).unchangedHashes()) as string[];
    expect(sourceKey(identity, hashes, "mlexp-dataset/2")).not.toBe(sourceKey(identity, hashes));
    // An entry recorded under the older format's key is not this version's.
    const index = new SourceIndex(new ObjectStore(objects));
    fs.rmSync(index.dir, { recursive: true });
    await index.record(identity, sourceKey(identity, hashes, "mlexp-dataset/2"), first.manifest);
    expect((await storeRun()).reused).toBe(false);
    expect(sourceKey({ ...identity, loader: "JsonLines" }, hashes)).not.toBe(sourceKey(identity, hashes));
  });

  it.each([
    ["its manifest is deleted", (objects: string, hash: string) => fs.rmSync(path.join(objects, "datasets", `${hash}.json`))],
    ["its manifest is damaged", (objects: string, hash: string) => fs.writeFileSync(path.join(objects, "datasets", `${hash}.json`), "{not json")],
    ["its chunks are gone (packs removed)", (objects: string) => fs.rmSync(path.join(objects, "packs"), { recursive: true })],
  ])("stores the full way when %s, and the dataset reads back afterwards", async (_what, damage) => {
    const { objects, storeRun } = csvWorkspace();
    const first = await storeRun();
    damage(objects, first.manifest.hash);
    const second = await storeRun();
    expect(second.reused).toBe(false);
    expect(second.manifest.hash).toBe(first.manifest.hash);
    expect(summariseDataset(new ObjectStore(objects).getDataset(first.manifest.hash))).toEqual(summariseDataset(second.dataset));
    expect((await storeRun()).reused).toBe(true);
  });

  it("a chunk damaged since it was recorded is found by its stored bytes' digest: the data is stored again, which writes a good copy", async () => {
    const { objects, storeRun } = csvWorkspace();
    const first = await storeRun();
    const victim = packEntries(objects).map((entry) => entry.hash).sort()[0];
    const packs = packFiles(objects);
    flipChunkByte(objects, victim, 0.5, 0x01);
    const second = await storeRun();
    expect(second.reused).toBe(false);
    expect(second.manifest.hash).toBe(first.manifest.hash);
    expect(packFiles(objects).length).toBe(packs.length + 1);
    expect(summariseDataset(new ObjectStore(objects).getDataset(first.manifest.hash))).toEqual(summariseDataset(second.dataset));
  });

  it("a read that finds a chunk damaged drops the dataset from the index, so the next store writes a good copy", async () => {
    const { objects, storeRun } = csvWorkspace();
    const first = await storeRun();
    const store = new ObjectStore(objects);
    const victim = packEntries(objects).map((entry) => entry.hash).sort()[0];
    flipChunkByte(objects, victim);
    expect(() => store.getDataset(first.manifest.hash)).toThrow(/corrupted/);
    const repaired = await storeRun();
    expect(repaired.reused).toBe(false);
    expect(summariseDataset(new ObjectStore(objects).getDataset(first.manifest.hash))).toEqual(summariseDataset(repaired.dataset));
  });

  it("only mlexp's own loaders, matched by class, have an identity", () => {
    const resolvePath = (file: string) => path.resolve("/ws", file);
    class MyCsv extends CsvFile {}
    class Imposter extends Synthetic {}
    const identity = (cls: DataAccessObjectClass, params: Record<string, unknown>) => builtinSourceIdentity(cls, new cls(params), resolvePath);
    expect(identity(CsvFile, { path: "d.csv", target: "y" })).toMatchObject({ loader: "CsvFile", files: ["/ws/d.csv"] });
    expect(identity(JsonLines, { path: "d.jsonl", target: "y" })).toMatchObject({ loader: "JsonLines", files: ["/ws/d.jsonl"] });
    expect(identity(SqliteQuery, { path: "d.db", query: "SELECT 1", target: "y" })).toMatchObject({ loader: "SqliteQuery", files: ["/ws/d.db"] });
    // Defaults are part of the key, so an option left out and the same option given equal to its default agree.
    expect(identity(Synthetic, { rows: 10 })).toEqual(identity(Synthetic, { rows: 10, seed: 0 }));
    expect(identity(MyCsv, { path: "d.csv", target: "y" })).toBeUndefined();
    expect(identity(Imposter, {})).toBeUndefined();
  });
});

describe("source index in `mlexp train` (the built CLI)", () => {
  const TRAIN = ["train", "--json", "--model", "LogisticRegression", "--model-params", '{"epochs": 5}', "--dataset", "Synthetic", "--dataset-params", '{"rows":3000,"features":4}'];
  const train = async (dir: string, args = TRAIN) => {
    const result = await runCli(args, { cwd: dir, env: { MLEXP_TIMELINE: "1" } });
    expect(result.code, result.stderr).toBe(0);
    return { run: JSON.parse(result.stdout) as ModelRun, timeline: result.stderr };
  };

  it("a second run on the same generated data records the same dataset and summary without storing it, and reproduces", async () => {
    const dir = tempDir();
    initRepo(dir);
    const first = await train(dir);
    expect(first.timeline).toContain("dataset loaded, handed to the storing thread");
    const second = await train(dir);
    expect(second.timeline).toContain("dataset loaded, found stored already (source index)");
    expect(second.timeline).not.toContain("storing thread's answer");
    expect(second.run.dataset_hash).toBe(first.run.dataset_hash);
    expect(second.run.details.data_summary).toEqual(first.run.details.data_summary);
    const reproduced = await runCli(["reproduce", "--json", second.run.run_id], { cwd: dir });
    expect(reproduced.stderr).toBe("");
    expect((JSON.parse(reproduced.stdout) as { verdict: string }).verdict).toBe("identical");
  });

  it("a CSV file in the state it was hashed in starts no storing thread; touched but unchanged, it is hashed and found stored", async () => {
    const dir = tempDir();
    initRepo(dir, { ".gitignore": "data.csv\n" });
    fs.writeFileSync(path.join(dir, "data.csv"), csvText(2000));
    const args = ["train", "--json", "--model", "LogisticRegression", "--model-params", '{"epochs": 5}', "--dataset", "CsvFile", "--dataset-params", '{"path":"data.csv","target":"label"}'];
    const first = await train(dir, args);
    expect(first.timeline).toContain("storing thread started");
    const second = await train(dir, args);
    expect(second.timeline).not.toContain("storing thread started");
    expect(second.timeline).toContain("found stored already (source index)");
    expect(second.run.dataset_hash).toBe(first.run.dataset_hash);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(path.join(dir, "data.csv"), later, later);
    const touched = await train(dir, args);
    expect(touched.timeline).toContain("storing thread started");
    expect(touched.timeline).toContain("found stored already (source index)");
    expect(touched.run.dataset_hash).toBe(first.run.dataset_hash);
    fs.appendFileSync(path.join(dir, "data.csv"), "3,4.5,yes\n");
    const changed = await train(dir, args);
    expect(changed.timeline).toContain("dataset loaded, handed to the storing thread");
    expect(changed.run.dataset_rows).toBe(2001);
    expect(changed.run.dataset_hash).not.toBe(first.run.dataset_hash);
  });

  it("a workspace's own loader is stored every time", async () => {
    const dir = tempDir();
    initRepo(dir, {
      "mlexp.config.ts": [
        'import { DataAccessObject, Synthetic, registerDataAccessObject } from "mlexp";',
        "class Fixed extends DataAccessObject {",
        "  load() { return new Synthetic({ rows: 500, features: 3 }).load(); }",
        "}",
        'registerDataAccessObject("Fixed", Fixed);',
      ].join("\n"),
    });
    const args = ["train", "--json", "--model", "LogisticRegression", "--model-params", '{"epochs": 5}', "--dataset", "Fixed"];
    const first = await train(dir, args);
    const second = await train(dir, args);
    expect(second.run.dataset_hash).toBe(first.run.dataset_hash);
    expect(second.timeline).toContain("dataset loaded, handed to the storing thread");
    expect(second.timeline).not.toContain("source index");
  });
});
