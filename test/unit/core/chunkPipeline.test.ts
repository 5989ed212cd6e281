import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, type Column } from "../../../src/core/data/dataset";
import { sharedCopy } from "../../../src/core/builtins/datasets/shared/sharedColumn";
import { compressChunkSync, decompressStored, sha256 } from "../../../src/core/objects/chunkBytes";
import { decodeDataset, encodeDataset, type StoredChunk } from "../../../src/core/objects/chunkPipeline";
import { ChunkThreads } from "../../../src/core/objects/chunkPool";
import { BLOCK_ROWS } from "../../../src/core/objects/chunker";
import { ColumnBuilder, decodeHeader } from "../../../src/core/objects/datasetCodec";
import type { StoredBatch } from "../../../src/protocol/chunkWorker";
import { hashDataset, ObjectStore } from "../../../src/core/objects/objectStore";
import { chunkCopies, flipChunkByte, removeChunk } from "../../helpers/storedChunks";
import { tempDir } from "../../helpers/tempDir";
import { storageCases } from "../../helpers/storageDatasets";
import { seededDataset } from "./fixtures/seededDataset";

async function collect(dataset: Dataset, threads: number): Promise<StoredChunk[]> {
  const chunks: StoredChunk[] = [];
  for await (const batch of encodeDataset(dataset, { threads })) chunks.push(...batch);
  return chunks;
}

/** The same dataset with its numeric columns in shared memory (as loaded data is): the threads read them in place. */
function shared(dataset: Dataset): Dataset {
  const columns: Column[] = dataset.columns.map((c) => (c.kind === "number" ? { ...c, values: sharedCopy(c.values, c.values.length) } : c));
  return new Dataset(columns, dataset.target);
}

/** Stored bytes one after the other, as a ChunkReader gives them (undefined: not stored). */
function storedBatch(found: (Buffer | undefined)[]): StoredBatch {
  const stored = new Uint8Array(Buffer.concat(found.filter((bytes): bytes is Buffer => bytes !== undefined)));
  let at = 0;
  const starts = found.map((bytes) => (at += bytes?.length ?? 0) - (bytes?.length ?? 0));
  return { stored, starts, lengths: found.map((bytes) => bytes?.length ?? -1) };
}

