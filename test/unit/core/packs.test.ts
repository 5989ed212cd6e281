import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { compressChunk, compressChunkSync, sha256 } from "../../../src/core/objects/chunkBytes";
import { ChunkFiles } from "../../../src/core/objects/chunkFiles";
import { ObjectStore } from "../../../src/core/objects/objectStore";
import { decodeIndex, encodeIndex, scanPack } from "../../../src/core/objects/packFormat";
import { PackWriter } from "../../../src/core/objects/packWriter";
import { repackWithout } from "../../../src/core/objects/repack";
import { flipChunkByte, packEntries, packFiles, removeChunk } from "../../helpers/storedChunks";
import { tempDir } from "../../helpers/tempDir";
import { seededDataset } from "./fixtures/seededDataset";

const run = promisify(execFile);
const CHILD = path.join(__dirname, "fixtures", "storeInChild.ts");
const REPO = path.resolve(__dirname, "..", "..", "..");

/** Chunks of random content (incompressible: each is about its size on disk). */
function randomChunks(count: number, size = 3000): { hash: string; plain: Buffer }[] {
  return Array.from({ length: count }, () => {
    const plain = randomBytes(size);
    return { hash: sha256(plain), plain };
  });
}

async function storeChunks(files: ChunkFiles, chunks: { hash: string; plain: Buffer }[], capBytes?: number): Promise<number> {
  const writer = files.begin(capBytes);
  for (const chunk of chunks) if (!(await writer.has(chunk.hash))) await writer.add(chunk.hash, await compressChunk(chunk.plain));
  return writer.commit();
}

function packDirNames(objects: string): string[] {
  return fs.readdirSync(path.join(objects, "packs")).sort();
}

