import * as fs from "node:fs";
import * as path from "node:path";
import { ChunkReader } from "./chunkReader";
import { PackSet } from "./packSet";
import { PackWriter, TEMP_SUFFIX } from "./packWriter";

export { TEMP_SUFFIX, type ChunkReader };

export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** A new pack is started once the one being written passes this size. */
export const PACK_CAP_BYTES = 256 * 1024 * 1024;

export type ChunkRead = Buffer | "missing" | "corrupted";

/**
 * The stored chunks of an object folder: compressed, named by the SHA-256 of their content.
 * New chunks go into pack files (`<objects>/packs/`, see packFormat.ts), one per store call;
 * chunk files of earlier versions (`<objects>/chunks/<2 hex>/<rest>`, one per chunk) still read.
 * Lookup: packs (newest first), then the loose file, then the pack folder read again (a pack
 * written by another process since). Every read is checked against the hash.
 */
export class ChunkFiles {
  readonly looseDir: string;
  readonly packDir: string;
  readonly packs: PackSet;

  constructor(readonly objectsDir: string) {
    this.looseDir = path.join(objectsDir, "chunks");
    this.packDir = path.join(objectsDir, "packs");
    this.packs = new PackSet(this.packDir);
  }

  /** Where an earlier version kept the chunk as a file of its own. */
  pathOf(hash: string): string {
    return path.join(this.looseDir, hash.slice(0, 2), hash.slice(2));
  }

  /** The file to name when a chunk cannot be read: its (newest) pack, else its loose file. */
  where(hash: string): string {
    return this.packs.locate(hash)[0]?.pack ?? this.pathOf(hash);
  }

  /** A writer for one store call: its new chunks go into one pack (a new one past PACK_CAP_BYTES). */
  begin(capBytes = PACK_CAP_BYTES): ChunkWriter {
    return new ChunkWriter(this, capBytes);
  }

  /** A reader keeping packs open across many reads: close it when done. */
  reader(): ChunkReader {
    return new ChunkReader(this);
  }

  /** Whether the chunk is in a pack's index or a non-empty loose file (cheap: no read). */
  exists(hash: string): boolean {
    if (this.packs.locate(hash).length || isNonEmptyFile(this.pathOf(hash))) return true;
    return this.packs.refresh() && this.packs.locate(hash).length > 0;
  }

  /** The chunk's content, checked, or "missing" / "corrupted". */
  read(hash: string): ChunkRead {
    const reader = this.reader();
    try {
      return reader.read(hash);
    } finally {
      reader.closeSync();
    }
  }

  /** `read` with the file read and decompressed on libuv's thread pool. */
  async readAsync(hash: string): Promise<ChunkRead> {
    const reader = this.reader();
    try {
      return await reader.readAsync(hash);
    } finally {
      await reader.close();
    }
  }

  /** The chunk as stored (compressed), unchecked; undefined when absent. */
  readStored(hash: string): Buffer | undefined {
    const reader = this.reader();
    try {
      return reader.readStored(hash);
    } finally {
      reader.closeSync();
    }
  }

  /** Every stored chunk (once, whatever number of copies) with when it was stored: its pack's or file's time. */
  list(): { hash: string; storedAt: number }[] {
    this.packs.refresh();
    const found = new Map<string, number>();
    for (const pack of this.packs.list()) for (const { hash } of pack.entries) found.set(hash, Math.max(found.get(hash) ?? 0, pack.mtimeMs));
    for (const file of listFiles(this.looseDir)) {
      const hash = path.basename(path.dirname(file)) + path.basename(file);
      if (HASH_PATTERN.test(hash) && !found.has(hash)) found.set(hash, fileTime(file));
    }
    return [...found].map(([hash, storedAt]) => ({ hash, storedAt }));
  }
}

/**
 * Stores the new chunks of one store call into a pack of its own (see PackWriter): `has` says
 * whether a good copy is already stored, `add` appends a compressed chunk, `commit` makes them
 * visible, `abort` removes what was not committed. Several processes may store at once: each
 * writes its own pack; a chunk two of them store at once is kept twice, harmlessly.
 */
