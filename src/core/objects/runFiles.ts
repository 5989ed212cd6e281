import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { processIsGone } from "../util/processes";
import { MlexpError } from "../util/errors";
import { compressChunk, sha256 } from "./chunkBytes";
import { type ChunkWriter } from "./chunkFiles";
import type { FileObjectBackend } from "./fileObjectBackend";
import type { ObjectBackend } from "./objectBackend";
import { sendMissing } from "./transfer";

/** One file of a run's artifact folder, as a team store keeps it: its content hash and its chunks in order. */
export interface RunFileEntry {
  /** Relative to the run's folder, with `/` separators. */
  path: string;
  size: number;
  sha256: string;
  chunks: string[];
}

/** What a run's artifact folder holds (model files, run.json, …), as a list of chunked files. */
export interface RunFiles {
  run_id: string;
  files: RunFileEntry[];
}

/**
 * Where a store that has no folders (a team's PostgreSQL database) keeps each run's file list; the
 * bytes are chunks of its object backend. Consistency: `put` replaces a run's list whole and is
 * called only after every chunk it names is stored, so a reader that finds a list finds its chunks.
 */
export interface RunFilesIndex {
  put(files: RunFiles): Promise<"created" | "updated" | "unchanged">;
  get(runId: string): Promise<RunFiles | undefined>;
}

/** A run's files are in `<runsDir>/<run_id>/` on disk (a workspace), or listed in an index with their bytes in an object backend (a team store). */
export type RunFilesEnd =
  | { kind: "folder"; runsDir: string; /** Where a file's chunks are made, or received, before they are sent or assembled. */ cache: FileObjectBackend }
  | { kind: "index"; index: RunFilesIndex; objects: ObjectBackend };

export interface RunFilesCopy {
  /** Files written or listed at the destination (0 when it already had them all). */
  filesCopied: number;
  chunksSent: number;
  bytesSent: number;
}

/** Files of a run folder pieces are cut into: small enough to hold a few in memory, big enough for few rows. */
const PIECE_BYTES = 1024 * 1024;
/** Not part of a run: the mark a training leaves until its run.json exists, and files being written. */
const LEFT_OUT = /(^|\/)starting\.json$|\.tmp$/;

/**
 * Copies a run's artifact files from one end to another, verified by hash, in an order that keeps a
 * copy killed half-way harmless: chunks, then the file list (team store); each file written under
 * a temporary name, checked, then renamed (folder). Run again, it sends only what is missing.
 */
export async function copyRunFiles(runId: string, from: RunFilesEnd, to: RunFilesEnd): Promise<RunFilesCopy> {
  const result: RunFilesCopy = { filesCopied: 0, chunksSent: 0, bytesSent: 0 };
  if (from.kind === "folder" && to.kind === "folder") {
    removeDeadWritersTemps(path.join(to.runsDir, runId));
    result.filesCopied = copyFolderFiles(path.join(from.runsDir, runId), path.join(to.runsDir, runId));
    return result;
  }
  const listed = from.kind === "folder" ? await indexFolder(runId, path.join(from.runsDir, runId), from.cache) : await from.index.get(runId);
  if (!listed) return result;
  const chunks = [...new Set(listed.files.flatMap((file) => file.chunks))];
  if (to.kind === "index") {
    await sendMissing(chunks, from.kind === "folder" ? from.cache : from.objects, to.objects, result);
    if ((await to.index.put(listed)) !== "unchanged") result.filesCopied = listed.files.length;
    return result;
  }
  removeDeadWritersTemps(path.join(to.runsDir, runId));
  const changed = listed.files.filter((file) => !sameFile(path.join(to.runsDir, runId, safeRelative(file.path)), file));
  if (!changed.length) return result;
  await sendMissing([...new Set(changed.flatMap((file) => file.chunks))], (from as { objects: ObjectBackend }).objects, to.cache, result);
  for (const file of changed) writeFromChunks(path.join(to.runsDir, runId), file, to.cache);
  result.filesCopied = changed.length;
  return result;
}

