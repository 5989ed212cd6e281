import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { encodeIndex, ENTRY_HEADER, PACK_MAGIC, writeEntryHeader, type PackEntry } from "./packFormat";

/** Temporary files end so; `gc` removes those whose writer is gone. */
export const TEMP_SUFFIX = ".tmp";
/** Bytes gathered before one write: few system calls, little memory. */
const FLUSH_BYTES = 1024 * 1024;

/** `<16 hex>-<pid>`: unique, and says which process wrote it (gc removes a dead writer's pack that has no index). */
export function newPackStem(): string {
  return `${randomBytes(8).toString("hex")}-${process.pid}`;
}

/** The pid in a pack's name, if it has one. */
export function packWriterPid(stem: string): number | undefined {
  const pid = Number(/^[0-9a-f]{16}-(\d+)$/.exec(stem)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Writes one pack: entries are appended (in memory, then in writes of about 1 MiB) to a temporary
 * file; `commit` fsyncs it once, renames it to `<stem>.pack`, then writes `<stem>.idx` (temporary
 * name, rename). Readers find chunks only through an index, so until the index is there the pack
 * is invisible, and a writer killed before leaves only files `gc` removes.
 *
 * `add` may be called by several async tasks at once: each entry's offset is taken synchronously.
 */
export class PackWriter {
  readonly stem = newPackStem();
  private readonly temp: string;
  private readonly entries: PackEntry[] = [];
  private readonly added = new Set<string>();
  private handle: Promise<fs.promises.FileHandle> | undefined;
  /**
   * Entries gathered for the next write, copied in as they are added: the caller's buffer is free
   * at once. Keeping the callers' buffers until a flush instead (as before) kept whole batches of
   * chunks from the chunk threads alive long enough to reach the old generation, and storing the
   * 198 MiB table then cost ~0.3 s of full garbage collections on the storing thread.
   */
  private pending: Buffer | undefined;
  private pendingBytes = 0;
  /** The last written buffer, free again once its write ended: the next entries gather there (two buffers per pack, not one per write). */
  private spare: Buffer | undefined;
  /** Bytes handed to writes so far (the position of the next write). */
  private written = 0;
  private writing: Promise<unknown> = Promise.resolve();
  private size = PACK_MAGIC.length;
  /** Renamed in, its index not yet written: an abort then removes the pack too. */
  private renamed = false;

  constructor(readonly dir: string) {
    this.temp = path.join(dir, `${this.stem}.pack.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`);
  }

  get packFile(): string {
    return path.join(this.dir, `${this.stem}.pack`);
  }

  get indexFile(): string {
    return path.join(this.dir, `${this.stem}.idx`);
  }

  /** Bytes in the pack so far (written or about to be). */
  get bytes(): number {
    return this.size;
  }

  get count(): number {
    return this.entries.length;
  }

  holds(hash: string): boolean {
    return this.added.has(hash);
  }

  /** Appends an entry; returns the bytes it adds (0 when this pack already holds the hash). */
  async add(hash: string, compressed: Buffer): Promise<number> {
    if (this.added.has(hash)) return 0;
    this.added.add(hash);
    if (!this.handle) this.open();
    this.entries.push({ hash, offset: this.size, length: compressed.length });
    const pending = this.room(ENTRY_HEADER + compressed.length);
    writeEntryHeader(pending, this.pendingBytes, hash, compressed.length);
    compressed.copy(pending, this.pendingBytes + ENTRY_HEADER);
    this.pendingBytes += ENTRY_HEADER + compressed.length;
    this.size += ENTRY_HEADER + compressed.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
    return ENTRY_HEADER + compressed.length;
  }

  /** Makes the pack visible: fsync once, rename, write the index. Returns its entries (none: nothing was written). */
  async commit(): Promise<PackEntry[]> {
    if (!this.handle) return [];
    await this.flush();
    const handle = await this.handle;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(this.temp, this.packFile);
    this.renamed = true;
    // Not fsynced: an index found damaged (a crash right after this) is rebuilt from its pack, which is.
    const indexTemp = `${this.indexFile}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
    try {
      await fs.promises.writeFile(indexTemp, encodeIndex(this.entries));
      await fs.promises.rename(indexTemp, this.indexFile);
      this.renamed = false;
    } catch (error) {
      await fs.promises.rm(indexTemp, { force: true });
      throw error;
    }
    return this.entries;
  }

  /** Removes the unfinished pack (nothing of it was visible: it has no index), giving its space back. */
  async abort(): Promise<void> {
    if (!this.handle) return;
    await this.writing.catch(() => undefined);
    const handle = await this.handle.catch(() => undefined);
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(this.renamed ? this.packFile : this.temp, { force: true });
  }

  private open(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    this.handle = fs.promises.open(this.temp, "w");
    PACK_MAGIC.copy(this.room(PACK_MAGIC.length), this.pendingBytes);
    this.pendingBytes += PACK_MAGIC.length;
    this.written = 0;
  }

  /** The buffer of gathered entries, with room for `bytes` more (a fresh one after each flush: the last may still be written). */
  private room(bytes: number): Buffer {
    const needed = this.pendingBytes + bytes;
    if (!this.pending && this.spare && this.spare.length >= needed) [this.pending, this.spare] = [this.spare, undefined];
    if (!this.pending || this.pending.length < needed) {
      const grown = Buffer.allocUnsafeSlow(Math.max(needed, FLUSH_BYTES + FLUSH_BYTES / 4));
      this.pending?.copy(grown, 0, 0, this.pendingBytes);
      this.pending = grown;
    }
    return this.pending;
  }

  /** Writes what is gathered, after the writes before it (which fail it, and every later one, if they failed). */
  private async flush(): Promise<void> {
    if (!this.pending) {
      await this.writing;
      return;
    }
    const buffer = this.pending;
    const data = buffer.subarray(0, this.pendingBytes);
    const position = this.written;
    this.pending = undefined;
    this.pendingBytes = 0;
    this.written += data.length;
    const handle = this.handle as Promise<fs.promises.FileHandle>;
    this.writing = this.writing.then(async () => {
      await writeAll(await handle, data, position);
      this.spare = buffer;
    });
    await this.writing;
  }
}

/** A write may write less than asked (a disk filling up): the rest is written or the error surfaces. */
async function writeAll(handle: fs.promises.FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    if (bytesWritten === 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    done += bytesWritten;
  }
}
