import * as fs from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Store } from "../../../src/core/store/store";
import { RunRepository } from "../../../src/extension/runs/runRepository";
import { tempDir } from "../../helpers/tempDir";
import { makeRun } from "../../helpers/runs";

describe("RunRepository", () => {
  it("creates nothing on disk and lists no runs in a workspace without a store", async () => {
    const workspace = tempDir();
    const repository = new RunRepository(workspace);
    expect(await repository.list()).toEqual([]);
    expect(repository.fingerprint()).toBe("missing");
    expect(fs.existsSync(path.join(workspace, ".mlexp"))).toBe(false);
    await expect(repository.get("20261126-000000-00000000")).rejects.toThrow(/has no runs yet/);
  });

  it("sees every write as a new fingerprint, reads runs and deletes them", async () => {
    const workspace = tempDir();
    const store = Store.open(workspace);
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000001", pid: null }));
    const repository = new RunRepository(workspace);
    const before = repository.fingerprint();
    expect((await repository.list()).map((r) => r.run_id)).toEqual(["20261126-000000-00000001"]);
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000002", pid: null }));
    expect(repository.fingerprint()).not.toBe(before);
    expect(await repository.list()).toHaveLength(2);
    await repository.delete("20261126-000000-00000001");
    expect((await repository.list()).map((r) => r.run_id)).toEqual(["20261126-000000-00000002"]);
    repository.close();
    store.close();
  });

  it("refuses to delete a run whose training is still running (a live process of this host)", async () => {
    const workspace = tempDir();
    const store = Store.open(workspace);
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000001", status: "running", pid: process.pid, host: hostname() }));
    const repository = new RunRepository(workspace);
    await expect(repository.delete("20261126-000000-00000001")).rejects.toThrow(
      `Run 20261126-000000-00000001 is still training (process ${process.pid}): it cannot be deleted while it runs.`,
    );
    expect(await repository.list()).toHaveLength(1);
    repository.close();
    store.close();
  });

  it("marks a killed training's run cancelled, found by run id or by process id", async () => {
    const workspace = tempDir();
    const store = Store.open(workspace);
    // Process ids that no longer exist: the rows read as crashed until they are marked.
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000001", status: "running", pid: 999_999_1, host: hostname() }));
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000002", status: "running", pid: 999_999_2, host: hostname() }));
    await store.insertRun(makeRun({ run_id: "20261126-000000-00000003", status: "finished", pid: 999_999_3 }));
    const repository = new RunRepository(workspace);
    expect((await repository.list()).find((r) => r.run_id.endsWith("1"))?.status).toBe("crashed");
    await repository.markKilledRunCancelled(undefined, "20261126-000000-00000001");
    await repository.markKilledRunCancelled(999_999_2, undefined);
    await repository.markKilledRunCancelled(999_999_3, undefined);
    const byId = Object.fromEntries((await repository.list()).map((r) => [r.run_id, r]));
    expect(byId["20261126-000000-00000001"]).toMatchObject({ status: "cancelled", error: expect.stringContaining("killed") });
    expect(byId["20261126-000000-00000002"].status).toBe("cancelled");
    expect(byId["20261126-000000-00000003"].status).toBe("finished");
    repository.close();
    store.close();
  });
});
