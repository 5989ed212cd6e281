import * as fs from "node:fs";
import * as path from "node:path";
import type { Database } from "sql.js";
import { explainWriteError } from "../util/diskErrors";
import { MlexpError, messageOf } from "../util/errors";
import { takeLock, type ReleaseLock } from "../util/fileLock";
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

  /**
   * Replaces the whole database, holding the lock from the first read to the last write so that
   * no writer's change slips in between: `fn` fills a new, empty database and gets the current one
   * (undefined when there is no file or it cannot be read, with the reason).
   */
  async replaceWhole<T>(fn: (fresh: Database, current: Database | undefined, unreadable: string | undefined) => T): Promise<T> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    let current: Database | undefined;
    let unreadable: string | undefined;
    try {
      if (fs.existsSync(this.file)) {
        try {
          current = await this.open();
        } catch (error) {
          unreadable = messageOf(error);
        }
      }
      const fresh = new (await loadSqlJs()).Database();
      try {
        fresh.exec("PRAGMA foreign_keys = ON");
        migrate(fresh);
        const result = fn(fresh, current, unreadable);
        replaceAtomically(this.file, fresh.export());
        return result;
      } finally {
        fresh.close();
      }
    } finally {
      current?.close();
      this.close();
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
      "Nothing was changed. Run `mlexp db rebuild`: it rebuilds the database from the runs' run.json manifests and keeps the damaged file aside.",
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

function acquireLock(file: string): Promise<ReleaseLock> {
  return takeLock(file, `The run database ${file}`);
}

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
