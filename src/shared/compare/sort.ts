import type { FieldValue } from "./fields";

export type SortDirection = "ascending" | "descending";

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/**
 * Orders two present field values: numbers numerically, booleans false before true, text
 * naturally ("run2" before "run10"); a number sorts before text, so a mixed column stays grouped.
 */
export function compareFieldValues(a: FieldValue, b: FieldValue): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) || Number.isNaN(b) ? nanLast(a, b) : a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const kind = kindOrder(a) - kindOrder(b);
  return kind || collator.compare(String(a), String(b));
}

function nanLast(a: number, b: number): number {
  return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
}

function kindOrder(value: string | number | boolean): number {
  return typeof value === "number" ? 0 : typeof value === "boolean" ? 1 : 2;
}

function isMissing(value: FieldValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === "number" && Number.isNaN(value));
}

/**
 * The order of `rows` by one field, as indices into `rows`. Stable (equal values keep their
 * order), and rows without the field come last whichever the direction: an empty cell is never
 * the "best" nor the "worst" value.
 */
export function sortRowIndices(rows: readonly Record<string, FieldValue>[], field: string, direction: SortDirection): number[] {
  const sign = direction === "ascending" ? 1 : -1;
  const indices = rows.map((_, i) => i);
  return indices.sort((i, j) => {
    const a = rows[i][field];
    const b = rows[j][field];
    const missing = Number(isMissing(a)) - Number(isMissing(b));
    if (missing) return missing;
    if (isMissing(a)) return i - j;
    return sign * compareFieldValues(a as FieldValue, b as FieldValue) || i - j;
  });
}
