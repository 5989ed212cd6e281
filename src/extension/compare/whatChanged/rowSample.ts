import type { DataDiff } from "../../../core/diff/types";

type ChangedData = Extract<DataDiff, { status: "changed" }>;

/**
 * The sample of changed rows as CSV: one line per row version, `change` and `run` first (a changed
 * row has its line from the base run, then its line from the other run), then every column either
 * version has. Values are quoted when they need it.
 */
export function rowSampleCsv(data: ChangedData): string {
  const columns = [...new Set(data.sample.flatMap((row) => [...Object.keys(row.a ?? {}), ...Object.keys(row.b ?? {})]))];
  const lines = [["change", "run", ...columns, "changed columns"]];
  for (const row of data.sample) {
    const changed = (row.columns ?? []).join(" ");
    if (row.a) lines.push([row.change, "base", ...columns.map((c) => text(row.a?.[c])), changed]);
    if (row.b) lines.push([row.change, "other", ...columns.map((c) => text(row.b?.[c])), changed]);
  }
  return `${lines.map((cells) => cells.map(quote).join(",")).join("\n")}\n`;
}

function text(value: unknown): string {
  return value === null || value === undefined ? "" : String(value);
}

function quote(cell: string): string {
  return /[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
