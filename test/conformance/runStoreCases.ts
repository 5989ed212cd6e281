import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { MetricPoint, ModelRun, SearchTrial } from "../../src/core/store/runRecord";
import type { RunStore } from "../../src/core/store/runStore";
import { makeRun } from "../helpers/runs";

/** A fresh, empty backend per test; `open` may be called again for a second handle on the same store. */
export interface RunStoreFixture {
  open(): Promise<RunStore>;
  cleanup?(): Promise<void>;
}

const ID = (n: number) => `20261126-0648${String(n).padStart(2, "0")}-3fa9c2d${n % 10}`;

function run(n: number, overrides: Partial<ModelRun> = {}): ModelRun {
  return makeRun({
    run_id: ID(n),
    artifacts: `.mlexp/runs/${ID(n)}`,
    start_time: `2026-11-26T06:48:${String(n).padStart(2, "0")}.000Z`,
    ...overrides,
  });
}

const HISTORY: MetricPoint[] = [
  { step: 1, name: "loss", value: 0.9 },
  { step: 0, name: "loss", value: 1.2 },
  { step: 0, name: "accuracy", value: NaN },
];
const TRIALS: SearchTrial[] = [
  { trial: 1, params: { learningRate: 0.05 }, score: NaN, fold_scores: [0.5, 0.6] },
  { trial: 0, params: { learningRate: 0.01, nested: { a: [1, 2] } }, score: 0.7, fold_scores: [0.7, 0.7] },
];

