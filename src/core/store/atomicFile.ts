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
