import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";

const brotliCompress = promisify(zlib.brotliCompress);

export const HASH_PATTERN = /^[0-9a-f]{64}$/;
/** Temporary files end so; `gc` removes those whose writer is gone. */
export const TEMP_SUFFIX = ".tmp";

export function sha256(buffer: Buffer): string {
  return createHash("sha256").update(buffer).digest("hex");
}

/**
 * Compressed, content-addressed files: `<dir>/<first two hex digits>/<rest>`. A file is written
 * under a temporary name and renamed, so it appears whole or not at all; it is not fsynced, because
 * every read checks the content against its name.
 */
export class ChunkFiles {
  /** The 256 fan-out folders, once known to exist: a dataset has thousands of chunks. */
  private readonly madeDirs = new Set<string>();

  constructor(readonly dir: string) {}

  pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash.slice(2));
  }

  /**
   * Writes a chunk unless a good copy is already stored; returns the bytes written. A stored copy
   * is checked against its hash and replaced when it does not match (a flipped byte, a truncated
   * file), and its time is refreshed, so `gc` sees it as in use by the training storing it now.
   */
  async put(hash: string, buffer: Buffer, created?: Map<string, number>, listing?: ChunkListing): Promise<number> {
    const file = this.pathOf(hash);
    if ((!listing || (await listing.mayHave(hash))) && (await reuseStored(file, hash))) return 0;
    const compressed = await brotliCompress(buffer, compressionOptions(buffer.length));
    this.ensureDir(path.dirname(file));
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}${TEMP_SUFFIX}`;
    try {
      await fs.promises.writeFile(temp, compressed);
      await fs.promises.rename(temp, file);
      created?.set(hash, (await fs.promises.stat(file)).mtimeMs);
    } catch (error) {
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    return compressed.length;
  }

  /** Whether the chunk's file is there and not empty (cheap: no read). */
  exists(hash: string): boolean {
    return isNonEmptyFile(this.pathOf(hash));
  }

  private ensureDir(dir: string): void {
    if (this.madeDirs.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /** The chunk's content, or "missing" / "corrupted". */
  read(hash: string): Buffer | "missing" | "corrupted" {
    const file = this.pathOf(hash);
    if (!fs.existsSync(file)) return "missing";
    const buffer = decompressWhole(fs.readFileSync(file));
    return buffer && sha256(buffer) === hash ? buffer : "corrupted";
  }

  /**
   * The same as `read`, with the file read and decompressed on libuv's thread pool, so that many
   * reads at once use every core while this thread checks and decodes the chunks already read.
   */
  async readAsync(hash: string): Promise<Buffer | "missing" | "corrupted"> {
    let compressed: Buffer;
    try {
      compressed = await fs.promises.readFile(this.pathOf(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
      throw error;
    }
    const buffer = await decompressWholeAsync(compressed);
    return buffer && sha256(buffer) === hash ? buffer : "corrupted";
  }

  /** The chunk as stored (compressed), unchecked; undefined when absent. */
  readStored(hash: string): Buffer | undefined {
    try {
      return fs.readFileSync(this.pathOf(hash));
    } catch {
      return undefined;
    }
  }

  /**
   * Writes a chunk received in its stored (compressed) form from another store, after checking that
   * it decompresses to content with this hash; returns the bytes written (0 when already stored).
   */
  async putStored(hash: string, stored: Buffer): Promise<number> {
    const file = this.pathOf(hash);
    if (isNonEmptyFile(file)) return 0;
    if (!storedMatches(hash, stored)) return -1;
    this.ensureDir(path.dirname(file));
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await fs.promises.writeFile(temp, stored);
    await fs.promises.rename(temp, file);
    return stored.length;
  }

  list(): string[] {
    return listFiles(this.dir).map((file) => path.basename(path.dirname(file)) + path.basename(file)).filter((h) => HASH_PATTERN.test(h));
  }
}

/**
 * Which chunks are stored, listed once per fan-out folder: storing thousands of new chunks then
 * costs a few hundred directory reads instead of a failed open per chunk. Only a hint: a listed
 * chunk is still read and checked before it is reused, and a chunk stored by another process since
 * the listing is written again (an atomic replacement by the same bytes).
 */
export class ChunkListing {
  private readonly dirs = new Map<string, Promise<Set<string>>>();

  constructor(private readonly files: ChunkFiles) {}

  async mayHave(hash: string): Promise<boolean> {
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

/**
 * Brotli at quality 1, chosen by measurement on format-3 chunks (`npm run bench -- storage` prints
 * the alternatives: brotli 0–4, deflate 1/6): quality 0 and 1 compress at about the same speed and
 * 1 is a few percent smaller; quality 4 and deflate are two to three times slower to write.
 * Node's zlib runs each call on libuv's thread pool, so chunks compress on every core at once.
 */
export const BROTLI_QUALITY = 1;

function compressionOptions(length: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: length,
      // A window just big enough for the chunk: the default 4 MiB window costs an allocation per chunk.
      [zlib.constants.BROTLI_PARAM_LGWIN]: windowBits(length),
    },
  };
}

function windowBits(length: number): number {
  return Math.min(24, Math.max(16, Math.ceil(Math.log2(length + 1))));
}

/** Whether stored (compressed) bytes are the chunk with this content hash. */
export function storedMatches(hash: string, stored: Buffer): boolean {
  const buffer = decompressWhole(stored);
  return buffer !== undefined && sha256(buffer) === hash;
}

/** The content of stored (compressed) chunk bytes, or undefined when they are not one brotli stream. */
export function decompressStored(stored: Buffer): Buffer | undefined {
  return decompressWhole(stored);
}

/** Decompresses a chunk file, or undefined when it is not exactly one brotli stream (added bytes count too). */
function decompressWhole(compressed: Buffer): Buffer | undefined {
  try {
    const withInfo = { info: true } as zlib.BrotliOptions;
    const { buffer, engine } = zlib.brotliDecompressSync(compressed, withInfo) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return engine.bytesWritten === compressed.length ? buffer : undefined;
  } catch {
    return undefined;
  }
}

/** decompressWhole on the thread pool: the engine's count of bytes consumed shows added bytes. */
function decompressWholeAsync(compressed: Buffer): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const engine = zlib.createBrotliDecompress();
    const parts: Buffer[] = [];
    engine.on("data", (part: Buffer) => parts.push(part));
    engine.on("error", () => resolve(undefined));
    engine.on("end", () => resolve(engine.bytesWritten === compressed.length ? Buffer.concat(parts) : undefined));
    engine.end(compressed);
  });
}

/** True when `file` holds exactly the chunk named `hash`; its time is then set to now. */
async function reuseStored(file: string, hash: string): Promise<boolean> {
  let compressed: Buffer;
  try {
    compressed = await fs.promises.readFile(file);
  } catch {
    return false;
  }
  const content = await decompressWholeAsync(compressed);
  if (!content || sha256(content) !== hash) return false;
  const now = new Date();
  // If gc removed it meanwhile, the check at the end of putDataset writes it again.
  await fs.promises.utimes(file, now, now).catch(() => undefined);
  return true;
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
