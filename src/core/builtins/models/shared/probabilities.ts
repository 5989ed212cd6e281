import { createMatrix, type Matrix } from "../../../data/matrix";

export function sigmoid(z: number): number {
  // Two branches so that exp never overflows for large |z|.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Replaces values[offset … offset+k) by their softmax; subtracting the largest first keeps exp finite. */
export function softmaxInPlace(values: Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) if (values[offset + c] > max) max = values[offset + c];
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(values[offset + c] - max);
    values[offset + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) values[offset + c] /= sum;
}

/** An n×k probability matrix whose columns are named after the class indices. */
export function probabilityMatrix(rows: number, classes: number): Matrix {
  return createMatrix(
    rows,
    classes,
    Array.from({ length: classes }, (_, c) => `class_${c}`),
  );
}

/** Class index of each row's largest probability; ties go to the lowest index. */
export function argmaxRows(proba: Matrix): Float64Array {
  const out = new Float64Array(proba.rows);
  const k = proba.cols;
  for (let i = 0; i < proba.rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba.data[i * k + c] > proba.data[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}