describe("pack files", () => {
  it("stores a call's chunks in one pack and one index, reads each back checked, and lists them", async () => {
    const objects = tempDir();
    const files = new ChunkFiles(objects);
    const chunks = randomChunks(50);
    const written = await storeChunks(files, chunks);
    const names = packDirNames(objects);
    expect(names).toHaveLength(2);
    expect(names.map((n) => path.extname(n)).sort()).toEqual([".idx", ".pack"]);
    expect(written).toBe(names.reduce((sum, n) => sum + fs.statSync(path.join(objects, "packs", n)).size, 0));
    const fresh = new ChunkFiles(objects);
    for (const chunk of chunks) {
      expect(fresh.read(chunk.hash)).toEqual(chunk.plain);
      expect(await fresh.readAsync(chunk.hash)).toEqual(chunk.plain);
      expect(fresh.exists(chunk.hash)).toBe(true);
      expect(fresh.readStored(chunk.hash)).toEqual(compressChunkSync(chunk.plain));
    }
    expect(fresh.list().map((e) => e.hash).sort()).toEqual(chunks.map((c) => c.hash).sort());
    expect(fresh.read("0".repeat(64))).toBe("missing");
    // A store call that adds nothing writes no pack.
    expect(await storeChunks(fresh, chunks)).toBe(0);
    expect(packDirNames(objects)).toEqual(names);
  });

  it("entries describe themselves: the index rebuilt from the pack is the index written", async () => {
    const objects = tempDir();
    await storeChunks(new ChunkFiles(objects), randomChunks(20));
    const [pack] = packFiles(objects);
    const index = decodeIndex(fs.readFileSync(pack.replace(/\.pack$/, ".idx")));
    expect(index).toHaveLength(20);
    expect(encodeIndex(scanPack(pack) ?? [])).toEqual(encodeIndex(index ?? []));
  });

  it("starts a new pack past the size cap; every chunk reads", async () => {
    const objects = tempDir();
    const chunks = randomChunks(30, 4000);
    await storeChunks(new ChunkFiles(objects), chunks, 20_000);
    expect(packFiles(objects).length).toBeGreaterThanOrEqual(5);
    const files = new ChunkFiles(objects);
    for (const chunk of chunks) expect(files.read(chunk.hash)).toEqual(chunk.plain);
  });

  it("reads chunk files written by earlier versions, and a chunk stored in both places from the good copy", async () => {
    const objects = tempDir();
    const files = new ChunkFiles(objects);
    const [loose, both] = randomChunks(2);
    for (const chunk of [loose, both]) {
      fs.mkdirSync(path.dirname(files.pathOf(chunk.hash)), { recursive: true });
      fs.writeFileSync(files.pathOf(chunk.hash), compressChunkSync(chunk.plain));
    }
    expect(files.read(loose.hash)).toEqual(loose.plain);
    // The loose copy is damaged; storing the same chunk again puts a good one in a pack, which is read first.
    fs.appendFileSync(files.pathOf(both.hash), Buffer.from([0]));
    expect(files.read(both.hash)).toBe("corrupted");
    await storeChunks(files, [loose, both]);
    expect(packEntries(objects).map((e) => e.hash)).toEqual([both.hash]);
    expect(files.read(both.hash)).toEqual(both.plain);
    expect(await files.readAsync(both.hash)).toEqual(both.plain);
  });

  it("reports a corrupted entry naming its pack, and uses the good copy a later store writes", async () => {
    const objects = tempDir();
    const store = new ObjectStore(objects);
    const dataset = seededDataset(20_000, 4);
    const { manifest } = await store.putDataset(dataset);
    const victim = store.chunkHashes(manifest)[2];
    const pack = flipChunkByte(objects, victim);
    expect(store.chunks.read(victim)).toBe("corrupted");
    expect(() => store.getDataset(manifest.hash)).toThrow(new RegExp(`^The stored chunk ${victim} of dataset ${manifest.hash} is corrupted: .*\\(${pack}\\)\\.`));
    const again = await store.putDataset(dataset);
    expect(again.writtenBytes).toBeGreaterThan(0);
    expect(packFiles(objects)).toHaveLength(2);
    expect(store.getDataset(manifest.hash).rowCount).toBe(20_000);
    expect((await new ObjectStore(objects).readDataset(manifest.hash)).rowCount).toBe(20_000);
  });

  it("a truncated pack: whole entries still read, the cut one is reported corrupted, and an index rebuilt from it leaves the cut one out", async () => {
    const objects = tempDir();
    const chunks = randomChunks(10);
    await storeChunks(new ChunkFiles(objects), chunks);
    const [pack] = packFiles(objects);
    const entries = packEntries(objects).sort((a, b) => a.offset - b.offset);
    const last = entries[entries.length - 1];
    fs.truncateSync(pack, last.offset + 40);
    const files = new ChunkFiles(objects);
    const byHash = new Map(chunks.map((c) => [c.hash, c.plain]));
    for (const entry of entries.slice(0, -1)) expect(files.read(entry.hash)).toEqual(byHash.get(entry.hash));
    expect(files.read(last.hash)).toBe("corrupted");
    expect(await files.readAsync(last.hash)).toBe("corrupted");
    expect(files.where(last.hash)).toBe(pack);
    // A damaged index is rebuilt from the pack: the whole entries only.
    fs.writeFileSync(pack.replace(/\.pack$/, ".idx"), "damaged");
    const rebuilt = new ChunkFiles(objects);
    expect(rebuilt.read(last.hash)).toBe("missing");
    expect(rebuilt.read(entries[0].hash)).toEqual(byHash.get(entries[0].hash));
  });

  it("a pack without its index is invisible (its writer died before the index)", async () => {
    const objects = tempDir();
    const [chunk] = randomChunks(1);
    await storeChunks(new ChunkFiles(objects), [chunk]);
    fs.rmSync(packFiles(objects)[0].replace(/\.pack$/, ".idx"));
    const files = new ChunkFiles(objects);
    expect(files.exists(chunk.hash)).toBe(false);
    expect(files.read(chunk.hash)).toBe("missing");
    // Storing it again makes it readable (a new pack with an index).
    await storeChunks(files, [chunk]);
    expect(files.read(chunk.hash)).toEqual(chunk.plain);
  });

  it("an aborted writer leaves nothing behind and nothing visible", async () => {
    const objects = tempDir();
    const files = new ChunkFiles(objects);
    const writer = files.begin();
    // More than one write's worth (1 MiB), so that the temporary pack is on disk.
    const chunks = randomChunks(400);
    for (const chunk of chunks) await writer.add(chunk.hash, await compressChunk(chunk.plain));
    const chunk = chunks[0];
    expect(fs.readdirSync(path.join(objects, "packs")).some((n) => n.endsWith(".tmp"))).toBe(true);
    await writer.abort();
    expect(fs.readdirSync(path.join(objects, "packs"))).toEqual([]);
    expect(files.read(chunk.hash)).toBe("missing");
  });

  it("finds a pack another process wrote after this reader listed the packs", async () => {
    const objects = tempDir();
    const store = new ObjectStore(objects);
    const first = await store.putDataset(seededDataset(3000, 1));
    expect(store.getDataset(first.manifest.hash).rowCount).toBe(3000);
    const { stdout: hash } = await run(process.execPath, ["--import", "tsx", CHILD, objects, "5000", "2"], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" } });
    expect(store.getDataset(hash).rowCount).toBe(5000);
    expect(packFiles(objects)).toHaveLength(2);
  });

  it("several processes storing at once each write their own pack; nothing is lost or half-written", async () => {
    const objects = tempDir();
    const seeds = [11, 12, 13, 11, 14, 12];
    const children = seeds.map((seed) => run(process.execPath, ["--import", "tsx", CHILD, objects, "20000", String(seed)], { cwd: REPO, env: { ...process.env, NODE_OPTIONS: "" } }));
    const hashes = (await Promise.all(children)).map((child) => child.stdout);
    expect(new Set(hashes).size).toBe(4);
    const store = new ObjectStore(objects);
    for (const [i, hash] of hashes.entries()) {
      const back = await store.readDataset(hash);
      expect(back.column("x").values).toEqual(seededDataset(20_000, seeds[i]).column("x").values);
    }
    expect(fs.readdirSync(path.join(objects, "packs")).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    const packs = packFiles(objects);
    expect(packs.length).toBeGreaterThanOrEqual(4);
    expect(packs.length).toBeLessThanOrEqual(6);
  });

  it("repack: unused entries go, kept ones move to a new pack, a reader that listed the old pack retries", async () => {
    const objects = tempDir();
    const writerSide = new ChunkFiles(objects);
    const kept = randomChunks(10);
    const dropped = randomChunks(10);
    await storeChunks(writerSide, [...kept, ...dropped]);
    const reader = new ChunkFiles(objects);
    expect(reader.read(kept[0].hash)).toEqual(kept[0].plain);
    const [oldPack] = packFiles(objects);
    const keep = new Set(kept.map((c) => c.hash));
    const result = await repackWithout(writerSide, (hash) => keep.has(hash));
    expect(result).toMatchObject({ removedEntries: 10, replacedPacks: 1 });
    expect(result.freedBytes).toBeGreaterThan(10 * 3000);
    expect(fs.existsSync(oldPack)).toBe(false);
    expect(packFiles(objects)).toHaveLength(1);
    // This reader still lists the old pack: it finds it gone, lists again and reads from the new one.
    for (const chunk of kept) expect(reader.read(chunk.hash)).toEqual(chunk.plain);
    for (const chunk of kept) expect(await new ChunkFiles(objects).readAsync(chunk.hash)).toEqual(chunk.plain);
    for (const chunk of dropped) expect(reader.read(chunk.hash)).toBe("missing");
    // Nothing to drop: nothing is rewritten; young packs can be left alone.
    expect(await repackWithout(writerSide, () => true)).toMatchObject({ removedEntries: 0, replacedPacks: 0 });
    expect(await repackWithout(writerSide, () => false, () => false)).toMatchObject({ removedEntries: 0, replacedPacks: 0 });
    // Dropping everything removes the pack and its index.
    expect(await repackWithout(writerSide, () => false)).toMatchObject({ removedEntries: 10, replacedPacks: 1 });
    expect(packDirNames(objects)).toEqual([]);
  });

  it("removeChunk (the tests' helper) makes one chunk missing and leaves the others", async () => {
    const objects = tempDir();
    const chunks = randomChunks(3);
    await storeChunks(new ChunkFiles(objects), chunks);
    removeChunk(objects, chunks[1].hash);
    const files = new ChunkFiles(objects);
    expect(files.read(chunks[1].hash)).toBe("missing");
    expect(files.read(chunks[0].hash)).toEqual(chunks[0].plain);
    expect(files.read(chunks[2].hash)).toEqual(chunks[2].plain);
  });

  it("a chunk a gc removed while the store ran is written again before the manifest (confirmStored)", async () => {
    const objects = tempDir();
    const dataset = seededDataset(20_000, 9);
    const { manifest } = await new ObjectStore(objects).putDataset(dataset);
    const victims = new ObjectStore(objects).chunkHashes(manifest).filter((_, i) => i === 0 || i === 3);
    /** A gc holding the collection lock when the store asks for it has just repacked the victims away. */
    class RacedStore extends ObjectStore {
      override lockAgainstCollection() {
        for (const victim of victims) removeChunk(objects, victim);
        return super.lockAgainstCollection();
      }
    }
    const again = await new RacedStore(objects).putDataset(dataset);
    expect(again.manifest.hash).toBe(manifest.hash);
    expect(again.writtenBytes).toBeGreaterThan(0);
    const store = new ObjectStore(objects);
    for (const victim of victims) expect(store.chunks.exists(victim)).toBe(true);
    expect(store.getDataset(manifest.hash).column("x").values).toEqual(dataset.column("x").values);
  });

  it("repack merges many small packs into one when there are more than 32", async () => {
    const objects = tempDir();
    const files = new ChunkFiles(objects);
    const chunks = randomChunks(40, 500);
    for (const chunk of chunks) await storeChunks(files, [chunk]);
    expect(packFiles(objects)).toHaveLength(40);
    expect(await repackWithout(files, () => true)).toMatchObject({ removedEntries: 0, replacedPacks: 40 });
    expect(packFiles(objects)).toHaveLength(1);
    const fresh = new ChunkFiles(objects);
    for (const chunk of chunks) expect(fresh.read(chunk.hash)).toEqual(chunk.plain);
  });

  it("a pack whose index could not be written is removed by abort (its space given back)", async () => {
    const objects = tempDir();
    const writer = new PackWriter(path.join(objects, "packs"));
    const [chunk] = randomChunks(1);
    await writer.add(chunk.hash, await compressChunk(chunk.plain));
    // The index's name taken by a folder: writing it fails after the pack was renamed in.
    fs.mkdirSync(writer.indexFile, { recursive: true });
    await expect(writer.commit()).rejects.toThrow();
    expect(fs.existsSync(writer.packFile)).toBe(true);
    await writer.abort();
    expect(fs.readdirSync(path.join(objects, "packs"))).toEqual([path.basename(writer.indexFile)]);
  });

  it("has(hash, compressed): an equal stored copy is good, a damaged one is not, one compressed otherwise is checked by content", async () => {
    const objects = tempDir();
    const files = new ChunkFiles(objects);
    const [same, other] = randomChunks(2);
    const writer = files.begin();
    await writer.add(same.hash, compressChunkSync(same.plain));
    // Stored by another compressor setting: different bytes, same content.
    await writer.add(other.hash, zlib.brotliCompressSync(other.plain, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }));
    await writer.commit();
    expect(zlib.brotliCompressSync(other.plain, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } })).not.toEqual(compressChunkSync(other.plain));
    const check = files.begin();
    expect(await check.has(same.hash, compressChunkSync(same.plain))).toBe(true);
    expect(await check.has(other.hash, compressChunkSync(other.plain))).toBe(true);
    await check.abort();
    flipChunkByte(objects, same.hash);
    const after = new ChunkFiles(objects).begin();
    expect(await after.has(same.hash, compressChunkSync(same.plain))).toBe(false);
    expect(await after.has(same.hash)).toBe(false);
    await after.abort();
  });
});
