import type { FieldValue } from "./fields";

/** The part of a comparison (the library's `compareRuns`) these helpers read. */
interface ComparedFields {
  fields: string[];
  common: Record<string, FieldValue>;
}

/**
 * The table's columns: every field some run has a value for, or with `differencesOnly` the fields
 * where the runs do not all agree. Fields that identify a run (run_id, start time, duration) are
 * never "common", so they stay either way and each row can still be told apart.
 */
export function visibleFields(comparison: ComparedFields, differencesOnly: boolean): string[] {
  const { common } = comparison;
  return comparison.fields.filter((field) => !(field in common) || (!differencesOnly && common[field] !== null));
}

/** What the runs share, without the fields none of them has a value for (an empty "Reproduces" says nothing). */
export function sharedValues(comparison: Pick<ComparedFields, "common">): Record<string, FieldValue> {
  return Object.fromEntries(Object.entries(comparison.common).filter(([, value]) => value !== null));
}

/** Two cells hold the same value; a missing field equals only another missing field. */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const left = a ?? null;
  const right = b ?? null;
  if (typeof left === "number" && typeof right === "number" && Number.isNaN(left) && Number.isNaN(right)) return true;
  return left === right;
}

/**
 * For each row, the fields (of `fields`) whose value differs from the reference row's — the cells
 * to highlight. The reference is the run the others are read against (the best one, in the
 * panel); its own set is empty. Without a reference row nothing is highlighted.
 */
export function differingCells(rows: readonly Record<string, FieldValue>[], fields: readonly string[], reference: number): Set<string>[] {
  const base = rows[reference];
  if (!base) return rows.map(() => new Set<string>());
  return rows.map((row, i) => {
    const differs = new Set<string>();
    if (i === reference) return differs;
    for (const field of fields) if (!sameValue(row[field], base[field])) differs.add(field);
    return differs;
  });
}
