import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeIndex, ENTRY_HEADER, encodeIndex, PACK_MAGIC, type PackEntry } from "../../src/core/objects/packFormat";
import { PackSet, type PackLocation } from "../../src/core/objects/packSet";

/**
 * Tampering with stored chunks the way a disk or a person might, for tests: an object folder's
 * chunks live in packs (`<objects>/packs/*.pack` + `.idx`), or, written by earlier versions, in
 * files of their own (`<objects>/chunks/<2 hex>/<rest>`).
 */

/** Every copy of a chunk in the packs of an object folder, newest first. */
export function chunkCopies(objectsDir: string, hash: string): readonly PackLocation[] {
  return new PackSet(path.join(objectsDir, "packs")).locate(hash);
}

/** Every entry of every pack of an object folder. */
export function packEntries(objectsDir: string): PackLocation[] {
  return new PackSet(path.join(objectsDir, "packs")).list().flatMap((pack) => pack.entries.map((entry) => ({ ...entry, pack: pack.file })));
}

/** The pack files of an object folder. */
export function packFiles(objectsDir: string): string[] {
  const dir = path.join(objectsDir, "packs");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".pack")).map((name) => path.join(dir, name)) : [];
}

/** Flips one byte of the chunk's compressed bytes in every pack holding it (`at`: 0..1 of the way in, default the middle). */
export function flipChunkByte(objectsDir: string, hash: string, at = 0.5, mask = 0xff): string {
  const copies = chunkCopies(objectsDir, hash);
  if (!copies.length) throw new Error(`chunk ${hash} is in no pack`);
  for (const copy of copies) {
    const fd = fs.openSync(copy.pack, "r+");
    try {
      const position = copy.offset + ENTRY_HEADER + Math.min(copy.length - 1, Math.floor(copy.length * at));
      const byte = Buffer.alloc(1);
      fs.readSync(fd, byte, 0, 1, position);
      byte[0] ^= mask;
      fs.writeSync(fd, byte, 0, 1, position);
    } finally {
      fs.closeSync(fd);
    }
  }
  return copies[0].pack;
}

/**
 * Removes the chunk as a repack by hand would: each pack holding it is copied without its entry
 * to a new pack (and index), then the old index and pack are deleted. Its loose file goes too.
 */
export function removeChunk(objectsDir: string, hash: string): void {
  const dir = path.join(objectsDir, "packs");
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith(".idx")) : []) {
    const index = path.join(dir, name);
    const entries = decodeIndex(fs.readFileSync(index)) ?? [];
    if (!entries.some((entry) => entry.hash === hash)) continue;
    const pack = fs.readFileSync(index.replace(/\.idx$/, ".pack"));
    const parts: Buffer[] = [PACK_MAGIC];
    const kept: PackEntry[] = [];
    let offset = PACK_MAGIC.length;
    for (const entry of entries.filter((e) => e.hash !== hash)) {
      const bytes = pack.subarray(entry.offset, entry.offset + ENTRY_HEADER + entry.length);
      parts.push(bytes);
      kept.push({ ...entry, offset });
      offset += bytes.length;
    }
    const stem = `${randomBytes(8).toString("hex")}-${process.pid}`;
    fs.writeFileSync(path.join(dir, `${stem}.pack`), Buffer.concat(parts));
    fs.writeFileSync(path.join(dir, `${stem}.idx`), encodeIndex(kept));
    fs.rmSync(index);
    fs.rmSync(index.replace(/\.idx$/, ".pack"));
  }
  fs.rmSync(path.join(objectsDir, "chunks", hash.slice(0, 2), hash.slice(2)), { force: true });
}

/** Sets the time of every stored chunk (packs, indexes, loose files) as if written at `when`. */
export function ageChunks(objectsDir: string, when: Date): void {
  for (const dir of [path.join(objectsDir, "packs"), path.join(objectsDir, "chunks")]) {
    if (!fs.existsSync(dir)) continue;
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) fs.utimesSync(path.join(entry.parentPath, entry.name), when, when);
    }
  }
}
