import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "../../../src/core/store/store";
import { tempDir } from "../../helpers/tempDir";

const FIXTURE = path.join(__dirname, "..", "..", "fixtures", "store-v1");

function workspaceWithFixture(): string {
  const workspace = tempDir();
  fs.mkdirSync(path.join(workspace, ".mlexp"), { recursive: true });
  fs.copyFileSync(path.join(FIXTURE, "mlexp.db"), path.join(workspace, ".mlexp", "mlexp.db"));
  return workspace;
}

const readJson = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURE, name), "utf8"));

describe("an .mlexp folder written by mlexp 0.1.0", () => {
  it("opens with every run, curve and trial as that version showed them, and still takes new runs", async () => {
    const workspace = workspaceWithFixture();
    const store = Store.open(workspace, { store: "workspace" });
    expect(await store.listRuns()).toEqual(readJson("expected-runs.json"));
    const expected = readJson("expected-68b9b260.json");
    const { history, trials, ...run } = expected;
    expect(await store.getRun("20261129-073959")).toEqual(run);
    // NaN is written as null by JSON: compare the same way.
    expect(JSON.parse(JSON.stringify(await store.history(run.run_id)))).toEqual(history);
    expect(JSON.parse(JSON.stringify(await store.trials(run.run_id)))).toEqual(trials);
    await store.insertRun({ ...run, run_id: "20261129-080000-00000001", start_time: "2026-11-29T08:00:00.000Z" });
    expect((await store.listRuns({ limit: 1 }))[0].run_id).toBe("20261129-080000-00000001");
    expect(await store.runs.countRuns()).toBe(3);
    store.close();
  });
});
