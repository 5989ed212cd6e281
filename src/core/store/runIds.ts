import * as fs from "node:fs";
import * as path from "node:path";
import { replaceAtomically } from "./atomicFile";

/**
 * `.mlexp/mlexp.ids`: the run ids the database file holds, written by every checkpoint beside it.
 * A process that only writes (a training) checks its writes against these ids and the journal
 * instead of reading the whole database: creating a run whose id is taken, or recording a curve
 * for a run that does not exist, is refused the same way without the cost of loading every run.
 * The header names the journal generation and the database file (inode) it was written with; when
 * they do not match what is on disk the writer reads the database instead.
 */
interface RunIdsHeader {
  mlexpRunIds: 1;
  generation: number;
  databaseIno: number;
}

export function runIdsFileOf(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), "mlexp.ids");
}

export function writeRunIds(file: string, generation: number, databaseIno: number, ids: readonly string[]): void {
  const header: RunIdsHeader = { mlexpRunIds: 1, generation, databaseIno };
  replaceAtomically(file, Buffer.from(`${JSON.stringify(header)}\n${ids.join("\n")}${ids.length ? "\n" : ""}`));
}

/** The ids written for this generation and database file, or undefined when the file is missing, damaged or for another. */
export function readRunIds(file: string, generation: number, databaseIno: number): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  if (!text.endsWith("\n")) return undefined;
  const lines = text.slice(0, -1).split("\n");
  try {
    const header = JSON.parse(lines[0]) as Partial<RunIdsHeader>;
    if (header.mlexpRunIds !== 1 || header.generation !== generation || header.databaseIno !== databaseIno) return undefined;
  } catch {
    return undefined;
  }
  return new Set(lines.slice(1));
}
