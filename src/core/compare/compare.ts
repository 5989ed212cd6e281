import type { ModelRun } from "../store/runRecord";
import { metricDirection, type Direction } from "../training/metrics";
import { allFieldKeys, type FieldValue } from "../../shared/compare/fields";
import { flattenRun } from "./fields";

/** Fields that identify a run rather than describe it: never "shared". */
const IDENTITY_FIELDS = new Set(["run_id", "start_time", "duration_s"]);

export interface Comparison {
  /** Fields every run has with the same value, stated once. */
  common: Record<string, FieldValue>;
  /** Fields where at least two runs differ (or some runs lack the field). */
  differing: string[];
  /** Every field, for the full table. */
  fields: string[];
  rows: Record<string, FieldValue>[];
}

export function compareRuns(runs: readonly ModelRun[]): Comparison {
  const rows = runs.map(flattenRun);
  const fields = allFieldKeys(rows);
  const common: Record<string, FieldValue> = {};
  const differing: string[] = [];
  for (const field of fields) {
    if (IDENTITY_FIELDS.has(field)) continue;
    if (allEqual(rows, field)) common[field] = rows[0]?.[field] ?? null;
    else differing.push(field);
  }
  return { common, differing, fields, rows };
}

function allEqual(rows: readonly Record<string, FieldValue>[], field: string): boolean {
  if (!rows.length) return true;
  const first = rows[0][field];
  return rows.every((row) => field in row && row[field] === first) && field in rows[0];
}

export interface RankedRun {
  run: ModelRun;
  value: number | null;
  rank: number | null;
  best: boolean;
}

/**
 * Runs ordered by a metric, best first, in the metric's direction (accuracy up, rmse down). Runs
 * without the metric come last, unranked; ties share a rank.
 */
export function rankRuns(runs: readonly ModelRun[], metric: string): { direction: Direction; ranked: RankedRun[] } {
  const direction = metricDirection(metric);
  const sign = direction === "max" ? -1 : 1;
  const valued = runs.map((run) => ({ run, value: metricValue(run, metric) }));
  valued.sort((a, b) => {
    if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? 0 : 1) : -1;
    return sign * (a.value - b.value);
  });
  const bestValue = valued[0]?.value ?? null;
  let rank = 0;
  let previous: number | null = null;
  const ranked = valued.map((entry, i) => {
    if (entry.value !== null && entry.value !== previous) rank = i + 1;
    previous = entry.value;
    return { ...entry, rank: entry.value === null ? null : rank, best: entry.value !== null && entry.value === bestValue };
  });
  return { direction, ranked };
}

export function metricValue(run: ModelRun, metric: string): number | null {
  const value = run.metrics?.[metric];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** Every metric name the runs have, sorted. */
export function metricNames(runs: readonly ModelRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const name of Object.keys(run.metrics ?? {})) names.add(name);
  return [...names].sort();
}
