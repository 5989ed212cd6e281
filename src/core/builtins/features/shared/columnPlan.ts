import type { Column, Dataset } from "../../../data/dataset";
import { MlexpError } from "../../../util/errors";
import { numericStats } from "./numericStats";

/**
 * The shared rule that lets any feature generator work on any dataset, learned by `fit` from the
 * training rows and saved with the generator's state:
 * - the target column is never part of the plan (only `dataset.featureColumns` are);
 * - a numeric column remembers its training mean, which replaces missing values (NaN);
 * - a text column (or a numeric one the user wants treated as categorical) remembers its
 *   categories and becomes one 0/1 column per category; a missing value, or a category the
 *   training rows never had, is all zeros.
 */
export interface NumericPlan {
  readonly name: string;
  readonly kind: "number";
  /** Training mean of the present values (0 when the column had none): imputes missing values. */
  readonly mean: number;
}

export interface CategoricalPlan {
  readonly name: string;
  readonly kind: "category";
  /** One output column each, in this (sorted) order. */
  readonly categories: readonly string[];
  /** True when rarer categories were grouped: an extra "(other)" column takes every other value. */
  readonly other: boolean;
}

export type PlannedColumn = NumericPlan | CategoricalPlan;

export interface ColumnPlan {
  readonly columns: readonly PlannedColumn[];
}

export interface PlanOptions {
  /** Numeric columns to encode by value, like text. */
  readonly categorical?: ReadonlySet<string>;
  /** At most this many output columns per categorical column, "(other)" included. */
  readonly maxCategories?: number;
  /** Who is fitting, for messages: `feature generator "Identity"`. */
  readonly owner: string;
}

/** More feature columns than this is almost always an identifier or free text one-hot encoded. */
export const MAX_OUTPUT_COLUMNS = 10_000;

export const OTHER_CATEGORY = "(other)";

export function fitColumnPlan(data: Dataset, options: PlanOptions): ColumnPlan {
  const columns = data.featureColumns.map((column): PlannedColumn => {
    if (column.kind === "number" && !options.categorical?.has(column.name)) {
      return { name: column.name, kind: "number", mean: numericStats(column.values).mean };
    }
    return planCategories(column, options.maxCategories);
  });
  checkWidth(columns, options.owner);
  return { columns };
}

/** How many matrix columns a planned column becomes. */
export function outputWidth(column: PlannedColumn): number {
  return column.kind === "number" ? 1 : column.categories.length + (column.other ? 1 : 0);
}

/** "color=red", …, "color=(other)". */
export function categoryColumnNames(column: CategoricalPlan): string[] {
  const names = column.categories.map((category) => `${column.name}=${category}`);
  if (column.other) names.push(`${column.name}=${OTHER_CATEGORY}`);
  return names;
}

function planCategories(column: Column, maxCategories: number | undefined): CategoricalPlan {
  const counts = countCategories(column);
  const byName = [...counts.keys()].sort(column.kind === "number" ? byNumericValue : byCodeUnits);
  if (maxCategories === undefined || byName.length <= maxCategories) {
    return { name: column.name, kind: "category", categories: byName, other: false };
  }
  // The most frequent (ties: first by name) keep their own column; "(other)" takes the rest.
  const kept = new Set([...byName].sort((a, b) => (counts.get(b) as number) - (counts.get(a) as number)).slice(0, maxCategories - 1));
  return { name: column.name, kind: "category", categories: byName.filter((name) => kept.has(name)), other: true };
}

function countCategories(column: Column): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of column.values) {
    const key = categoryKey(value);
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** The category a cell falls in: its text, or the text of its number; null when missing. */
export function categoryKey(value: string | number | null): string | null {
  if (value === null || (typeof value === "number" && Number.isNaN(value))) return null;
  return String(value);
}

function byNumericValue(a: string, b: string): number {
  return Number(a) - Number(b);
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkWidth(columns: readonly PlannedColumn[], owner: string): void {
  const total = columns.reduce((sum, column) => sum + outputWidth(column), 0);
  if (total <= MAX_OUTPUT_COLUMNS) return;
  const widest = columns
    .filter((column): column is CategoricalPlan => column.kind === "category")
    .sort((a, b) => outputWidth(b) - outputWidth(a))
    .slice(0, 3)
    .map((column) => `"${column.name}" has ${column.categories.length.toLocaleString("en-US")} distinct values`);
  throw new MlexpError(
    `The ${owner} would make ${total.toLocaleString("en-US")} feature columns, more than ${MAX_OUTPUT_COLUMNS.toLocaleString("en-US")}: every distinct text value becomes a one-hot column (${widest.join("; ")}).`,
    "invalid_data",
    'A column with that many values is usually an identifier or free text: leave it out with the data access object\'s "columns" parameter, or use OneHotEncoder with "maxCategories".',
  );
}

export function numericColumns(plan: ColumnPlan): NumericPlan[] {
  return plan.columns.filter((column): column is NumericPlan => column.kind === "number");
}
