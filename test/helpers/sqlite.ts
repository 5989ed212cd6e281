import * as fs from "node:fs";
import initSqlJs from "sql.js";

/** Reads rows straight from a SQLite file on disk, independently of mlexp's store code. */
export async function queryDatabaseFile(file: string, sql: string): Promise<Record<string, unknown>[]> {
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
