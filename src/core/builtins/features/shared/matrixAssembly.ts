import type { Dataset } from "../../../data/dataset";
import { createMatrix, type Matrix } from "../../../data/matrix";
import { MlexpError } from "../../../util/errors";
import { categoryColumnNames, outputWidth, type CategoricalPlan, type ColumnPlan } from "./columnPlan";
import { categoryCodes, numericValues, type UnknownCategoryHandler } from "./encoding";

/** out = (x - center) * scale + offset: covers Identity, StandardScaler and MinMaxScaler alike. */
export interface Affine {
  readonly center: number;
  readonly scale: number;
  readonly offset: number;
}

export const IDENTITY: Affine = { center: 0, scale: 1, offset: 0 };

export interface AssemblyOptions {
  readonly owner: string;
  /** One per numeric column of the plan, in plan order. */
  readonly affines: readonly Affine[];
  readonly onUnknown?: UnknownCategoryHandler;
}

/**
 * The matrix of every planned column in plan order: numeric ones imputed then put through their
 * affine map, categorical ones one-hot. Filled column by column from typed arrays, so 100,000 rows
 * × 20 columns take a few milliseconds.
 */
export function assembleMatrix(data: Dataset, plan: ColumnPlan, options: AssemblyOptions): Matrix {
  const names = plan.columns.flatMap((column) => (column.kind === "number" ? [column.name] : categoryColumnNames(column)));
  const matrix = allocateMatrix(data.rowCount, names, options.owner);
  let at = 0;
  let numericIndex = 0;
  for (const column of plan.columns) {
    if (column.kind === "number") {
      writeAffine(matrix, at, numericValues(data, column, options.owner), column.mean, options.affines[numericIndex++]);
    } else {
      writeOneHot(matrix, at, data, column, options);
    }
    at += outputWidth(column);
  }
  return matrix;
}

export function writeOneHot(matrix: Matrix, at: number, data: Dataset, column: CategoricalPlan, options: Pick<AssemblyOptions, "owner" | "onUnknown">): void {
  const codes = categoryCodes(data, column, options.owner, options.onUnknown);
  const { data: out, cols } = matrix;
  for (let row = 0; row < codes.length; row++) if (codes[row] >= 0) out[row * cols + at + codes[row]] = 1;
}

/** Imputes on the fly rather than copying the column first: one pass, no temporary array. */
function writeAffine(matrix: Matrix, at: number, values: Float64Array, mean: number, affine: Affine): void {
  const { data: out, cols } = matrix;
  const { center, scale, offset } = affine;
  for (let row = 0; row < values.length; row++) {
    const value = values[row];
    out[row * cols + at] = ((Number.isNaN(value) ? mean : value) - center) * scale + offset;
  }
}

/** A zero matrix, or a clear message when rows × columns cannot be held in memory. */
export function allocateMatrix(rows: number, names: readonly string[], owner: string): Matrix {
  try {
    return createMatrix(rows, names.length, names);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const gigabytes = ((rows * names.length * 8) / 1e9).toFixed(1);
    throw new MlexpError(
      `The ${owner} cannot allocate a ${rows.toLocaleString("en-US")} × ${names.length.toLocaleString("en-US")} feature matrix (${gigabytes} GB).`,
      "invalid_data",
      "Use fewer rows or fewer feature columns.",
    );
  }
}
