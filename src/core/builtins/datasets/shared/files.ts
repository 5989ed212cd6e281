import * as fs from "node:fs";
import { Transform, type Readable } from "node:stream";
import { formatBytes } from "../../../util/diskErrors";
import type { LoadContext } from "../../../components/dataAccessObject";
import { MlexpError } from "../../../util/errors";

/**
 * The absolute path of an input file named by a `path` parameter, after checking that it exists,
 * so that a typo is reported with where mlexp looked rather than as an ENOENT from deep inside a
 * parser.
 */
export function resolveInputFile(context: LoadContext, given: string, owner: string): string {
  if (given.trim() === "") {
    throw new MlexpError(`${owner}: the "path" parameter is empty.`, "invalid_params", "Give the path of the file to read.");
  }
  const resolved = context.resolvePath(given);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new MlexpError(
      `${owner}: cannot find the file "${given}" (looked for ${resolved}).`,
      "invalid_params",
      `Relative paths are relative to the workspace folder (${context.workspace}); check the "path" parameter.`,
    );
  }
  if (stat.isDirectory()) {
    throw new MlexpError(`${owner}: "${given}" is a folder, not a file (${resolved}).`, "invalid_params", "Point \"path\" at a file.");
  }
  if (!stat.isFile()) {
    // A device such as /dev/zero, a named pipe or a socket would be read for ever.
    throw new MlexpError(`${owner}: "${given}" is ${kindOf(stat)}, not a regular file (${resolved}).`, "invalid_params", "Point \"path\" at a data file.");
  }
  if (stat.size > INPUT_LIMITS.maxBytes) throw inputTooLarge(owner, given, INPUT_LIMITS.maxBytes);
  return resolved;
}

/**
 * What a reader takes at most: mlexp holds a dataset in memory, so a file past these is a mistake
 * (or a file growing as it is read) and is stopped with a clear error rather than read for ever.
 */
export const INPUT_LIMITS = {
  maxBytes: 4 * 1024 ** 3,
  maxLineBytes: 64 * 1024 ** 2,
};

export function inputTooLarge(owner: string, given: string, limit: number): MlexpError {
  return new MlexpError(
    `${owner}: "${given}" is larger than ${formatBytes(limit)}, more than mlexp reads into memory.`,
    "invalid_data",
    "Use a sample of it, or a SqliteQuery that selects fewer rows.",
  );
}

export function lineTooLong(source: string, lineNumber: number, limit: number): MlexpError {
  return new MlexpError(
    `Line ${lineNumber} of ${source} is longer than ${formatBytes(limit)}.`,
    "invalid_data",
    "Is it a text data file with one record per line? A binary file or a file without line breaks cannot be read.",
  );
}

/**
 * Reads a file as a stream that fails once more than `maxBytes` came through (a file can grow
 * while it is read): the file-opening layer every streaming reader goes through.
 */
export function openLimitedStream(file: string, owner: string, given: string, maxBytes = INPUT_LIMITS.maxBytes): Readable {
  let seen = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(inputTooLarge(owner, given, maxBytes));
      else callback(null, chunk);
    },
  });
  const source = fs.createReadStream(file);
  source.on("error", (error) => limiter.destroy(error));
  return source.pipe(limiter);
}

function kindOf(stat: fs.Stats): string {
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  if (stat.isFIFO()) return "a named pipe";
  if (stat.isSocket()) return "a socket";
  return "not a file";
}

/** Up to `max` names for a hint, so that a 5,000-column file does not make a 5,000-name message. */
export function listNames(names: readonly string[], max = 30): string {
  if (names.length === 0) return "(none)";
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}
