import * as fs from "node:fs";
import initSqlJs, { type QueryExecResult } from "sql.js";
import { RunDatabase } from "../../src/core/store/database";

/**
 * Reads rows of a workspace's run database as mlexp sees it: the file with its journal applied
 * (recent writes are in `.mlexp/mlexp.journal` until a checkpoint folds them into the file).
 */
export async function queryDatabaseFile(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = new RunDatabase(file);
  try {
    return await db.read((sqlite) => rowsOf(sqlite.exec(sql)[0]));
  } finally {
    db.close();
  }
}

function rowsOf(result: QueryExecResult | undefined): Record<string, unknown>[] {
  if (!result) return [];
  return result.values.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
}

/** Reads rows straight from a SQLite file on disk, independently of mlexp's store code. */
export async function queryRawDatabaseFile(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    const result = db.exec(sql)[0];
    if (!result) return [];
    return result.values.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
  } finally {
    db.close();
  }
}

/** Writes a SQLite file with one table, for the SqliteQuery data access object. */
export async function writeSqliteFile(file: string, createAndInsert: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(createAndInsert);
  fs.writeFileSync(file, db.export());
  db.close();
}
