import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { FileObjectBackend } from "../../../src/core/objects/fileObjectBackend";
import { copyDataset } from "../../../src/core/objects/transfer";
import { tempDir } from "../../helpers/tempDir";
import { seededDataset } from "../core/fixtures/seededDataset";

const REPO = path.resolve(__dirname, "..", "..", "..");
const PULL_CHILD = path.join(__dirname, "fixtures", "pullInChild.ts");
/** 260 row chunks in 9 chunk lists: several of the 64-chunk batches a pull fetches. */
const ROWS = 300_000;

function packNames(objects: string, suffix: string): string[] {
  const dir = path.join(objects, "packs");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(suffix)) : [];
}

async function storedSource(): Promise<{ source: FileObjectBackend; hash: string; chunkCount: number }> {
  const source = new FileObjectBackend(tempDir());
  const { manifest } = await source.store.putDataset(seededDataset(ROWS, 5));
  return { source, hash: manifest.hash, chunkCount: manifest.chunkCount };
}

/** Starts a pull in another process that stops after `batches` fetches; resolves once it has stopped there. */
function pullUntilPaused(from: string, to: string, hash: string, batches: number): Promise<ReturnType<typeof spawn>> {
  const child = spawn(process.execPath, ["--import", "tsx", PULL_CHILD, from, to, hash, String(batches)], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" } });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout.on("data", (data: Buffer) => {
      out += data.toString();
      if (out.includes("paused")) resolve(child);
    });
    child.stderr.on("data", (data: Buffer) => (err += data.toString()));
    child.on("exit", (code) => reject(new Error(`The pull ended (${code}) before pausing: ${out} ${err}`)));
  });
}

describe("pulls into an object folder", () => {
  it("write one pack for a dataset (its chunk lists and its chunks), not one per 64-chunk batch", async () => {
    const { source, hash, chunkCount } = await storedSource();
    expect(chunkCount).toBeGreaterThan(4 * 64);
    const objects = tempDir();
    const local = new FileObjectBackend(objects);
    const sent = await copyDataset(hash, source, local);
    expect(sent.chunksSent).toBe(chunkCount + source.store.readManifest(hash).groups.length);
    expect(packNames(objects, ".pack")).toHaveLength(1);
    expect(packNames(objects, ".idx")).toHaveLength(1);
    expect((await local.store.readDataset(hash)).column("x").values).toEqual(seededDataset(ROWS, 5).column("x").values);
  });

  it("send only what is missing when the chunk lists are there already (read from the folder, not fetched)", async () => {
    const { source, hash } = await storedSource();
    const local = new FileObjectBackend(tempDir());
    await copyDataset(hash, source, local);
    const groups = new Set(source.store.readManifest(hash).groups);
    const dataChunks = (await local.listChunks()).map((entry) => entry.hash).filter((chunk) => !groups.has(chunk));
    await local.deleteManifest(hash);
    expect(await local.deleteChunks(dataChunks.slice(0, 70))).toBe(70);
    const again = await copyDataset(hash, source, local);
    expect(again.chunksSent).toBe(70);
    expect((await local.store.readDataset(hash)).column("x").values).toEqual(seededDataset(ROWS, 5).column("x").values);
  });

  it("killed half-way (SIGKILL) leave a readable folder without the dataset; pulling again completes it", async () => {
    const { source, hash, chunkCount } = await storedSource();
    const objects = tempDir();
    // One fetch of the chunk lists, two of 64 chunks: then killed while the chunks' pack is being written.
    const child = await pullUntilPaused(source.dir, objects, hash, 3);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(packNames(objects, ".tmp")).toHaveLength(1);
    const local = new FileObjectBackend(objects);
    expect(await local.getManifest(hash)).toBeUndefined();
    // A reader sees nothing of the unfinished pack, and the folder reads as it was (empty).
    expect(await local.listChunks()).toEqual([]);
    expect(await local.missingChunks(source.store.readManifest(hash).groups)).toEqual(source.store.readManifest(hash).groups);
    const again = await copyDataset(hash, source, local);
    expect(again.chunksSent).toBe(chunkCount + source.store.readManifest(hash).groups.length);
    expect(packNames(objects, ".idx")).toHaveLength(1);
    expect((await local.store.readDataset(hash)).column("x").values).toEqual(seededDataset(ROWS, 5).column("x").values);
  });
});