/** A pid no process has: one that just exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid as number;
}

/** The same cases for every RunStore backend: the consistency contract in src/core/store/runStore.ts. */
export function describeRunStoreConformance(name: string, makeFixture: () => Promise<RunStoreFixture>): void {
  describe(`RunStore conformance: ${name}`, () => {
    let fixture: RunStoreFixture | undefined;
    const opened: RunStore[] = [];
    const open = async () => {
      fixture ??= await makeFixture();
      const store = await fixture.open();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await fixture?.cleanup?.();
      fixture = undefined;
    });

    it("stores a run and reads every field back as written, from another handle too", async () => {
      const store = await open();
      const written = run(1, { dirty: true, backend: "cpu", details: { classes: ["a", "b"], nested: { x: 1.5 } }, reproduction: null, githash: null });
      await store.createRun(written);
      expect(await store.getRun(written.run_id)).toEqual(written);
      expect(await (await open()).getRun(written.run_id)).toEqual(written);
      expect(await store.getRun(ID(2))).toBeUndefined();
    });

    it("refuses to create a run whose id is taken, and keeps the first", async () => {
      const store = await open();
      await store.createRun(run(1));
      await expect(store.createRun(run(1, { model_class: "Other" }))).rejects.toMatchObject({ code: "store_conflict" });
      expect((await store.getRun(ID(1)))?.model_class).toBe("ModelImpl1");
    });

    it("updates some fields of a run and says whether it existed", async () => {
      const store = await open();
      await store.createRun(run(1, { status: "running", end_time: null, metrics: {} }));
      expect(await store.updateRun(ID(1), { status: "failed", error: "boom", end_time: "2026-11-26T07:00:00.000Z" })).toBe(true);
      expect(await store.updateRun(ID(9), { status: "failed" })).toBe(false);
      const updated = await store.getRun(ID(1));
      expect(updated).toMatchObject({ status: "failed", error: "boom", end_time: "2026-11-26T07:00:00.000Z", model_class: "ModelImpl1" });
    });

    it("finishes a run with its curves and trials together; NaN survives as NaN", async () => {
      const store = await open();
      await store.createRun(run(1, { status: "running", metrics: {} }));
      await store.finishRun(ID(1), { status: "finished", metrics: { accuracy: 0.9 } }, HISTORY, TRIALS);
      expect((await store.getRun(ID(1)))?.metrics).toEqual({ accuracy: 0.9 });
      expect(await store.getHistory(ID(1))).toEqual([
        { step: 0, name: "accuracy", value: NaN },
        { step: 0, name: "loss", value: 1.2 },
        { step: 1, name: "loss", value: 0.9 },
      ]);
      expect(await store.getTrials(ID(1))).toEqual([TRIALS[1], TRIALS[0]]);
    });

    it("appends curve points and trials idempotently: the last value of a point wins", async () => {
      const store = await open();
      await store.createRun(run(1));
      await store.appendHistory(ID(1), [{ step: 0, name: "loss", value: 2 }]);
      await store.appendHistory(ID(1), [
        { step: 0, name: "loss", value: 1 },
        { step: 1, name: "loss", value: 0.5 },
      ]);
      await store.appendTrials(ID(1), [TRIALS[1]]);
      await store.appendTrials(ID(1), [TRIALS[1]]);
      expect(await store.getHistory(ID(1))).toEqual([
        { step: 0, name: "loss", value: 1 },
        { step: 1, name: "loss", value: 0.5 },
      ]);
      expect(await store.getTrials(ID(1))).toHaveLength(1);
    });

    it("lists newest first by default, with limit, offset, filters, sorting by a metric and counts", async () => {
      const store = await open();
      await store.createRun(run(1, { model_class: "A", metrics: { accuracy: 0.5 } }));
      await store.createRun(run(2, { model_class: "B", metrics: { accuracy: 0.9 } }));
      await store.createRun(run(3, { model_class: "A", metrics: {} }));
      await store.createRun(run(4, { model_class: "A", metrics: { accuracy: 0.7 }, status: "failed" }));
      const ids = (runs: ModelRun[]) => runs.map((r) => r.run_id);
      expect(ids(await store.listRuns())).toEqual([ID(4), ID(3), ID(2), ID(1)]);
      expect(ids(await store.listRuns({ limit: 2 }))).toEqual([ID(4), ID(3)]);
      expect(ids(await store.listRuns({ limit: 2, offset: 2 }))).toEqual([ID(2), ID(1)]);
      expect(ids(await store.listRuns({ offset: 3 }))).toEqual([ID(1)]);
      expect(ids(await store.listRuns({ order: "asc" }))).toEqual([ID(1), ID(2), ID(3), ID(4)]);
      expect(ids(await store.listRuns({ model_class: "A" }))).toEqual([ID(4), ID(3), ID(1)]);
      expect(ids(await store.listRuns({ status: ["failed"] }))).toEqual([ID(4)]);
      expect(ids(await store.listRuns({ ids: [ID(1), ID(3)] }))).toEqual([ID(3), ID(1)]);
      expect(ids(await store.listRuns({ ids: [] }))).toEqual([]);
      expect(ids(await store.listRuns({ idPrefix: "20261126-064802" }))).toEqual([ID(2)]);
      expect(ids(await store.listRuns({ idPrefix: "%" }))).toHaveLength(4);
      expect(ids(await store.listRuns({ sort: "metric:accuracy", order: "desc" }))).toEqual([ID(2), ID(4), ID(1), ID(3)]);
      expect(ids(await store.listRuns({ sort: "metric:accuracy", order: "asc" }))).toEqual([ID(1), ID(4), ID(2), ID(3)]);
      expect(await store.countRuns()).toBe(4);
      expect(await store.countRuns({ model_class: "A" })).toBe(3);
      expect(await store.countRuns({ status: ["finished"] })).toBe(3);
      await expect(store.listRuns({ sort: "metric:x'); DROP TABLE model_runs; --" as `metric:${string}` })).rejects.toMatchObject({ code: "invalid_argument" });
      await expect(store.listRuns({ limit: -1 })).rejects.toMatchObject({ code: "invalid_argument" });
    });

    it("reads a running run whose process on this host is gone as crashed, for lists, filters and counts", async () => {
      const store = await open();
      await store.createRun(run(1, { status: "running", pid: deadPid(), host: os.hostname(), end_time: null }));
      await store.createRun(run(2, { status: "running", pid: process.pid, host: os.hostname(), end_time: null }));
      expect((await store.getRun(ID(1)))?.status).toBe("crashed");
      expect((await store.getRun(ID(2)))?.status).toBe("running");
      expect((await store.listRuns({ status: ["crashed"] })).map((r) => r.run_id)).toEqual([ID(1)]);
      expect((await store.listRuns({ status: ["running"] })).map((r) => r.run_id)).toEqual([ID(2)]);
      expect(await store.countRuns({ status: ["crashed"] })).toBe(1);
    });

    it("deletes a run with its curves and trials", async () => {
      const store = await open();
      await store.createRun(run(1));
      await store.finishRun(ID(1), {}, HISTORY, TRIALS);
      expect(await store.deleteRun(ID(1))).toBe(true);
      expect(await store.deleteRun(ID(1))).toBe(false);
      expect(await store.getRun(ID(1))).toBeUndefined();
      expect(await store.getHistory(ID(1))).toEqual([]);
      expect(await store.getTrials(ID(1))).toEqual([]);
    });

    it("imports a run idempotently: created, then unchanged, then updated when it differs", async () => {
      const store = await open();
      const bundle = { run: run(1), history: HISTORY, trials: TRIALS };
      expect(await store.importRun(bundle)).toBe("created");
      expect(await store.importRun(bundle)).toBe("unchanged");
      expect(await store.importRun({ ...bundle, run: { ...bundle.run, metrics: { accuracy: 0.1 } }, history: HISTORY.slice(0, 1) })).toBe("updated");
      expect(await store.getHistory(ID(1))).toEqual([HISTORY[0]]);
      expect((await store.getRun(ID(1)))?.metrics).toEqual({ accuracy: 0.1 });
      expect(await store.countRuns()).toBe(1);
    });

    it("changes its change token on a write and tells watchers about another handle's write", async () => {
      const store = await open();
      const other = await open();
      const before = await store.changeToken();
      let calls = 0;
      const seen = new Promise<void>((resolve) => {
        const subscription = store.watch(() => {
          calls++;
          subscription.dispose();
          resolve();
        });
      });
      // Let the watcher take its first look before the write.
      await new Promise((resolve) => setTimeout(resolve, 700));
      await other.createRun(run(1));
      await seen;
      expect(calls).toBe(1);
      expect(await store.changeToken()).not.toBe(before);
    });
  });
}
