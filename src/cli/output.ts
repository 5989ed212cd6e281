/** Everything the CLI prints goes through here, so `--json` output is never mixed with text. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

export function printLine(line = ""): void {
  process.stdout.write(`${line}\n`);
}

/** Notices and warnings go to stderr, leaving stdout to the result. */
export function printNotice(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** NaN and Infinity have no JSON form: say null rather than let JSON.stringify do it silently. */
function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/** A plain text table with columns padded to their widest cell. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, c) => Math.max(header.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, c) => (cell ?? "").padEnd(widths[c])).join("  ").trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function formatNumber(value: unknown): string {
  if (typeof value !== "number") return value === null || value === undefined ? "—" : String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 0.001 ? value.toPrecision(4) : value.toFixed(4);
}

export function formatDuration(start: string, end: string | null): string {
  if (!end) return "—";
  const seconds = (Date.parse(end) - Date.parse(start)) / 1000;
  return seconds < 60 ? `${seconds.toFixed(1)}s` : `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}
