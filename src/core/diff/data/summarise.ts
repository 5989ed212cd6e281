import type { Column, Dataset } from "../../data/dataset";
import { isPlainObject } from "../../util/json";
import type { ColumnSummary, DataSummary } from "../types";

/**
 * Per-column figures of a dataset, recorded with each run (`details.data_summary`) so that two runs'
 * data can be compared without reading either dataset again. One pass per column.
 */
export function summariseDataset(dataset: Dataset): DataSummary {
  return { rows: dataset.rowCount, target: dataset.target, columns: dataset.columns.map(summariseColumn) };
}

export function summariseColumn(column: Column): ColumnSummary {
  return column.kind === "number" ? numericSummary(column.name, column.values) : textSummary(column.name, column.values);
}

function numericSummary(name: string, values: Float64Array): ColumnSummary {
  // Welford's update: one pass, and no loss of precision on large, offset values.
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) continue;
    count++;
    const delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const present = count > 0;
  return {
    name,
    kind: "number",
    count,
    missing: values.length - count,
    mean: present ? mean : null,
    std: present ? Math.sqrt(m2 / count) : null,
    min: present ? min : null,
    max: present ? max : null,
  };
}

function textSummary(name: string, values: readonly (string | null)[]): ColumnSummary {
  const distinct = new Set<string>();
  let missing = 0;
  for (const value of values) {
    if (value === null) missing++;
    else distinct.add(value);
  }
  return { name, kind: "string", count: values.length - missing, missing, categories: distinct.size };
}

/** A run's recorded data summary, if it has one of the expected shape. */
export function recordedSummary(details: unknown): DataSummary | undefined {
  const summary = isPlainObject(details) ? details.data_summary : undefined;
  if (!isPlainObject(summary) || typeof summary.rows !== "number" || !Array.isArray(summary.columns)) return undefined;
  return summary as unknown as DataSummary;
}
