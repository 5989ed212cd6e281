import * as fs from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { collectGarbage, GC_GRACE_MS } from "../../../src/core/store/maintenance";
import { Store } from "../../../src/core/store/store";
import { makeRun } from "../../helpers/runs";
import { tempDir } from "../../helpers/tempDir";

function checkout(store: Store, name: string, ageMs: number): string {
  const dir = path.join(store.dir, "snapshots", name);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.writeFileSync(path.join(dir, "src", "model.ts"), "export {};\n");
  const when = new Date(Date.now() - ageMs);
  fs.utimesSync(dir, when, when);
  return dir;
}

describe("mlexp gc and reproductions' code checkouts (.mlexp/snapshots)", () => {
  it("keeps checkouts younger than the grace period, as it keeps objects, and removes older ones", async () => {
    const store = Store.open(tempDir());
    const fresh = checkout(store, "a".repeat(40), 60_000);
    const old = checkout(store, "b".repeat(40), GC_GRACE_MS + 60_000);
    const result = await collectGarbage(store);
    expect(result.removedSnapshots).toBe(1);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(fs.existsSync(old)).toBe(false);
    // `--now` (no grace): a checkout no reproduction uses goes at once.
    expect((await collectGarbage(store, 0)).removedSnapshots).toBe(1);
    expect(fs.existsSync(fresh)).toBe(false);
    store.close();
  });

  it("removes none while a run is running, whatever their age", async () => {
    const store = Store.open(tempDir());
    await store.insertRun(makeRun({ run_id: "20261129-110000-00000001", status: "running", end_time: null, pid: process.pid, host: hostname() }));
    const old = checkout(store, "c".repeat(40), GC_GRACE_MS * 3);
    expect((await collectGarbage(store, 0)).removedSnapshots).toBe(0);
    expect(fs.existsSync(old)).toBe(true);
    store.close();
  });
});
