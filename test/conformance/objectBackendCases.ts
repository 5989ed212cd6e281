import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { sha256 } from "../../src/core/objects/chunkBytes";
import type { ObjectBackend, StoredChunk } from "../../src/core/objects/objectBackend";
import type { DatasetManifest } from "../../src/core/objects/objectStore";

export interface ObjectBackendFixture {
  open(): Promise<ObjectBackend>;
  cleanup?(): Promise<void>;
}

const compress = promisify(zlib.brotliCompress);

/** A chunk in stored form: brotli bytes named by the SHA-256 of the content. */
export async function storedChunk(text: string): Promise<StoredChunk> {
  const content = Buffer.from(text);
  return { hash: sha256(content), bytes: await compress(content) };
}

/** The same cases for every object backend: the contract in src/core/objects/objectBackend.ts. */
export function describeObjectBackendConformance(name: string, makeFixture: () => Promise<ObjectBackendFixture>): void {
  describe(`ObjectBackend conformance: ${name}`, () => {
    let fixture: ObjectBackendFixture | undefined;
    const opened: ObjectBackend[] = [];
    const open = async () => {
      fixture ??= await makeFixture();
      const backend = await fixture.open();
      opened.push(backend);
      return backend;
    };
    afterEach(async () => {
      for (const backend of opened.splice(0)) await backend.close();
      await fixture?.cleanup?.();
      fixture = undefined;
    });

    it("stores chunks once, says which of many are missing, and gives them back byte for byte", async () => {
      const backend = await open();
      const a = await storedChunk("alpha ".repeat(100));
      const b = await storedChunk("beta");
      const absent = await storedChunk("never stored");
      expect(await backend.putChunks([a, b])).toBe(2);
      expect(await backend.putChunks([a, b])).toBe(0);
      expect(await backend.missingChunks([a.hash, absent.hash, b.hash])).toEqual([absent.hash]);
      const got = await (await open()).getChunks([a.hash, absent.hash, b.hash]);
      expect([...got.keys()].sort()).toEqual([a.hash, b.hash].sort());
      expect(got.get(a.hash)?.equals(a.bytes)).toBe(true);
      expect(got.get(b.hash)?.equals(b.bytes)).toBe(true);
    });

    it("answers for thousands of hashes at once", async () => {
      const backend = await open();
      const chunks = await Promise.all(Array.from({ length: 50 }, (_, i) => storedChunk(`chunk ${i}`)));
      await backend.putChunks(chunks);
      const unknown = Array.from({ length: 3000 }, (_, i) => sha256(Buffer.from(`unknown ${i}`)));
      const missing = await backend.missingChunks([...chunks.map((c) => c.hash), ...unknown]);
      expect(missing).toHaveLength(3000);
      expect(new Set(missing)).toEqual(new Set(unknown));
    });

    it("refuses a chunk whose bytes do not match its hash and stores nothing", async () => {
      const backend = await open();
      const good = await storedChunk("good");
      const other = await storedChunk("other");
      await expect(backend.putChunks([{ hash: good.hash, bytes: other.bytes }])).rejects.toMatchObject({ code: "object_corrupted" });
      expect(await backend.missingChunks([good.hash])).toEqual([good.hash]);
    });

    it("refuses a hash that is not a SHA-256 before it reaches a path or a query", async () => {
      const backend = await open();
      await expect(backend.getChunks(["../../etc/passwd"])).rejects.toMatchObject({ code: "invalid_argument" });
      await expect(backend.getManifest("abc")).rejects.toMatchObject({ code: "invalid_argument" });
    });

    it("keeps dataset manifests, lists and deletes chunks and manifests for gc", async () => {
      const backend = await open();
      const chunk = await storedChunk("rows");
      await backend.putChunks([chunk]);
      const manifest: DatasetManifest = { hash: sha256(Buffer.from("whole")), rows: 3, bytes: 4, chunkCount: 1, groups: [chunk.hash] };
      expect(await backend.getManifest(manifest.hash)).toBeUndefined();
      expect(await backend.putManifest(manifest)).toBe(true);
      expect(await backend.putManifest(manifest)).toBe(false);
      expect(await (await open()).getManifest(manifest.hash)).toEqual(manifest);
      const manifests = await backend.listManifests();
      expect(manifests.map((m) => m.hash)).toEqual([manifest.hash]);
      expect(manifests[0].storedAt).toBeGreaterThan(Date.now() - 60_000);
      expect((await backend.listChunks()).map((c) => c.hash)).toEqual([chunk.hash]);
      expect(await backend.deleteManifest(manifest.hash)).toBe(true);
      expect(await backend.deleteChunks([chunk.hash])).toBe(1);
      expect(await backend.listChunks()).toEqual([]);
      expect(await backend.listManifests()).toEqual([]);
    });
  });
}
