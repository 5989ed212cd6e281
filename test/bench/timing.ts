import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const CLI = path.join(REPO_ROOT, "dist", "cli.js");

/** Median of several timings: these machines are noisy, one sample says little. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function timeIt<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Runs a process to completion and returns its wall time and output; throws if it fails. */
export function timeProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

export function printTable(title: string, headers: string[], rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatFigure(cell) : cell)));
  const widths = headers.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  console.log(`\n${title}`);
  console.log(headers.map((h, c) => h.padEnd(widths[c])).join("  "));
  for (const row of cells) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  "));
}

function formatFigure(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(3);
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);
