import type { RunsNode } from "./runTree";

/**
 * What a run command can be invoked with: a Runs tree node (context menu, inline action), with
 * the multi-selection as second argument; a run id; `{ runId }` or `{ runIds }` (other extensions, CodeLens,
 * tests); or nothing (command palette: ask).
 */
export type RunCommandArg = RunsNode | string | { runId: string } | { runIds: string[] } | undefined;

/** The run ids a command applies to; empty means "ask the user". A group node stands for its runs. */
export function runIdsFromArgs(arg: unknown, selection?: unknown): string[] {
  const chosen = Array.isArray(selection) && selection.length ? selection : [arg];
  const ids = chosen.flatMap(runIdsOf);
  return [...new Set(ids)];
}

function runIdsOf(value: unknown): string[] {
  if (typeof value === "string") return value ? [value] : [];
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record.runId === "string") return [record.runId];
  if (Array.isArray(record.runIds)) return record.runIds.filter((id): id is string => typeof id === "string");
  if (record.kind === "run") return [(record as Extract<RunsNode, { kind: "run" }>).run.run_id];
  if (record.kind === "group") return (record as Extract<RunsNode, { kind: "group" }>).runs.map((run) => run.run_id);
  return [];
}
