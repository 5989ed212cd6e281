import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { compressChunk, compressChunkSync, sha256 } from "../../../src/core/objects/chunkBytes";
import { ChunkFiles } from "../../../src/core/objects/chunkFiles";
import type { StoredBatch } from "../../../src/protocol/chunkWorker";
import { chunkCopies, packFiles } from "../../helpers/storedChunks";
import { tempDir } from "../../helpers/tempDir";

/** Chunks of random content, stored in one pack (one after the other, as a dataset's are). */
async function stored(objects: string, count: number): Promise<{ hash: string; plain: Buffer }[]> {
  const chunks = Array.from({ length: count }, (_, i) => {
    const plain = randomBytes(500 + 37 * i);
    return { hash: sha256(plain), plain };
  });
  const writer = new ChunkFiles(objects).begin();
  for (const chunk of chunks) await writer.add(chunk.hash, await compressChunk(chunk.plain));
  await writer.commit();
  return chunks;
}

/** Each chunk's bytes of a batch (undefined: not stored). */
function entries(batch: StoredBatch): (Buffer | undefined)[] {
  const bytes = Buffer.from(batch.stored.buffer, batch.stored.byteOffset, batch.stored.byteLength);
  return batch.lengths.map((length, i) => (length < 0 ? undefined : bytes.subarray(batch.starts[i], batch.starts[i] + length)));
}

/** Overwrites a byte of the chunk's newest copy at `at` from its entry's start (0-35: its header). */
function damageEntry(objects: string, hash: string, at: number): void {
  const [newest] = chunkCopies(objects, hash);
  const fd = fs.openSync(newest.pack, "r+");
  fs.writeSync(fd, Buffer.from([0xee]), 0, 1, newest.offset + at);
  fs.closeSync(fd);
}

describe("reading a batch of stored chunks in one go (readStoredBatch)", () => {
  it("gives each chunk's stored bytes as readStored does, in one buffer of its own, whatever the order and repeats", async () => {
    const objects = tempDir();
    const chunks = await stored(objects, 40);
    const reader = new ChunkFiles(objects).reader();
    const unknown = "0".repeat(64);
    const hashes = [...chunks.slice(0, 20), chunks[5], chunks[39], ...chunks.slice(20, 30).reverse()].map((c) => c.hash);
    hashes.splice(7, 0, unknown);
    const batch = reader.readStoredBatch(hashes);
    // The buffer is its own (a chunk thread can take it), not a slice of Node's shared pool.
    expect(batch.stored.byteOffset).toBe(0);
    expect(batch.stored.buffer.byteLength).toBe(batch.stored.byteLength);
    expect(entries(batch)).toEqual(hashes.map((hash) => (hash === unknown ? undefined : reader.readStored(hash))));
    expect(entries(batch)[0]).toEqual(compressChunkSync(chunks[0].plain));
    reader.closeSync();
  });

  it("a damaged entry header or a cut pack leaves that chunk out (its neighbours read), and an older good copy is used", async () => {
    const objects = tempDir();
    const chunks = await stored(objects, 12);
    const hashes = chunks.map((c) => c.hash);
    const files = new ChunkFiles(objects);
    damageEntry(objects, hashes[4], 3);
    let batch = entries(files.reader().readStoredBatch(hashes));
    expect(batch[4]).toBeUndefined();
    batch.forEach((bytes, i) => i !== 4 && expect(bytes, `chunk ${i}`).toEqual(compressChunkSync(chunks[i].plain)));
    // A good copy in a newer pack is read first; where the newer copy's header is damaged (chunk 7), the older good copy is.
    const writer = new ChunkFiles(objects).begin();
    await writer.add(hashes[4], compressChunkSync(chunks[4].plain));
    await writer.add(hashes[7], compressChunkSync(chunks[7].plain));
    await writer.commit();
    expect(packFiles(objects)).toHaveLength(2);
    damageEntry(objects, hashes[7], 33);
    batch = entries(new ChunkFiles(objects).reader().readStoredBatch(hashes));
    batch.forEach((bytes, i) => expect(bytes, `chunk ${i}`).toEqual(compressChunkSync(chunks[i].plain)));
    // The first pack cut inside its last entry.
    const [last] = chunkCopies(objects, hashes[11]);
    fs.truncateSync(last.pack, last.offset + 40);
    batch = entries(new ChunkFiles(objects).reader().readStoredBatch(hashes));
    expect(batch[11]).toBeUndefined();
    expect(batch[10]).toEqual(compressChunkSync(chunks[10].plain));
  });
});
