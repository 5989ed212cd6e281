import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RunDatabase } from "../../../src/core/store/database";
import type { MetricPoint, ModelRun } from "../../../src/core/store/runRecord";
import { SCHEMA_VERSION } from "../../../src/core/store/schema";
import { WorkspaceRunStore } from "../../../src/core/store/workspaceRunStore";
import { makeRun } from "../../helpers/runs";
import { queryDatabaseFile, queryRawDatabaseFile } from "../../helpers/sqlite";
import { tempDir } from "../../helpers/tempDir";

const ID = (n: number) => `20261129-10${String(Math.floor(n / 60)).padStart(2, "0")}${String(n % 60).padStart(2, "0")}-0000${String(n).padStart(4, "0")}`;
const run = (n: number, overrides: Partial<ModelRun> = {}): ModelRun =>
  makeRun({ run_id: ID(n), artifacts: `.mlexp/runs/${ID(n)}`, start_time: new Date(Date.UTC(2026, 10, 29, 10) + n * 1000).toISOString(), ...overrides });
const CURVE: MetricPoint[] = [0, 1, 2].map((step) => ({ step, name: "loss", value: 1 / (step + 1) }));

function storeFile(): string {
  return path.join(tempDir(), ".mlexp", "mlexp.db");
}

async function trainLike(store: WorkspaceRunStore, n: number): Promise<void> {
  await store.createRun(run(n, { status: "running", end_time: null }));
  await store.finishRun(ID(n), { status: "finished", end_time: "2026-11-29T11:00:00.000Z" }, CURVE, []);
}

