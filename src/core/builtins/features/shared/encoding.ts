import type { Column, Dataset } from "../../../data/dataset";
import { MlexpError } from "../../../util/errors";
import { didYouMean } from "../../../util/suggest";
import { categoryKey, type CategoricalPlan, type NumericPlan } from "./columnPlan";

/** The column a plan was fitted on, in the dataset being transformed. */
export function fittedColumn(data: Dataset, name: string, owner: string): Column {
  if (data.has(name)) return data.column(name);
  const names = data.columns.map((column) => column.name);
  throw new MlexpError(
    `The ${owner} was fitted on a column "${name}" that this dataset does not have.${didYouMean(name, names)}`,
    "invalid_data",
    "Transform data with the same columns as the training data.",
  );
}

/** The column's values as numbers, NaN where missing: the dataset's own array when it is numeric. */
export function numericValues(data: Dataset, plan: NumericPlan, owner: string): Float64Array {
  const column = fittedColumn(data, plan.name, owner);
  return column.kind === "number" ? column.values : parseNumbers(column.values, plan.name, owner);
}

/** The column's values with missing ones replaced by the training mean; always a fresh array. */
export function imputedValues(data: Dataset, plan: NumericPlan, owner: string): Float64Array {
  const values = numericValues(data, plan, owner).slice();
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) values[i] = plan.mean;
  return values;
}

/**
 * A column that was numeric in the training rows but is text here (new data with a stray value):
 * numeric texts still count, anything else is an error rather than a silent guess.
 */
function parseNumbers(texts: readonly (string | null)[], name: string, owner: string): Float64Array {
  const values = new Float64Array(texts.length);
  texts.forEach((text, row) => {
    if (text === null || text.trim() === "") values[row] = NaN;
    else if (Number.isFinite(Number(text))) values[row] = Number(text);
    else {
      throw new MlexpError(
        `Column "${name}" was numeric when the ${owner} was fitted, but row ${row + 1} holds the text ${JSON.stringify(text)}.`,
        "invalid_data",
        "Fix or remove that value (an empty cell is a missing value and is imputed).",
      );
    }
  });
  return values;
}

export type UnknownCategoryHandler = (column: string, value: string, row: number) => void;

/** Per row, the output slot of its category: -1 when missing or unseen (all zeros). */
export function categoryCodes(data: Dataset, plan: CategoricalPlan, owner: string, onUnknown?: UnknownCategoryHandler): Int32Array {
  const column = fittedColumn(data, plan.name, owner);
  const slots = new Map(plan.categories.map((category, slot) => [category, slot]));
  const otherSlot = plan.other ? plan.categories.length : -1;
  const codes = new Int32Array(data.rowCount);
  for (let row = 0; row < codes.length; row++) {
    const key = categoryKey(column.values[row]);
    if (key === null) codes[row] = -1;
    else codes[row] = slots.get(key) ?? unknownSlot(plan, key, row, otherSlot, onUnknown);
  }
  return codes;
}

function unknownSlot(plan: CategoricalPlan, key: string, row: number, otherSlot: number, onUnknown?: UnknownCategoryHandler): number {
  // With grouping on, "(other)" means "any category not listed", seen in training or not.
  if (otherSlot >= 0) return otherSlot;
  onUnknown?.(plan.name, key, row);
  return -1;
}
