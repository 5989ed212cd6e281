import * as fs from "node:fs";
import * as path from "node:path";
import { explainWriteError } from "../util/diskErrors";

/** Write to a temporary file in the same folder, flush it, then rename over the old one. */
export function replaceAtomically(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = fs.openSync(temp, "w");
    try {
      // writeSync may write less than asked (a disk filling up): a short file must never be renamed in.
      for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    // A half-written temporary file helps no one and holds the space a retry needs.
    fs.rmSync(temp, { force: true });
    throw explainWriteError(error, path.dirname(file), bytes.length, `writing ${path.basename(file)}`);
  }
}

/**
 * Flushes to disk every file under `dir` (written by code we do not control, such as a model's
 * `save`), then the folders themselves, so that their names survive a crash too. Where a folder
 * cannot be opened for a flush (Windows), its files are still flushed and the folder is skipped.
 */
export function syncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) syncTree(file);
    // "r+": flushing needs write access on Windows; on POSIX any open descriptor will do.
    else if (entry.isFile()) syncOpened(file, "r+");
  }
  syncFolder(dir);
}

/** Flushes a folder's entries (files renamed or made in it); skipped where folders cannot be flushed. */
export function syncFolder(dir: string): void {
  try {
    syncOpened(dir, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EISDIR" && code !== "EPERM" && code !== "EBADF" && code !== "EINVAL") throw error;
  }
}

function syncOpened(file: string, flags: string): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