/** Lists a run folder's files, cutting each into chunks stored in `cache` (already stored ones are reused; new ones go into one pack). */
export async function indexFolder(runId: string, dir: string, cache: FileObjectBackend): Promise<RunFiles | undefined> {
  if (!fs.existsSync(dir)) return undefined;
  const files: RunFileEntry[] = [];
  const writer = cache.store.chunks.begin();
  try {
    for (const relative of listRelative(dir)) files.push(await indexFile(dir, relative, writer));
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { run_id: runId, files };
}

async function indexFile(dir: string, relative: string, writer: ChunkWriter): Promise<RunFileEntry> {
  const whole = createHash("sha256");
  const chunks: string[] = [];
  let size = 0;
  const fd = fs.openSync(path.join(dir, relative), "r");
  try {
    const buffer = Buffer.alloc(PIECE_BYTES);
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) {
      const piece = Buffer.from(buffer.subarray(0, read));
      const hash = sha256(piece);
      whole.update(piece);
      if (!(await writer.has(hash))) await writer.add(hash, await compressChunk(piece));
      chunks.push(hash);
      size += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { path: relative, size, sha256: whole.digest("hex"), chunks };
}

function listRelative(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((relative) => !LEFT_OUT.test(relative))
    .sort();
}

/**
 * A file path from another store, checked before it touches the disk: relative, inside the run's
 * folder, made of plain names.
 */
export function safeRelative(relative: string): string {
  const parts = relative.split("/");
  const plain = parts.every((part) => /^[A-Za-z0-9_][A-Za-z0-9_.@+=,-]{0,200}$/.test(part) && part !== "..");
  if (!plain || parts.length > 16 || LEFT_OUT.test(relative)) {
    throw new MlexpError(`The stored run file "${relative.slice(0, 80)}" is not a plain path inside a run folder; nothing was written for it.`, "object_corrupted", "The store holding it was changed by hand: push the run again from its workspace.");
  }
  return path.join(...parts);
}

/** Temporary files (`<file>.<pid>.<random>.tmp`) a killed copy left in a run folder; those of live processes stay. */
function removeDeadWritersTemps(runDir: string): void {
  if (!fs.existsSync(runDir)) return;
  for (const entry of fs.readdirSync(runDir, { recursive: true, withFileTypes: true })) {
    const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(entry.name)?.[1]);
    if (entry.isFile() && pid > 0 && processIsGone(pid, os.hostname())) fs.rmSync(path.join(entry.parentPath, entry.name), { force: true });
  }
}

function sameFile(file: string, entry: RunFileEntry): boolean {
  try {
    return fs.statSync(file).size === entry.size && sha256(fs.readFileSync(file)) === entry.sha256;
  } catch {
    return false;
  }
}

/** Assembles a file from verified chunks under a temporary name, checks its whole hash, then renames it into place. */
function writeFromChunks(runDir: string, entry: RunFileEntry, cache: FileObjectBackend): void {
  const target = path.join(runDir, safeRelative(entry.path));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  const whole = createHash("sha256");
  const fd = fs.openSync(temp, "w");
  try {
    for (const hash of entry.chunks) {
      const piece = cache.store.chunks.read(hash);
      if (typeof piece === "string") throw new MlexpError(`A chunk of run file ${entry.path} is ${piece} in ${cache.description} (${hash}).`, "object_missing", "Run the same command again: it fetches what is missing.");
      whole.update(piece);
      fs.writeSync(fd, piece);
    }
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  if (whole.digest("hex") !== entry.sha256) {
    fs.rmSync(temp, { force: true });
    throw new MlexpError(`The run file ${entry.path} does not match its hash once assembled; it was not written.`, "object_corrupted", "Push the run again from the workspace that trained it.");
  }
  fs.renameSync(temp, target);
}

/** Workspace to workspace: each file that differs is copied under a temporary name, checked, then renamed. */
function copyFolderFiles(fromDir: string, toDir: string): number {
  if (!fs.existsSync(fromDir)) return 0;
  let copied = 0;
  for (const relative of listRelative(fromDir)) {
    const source = path.join(fromDir, relative);
    const bytes = fs.readFileSync(source);
    const entry = { path: relative, size: bytes.length, sha256: sha256(bytes), chunks: [] };
    const target = path.join(toDir, relative);
    if (sameFile(target, entry)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(temp, bytes);
    if (sha256(fs.readFileSync(temp)) !== entry.sha256) {
      fs.rmSync(temp, { force: true });
      throw new MlexpError(`The copy of run file ${relative} does not match its source.`, "object_corrupted", "Check the disk and run the same command again.");
    }
    fs.renameSync(temp, target);
    copied++;
  }
  return copied;
}
