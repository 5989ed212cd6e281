import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { StoreRunSource } from "../../../../src/extension/compare/runSource";
import { Store } from "../../../../src/core/store/store";
import { makeRun } from "../../../helpers/runs";

const folders: string[] = [];
function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "mlexp-compare-source-"));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

describe("StoreRunSource", () => {
  it("reads nothing, and creates nothing, where there is no store", async () => {
    const folder = tempFolder();
    const source = new StoreRunSource(() => folder);
    expect(await source.list()).toEqual([]);
    expect(await source.history("x")).toEqual([]);
    expect(await source.trials("x")).toEqual([]);
    expect(fs.existsSync(path.join(folder, ".mlexp"))).toBe(false);
    expect(await new StoreRunSource(() => undefined).list()).toEqual([]);
  });

  it("reads runs, learning curves and trials from the workspace's store, as they change", async () => {
    const folder = tempFolder();
    const runId = "20261126-070000-0a0b0c0d";
    const store = Store.open(folder);
    await store.insertRun(makeRun({ run_id: runId, status: "running", end_time: null, pid: null }));
    const source = new StoreRunSource(() => folder);
    expect((await source.list()).map((run) => run.status)).toEqual(["running"]);
    await store.completeRun(runId, { status: "finished", end_time: "2026-11-26T07:00:05.000Z" }, [{ step: 1, name: "loss", value: 0.5 }], [{ trial: 0, params: { lr: 0.1 }, score: 0.8, fold_scores: [0.8] }]);
    expect((await source.list()).map((run) => run.status)).toEqual(["finished"]);
    expect(await source.history(runId)).toEqual([{ step: 1, name: "loss", value: 0.5 }]);
    expect(await source.trials(runId)).toEqual([{ trial: 0, params: { lr: 0.1 }, score: 0.8, fold_scores: [0.8] }]);
    store.close();
    source.close();
  });

  it("switches stores when the workspace folder changes", async () => {
    const first = tempFolder();
    const second = tempFolder();
    const store = Store.open(first);
    await store.insertRun(makeRun({ run_id: "20261126-070000-00000001" }));
    store.close();
    let folder = first;
    const source = new StoreRunSource(() => folder);
    expect(await source.list()).toHaveLength(1);
    folder = second;
    expect(await source.list()).toEqual([]);
    source.close();
  });
});