describe("the chunk pipeline", () => {
  const cases = storageCases();

  it("runs real threads from source (chunkWorker.ts through tsx), so the cases below compare two code paths", async () => {
    const threads = ChunkThreads.start([], 2);
    expect(threads?.size).toBe(2);
    await threads?.close();
  });

  it("stores exactly the same chunks, in the same order, on two threads as on one (shared and copied columns)", async () => {
    // Several blocks of rows (hashed on the threads ahead of the boundary pass), text and NaN included.
    const severalBlocks = cases.mixed.take(Array.from({ length: 3 * cases.mixed.rowCount }, (_, i) => (i * 7919) % cases.mixed.rowCount));
    expect(severalBlocks.rowCount).toBeGreaterThan(2 * BLOCK_ROWS);
    for (const [name, dataset] of Object.entries({ ...cases, severalBlocks })) {
      const one = await collect(dataset, 0);
      expect(one.length, name).toBeGreaterThan(0);
      for (const [label, threaded] of [["copied", await collect(dataset, 2)], ["shared", await collect(shared(dataset), 3)]] as const) {
        expect(threaded.map((c) => c.hash), `${name} ${label}`).toEqual(one.map((c) => c.hash));
        threaded.forEach((chunk, i) => expect(chunk.plain.equals(one[i].plain), `${name} ${label} chunk ${i}`).toBe(true));
      }
      const whole = createHash("sha256");
      for (const chunk of one) {
        whole.update(chunk.plain);
        expect(sha256(chunk.plain)).toBe(chunk.hash);
        expect(decompressStored(chunk.compressed)?.equals(chunk.plain)).toBe(true);
      }
      expect(whole.digest("hex"), name).toBe(hashDataset(dataset));
    }
  });

  it("reads chunks back on threads and on one: every value exact, a flipped byte or a missing chunk reported", async () => {
    const dataset = cases.mixed;
    const chunks = await collect(shared(dataset), 2);
    const [headerChunk, ...rows] = chunks;
    const header = decodeHeader(headerChunk.plain, "d");
    const stored = new Map(rows.map((chunk) => [chunk.hash, chunk.compressed]));
    const read = async (threads: number, find = (hash: string) => stored.get(hash)) => {
      const into = new ColumnBuilder(header, dataset.rowCount, 1 << 30);
      const out = [];
      for await (const chunk of decodeDataset(rows.map((c) => c.hash), 1 << 30, (hashes) => storedBatch(hashes.map(find)), into, { threads })) out.push(chunk);
      return { out, back: into.finish() };
    };
    for (const threads of [2, 0]) {
      const { out, back } = await read(threads);
      expect(out).toHaveLength(rows.length);
      out.forEach((chunk, i) => {
        if ("problem" in chunk) throw new Error(`chunk ${i}: ${chunk.problem}`);
        expect(chunk.plain.equals(rows[i].plain)).toBe(true);
      });
      expect(back.rowCount).toBe(dataset.rowCount);
      dataset.columns.forEach((column, c) => {
        expect(back.columns[c].kind).toBe(column.kind);
        expect(Array.from(back.columns[c].values as ArrayLike<unknown>), `${threads} threads: ${column.name}`).toEqual(Array.from(column.values as ArrayLike<unknown>));
      });
      const flipped = Buffer.from(rows[3].compressed);
      flipped[flipped.length >> 1] ^= 0x40;
      const problems = (await read(threads, (hash) => (hash === rows[3].hash ? flipped : hash === rows[5].hash ? undefined : stored.get(hash)))).out.map((c) => ("problem" in c ? c.problem : "ok"));
      expect(problems[3]).toBe("corrupted");
      expect(problems[5]).toBe("missing");
      expect(problems.filter((p) => p !== "ok")).toHaveLength(2);
    }
  });

  it("gives the same manifest through the store on threads as on one thread, and reads it back exactly on threads", async () => {
    for (const name of ["mixed", "textHeavy", "wide", "oneRow"] as const) {
      const dataset = shared(cases[name]);
      const one = await new ObjectStore(tempDir()).putDataset(dataset, { threads: 0 });
      const store = new ObjectStore(tempDir());
      const threaded = await store.putDataset(dataset, { threads: 2 });
      expect(threaded.manifest, name).toEqual(one.manifest);
      expect(threaded.writtenBytes, name).toBe(one.writtenBytes);
      const back = await store.readDataset(threaded.manifest.hash, { threads: 2 });
      for (const column of dataset.columns) expect(Array.from(back.column(column.name).values as ArrayLike<unknown>), `${name} ${column.name}`).toEqual(Array.from(column.values as ArrayLike<unknown>));
      expect(hashDataset(back)).toBe(threaded.manifest.hash);
    }
  });

  it("reading on threads, a damaged newest copy mid-way is read from an older good copy, and every later row still lands in place", async () => {
    const dataset = shared(cases.mixed);
    const store = new ObjectStore(tempDir());
    const { manifest } = await store.putDataset(dataset, { threads: 2 });
    const chunks = store.chunkHashes(manifest);
    expect(chunks.length).toBeGreaterThan(3 * 16);
    // A second, newer copy of chunk 20 (in a second pack), then damaged: the newest copy is read first.
    const victim = chunks[20];
    const writer = store.chunks.begin();
    await writer.add(victim, compressChunkSync(store.chunks.read(victim) as Buffer));
    await writer.commit();
    const [newest] = chunkCopies(store.dir, victim);
    const fd = fs.openSync(newest.pack, "r+");
    fs.writeSync(fd, Buffer.from([0x5a]), 0, 1, newest.offset + 36 + (newest.length >> 1));
    fs.closeSync(fd);
    expect(store.chunks.readStored(victim)?.equals(compressChunkSync(store.chunks.read(victim) as Buffer))).toBe(false);
    const back = await store.readDataset(manifest.hash, { threads: 2 });
    expect(back.rowCount).toBe(dataset.rowCount);
    for (const column of dataset.columns) expect(Array.from(back.column(column.name).values as ArrayLike<unknown>), column.name).toEqual(Array.from(column.values as ArrayLike<unknown>));
  });

  it("reading on threads reports a corrupted stored chunk and a missing one, naming them, as the one-thread reader does", async () => {
    const store = new ObjectStore(tempDir());
    const { manifest } = await store.putDataset(shared(cases.mixed), { threads: 2 });
    const victim = store.chunkHashes(manifest)[7];
    const pack = flipChunkByte(store.dir, victim, 0.25);
    await expect(store.readDataset(manifest.hash, { threads: 2 })).rejects.toThrow(new RegExp(`chunk ${victim} of dataset ${manifest.hash} is corrupted.*\\(${pack}\\)`));
    removeChunk(store.dir, victim);
    await expect(store.readDataset(manifest.hash, { threads: 2 })).rejects.toThrow(/chunk of the stored dataset .* is missing/);
  });

  it("a process killed while it stores on chunk threads leaves nothing visible, and the same data stores and reads after", async () => {
    const objects = tempDir();
    const rows = 3_000_000;
    const packs = path.join(objects, "packs");
    // Storing 3,000,000 rows (~70 MiB plain, on threads by default) takes seconds; killed as soon as its pack is being written.
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "fixtures", "storeInChild.ts"), objects, String(rows), "4"], { cwd: path.resolve(__dirname, "../../.."), stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } });
    let printed = "";
    child.stdout.on("data", (data: Buffer) => (printed += data.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    while (!(fs.existsSync(packs) && fs.readdirSync(packs).some((name) => name.includes(".pack.")))) {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    expect(printed).toBe("");
    const store = new ObjectStore(objects);
    expect(store.listDatasets()).toEqual([]);
    expect(store.chunks.list()).toEqual([]);
    const dataset = seededDataset(rows, 4);
    const { manifest } = await store.putDataset(dataset);
    const back = await store.readDataset(manifest.hash);
    expect(hashDataset(back)).toBe(manifest.hash);
    expect(Array.from(back.column("x").values as Float64Array).slice(-5)).toEqual(Array.from(dataset.column("x").values as Float64Array).slice(-5));
  });
});
