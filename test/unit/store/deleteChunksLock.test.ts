import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FileObjectBackend } from "../../../src/core/objects/fileObjectBackend";
import { tempDir } from "../../helpers/tempDir";
import { seededDataset } from "../core/fixtures/seededDataset";

const run = promisify(execFile);
const REPO = path.resolve(__dirname, "..", "..", "..");
const OBJECTS_CHILD = path.join(__dirname, "fixtures", "objectsInChild.ts");
const STORE_CHILD = path.join(__dirname, "..", "core", "fixtures", "storeInChild.ts");

async function child(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" } });
  return stdout;
}

describe("FileObjectBackend.deleteChunks and the collection lock", () => {
  it("waits for the collection lock: chunks a lock holder (gc, a training confirming its data) relies on stay until it lets go", async () => {
    const objects = tempDir();
    const backend = new FileObjectBackend(objects);
    const { manifest } = await backend.store.putDataset(seededDataset(20_000, 3));
    const chunks = (await backend.listChunks()).map((entry) => entry.hash);
    const release = await backend.store.lockAgainstCollection();
    let settled = false;
    const deleting = backend.deleteChunks(chunks).finally(() => {
      settled = true;
    });
    try {
      // Another process reads the whole dataset while the lock is held: every chunk is still there.
      expect(await child(OBJECTS_CHILD, ["read", objects, manifest.hash])).toBe("20000");
      expect(settled).toBe(false);
    } finally {
      await release();
    }
    expect(await deleting).toBe(chunks.length);
    expect(await backend.listChunks()).toEqual([]);
  });

  it("a deleteChunks in one process and a putDataset of the same data in another: the stored dataset reads back whole", async () => {
    const objects = tempDir();
    const backend = new FileObjectBackend(objects);
    for (let round = 0; round < 3; round++) {
      const { manifest } = await backend.store.putDataset(seededDataset(30_000, 7));
      const chunks = (await backend.listChunks()).map((entry) => entry.hash);
      // As gc does: the manifest goes first, then its chunks; meanwhile a training stores the same rows again.
      await backend.deleteManifest(manifest.hash);
      const [, stored] = await Promise.all([child(OBJECTS_CHILD, ["delete", objects, ...chunks]), child(STORE_CHILD, [objects, "30000", "7"])]);
      expect(stored).toBe(manifest.hash);
      const back = await backend.store.readDataset(manifest.hash);
      expect(back.column("x").values).toEqual(seededDataset(30_000, 7).column("x").values);
    }
  });
});
