import * as fs from "node:fs";
import * as path from "node:path";
import type { Database, SqlJsStatic } from "sql.js";
import { messageOf } from "../util/errors";
import { takeLock, type ReleaseLock } from "../util/fileLock";
import { loadSqlJs } from "../util/sqljs";
import { replaceAtomically } from "./atomicFile";
import { applyChange, type StoreChange } from "./changes";
import { appendRecord, journalFileOf, readJournal, startJournal, type JournalRead } from "./journal";
import { readRunIds, runIdsFileOf, writeRunIds, type RunIdSet } from "./runIds";
import * as runs from "./runs";
import { journalGeneration, migrate, setJournalGeneration } from "./schema";
import { applyQuietly, checkReadable, noteIds, transaction } from "./databaseSql";
import { fileKey } from "./storeFingerprint";

export { replaceAtomically } from "./atomicFile";

/** Past this many bytes of journal, the writer that appended folds it into the database file. */
export const CHECKPOINT_BYTES = 4 * 1024 * 1024;

/** What this process knows of the store: the database as read, plus the journal lines applied to it. */
interface Loaded {
  db: Database;
  /** The database file's identity when it was read (or adopted after a checkpoint). */
  dbKey: string;
  /** The database's journal generation (store_meta). */
  generation: number;
  /** The journal read last: its inode, generation (from its header; -1: none or unreadable) and how far it was applied. */
  journalIno?: number;
  journalGeneration: number;
  offset: number;
}

/** What a writer may ask before it writes. */
export interface WriteView {
  hasRun(runId: string): boolean;
  /** The whole database as it is now (read, if this process has not read it yet). */
  database(): Database;
}

/** A writer that has not read the database: the run ids it holds (checkpoint's list plus journal) and the journal's position. */
interface Light {
  databaseKey: string;
  ids: RunIdSet;
  journalIno: number;
  offset: number;
}

/**
 * The run database: a SQLite file (`.mlexp/mlexp.db`) that sql.js holds whole in memory, plus a
 * journal beside it (`.mlexp/mlexp.journal`, see journal.ts) of the changes written since the file
 * was last rewritten. Several processes (CLI runs, VS Code windows) write to it. A write takes the
 * file lock, brings this process's copy up to date, checks and applies the change to it, and
 * appends it to the journal as one fsynced line: its cost does not grow with the number of runs.
 * Every read first applies the journal lines it has not seen (a stat and a short read when nothing
 * changed), so a reader sees a write whole or not at all, and every write once it is acknowledged.
 * Once the journal passes CHECKPOINT_BYTES, the writer that appended rewrites the database file
 * with everything (atomic rename) and starts a new journal: a cost paid once every few thousand
 * trainings, by one of them; readers that had read the whole old journal carry on without
 * re-reading the file. The database file alone may lag behind the journal: read it through this
 * class (or `mlexp db checkpoint` first).
 */
export class RunDatabase {
  private loaded?: Loaded;
  private light?: Light;
  readonly journalFile: string;
  readonly idsFile: string;

  constructor(
    readonly file: string,
    private readonly checkpointBytes = CHECKPOINT_BYTES,
  ) {
    this.journalFile = journalFileOf(file);
    this.idsFile = runIdsFileOf(file);
  }

  /** Runs `fn` on the database as it is now (file and journal). Changes `fn` makes are not saved. */
  async read<T>(fn: (db: Database) => T): Promise<T> {
    const SQL = await loadSqlJs();
    return fn(this.refresh(SQL).db);
  }

