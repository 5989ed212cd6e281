import * as fs from "node:fs";
import * as path from "node:path";
import * as lockfile from "proper-lockfile";
import type { Database } from "sql.js";
import { MlexpError, messageOf } from "../util/errors";
import { loadSqlJs } from "../util/sqljs";
import { migrate, schemaVersion, SCHEMA_VERSION } from "./schema";

/**
 * The run database: a SQLite file that sql.js reads whole into memory and writes back whole.
 * Several processes (CLI runs, VS Code windows) write to it, so every write takes a file lock,
 * re-reads the file under it, applies the change and replaces the file atomically: a concurrent
 * writer never loses another's change and a reader never sees half a file.
 */
export class RunDatabase {
  private cached?: { key: string; db: Database };

  constructor(readonly file: string) {}

  /** Runs `fn` on the database as it is on disk now. Changes `fn` makes are not saved. */
  async read<T>(fn: (db: Database) => T): Promise<T> {
    const key = fileKey(this.file);
    if (!this.cached || this.cached.key !== key) {
      const db = await this.open();
      this.cached?.db.close();
      this.cached = { key, db };
    }
    return fn(this.cached.db);
  }

  /** Runs `fn` under the lock on a fresh copy of the file and saves the result atomically. */
  async write<T>(fn: (db: Database) => T): Promise<T> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    try {
      const db = await this.open();
      try {
        const result = fn(db);
        replaceAtomically(this.file, db.export());
        return result;
      } finally {
        db.close();
      }
    } finally {
      await release().catch(() => undefined);
    }
  }

  close(): void {
    this.cached?.db.close();
    this.cached = undefined;
  }

  /** Loads the file (or a new empty database) and brings its schema up to date in memory. */
  private async open(): Promise<Database> {
    const SQL = await loadSqlJs();
    const bytes = fs.existsSync(this.file) ? fs.readFileSync(this.file) : undefined;
    const db = new SQL.Database(bytes);
    try {
      checkReadable(db, this.file);
      db.exec("PRAGMA foreign_keys = ON");
      migrate(db);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }
}

function checkReadable(db: Database, file: string): void {
  let version: number;
  try {
    version = schemaVersion(db);
  } catch (error) {
    throw new MlexpError(
      `The run database ${file} is corrupted (${messageOf(error)}).`,
      "store_corrupted",
      "Nothing was changed. Move the file aside and run `mlexp db rebuild` to rebuild it from the runs' run.json manifests.",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new MlexpError(
      `The run database ${file} has schema version ${version}, newer than this mlexp understands (${SCHEMA_VERSION}).`,
      "store_corrupted",
      "Update mlexp.",
    );
  }
}

/** Identifies a version of the file cheaply: atomic replacement always changes the inode. */
function fileKey(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return "missing";
  }
}

async function acquireLock(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false,
      stale: 15_000,
      retries: { retries: 400, minTimeout: 5, maxTimeout: 100, factor: 1.2 },
    });
  } catch (error) {
    throw new MlexpError(
      `Could not lock the run database ${file} (${messageOf(error)}).`,
      "store_corrupted",
      "Another mlexp process is holding it; try again, or remove the stale lock folder next to it.",
    );
  }
}

/** Write to a temporary file in the same folder, flush it, then rename over the old one. */
export function replaceAtomically(file: string, bytes: Uint8Array): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(temp, "w");
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
