import type { FieldValue } from "../../shared/compare/fields";

/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) gets a
 * leading apostrophe, as OWASP recommends against CSV injection; numbers stay numbers.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, FieldValue>[]): string {
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) lines.push(columns.map((column) => csvCell(row[column] ?? null)).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: FieldValue | string): string {
  if (value === null) return "";
  const text = typeof value === "string" && FORMULA_START.test(value) ? `'${value}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
