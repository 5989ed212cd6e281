import * as fs from "node:fs";
import * as path from "node:path";
import { decodeIndex, ENTRY_HEADER, entryBytes, scanPack, type PackEntry } from "./packFormat";

/** Where a copy of a chunk is: an entry of a pack. */
export interface PackLocation extends PackEntry {
  pack: string;
}

/** Runs of chunks [from, to) whose newest copies sit one after the other in one pack, and their bytes (headers included). */
export function adjacentRuns(locations: readonly (PackLocation | undefined)[]): { from: number; to: number; bytes: number }[] {
  const runs: { from: number; to: number; bytes: number }[] = [];
  for (let i = 0; i < locations.length; i++) {
    const location = locations[i];
    if (!location) continue;
    const last = runs[runs.length - 1];
    const before = locations[i - 1];
    if (last && last.to === i && before && before.pack === location.pack && before.offset + ENTRY_HEADER + before.length === location.offset) {
      last.to = i + 1;
      last.bytes += ENTRY_HEADER + location.length;
    } else runs.push({ from: i, to: i + 1, bytes: ENTRY_HEADER + location.length });
  }
  return runs;
}

export interface LoadedPack {
  stem: string;
  file: string;
  mtimeMs: number;
  entries: readonly PackEntry[];
}

/**
 * The packs of one folder as seen through their indexes: which pack holds which chunk. Loaded
 * lazily and re-scanned when asked (a hash not found, a pack gone): packs written by other
 * processes after this one started are found then, and packs a repack removed are forgotten.
 * Copies of one chunk in several packs are listed newest pack first.
 */
export class PackSet {
  private readonly packs = new Map<string, LoadedPack>();
  private readonly byHash = new Map<string, PackLocation[]>();
  private loaded = false;

  constructor(readonly dir: string) {}

  /** The copies of a chunk, newest first (none: not in any pack known since the last scan). */
  locate(hash: string): readonly PackLocation[] {
    if (!this.loaded) this.refresh();
    return this.byHash.get(hash) ?? [];
  }

  /** Reads the folder again: loads new indexes, forgets packs whose index is gone. Returns whether anything changed. */
  refresh(): boolean {
    this.loaded = true;
    const stems = listIndexStems(this.dir);
    let changed = false;
    for (const stem of [...this.packs.keys()]) {
      if (stems.has(stem)) continue;
      this.forget(stem);
      changed = true;
    }
    const fresh = [...stems].filter((stem) => !this.packs.has(stem)).map((stem) => ({ stem, mtimeMs: mtimeOf(path.join(this.dir, `${stem}.idx`)) }));
    // Oldest first, each put before the copies already listed: the newest pack's copy comes first.
    for (const { stem } of fresh.sort((a, b) => a.mtimeMs - b.mtimeMs)) changed = this.load(stem) || changed;
    return changed;
  }

  /** Registers a pack this process has just written (no need to read its index back). */
  register(stem: string, entries: readonly PackEntry[]): void {
    if (this.loaded) this.addPack(stem, entries);
  }

  /** Every loaded pack, with its file time and entries. */
  list(): readonly LoadedPack[] {
    if (!this.loaded) this.refresh();
    return [...this.packs.values()];
  }

  private load(stem: string): boolean {
    const entries = readEntries(this.dir, stem);
    if (!entries) return false;
    this.addPack(stem, entries);
    return true;
  }

  private addPack(stem: string, entries: readonly PackEntry[]): void {
    const file = path.join(this.dir, `${stem}.pack`);
    if (this.packs.has(stem)) return;
    this.packs.set(stem, { stem, file, mtimeMs: mtimeOf(file), entries });
    for (const entry of entries) {
      const copies = this.byHash.get(entry.hash);
      const location = { ...entry, pack: file };
      if (copies) copies.unshift(location);
      else this.byHash.set(entry.hash, [location]);
    }
  }

  private forget(stem: string): void {
    const pack = this.packs.get(stem);
    if (!pack) return;
    this.packs.delete(stem);
    for (const { hash } of pack.entries) {
      const copies = (this.byHash.get(hash) ?? []).filter((copy) => copy.pack !== pack.file);
      if (copies.length) this.byHash.set(hash, copies);
      else this.byHash.delete(hash);
    }
  }
}

/** A pack's entries from its index; from the pack itself when the index is damaged; undefined when the pack is gone. */
function readEntries(dir: string, stem: string): PackEntry[] | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path.join(dir, `${stem}.idx`));
  } catch {
    return undefined;
  }
  const entries = decodeIndex(bytes);
  if (entries) return entries;
  try {
    return scanPack(path.join(dir, `${stem}.pack`));
  } catch {
    return undefined;
  }
}

export function listIndexStems(dir: string): Set<string> {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return new Set();
  }
  return new Set(names.filter((name) => name.endsWith(".idx")).map((name) => name.slice(0, -".idx".length)));
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** What reading one entry gave: its compressed bytes, a damaged entry, or a pack that is gone (removed by a repack). */
export type EntryRead = Buffer | "corrupted" | "gone";

/**
 * Reads entries of packs with each pack opened once per reader (a dataset's thousands of entries
 * sit in a few packs). Close it when done. A pack removed while open is still read whole (POSIX):
 * only opening a removed pack reports "gone".
 */
export class PackReader {
  private readonly fds = new Map<string, number>();
  private readonly handles = new Map<string, Promise<fs.promises.FileHandle>>();

  readSync(location: PackLocation): EntryRead {
    const buffer = Buffer.allocUnsafe(ENTRY_HEADER + location.length);
    const read = this.readInto(location, buffer, 0, buffer.length);
    return read === "gone" ? read : (entryBytes(buffer.subarray(0, read), location) ?? "corrupted");
  }

  /**
   * Reads `length` bytes of the pack from the entry's start (its header included) into `into` at
   * `at`: adjacent entries, read in one go. Returns the bytes read (fewer at the pack's end).
   */
  readInto(location: PackLocation, into: Uint8Array, at: number, length: number): number | "gone" {
    let fd = this.fds.get(location.pack);
    if (fd === undefined) {
      try {
        fd = fs.openSync(location.pack, "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
        throw error;
      }
      this.fds.set(location.pack, fd);
    }
    return fs.readSync(fd, into, at, length, location.offset);
  }

  async read(location: PackLocation): Promise<EntryRead> {
    let handle = this.handles.get(location.pack);
    if (!handle) {
      handle = fs.promises.open(location.pack, "r");
      this.handles.set(location.pack, handle);
    }
    let opened: fs.promises.FileHandle;
    try {
      opened = await handle;
    } catch (error) {
      this.handles.delete(location.pack);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
      throw error;
    }
    const buffer = Buffer.allocUnsafe(ENTRY_HEADER + location.length);
    const { bytesRead } = await opened.read(buffer, 0, buffer.length, location.offset);
    return entryBytes(buffer.subarray(0, bytesRead), location) ?? "corrupted";
  }

  async close(): Promise<void> {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.then((opened) => opened.close()).catch(() => undefined)));
  }

  closeSync(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}
