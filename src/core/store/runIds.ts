import * as fs from "node:fs";
import * as path from "node:path";
import { replaceAtomically } from "./atomicFile";

/**
 * `.mlexp/mlexp.ids`: the run ids the database file holds, written by every checkpoint beside it.
 * A process that only writes (a training) checks its writes against these ids and the journal
 * instead of reading the whole database: creating a run whose id is taken, or recording a curve
 * for a run that does not exist, is refused the same way without the cost of loading every run.
 * The header names the journal generation and the database file (inode, size, time) it was written with; when
 * they do not match what is on disk the writer reads the database instead.
 */
interface RunIdsHeader {
  mlexpRunIds: 1;
  generation: number;
  databaseKey: string;
}

export function runIdsFileOf(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), "mlexp.ids");
}

export function writeRunIds(file: string, generation: number, databaseKey: string, ids: readonly string[]): void {
  const header: RunIdsHeader = { mlexpRunIds: 1, generation, databaseKey };
  replaceAtomically(file, Buffer.from(`${JSON.stringify(header)}\n${ids.join("\n")}${ids.length ? "\n" : ""}`));
}

/**
 * The checkpoint's ids as read (searched in the text: a training asks about one or two ids, and
 * splitting 100,000 lines into a set would cost more than all its writes), plus what the journal
 * added and removed since.
 */
export class RunIdSet {
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  constructor(private readonly text: string) {}

  has(runId: string): boolean {
    if (this.added.has(runId)) return true;
    if (this.removed.has(runId) || runId.includes("\n")) return false;
    return this.text.includes(`\n${runId}\n`);
  }

  add(runId: string): void {
    this.removed.delete(runId);
    this.added.add(runId);
  }

  delete(runId: string): void {
    this.added.delete(runId);
    this.removed.add(runId);
  }
}

/** The ids written for this generation and database file, or undefined when the file is missing, damaged or for another. */
export function readRunIds(file: string, generation: number, databaseKey: string): RunIdSet | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const headerEnd = text.indexOf("\n");
  if (headerEnd < 0 || !text.endsWith("\n")) return undefined;
  try {
    const header = JSON.parse(text.slice(0, headerEnd)) as Partial<RunIdsHeader>;
    if (header.mlexpRunIds !== 1 || header.generation !== generation || header.databaseKey !== databaseKey) return undefined;
  } catch {
    return undefined;
  }
  return new RunIdSet(text);
}
