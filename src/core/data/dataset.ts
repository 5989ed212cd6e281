import { MlexpError } from "../util/errors";
import { didYouMean } from "../util/suggest";

/**
 * What a data access object returns: named columns plus the name of the target column. Numeric
 * columns are Float64Arrays (a missing value is NaN); anything else is a string column (a missing
 * value is null). Columnar storage keeps a 200 MB dataset at about its raw size in memory.
 */
export type Column = NumericColumn | StringColumn;

export interface NumericColumn {
  readonly name: string;
  readonly kind: "number";
  readonly values: Float64Array;
}

export interface StringColumn {
  readonly name: string;
  readonly kind: "string";
  readonly values: readonly (string | null)[];
}

export type CellValue = number | string | null;

export class Dataset {
  readonly rowCount: number;
  private readonly byName: Map<string, Column>;

  constructor(
    readonly columns: readonly Column[],
    readonly target: string,
  ) {
    this.byName = new Map(columns.map((column) => [column.name, column]));
    if (this.byName.size !== columns.length) {
      throw new MlexpError("The dataset has two columns with the same name.", "invalid_data", "Rename one of them.");
    }
    this.rowCount = columns.length ? columns[0].values.length : 0;
    for (const column of columns) {
      if (column.values.length !== this.rowCount) {
        throw new MlexpError(
          `Column "${column.name}" has ${column.values.length} values but the dataset has ${this.rowCount} rows.`,
          "invalid_data",
        );
      }
    }
    if (!this.byName.has(target)) {
      const names = columns.map((c) => c.name);
      throw new MlexpError(
        `The target column "${target}" is not in the dataset.${didYouMean(target, names)}`,
        "invalid_data",
        `Its columns are: ${names.join(", ") || "(none)"}.`,
      );
    }
  }

  column(name: string): Column {
    const column = this.byName.get(name);
    if (!column) {
      const names = this.columns.map((c) => c.name);
      throw new MlexpError(`The dataset has no column "${name}".${didYouMean(name, names)}`, "invalid_data");
    }
    return column;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get targetColumn(): Column {
    return this.column(this.target);
  }

  /** Every column except the target: what feature generators work on. */
  get featureColumns(): Column[] {
    return this.columns.filter((column) => column.name !== this.target);
  }

  /** The rows at `indices`, in that order. */
  take(indices: ArrayLike<number>): Dataset {
    return new Dataset(
      this.columns.map((column) => takeColumn(column, indices)),
      this.target,
    );
  }

  /** One row as an object (for previews and error messages, not for bulk work). */
  row(index: number): Record<string, CellValue> {
    const out: Record<string, CellValue> = {};
    for (const column of this.columns) out[column.name] = cellAt(column, index);
    return out;
  }

  /** Builds a dataset from row objects, inferring which columns are numeric. */
  static fromRows(rows: readonly Record<string, unknown>[], target: string, columnNames?: readonly string[]): Dataset {
    const names = columnNames ?? (rows.length ? Object.keys(rows[0]) : []);
    return new Dataset(
      names.map((name) => inferColumn(name, rows.map((row) => row[name]))),
      target,
    );
  }

  /** Builds a dataset from column arrays, inferring which columns are numeric. */
  static fromColumns(columns: Record<string, readonly unknown[]>, target: string): Dataset {
    return new Dataset(
      Object.entries(columns).map(([name, values]) => inferColumn(name, values)),
      target,
    );
  }
}

export function cellAt(column: Column, index: number): CellValue {
  if (column.kind === "number") {
    const value = column.values[index];
    return Number.isNaN(value) ? null : value;
  }
  return column.values[index];
}

function takeColumn(column: Column, indices: ArrayLike<number>): Column {
  if (column.kind === "number") {
    const values = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) values[i] = column.values[indices[i]];
    return { name: column.name, kind: "number", values };
  }
  const values: (string | null)[] = new Array(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = column.values[indices[i]];
  return { name: column.name, kind: "string", values };
}

function isMissing(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (typeof value === "number" && Number.isNaN(value));
}

/** A numeric column when every present value reads as a finite number; a string column otherwise. */
export function inferColumn(name: string, raw: readonly unknown[]): Column {
  const numeric = new Float64Array(raw.length);
  let allNumeric = true;
  for (let i = 0; i < raw.length && allNumeric; i++) {
    const value = raw[i];
    if (isMissing(value)) numeric[i] = NaN;
    else if (typeof value === "number" && Number.isFinite(value)) numeric[i] = value;
    else if (typeof value === "boolean") numeric[i] = value ? 1 : 0;
    else if (typeof value === "string" && isNumericText(value)) numeric[i] = Number(value);
    else allNumeric = false;
  }
  if (allNumeric) return { name, kind: "number", values: numeric };
  return { name, kind: "string", values: raw.map((value) => (isMissing(value) ? null : String(value))) };
}

function isNumericText(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed));
}
