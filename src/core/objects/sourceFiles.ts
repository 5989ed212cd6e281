import { createHash } from "node:crypto";
import * as fs from "node:fs";

/**
 * The SHA-256 of a loader's input files, taken while the loader reads them, and whether they
 * stayed the same meanwhile: each file's identity and times are taken before the loader starts and
 * again once it and the hashing are done. If any changed, the loader may have read other bytes
 * than those hashed, and the hashes are not used (the data is then stored the full way).
 */
export class SourceFiles {
  /** Each file's state before the loader started (undefined: not a readable file). */
  readonly before: (string | undefined)[];
  /** One SHA-256 per file, undefined when a file could not be read. */
  readonly hashes: Promise<string[] | undefined>;

  constructor(readonly files: readonly string[]) {
    this.before = files.map(fileState);
    const hashes = this.before.includes(undefined) ? Promise.resolve(undefined) : Promise.all(files.map(hashFile)).catch(() => undefined);
    this.hashes = hashes;
  }

  /** The hashes, if every file is still the one that was hashed (call once the loader has finished). */
  async unchangedHashes(): Promise<string[] | undefined> {
    const hashes = await this.hashes;
    return hashes && this.files.every((file, i) => fileState(file) === this.before[i]) ? hashes : undefined;
  }
}

/**
 * What changes when a file's content may have: device, inode, size, and modification and change
 * times in nanoseconds (a rewrite in place changes the times; a replacement by rename the inode).
 */
function fileState(file: string): string | undefined {
  try {
    const stat = fs.statSync(file, { bigint: true });
    return stat.isFile() ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read on libuv's thread pool while the loader reads the same file (from the page cache by then,
 * or it warms it for the loader); the hashing itself runs between the loader's own steps.
 */
function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 })
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}
