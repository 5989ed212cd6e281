import * as fs from "node:fs";
import * as path from "node:path";
import { explainWriteError } from "../util/diskErrors";
import { replaceAtomically } from "./atomicFile";

/**
 * The run database's journal (`.mlexp/mlexp.journal`): the changes written since the database file
 * was last rewritten, one JSON line each. Writers append a line (under the database lock, fsynced)
 * instead of rewriting the whole database; every reader applies the lines to its in-memory copy of
 * the database. A checkpoint folds them into the database file and starts a new journal.
 *
 * The first line is a header naming the journal's generation: it belongs to the database file with
 * the same generation (`store_meta`). A checkpoint writes the database first (generation + 1), then
 * a new journal whose header says which journal and how many of its bytes were folded in, so that a
 * reader that had applied exactly those bytes goes on without reading the database again.
 */
export interface JournalHeader {
  mlexpJournal: 1;
  generation: number;
  /** The journal folded into this generation's database, and up to which byte. */
  from?: { generation: number; bytes: number };
}

export interface JournalRead {
  ino: number;
  /** Present when the read started at the beginning of the file (and the header line is whole and valid). */
  header?: JournalHeader;
  /** Where the header line ends. */
  headerEnd: number;
  /** Whole lines from the asked offset (or after the header), parsed; lines that do not parse (a torn write) are skipped. */
  records: unknown[];
  /** Just after the last whole line read: where the next read starts. */
  end: number;
  size: number;
}

export function journalFileOf(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), "mlexp.journal");
}

/**
 * Reads the journal through one file descriptor, so that the header and the lines come from the
 * same file even if a checkpoint renames a new one over it meanwhile. With `known` (the inode and
 * offset read up to last time) only the new bytes are read, when it is still the same file.
 */
export function readJournal(file: string, known?: { ino: number; offset: number }): JournalRead | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const sameFile = known !== undefined && known.ino === stat.ino && known.offset <= stat.size;
    const start = sameFile ? known.offset : 0;
    const bytes = Buffer.alloc(stat.size - start);
    for (let read = 0; read < bytes.length; ) {
      const n = fs.readSync(fd, bytes, read, bytes.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    const lastNewline = bytes.lastIndexOf(0x0a);
    const lines = lastNewline < 0 ? [] : bytes.subarray(0, lastNewline).toString("utf8").split("\n");
    let header: JournalHeader | undefined;
    let headerEnd = 0;
    if (!sameFile && lines.length) {
      const first = lines.shift() as string;
      header = parseHeader(first);
      headerEnd = Buffer.byteLength(first) + 1;
    }
    return {
      ino: stat.ino,
      ...(header ? { header } : {}),
      headerEnd,
      records: lines.map(parseLine).filter((record) => record !== undefined),
      end: lastNewline < 0 ? start : start + lastNewline + 1,
      size: stat.size,
    };
  } finally {
    fs.closeSync(fd);
  }
}

function parseHeader(line: string): JournalHeader | undefined {
  const header = parseLine(line) as Partial<JournalHeader> | undefined;
  return header?.mlexpJournal === 1 && Number.isInteger(header.generation) ? (header as JournalHeader) : undefined;
}

function parseLine(line: string): unknown {
  if (!line) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === "object" ? value : undefined;
  } catch {
    // A line cut short by a writer killed mid-write (or a full disk): it was never acknowledged.
    return undefined;
  }
}

/** Starts a new journal atomically (temporary file, fsync, rename); returns its inode and header length. */
export function startJournal(file: string, header: JournalHeader): { ino: number; headerEnd: number } {
  const line = `${JSON.stringify(header)}\n`;
  replaceAtomically(file, Buffer.from(line));
  return { ino: fs.statSync(file).ino, headerEnd: Buffer.byteLength(line) };
}

/**
 * Appends one record as one line and flushes it to disk. The caller holds the database lock and
 * has read the journal up to `offset`: bytes after it are a line cut short by a killed writer, so
 * a newline first makes them a line of their own that every reader skips. A short write (full disk)
 * is cut off again before the error is thrown: the journal never keeps half a record.
 * Returns the offset just after the new line.
 */
export function appendRecord(file: string, expectedIno: number, offset: number, record: unknown): number {
  const fd = fs.openSync(file, "a");
  let bytes = Buffer.alloc(0);
  try {
    const stat = fs.fstatSync(fd);
    if (stat.ino !== expectedIno) throw new Error(`${path.basename(file)} was replaced without the database lock`);
    const size = stat.size;
    bytes = Buffer.from(`${size > offset ? "\n" : ""}${JSON.stringify(record)}\n`);
    try {
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fdatasyncSync(fd);
    } catch (error) {
      fs.ftruncateSync(fd, size);
      throw error;
    }
    return size + bytes.length;
  } catch (error) {
    throw explainWriteError(error, path.dirname(file), bytes.length, `appending to ${path.basename(file)}`);
  } finally {
    fs.closeSync(fd);
  }
}
