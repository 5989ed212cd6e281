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

  it("two processes deleting different chunks of one pack at once: both sets go, every other chunk stays", async () => {
    // Three datasets' chunks in one pack (as one pull writes them): each delete rewrites that pack.
    const sources = [1, 2, 3].map(() => new FileObjectBackend(tempDir()));
    const hashes = await Promise.all(sources.map(async (source, i) => (await source.store.putDataset(seededDataset(20_000, 20 + i))).manifest.hash));
    const chunksOf = await Promise.all(sources.map(async (source) => (await source.listChunks()).map((entry) => entry.hash)));
    const objects = tempDir();
    const backend = new FileObjectBackend(objects);
    await backend.putChunks((await Promise.all(sources.map(async (source, i) => [...(await source.getChunks(chunksOf[i]))]))).flat().map(([hash, bytes]) => ({ hash, bytes })));
    for (const [i, source] of sources.entries()) await backend.putManifest(source.store.readManifest(hashes[i]));
    const shared = new Set(chunksOf[2]);
    const [doomedA, doomedB] = [chunksOf[0], chunksOf[1]].map((chunks) => chunks.filter((hash) => !shared.has(hash)));
    await Promise.all([child(OBJECTS_CHILD, ["delete", objects, ...doomedA]), child(OBJECTS_CHILD, ["delete", objects, ...doomedB])]);
    // A fresh look at the folder (this process's list of packs predates the deletes).
    const after = new FileObjectBackend(objects);
    expect(await after.missingChunks([...doomedA, ...doomedB])).toEqual([...doomedA, ...doomedB]);
    const back = await after.store.readDataset(hashes[2]);
    expect(back.column("x").values).toEqual(seededDataset(20_000, 22).column("x").values);
  });
});
