import * as fs from "node:fs";
import type { Database, SqlValue, Statement } from "sql.js";
import { DataAccessObject, type LoadContext } from "../../components/dataAccessObject";
import { param, type ParamValues, type RawParams } from "../../components/params";
import { Dataset } from "../../data/dataset";
import { MlexpError, messageOf } from "../../util/errors";
import { loadSqlJs } from "../../util/sqljs";
import { ColumnBuilder } from "./shared/columnBuilder";
import { selectColumns } from "./shared/columnSelection";
import { resolveInputFile } from "./shared/files";

const spec = {
  path: param.string({ required: true, description: "The SQLite database file (.sqlite, .db), relative to the workspace folder or absolute." }),
  query: param.string({ required: true, description: "The SQL query whose result is the dataset, e.g. SELECT * FROM houses." }),
  target: param.string({ required: true, description: "The result column to predict." }),
};

/**
 * The result of one SQL query on a SQLite file, read with sql.js. The file is read into memory and
 * never written back, whatever the query does. NULL is a missing value; column types follow the
 * values (numeric when every non-NULL value is a number or numeric text), as for the other sources.
 */
export class SqliteQuery extends DataAccessObject<ParamValues<typeof spec>> {
  static override readonly params = spec;
  static override readonly description = "Runs an SQL query on a SQLite database file; NULL is a missing value.";

  constructor(params: RawParams = {}) {
    super(params);
    if (this.params.query.trim() === "") {
      throw new MlexpError(
        'Invalid parameters for data access object "SqliteQuery": parameter "query" is empty.',
        "invalid_params",
        'Give the SQL that selects the dataset, e.g. "SELECT * FROM houses".',
      );
    }
  }

  async load(context: LoadContext): Promise<Dataset> {
    const file = resolveInputFile(context, this.params.path, "SqliteQuery");
    const source = `the query result on "${this.params.path}"`;
    const SQL = await loadSqlJs();
    const db = new SQL.Database(fs.readFileSync(file));
    try {
      const statement = this.prepare(db);
      try {
        return this.readResult(statement, source, file);
      } finally {
        statement.free();
      }
    } finally {
      db.close();
    }
  }

  private prepare(db: Database): Statement {
    try {
      return db.prepare(this.params.query);
    } catch (error) {
      throw this.explainSqlError(error);
    }
  }

  private readResult(statement: Statement, source: string, file: string): Dataset {
    const names = statement.getColumnNames();
    checkDistinctNames(names, this.params.path);
    const kept = new Set(selectColumns({ available: names, target: this.params.target, source }));
    const picks = names.flatMap((name, index) => (kept.has(name) ? [{ index, builder: new ColumnBuilder(name) }] : []));
    let rows = 0;
    try {
      while (statement.step()) {
        const values = statement.get();
        for (const { index, builder } of picks) builder.push(cellValue(values[index], names[index], this.params.path));
        rows++;
      }
    } catch (error) {
      throw error instanceof MlexpError ? error : this.explainSqlError(error);
    }
    if (rows === 0) {
      throw new MlexpError(
        `The query on "${this.params.path}" returned no rows: the dataset is empty.`,
        "invalid_data",
        `Check its WHERE clause and that the table has data (file: ${file}).`,
      );
    }
    return new Dataset(
      picks.map(({ builder }) => builder.build()),
      this.params.target,
    );
  }

  private explainSqlError(error: unknown): MlexpError {
    const message = messageOf(error);
    if (/file is not a database|database disk image is malformed/i.test(message)) {
      return new MlexpError(
        `"${this.params.path}" is not a SQLite database (sqlite says: ${message}).`,
        "invalid_data",
        'Point "path" at a .sqlite or .db file; for CSV or JSON Lines files use CsvFile or JsonLines.',
      );
    }
    return new MlexpError(
      `The query on "${this.params.path}" failed: ${message}.`,
      "invalid_params",
      `Check the "query" parameter: ${this.params.query}`,
    );
  }
}

function cellValue(value: SqlValue, column: string, file: string): unknown {
  if (value instanceof Uint8Array) {
    throw new MlexpError(
      `The query on "${file}" returns binary data (a BLOB) in column "${column}", which cannot be a feature.`,
      "invalid_data",
      `Leave it out of the SELECT, or convert it, e.g. hex(${column}) or CAST(${column} AS TEXT).`,
    );
  }
  return value;
}

function checkDistinctNames(names: readonly string[], file: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new MlexpError(
        `The query on "${file}" returns two columns named "${name}".`,
        "invalid_params",
        `Give one of them another name with AS, e.g. "SELECT a.${name}, b.${name} AS ${name}_2 …".`,
      );
    }
    seen.add(name);
  }
}