  /**
   * Under the lock, on the current state: `decide` looks (without changing anything) and says what
   * to return and which change to make, if any; the change is journaled and applied (if applying
   * fails, on a copy this process holds, nothing is written). A process that has not read the
   * database (a training that only writes) does not read it here either: `decide` answers from
   * the ids the last checkpoint listed (`mlexp.ids`) and the journal, unless it asks for the
   * database itself.
   */
  async write<T>(decide: (view: WriteView) => { result: T; change?: StoreChange }): Promise<T> {
    const SQL = await loadSqlJs();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    try {
      let full = this.loaded ? this.current(SQL) : undefined;
      const light = full ? undefined : this.refreshLight();
      if (!full && !light) full = this.current(SQL);
      const view: WriteView = {
        hasRun: (runId) => (full ? runs.runExists(full.db, runId) : (light as Light).ids.has(runId)),
        database: () => (full ??= this.current(SQL)).db,
      };
      const { result, change } = decide(view);
      if (!change) return result;
      if (full) this.applyAndAppend(full, change);
      else this.appendLight(light as Light, change, SQL);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  private applyAndAppend(state: Loaded, change: StoreChange): void {
    this.light = undefined;
    transaction(state.db, () => {
      applyChange(state.db, change);
      state.offset = appendRecord(this.journalFile, state.journalIno as number, state.offset, change);
    });
    if (state.offset >= this.checkpointBytes) this.checkpointQuietly(state);
  }

  private appendLight(light: Light, change: StoreChange, SQL: SqlJsStatic): void {
    light.offset = appendRecord(this.journalFile, light.journalIno, light.offset, change);
    noteIds(light.ids, [change]);
    if (light.offset < this.checkpointBytes) return;
    // Once every few thousand trainings, one of them reads the database to fold the journal in.
    try {
      this.checkpointQuietly(this.current(SQL));
    } catch {
      // The change is safe in the journal; the next writer folds it.
    }
  }

  /** The database as it is now, with a journal that belongs to it (a first write to a store from before the journal starts one). */
  private current(SQL: SqlJsStatic): Loaded {
    const state = this.refresh(SQL);
    if (state.journalIno === undefined || state.journalGeneration !== state.generation) this.checkpoint(state, false);
    return state;
  }

  /** For a process that has not read the database: the ids of the last checkpoint plus the journal, or undefined when they do not match the files. */
  private refreshLight(): Light | undefined {
    const known = this.light;
    // Inode, size and time: a file changed in place (damaged) must not pass for the one listed.
    const databaseKey = fileKey(this.file);
    if (known && known.databaseKey === databaseKey) {
      const journal = readJournal(this.journalFile, { ino: known.journalIno, offset: known.offset });
      if (journal && journal.ino === known.journalIno) {
        noteIds(known.ids, journal.records as StoreChange[]);
        known.offset = journal.end;
        return known;
      }
    }
    this.light = undefined;
    const journal = readJournal(this.journalFile);
    if (!journal?.header || databaseKey === "missing") return undefined;
    const ids = readRunIds(this.idsFile, journal.header.generation, databaseKey);
    if (!ids) return undefined;
    noteIds(ids, journal.records as StoreChange[]);
    this.light = { databaseKey, ids, journalIno: journal.ino, offset: journal.end };
    return this.light;
  }

  /** Folds the journal into the database file now (`mlexp db checkpoint`); returns the bytes folded. */
  async checkpointNow(): Promise<number> {
    const SQL = await loadSqlJs();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    try {
      const state = this.refresh(SQL);
      this.light = undefined;
      const folded = state.journalGeneration === state.generation ? state.offset : 0;
      this.checkpoint(state, true);
      return folded;
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Changes the database in place under the lock (bulk loads, tests), then writes it whole. */
  async rewrite<T>(fn: (db: Database) => T): Promise<T> {
    const SQL = await loadSqlJs();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    try {
      const state = this.refresh(SQL);
      this.light = undefined;
      const result = fn(state.db);
      // Not a fold of the journal: readers must read the file again.
      this.checkpoint(state, false);
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }

  /**
   * Replaces the whole database, holding the lock from the first read to the last write so that
   * no writer's change slips in between: `fn` fills a new, empty database and gets the current one
   * with its journal applied (undefined when there is no file or it cannot be read, with the reason).
   */
  async replaceWhole<T>(fn: (fresh: Database, current: Database | undefined, unreadable: string | undefined) => T): Promise<T> {
    const SQL = await loadSqlJs();
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file);
    let current: Loaded | undefined;
    let unreadable: string | undefined;
    try {
      if (fs.existsSync(this.file)) {
        try {
          current = this.refresh(SQL);
        } catch (error) {
          unreadable = messageOf(error);
        }
      }
      const fresh = new SQL.Database();
      try {
        fresh.exec("PRAGMA foreign_keys = ON");
        migrate(fresh);
        const result = fn(fresh, current?.db, unreadable);
        const previous = Math.max(current?.generation ?? 0, current?.journalGeneration ?? 0, readJournal(this.journalFile)?.header?.generation ?? 0);
        this.writeFiles(fresh, previous + 1);
        return result;
      } finally {
        fresh.close();
      }
    } finally {
      this.close();
      await release().catch(() => undefined);
    }
  }

  close(): void {
    this.loaded?.db.close();
    this.loaded = undefined;
    this.light = undefined;
  }

  /**
   * Brings this process's copy up to date: the new journal lines only, when the database file is
   * the one read before; the journal that follows a checkpoint of exactly what was applied; else
   * the file, read again, with its journal.
   */
  private refresh(SQL: SqlJsStatic): Loaded {
    for (let attempt = 0; ; attempt++) {
      const state = this.loaded;
      if (state && this.catchUp(state)) return state;
      const next = this.load(SQL, attempt >= 5);
      if (next) return next;
    }
  }

  /** Applies what was journaled since the last read; false when the file must be read again. */
  private catchUp(state: Loaded): boolean {
    if (fileKey(this.file) !== state.dbKey) {
      const journal = readJournal(this.journalFile);
      return journal !== undefined && this.adopt(state, journal);
    }
    const journal = readJournal(this.journalFile, state.journalIno === undefined ? undefined : { ino: state.journalIno, offset: state.offset });
    if (!journal) return state.journalIno === undefined;
    if (journal.ino !== state.journalIno) return this.adopt(state, journal);
    // A journal older than the file (a checkpoint stopped between its two renames) holds nothing new.
    if (state.journalGeneration === state.generation) this.applyRecords(state, journal);
    return true;
  }

  /** After a checkpoint that folded exactly the lines this process applied: the copy is the new file. */
  private adopt(state: Loaded, journal: JournalRead): boolean {
    const from = journal.header?.from;
    if (!journal.header || !from || state.journalGeneration !== state.generation || from.generation !== state.generation || from.bytes !== state.offset) return false;
    state.generation = journal.header.generation;
    state.journalGeneration = journal.header.generation;
    state.journalIno = journal.ino;
    state.dbKey = fileKey(this.file);
    setJournalGeneration(state.db, state.generation);
    state.offset = journal.headerEnd;
    this.applyRecords(state, journal);
    return true;
  }

  /**
   * Reads the file and its journal; undefined when the file is older than the journal (a
   * checkpoint renamed both in between: read again). When that lasts (`settled`), or the file is
   * gone, the journal does not belong to the file (deleted, or replaced by an older copy): it is
   * ignored, and the next write starts a new one; `mlexp db rebuild` restores runs from run.json.
   */
  private load(SQL: SqlJsStatic, settled: boolean): Loaded | undefined {
    const journal = readJournal(this.journalFile);
    const dbKey = fileKey(this.file);
    const db = this.open(SQL);
    const generation = journalGeneration(db);
    const header = journal?.header;
    if (header && header.generation > generation && !settled && dbKey !== "missing") {
      db.close();
      return undefined;
    }
    this.close();
    const state: Loaded = { db, dbKey, generation, journalGeneration: header?.generation ?? -1, offset: journal?.headerEnd ?? 0 };
    if (journal) state.journalIno = journal.ino;
    this.loaded = state;
    // A journal of another generation is not applied: an older one was folded into the file already
    // (a checkpoint stopped between its two renames); a newer one does not belong to this file.
    if (header && header.generation === generation) this.applyRecords(state, journal as JournalRead);
    else if (journal) state.offset = journal.end;
    return state;
  }

  private applyRecords(state: Loaded, journal: JournalRead): void {
    if (journal.records.length) {
      transaction(state.db, () => {
        for (const record of journal.records) applyQuietly(state.db, record as StoreChange);
      });
    }
    state.offset = journal.end;
  }

  /**
   * Writes the copy as the new database file (generation + 1), then a new journal. `linked`: the
   * new journal says which bytes of the old one the file holds, so up-to-date readers need not
   * read the file again (true for a fold of the journal, false when the copy was changed directly).
   */
  private checkpoint(state: Loaded, linked: boolean): void {
    const from = { generation: state.generation, bytes: state.offset };
    const next = Math.max(state.generation, state.journalGeneration) + 1;
    const linkable = linked && state.journalGeneration === from.generation;
    let journal: { ino: number; headerEnd: number };
    try {
      journal = this.writeFiles(state.db, next, linkable ? from : undefined);
    } catch (error) {
      // Whatever was renamed in, the copy stays right; a file left behind is noticed by its generation.
      setJournalGeneration(state.db, state.generation);
      state.dbKey = "rewritten";
      throw error;
    }
    state.generation = next;
    state.dbKey = fileKey(this.file);
    state.journalIno = journal.ino;
    state.journalGeneration = next;
    state.offset = journal.headerEnd;
  }

  /** The database file, then the run ids it holds, then a new journal: each renamed in whole, in this order. */
  private writeFiles(db: Database, generation: number, from?: { generation: number; bytes: number }): { ino: number; headerEnd: number } {
    setJournalGeneration(db, generation);
    let bytes: Uint8Array;
    try {
      bytes = db.export();
    } finally {
      // sql.js reopens the database to export it, which resets the connection's pragmas.
      db.exec("PRAGMA foreign_keys = ON");
    }
    replaceAtomically(this.file, bytes);
    writeRunIds(this.idsFile, generation, fileKey(this.file), runs.allRunIds(db));
    return startJournal(this.journalFile, { mlexpJournal: 1, generation, ...(from ? { from } : {}) });
  }

  /** A training's change is already safe in the journal: a checkpoint that fails (a full disk) waits for the next write. */
  private checkpointQuietly(state: Loaded): void {
    try {
      this.checkpoint(state, true);
    } catch {
      // The journal stays as it is; nothing was lost.
    }
  }

  /** Loads the file (or a new empty database) and brings its schema up to date in memory. */
  private open(SQL: SqlJsStatic): Database {
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

function acquireLock(file: string): Promise<ReleaseLock> {
  return takeLock(file, `The run database ${file}`);
}
