import type { Task } from "../components/model";
import type { Column } from "../data/dataset";
import { MlexpError } from "../util/errors";

export type Label = string | number;

export interface EncodedTarget {
  /** Class indices (classification) or values (regression). */
  y: Float64Array;
  /** The class labels, index i ↔ label classes[i]; empty for regression. */
  classes: Label[];
}

/**
 * Classification: labels (numbers or strings) become indices 0…k-1 in sorted label order, so the
 * same data always gives the same encoding. Regression: the column must be numeric.
 */
export function encodeTarget(column: Column, task: Task): EncodedTarget {
  const missing = countMissing(column);
  if (missing) {
    throw new MlexpError(
      `The target column "${column.name}" has ${missing} missing value(s).`,
      "invalid_data",
      "Drop or fill those rows in the data access object.",
    );
  }
  return task === "regression" ? encodeRegression(column) : encodeClassification(column);
}

function countMissing(column: Column): number {
  let missing = 0;
  const values = column.values;
  // Indexed, not for…of: iterating a Float64Array boxes each double.
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || (typeof value === "number" && Number.isNaN(value))) missing++;
  }
  return missing;
}

function encodeRegression(column: Column): EncodedTarget {
  if (column.kind !== "number") {
    throw new MlexpError(
      `The target column "${column.name}" holds text, but a regression model needs numbers.`,
      "invalid_data",
      "Choose a classification model, or a numeric target.",
    );
  }
  return { y: Float64Array.from(column.values), classes: [] };
}

/**
 * Many distinct numbers, most rows a class of their own (or over 1000 classes): a classifier would
 * have no class with rows to spare for the test part.
 */
function looksContinuous(classes: number[], rows: number): boolean {
  if (classes.length > 1000) return true;
  return classes.length > 20 && classes.length > rows / 2 && classes.some((label) => !Number.isInteger(label));
}

function encodeClassification(column: Column): EncodedTarget {
  const distinct = column.kind === "number" ? distinctNumbers(column.values) : [...new Set<Label>(column.values as ArrayLike<Label> & Iterable<Label>)];
  const classes = column.kind === "number" ? (distinct as number[]).sort((a, b) => a - b) : (distinct as string[]).sort();
  if (classes.length < 2) {
    throw new MlexpError(
      `The target column "${column.name}" has a single class (${JSON.stringify(classes[0])}); a classifier needs at least two.`,
      "invalid_data",
      "Check the data access object's filter or choose another target.",
    );
  }
  if (column.kind === "number" && looksContinuous(classes as number[], column.values.length)) {
    throw new MlexpError(
      `The target column "${column.name}" has ${classes.length} distinct numbers in ${column.values.length} rows (such as ${(classes as number[]).slice(0, 3).join(", ")}): it looks continuous, not like classes.`,
      "invalid_data",
      "Use a regression model (e.g. LinearRegression), or bin the target into classes.",
    );
  }
  if (column.kind === "string" && classes.length > 20 && classes.length > column.values.length / 2) {
    throw new MlexpError(
      `The target column "${column.name}" has ${classes.length} distinct values in ${column.values.length} rows: almost every row is a class of its own.`,
      "invalid_data",
      "Is it an identifier or free text? Choose the column that holds the classes.",
    );
  }
  if (column.kind === "number" && classes.length <= FEW_CLASSES) return { y: numberIndices(column.values, classes as number[]), classes };
  const index = new Map<Label, number>(classes.map((label, i) => [label, i]));
  const y = new Float64Array(column.values.length);
  for (let i = 0; i < y.length; i++) y[i] = index.get(column.values[i] as Label) as number;
  return { y, classes };
}

/**
 * Up to this many classes, a numeric target is read by looking each value up in a short array: a
 * Set or Map of doubles boxes every value it is given (7 ms for 100,000 rows of two classes, on
 * every training, against ~1 ms).
 */
const FEW_CLASSES = 64;

/** The distinct values, in order of first appearance, -0 as 0 (as a Set gives them). */
function distinctNumbers(values: Float64Array): number[] {
  const seen: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (seen.includes(value)) continue;
    if (seen.length === FEW_CLASSES) return [...new Set(values)];
    seen.push(value === 0 ? 0 : value);
  }
  return seen;
}

function numberIndices(values: Float64Array, classes: number[]): Float64Array {
  const y = new Float64Array(values.length);
  for (let i = 0; i < y.length; i++) y[i] = classes.indexOf(values[i]);
  return y;
}
