import { compareRuns, metricNames, type Comparison } from "../../src/core/compare/compare";
import type { ModelRun } from "../../src/core/store/runRecord";

/** The compared runs with everything that depends on them only, computed once per `runs` message. */
export interface CompareData {
  runs: readonly ModelRun[];
  comparison: Comparison;
  /** Index into runs (and comparison.rows) by run id. */
  indexById: ReadonlyMap<string, number>;
  metrics: string[];
  /** Every field name, for filter terms like `learningRate>0.1`. */
  keys: string[];
}

export function buildCompareData(runs: readonly ModelRun[]): CompareData {
  const comparison = compareRuns(runs);
  return {
    runs,
    comparison,
    indexById: new Map(runs.map((run, i) => [run.run_id, i])),
    metrics: metricNames(runs),
    keys: comparison.fields,
  };
}

/**
 * The metric to rank by: the user's choice while the runs have it, else the metric most of the runs
 * optimised (what their trainer was asked for), else the first there is.
 */
export function effectiveMetric(data: CompareData, chosen: string | null): string | null {
  if (chosen && data.metrics.includes(chosen)) return chosen;
  const counts = new Map<string, number>();
  for (const run of data.runs) if (data.metrics.includes(run.metric)) counts.set(run.metric, (counts.get(run.metric) ?? 0) + 1);
  const [mostOptimised] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return mostOptimised?.[0] ?? data.metrics[0] ?? null;
}

/** Finished-or-not changes what a run's curves and trials are, so cached ones must be read again. */
export function runVersion(run: ModelRun): string {
  return `${run.status}|${run.end_time ?? ""}`;
}
