export interface NumericStats {
  /** How many values were present (not NaN). */
  readonly count: number;
  readonly mean: number;
  /** Population standard deviation (divides by count), as scikit-learn's StandardScaler. */
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Statistics of the present values, missing ones (NaN) ignored. A column with no value at all gets
 * zeros, so that what is derived from it (imputation, scaling) stays finite and JSON-safe. Two
 * passes, because the one-pass variance formula loses precision on large offsets.
 */
export function numericStats(values: Float64Array): NumericStats {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isNaN(value)) continue;
    count++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (count === 0) return { count, mean: 0, std: 0, min: 0, max: 0 };
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isNaN(value)) squares += (value - mean) * (value - mean);
  }
  return { count, mean, std: Math.sqrt(squares / count), min, max };
}
