import { componentName } from "../../../components/component";
import { MlexpError } from "../../../util/errors";
import { isPlainObject, type JsonObject, type JsonValue } from "../../../util/json";
import type { ColumnPlan, PlannedColumn } from "./columnPlan";

/**
 * Saving and restoring what `fit` learned. Numbers go through JSON unchanged (JSON.stringify
 * prints the shortest text that reads back as the same double), so a restored generator
 * transforms bit for bit like the one that was fitted.
 */
export function planToJson(plan: ColumnPlan): JsonObject {
  return {
    columns: plan.columns.map((column): JsonObject =>
      column.kind === "number"
        ? { name: column.name, kind: "number", mean: column.mean }
        : { name: column.name, kind: "category", categories: [...column.categories], other: column.other },
    ),
  };
}

export function planFromJson(value: unknown, owner: string): ColumnPlan {
  const plan = stateObject(value, owner, "the plan");
  const columns = plan.columns;
  if (!Array.isArray(columns)) throw invalidState(owner, '"columns" must be an array');
  return { columns: columns.map((column, index) => plannedColumn(column, owner, `columns[${index}]`)) };
}

function plannedColumn(value: unknown, owner: string, where: string): PlannedColumn {
  const column = stateObject(value, owner, where);
  const name = column.name;
  if (typeof name !== "string") throw invalidState(owner, `${where}.name must be a string`);
  if (column.kind === "number") return { name, kind: "number", mean: stateNumber(column.mean, owner, `${where}.mean`) };
  if (column.kind === "category") {
    const categories = column.categories;
    if (!Array.isArray(categories) || !categories.every((category) => typeof category === "string")) {
      throw invalidState(owner, `${where}.categories must be an array of strings`);
    }
    return { name, kind: "category", categories: categories as string[], other: column.other === true };
  }
  throw invalidState(owner, `${where}.kind must be "number" or "category"`);
}

export function stateObject(value: unknown, owner: string, what: string): Record<string, JsonValue> {
  if (!isPlainObject(value)) throw invalidState(owner, `${what} must be an object`);
  return value as Record<string, JsonValue>;
}

export function stateNumber(value: unknown, owner: string, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidState(owner, `${what} must be a finite number`);
  return value;
}

/** A list with one finite number per numeric column of the plan. */
export function stateNumbers(value: unknown, length: number, owner: string, what: string): number[] {
  if (!Array.isArray(value) || value.length !== length) throw invalidState(owner, `${what} must be an array of ${length} numbers`);
  return value.map((item, index) => stateNumber(item, owner, `${what}[${index}]`));
}

export function invalidState(owner: string, detail: string): MlexpError {
  return new MlexpError(
    `The saved state of the ${owner} is not valid: ${detail}.`,
    "invalid_data",
    "Pass setState() exactly what getState() returned after fit().",
  );
}

export function notFitted(owner: string): MlexpError {
  return new MlexpError(
    `The ${owner} was asked to transform data before it was fitted.`,
    "invalid_argument",
    "Call fit(trainingData) first, or restore a fitted state with setState().",
  );
}

/** `feature generator "StandardScaler"`, for messages: the name it is registered under. */
export function ownerOf(generator: object): string {
  return `feature generator "${componentName(generator)}"`;
}

/** Reads `{ plan, …extra }` as written by a generator's getState(). */
export function readPlanState(state: JsonValue, owner: string): { plan: ColumnPlan; fields: Record<string, JsonValue> } {
  const fields = stateObject(state, owner, "the state");
  return { plan: planFromJson(fields.plan, owner), fields };
}
