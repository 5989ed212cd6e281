/** Cheap identities of the workspace store's files, so readers notice a change without reading them. */
import * as fs from "node:fs";
import { journalFileOf } from "./journal";

/** Identifies the store's state cheaply: the database file's identity and the journal's length. */
export function storeFingerprint(file: string): string {
  const database = fileKey(file);
  const journal = statKey(journalFileOf(file), false);
  return database === "missing" && journal === "missing" ? "missing" : `${database}|${journal}`;
}

/** Identifies a version of the file cheaply: atomic replacement always changes the inode. */
export function fileKey(file: string): string {
  return statKey(file, true);
}

export function statKey(file: string, withTime: boolean): string {
  try {
    const stat = fs.statSync(file);
    return withTime ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : `${stat.ino}:${stat.size}`;
  } catch {
    return "missing";
  }
}
