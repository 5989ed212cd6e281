import * as path from "node:path";
import type { RunSummary } from "../../../src/protocol/language";
import type { FeatureContext } from "../../../src/server/features/context";
import { LinkedIndex } from "../../../src/server/index/linkedIndex";
import { SourceTable } from "../../../src/server/index/sourceTable";

export const ROOT = path.resolve("/ws");

/** An in-memory workspace linked like the server links one: no disk, no process. */
export function workspace(files: Readonly<Record<string, string>>, runs: Readonly<Record<string, RunSummary>> = {}) {
  const table = new SourceTable();
  for (const [relative, text] of Object.entries(files)) table.set(file(relative), text);
  const linked = new LinkedIndex(table, [ROOT]);
  const context: FeatureContext = { linked, table, runsOf: (_workspace, model) => runs[model] };
  return { table, linked, context };
}

export function file(relative: string): string {
  return path.join(ROOT, relative);
}

/** The offset of `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, delta = 0): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  return at + delta;
}
