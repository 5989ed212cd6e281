/**
 * A dense numeric matrix in row-major order: what feature generators produce and models consume.
 * `names` labels the columns (feature names), so a model's weights can be read back by name.
 */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly names: readonly string[];
}

export function createMatrix(rows: number, cols: number, names?: readonly string[]): Matrix {
  return {
    data: new Float64Array(rows * cols),
    rows,
    cols,
    names: names ?? Array.from({ length: cols }, (_, j) => `x${j}`),
  };
}

export function matrixFromRows(rows: readonly (readonly number[])[], names?: readonly string[]): Matrix {
  const cols = rows.length ? rows[0].length : (names?.length ?? 0);
  const matrix = createMatrix(rows.length, cols, names);
  rows.forEach((row, i) => matrix.data.set(row, i * cols));
  return matrix;
}

/** The rows at `indices`, in that order. */
export function takeRows(matrix: Matrix, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, matrix.cols, matrix.names);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * matrix.cols;
    out.data.set(matrix.data.subarray(from, from + matrix.cols), i * matrix.cols);
  }
  return out;
}

export function rowOf(matrix: Matrix, i: number): Float64Array {
  return matrix.data.subarray(i * matrix.cols, (i + 1) * matrix.cols);
}

export function takeValues(values: Float64Array, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}

/** Row-major nested arrays, for libraries that want them. */
export function toNestedRows(matrix: Matrix): number[][] {
  const out: number[][] = new Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++) out[i] = Array.from(rowOf(matrix, i));
  return out;
}
