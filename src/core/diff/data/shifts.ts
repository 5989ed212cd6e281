import type { ColumnShift, ColumnSummary, DataSummary } from "../types";

/** Relative differences below this are rounding, not a shift (a mean re-computed over the same rows). */
const RELATIVE_EPSILON = 1e-12;

/**
 * How each column both versions have moved: mean, standard deviation, missing values, number of
 * categories — only the figures that differ, and only the columns where something does.
 */
export function columnShifts(a: DataSummary, b: DataSummary): ColumnShift[] {
  const inB = new Map(b.columns.map((column) => [column.name, column]));
  const shifts: ColumnShift[] = [];
  for (const columnA of a.columns) {
    const columnB = inB.get(columnA.name);
    if (!columnB || columnB.kind !== columnA.kind) continue;
    const shift = shiftOf(columnA, columnB);
    if (shift) shifts.push(shift);
  }
  return shifts;
}

function shiftOf(a: ColumnSummary, b: ColumnSummary): ColumnShift | undefined {
  const shift: ColumnShift = { name: a.name, kind: a.kind, ...(a.kind === "number" ? numericShift(a, b) : categoryShift(a, b)) };
  if (a.missing !== b.missing) shift.missing = [a.missing, b.missing];
  return shift.mean || shift.std || shift.missing || shift.categories ? shift : undefined;
}

function numericShift(a: ColumnSummary, b: ColumnSummary): Partial<ColumnShift> {
  const mean = [a.mean ?? null, b.mean ?? null] as [number | null, number | null];
  const std = [a.std ?? null, b.std ?? null] as [number | null, number | null];
  return { ...(close(mean[0], mean[1]) ? {} : { mean }), ...(close(std[0], std[1]) ? {} : { std }) };
}

function categoryShift(a: ColumnSummary, b: ColumnSummary): Partial<ColumnShift> {
  const categories: [number, number] = [a.categories ?? 0, b.categories ?? 0];
  return categories[0] === categories[1] ? {} : { categories };
}

function close(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== "number" || typeof b !== "number") return false;
  return Math.abs(a - b) <= RELATIVE_EPSILON * Math.max(1, Math.abs(a), Math.abs(b));
}
