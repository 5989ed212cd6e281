import type { FieldValue } from "../../src/shared/compare/fields";
import { toCsv } from "../../src/core/compare/csv";
import { RANK_COLUMN } from "./table/columns";
import type { TableModel } from "./tableModel";

/**
 * The table as CSV: the columns and rows the user sees (filter, sort and "differences only"
 * applied), with full values rather than the shortened ones in the cells. The dirty flag, shown
 * inside the Code cell, gets its own column.
 */
export function tableCsv(model: TableModel): string {
  const columns = model.columns.flatMap((column) => (column.key === "githash" ? ["githash", "dirty"] : [column.key]));
  const rows = model.rows.map((row): Record<string, FieldValue> => ({ ...row.fields, [RANK_COLUMN]: row.rank.rank }));
  return toCsv(columns, rows);
}

export function csvFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `mlexp-comparison-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.csv`;
}
