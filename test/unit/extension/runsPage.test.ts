import { hostname } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunDatabase } from "../../../src/core/store/database";
import { insertRun } from "../../../src/core/store/runs";
import { Store } from "../../../src/core/store/store";
import { RunRepository } from "../../../src/extension/runs/runRepository";
import { RunsPageLoader } from "../../../src/extension/runs/runsPage";
import { moreDescription, moreNodes, runsRoot } from "../../../src/extension/runs/runTree";
import { makeRun } from "../../helpers/runs";
import { tempDir } from "../../helpers/tempDir";

const id = (n: number) => `20261129-${String(100000 + n).slice(-6)}-${(0x10000000 + n).toString(16)}`;

async function workspaceWithRuns(count: number): Promise<string> {
  const workspace = tempDir();
  const store = Store.open(workspace);
  await new RunDatabase(store.db.file).rewrite((db) => {
    for (let n = 0; n < count; n++) insertRun(db, makeRun({ run_id: id(n), artifacts: `.mlexp/runs/${id(n)}`, start_time: new Date(Date.UTC(2026, 10, 29) + n * 1000).toISOString(), pid: null }));
  });
  store.close();
  return workspace;
}

afterEach(() => vi.restoreAllMocks());

describe("the Runs view's page of runs", () => {
  it("reads only the newest page and the counts, and one page more on Load more", async () => {
    const workspace = await workspaceWithRuns(250);
    const listed: (number | undefined)[] = [];
    const listRuns = Store.prototype.listRuns;
    vi.spyOn(Store.prototype, "listRuns").mockImplementation(function (this: Store, query) {
      listed.push(query?.limit);
      return listRuns.call(this, query);
    });
    const repository = new RunRepository(workspace);
    const loader = new RunsPageLoader(() => repository);
    const first = await loader.load();
    expect(first.total).toBe(250);
    expect(first.runs.map((r) => r.run_id)).toEqual(Array.from({ length: 100 }, (_, i) => id(249 - i)));
    expect(moreNodes(first.runs.length, first.total)).toEqual([{ kind: "more", shown: 100, total: 250 }]);
    expect(moreDescription({ kind: "more", shown: 100, total: 250 })).toBe("100 of 250 runs shown");
    loader.showMore();
    expect((await loader.load()).runs).toHaveLength(200);
    loader.showMore();
    const all = await loader.load();
    expect(all.runs).toHaveLength(250);
    expect(moreNodes(all.runs.length, all.total)).toEqual([]);
    expect(runsRoot(all.runs, { groupByModel: false })).toHaveLength(250);
    // Every read the view made had a limit: it never read every run.
    expect(listed.filter((limit) => limit === undefined)).toEqual([]);
    expect(listed.filter((limit) => limit !== undefined)).toEqual([100, 200, 300]);
    repository.close();
  });

  it("counts running runs beyond the page, and sees a new run at the top after a write by another handle", async () => {
    const workspace = await workspaceWithRuns(120);
    const repository = new RunRepository(workspace);
    const loader = new RunsPageLoader(() => repository, 10);
    const before = repository.fingerprint();
    const writer = Store.open(workspace);
    await writer.insertRun(makeRun({ run_id: id(500), start_time: "2026-11-30T00:00:00.000Z", status: "running", end_time: null, pid: process.pid, host: hostname() }));
    expect(repository.fingerprint()).not.toBe(before);
    const page = await loader.load();
    expect(page).toMatchObject({ total: 121, running: 1 });
    expect(page.runs[0]).toMatchObject({ run_id: id(500), status: "running" });
    expect(page.runs).toHaveLength(10);
    writer.close();
    repository.close();
  });

  it("is empty, with nothing created on disk, in a workspace without a store", async () => {
    const loader = new RunsPageLoader(() => new RunRepository(tempDir()));
    expect(await loader.load()).toEqual({ runs: [], total: 0, running: 0 });
  });
});