export class ChunkWriter {
  private current: PackWriter;
  private readonly added = new Set<string>();
  private readonly rotated: Promise<number>[] = [];
  private failure: unknown;
  private readonly reader: ChunkReader;
  private readonly listing: ChunkListing;

  constructor(
    private readonly files: ChunkFiles,
    private readonly capBytes: number,
  ) {
    files.packs.refresh();
    this.current = new PackWriter(files.packDir);
    this.reader = files.reader();
    this.listing = new ChunkListing(files);
  }

  /**
   * Whether a good copy of the chunk is stored (read and checked) or already added here; a damaged
   * copy does not count. Pass the chunk's `compressed` bytes when you have them (they must be its
   * brotli stream, as for `add`): an equal stored copy is then known good without decompressing it.
   */
  async has(hash: string, compressed?: Buffer): Promise<boolean> {
    return this.added.has(hash) || (await this.reader.holdsGood(hash, this.listing, compressed));
  }

  /**
   * False when `has` would surely be false, found without reading: the chunk is neither added here
   * nor in any pack's index, and there are no chunk files of earlier versions. New data then goes
   * straight to `add`, sparing each chunk the asynchronous look-up.
   */
  mayHave(hash: string): boolean {
    return this.added.has(hash) || this.files.packs.locate(hash).length > 0 || this.listing.any;
  }

  /**
   * Appends a chunk: `compressed` must be the chunk's brotli stream (see `compressChunk`) of the
   * content whose SHA-256 is `hash`. Returns the bytes added (0 when added before).
   */
  async add(hash: string, compressed: Buffer): Promise<number> {
    if (this.failure) throw this.failure;
    if (this.added.has(hash)) return 0;
    this.added.add(hash);
    if (this.current.count > 0 && this.current.bytes + compressed.length > this.capBytes) this.rotate();
    return this.current.add(hash, compressed);
  }

  /** Makes every added chunk visible; returns the bytes written (packs and indexes). */
  async commit(): Promise<number> {
    await this.reader.close();
    const written = (await Promise.all([...this.rotated, this.commitPack(this.current)])).reduce((a, b) => a + b, 0);
    if (this.failure) throw this.failure;
    return written;
  }

  /** Removes the pack being written (packs already full were committed and stay for gc to judge). */
  async abort(): Promise<void> {
    await this.reader.close();
    await Promise.allSettled(this.rotated);
    await this.current.abort();
  }

  private rotate(): void {
    const full = this.current;
    this.current = new PackWriter(this.files.packDir);
    this.rotated.push(
      this.commitPack(full).catch((error: unknown) => {
        this.failure ??= error;
        return 0;
      }),
    );
  }

  private async commitPack(writer: PackWriter): Promise<number> {
    const entries = await writer.commit();
    if (!entries.length) return 0;
    this.files.packs.register(writer.stem, entries);
    return writer.bytes + fs.statSync(writer.indexFile).size;
  }
}

/**
 * Which loose chunk files (of earlier versions) are there, listed once per fan-out folder: checking
 * thousands of new chunks then costs a few hundred directory reads instead of a failed open each.
 * Only a hint: a listed chunk is still read and checked before it is reused.
 */
export class ChunkListing {
  private readonly dirs = new Map<string, Promise<Set<string>>>();
  /** Whether the folder of loose chunk files exists at all. */
  readonly any: boolean;

  constructor(private readonly files: ChunkFiles) {
    this.any = fs.existsSync(files.looseDir);
  }

  async mayHave(hash: string): Promise<boolean> {
    if (!this.any) return false;
    const dir = path.dirname(this.files.pathOf(hash));
    let names = this.dirs.get(dir);
    if (!names) {
      names = fs.promises.readdir(dir).then(
        (entries) => new Set(entries),
        () => new Set<string>(),
      );
      this.dirs.set(dir, names);
    }
    return (await names).has(path.basename(this.files.pathOf(hash)));
  }
}

function fileTime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** An empty file is what an interrupted write can leave behind: such a chunk is stored again. */
function isNonEmptyFile(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.endsWith(TEMP_SUFFIX))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
