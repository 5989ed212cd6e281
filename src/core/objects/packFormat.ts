import { createHash } from "node:crypto";
import * as fs from "node:fs";

/**
 * The bytes of pack files and their indexes (git-packfile-like). A pack holds many compressed
 * chunks one after the other, each self-describing, so an index can always be rebuilt from its pack:
 *
 *   pack  = "MLXPACK1" entry*            entry = hash (32 bytes) · length (u32 BE) · compressed bytes
 *   index = "MLXIDX01" count (u32 BE) (hash · offset (u48 BE) · length (u32 BE))* sorted by hash ·
 *           SHA-256 of everything before it
 *
 * An index entry's offset is where its entry (header included) starts in the pack.
 */
export const PACK_MAGIC = Buffer.from("MLXPACK1");
export const INDEX_MAGIC = Buffer.from("MLXIDX01");
export const ENTRY_HEADER = 36;
const HASH_BYTES = 32;
const INDEX_ENTRY = HASH_BYTES + 6 + 4;

export interface PackEntry {
  hash: string;
  /** Where the entry (its 36-byte header) starts in the pack. */
  offset: number;
  /** Length of the compressed bytes after the header. */
  length: number;
}

/** An entry's header written at `offset` of `out`. */
export function writeEntryHeader(out: Buffer, offset: number, hash: string, length: number): void {
  out.write(hash, offset, HASH_BYTES, "hex");
  out.writeUInt32BE(length, offset + HASH_BYTES);
}

/**
 * The compressed bytes of an entry read from its pack (header + bytes), or undefined when the header
 * does not name this hash and length: a flipped header byte or a truncated pack.
 */
export function entryBytes(read: Buffer, entry: PackEntry): Buffer | undefined {
  if (read.length !== ENTRY_HEADER + entry.length) return undefined;
  if (read.toString("hex", 0, HASH_BYTES) !== entry.hash || read.readUInt32BE(HASH_BYTES) !== entry.length) return undefined;
  return read.subarray(ENTRY_HEADER);
}

export function encodeIndex(entries: readonly PackEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  const body = Buffer.alloc(INDEX_MAGIC.length + 4 + sorted.length * INDEX_ENTRY);
  INDEX_MAGIC.copy(body, 0);
  body.writeUInt32BE(sorted.length, INDEX_MAGIC.length);
  let at = INDEX_MAGIC.length + 4;
  for (const entry of sorted) {
    body.write(entry.hash, at, HASH_BYTES, "hex");
    body.writeUIntBE(entry.offset, at + HASH_BYTES, 6);
    body.writeUInt32BE(entry.length, at + HASH_BYTES + 6);
    at += INDEX_ENTRY;
  }
  return Buffer.concat([body, createHash("sha256").update(body).digest()]);
}

/** An index's entries, or undefined when it is damaged (wrong magic, size or checksum). */
export function decodeIndex(bytes: Buffer): PackEntry[] | undefined {
  const head = INDEX_MAGIC.length + 4;
  if (bytes.length < head + HASH_BYTES || !bytes.subarray(0, INDEX_MAGIC.length).equals(INDEX_MAGIC)) return undefined;
  const count = bytes.readUInt32BE(INDEX_MAGIC.length);
  if (bytes.length !== head + count * INDEX_ENTRY + HASH_BYTES) return undefined;
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  if (!createHash("sha256").update(body).digest().equals(bytes.subarray(body.length))) return undefined;
  const entries: PackEntry[] = [];
  for (let at = head; at < body.length; at += INDEX_ENTRY) {
    entries.push({ hash: bytes.toString("hex", at, at + HASH_BYTES), offset: bytes.readUIntBE(at + HASH_BYTES, 6), length: bytes.readUInt32BE(at + HASH_BYTES + 6) });
  }
  return entries;
}

/**
 * The entries of a pack, read from the pack itself (its index damaged): every whole entry from the
 * start; a truncated last entry is left out. Undefined when the file is not a pack.
 */
export function scanPack(file: string): PackEntry[] | undefined {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const magic = Buffer.alloc(PACK_MAGIC.length);
    if (fs.readSync(fd, magic, 0, magic.length, 0) !== magic.length || !magic.equals(PACK_MAGIC)) return undefined;
    const entries: PackEntry[] = [];
    const header = Buffer.alloc(ENTRY_HEADER);
    for (let offset = PACK_MAGIC.length; offset + ENTRY_HEADER <= size; ) {
      fs.readSync(fd, header, 0, ENTRY_HEADER, offset);
      const length = header.readUInt32BE(HASH_BYTES);
      if (offset + ENTRY_HEADER + length > size) break;
      entries.push({ hash: header.toString("hex", 0, HASH_BYTES), offset, length });
      offset += ENTRY_HEADER + length;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}