describe("the workspace store's journal", () => {
  it("appends a training's writes to the journal without rewriting the database file, and other handles read them", async () => {
    const file = storeFile();
    const writer = new WorkspaceRunStore(new RunDatabase(file));
    const reader = new WorkspaceRunStore(new RunDatabase(file));
    await trainLike(writer, 1);
    const inode = fs.statSync(file).ino;
    expect(await reader.listRuns()).toHaveLength(1);
    for (let n = 2; n <= 5; n++) await trainLike(writer, n);
    expect(fs.statSync(file).ino).toBe(inode);
    expect((await reader.listRuns()).map((r) => r.run_id)).toEqual([5, 4, 3, 2, 1].map(ID));
    expect(await reader.getHistory(ID(4))).toEqual([...CURVE]);
    // The database file alone lags behind; a fresh handle (file + journal) does not.
    expect((await queryRawDatabaseFile(file, "SELECT count(*) AS n FROM model_runs"))[0].n).toBe(0);
    expect(await new WorkspaceRunStore(new RunDatabase(file)).countRuns()).toBe(5);
    expect((await queryDatabaseFile(file, "SELECT count(*) AS n FROM model_runs"))[0].n).toBe(5);
  });

  it("folds the journal into the database file past its limit; every handle, old or new, sees every run once", async () => {
    const file = storeFile();
    const small = 3000;
    const writers = [new WorkspaceRunStore(new RunDatabase(file, small)), new WorkspaceRunStore(new RunDatabase(file, small))];
    const reader = new WorkspaceRunStore(new RunDatabase(file, small));
    const inodes = new Set<number>();
    for (let n = 1; n <= 30; n++) {
      await trainLike(writers[n % 2], n);
      inodes.add(fs.statSync(file).ino);
      if (n % 7 === 0) expect(await reader.countRuns()).toBe(n);
    }
    expect(inodes.size).toBeGreaterThan(2);
    expect(fs.statSync(path.join(path.dirname(file), "mlexp.journal")).size).toBeLessThan(small + 2000);
    for (const handle of [reader, writers[0], new WorkspaceRunStore(new RunDatabase(file))]) {
      const ids = (await handle.listRuns()).map((r) => r.run_id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(await handle.getHistory(ID(17))).toEqual([...CURVE]);
    }
  });

  it("skips a line cut short by a killed writer, and the next write after it is kept", async () => {
    const file = storeFile();
    const store = new WorkspaceRunStore(new RunDatabase(file));
    await trainLike(store, 1);
    const journal = path.join(path.dirname(file), "mlexp.journal");
    fs.appendFileSync(journal, '{"op":"create","run":{"run_id":"2026112');
    const reader = new WorkspaceRunStore(new RunDatabase(file));
    expect(await reader.countRuns()).toBe(1);
    await trainLike(new WorkspaceRunStore(new RunDatabase(file)), 2);
    expect((await reader.listRuns()).map((r) => [r.run_id, r.status])).toEqual([
      [ID(2), "finished"],
      [ID(1), "finished"],
    ]);
    expect(await new WorkspaceRunStore(new RunDatabase(file)).countRuns()).toBe(2);
  });

  it("reads a database whose checkpoint stopped between its two renames (new file, old journal) without counting a run twice", async () => {
    const file = storeFile();
    const db = new RunDatabase(file);
    const store = new WorkspaceRunStore(db);
    for (let n = 1; n <= 3; n++) await trainLike(store, n);
    const journal = path.join(path.dirname(file), "mlexp.journal");
    const oldJournal = fs.readFileSync(journal);
    await db.checkpointNow();
    fs.writeFileSync(`${journal}.tmp`, oldJournal);
    fs.renameSync(`${journal}.tmp`, journal);
    const reader = new WorkspaceRunStore(new RunDatabase(file));
    expect(await reader.countRuns()).toBe(3);
    expect(await reader.getHistory(ID(2))).toEqual([...CURVE]);
    // The next write starts a journal that goes with the file.
    await store.deleteRun(ID(1));
    await trainLike(new WorkspaceRunStore(new RunDatabase(file)), 4);
    expect((await reader.listRuns()).map((r) => r.run_id)).toEqual([4, 3, 2].map(ID));
    expect((await new WorkspaceRunStore(new RunDatabase(file)).listRuns()).map((r) => r.run_id)).toEqual([4, 3, 2].map(ID));
  });

  it("refuses a change that does not apply without writing it (a curve of a run that does not exist)", async () => {
    const file = storeFile();
    const store = new WorkspaceRunStore(new RunDatabase(file));
    await trainLike(store, 1);
    const journal = path.join(path.dirname(file), "mlexp.journal");
    const before = fs.statSync(journal).size;
    await expect(store.appendHistory(ID(9), CURVE)).rejects.toThrow();
    expect(fs.statSync(journal).size).toBe(before);
    expect(await store.getHistory(ID(9))).toEqual([]);
  });

  it("writes the current schema, with the journal's generation, into the database file on the first write", async () => {
    const file = storeFile();
    const store = new WorkspaceRunStore(new RunDatabase(file));
    await trainLike(store, 1);
    const [meta] = await queryRawDatabaseFile(file, "PRAGMA user_version");
    expect(meta.user_version).toBe(SCHEMA_VERSION);
    const tables = await queryRawDatabaseFile(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    expect(tables.map((t) => t.name)).toContain("store_meta");
  });
});

describe("a process that only writes (a training)", () => {
  it("checks its writes against the checkpoint's run ids and the journal, without reading the database", async () => {
    const file = storeFile();
    const first = new WorkspaceRunStore(new RunDatabase(file, 2500));
    for (let n = 1; n <= 12; n++) await trainLike(first, n);
    const database = new RunDatabase(file);
    const writer = new WorkspaceRunStore(database);
    // A run created after the last checkpoint (only in the journal) and one before it (only in mlexp.ids) are both known.
    await expect(writer.createRun(run(12))).rejects.toMatchObject({ code: "store_conflict" });
    await expect(writer.createRun(run(1))).rejects.toMatchObject({ code: "store_conflict" });
    await expect(writer.appendHistory(ID(99), CURVE)).rejects.toMatchObject({ code: "unknown_run" });
    expect(await writer.updateRun(ID(99), { status: "failed" })).toBe(false);
    await trainLike(writer, 13);
    expect(await writer.deleteRun(ID(2))).toBe(true);
    expect(await writer.deleteRun(ID(2))).toBe(false);
    expect((database as unknown as { loaded?: unknown }).loaded).toBeUndefined();
    const reader = new WorkspaceRunStore(new RunDatabase(file));
    expect(await reader.countRuns()).toBe(12);
    expect(await reader.getHistory(ID(13))).toEqual([...CURVE]);
  });

  it("reads the database when the ids file does not match it (deleted), and still refuses a taken id", async () => {
    const file = storeFile();
    const store = new WorkspaceRunStore(new RunDatabase(file));
    await trainLike(store, 1);
    await new RunDatabase(file).checkpointNow();
    fs.rmSync(path.join(path.dirname(file), "mlexp.ids"));
    const writer = new WorkspaceRunStore(new RunDatabase(file));
    await expect(writer.createRun(run(1))).rejects.toMatchObject({ code: "store_conflict" });
    await trainLike(writer, 2);
    expect(await new WorkspaceRunStore(new RunDatabase(file)).countRuns()).toBe(2);
  });
});
