import type { ModelRun } from "../../core/store/runRecord";
import { metricDirection } from "../../core/training/metrics";
import type { RunSummary } from "../../protocol/language";
import { formatNumber } from "../../shared/formatNumber";

/**
 * Runs per registered model name (`model_runs.model_class` holds the name a run was started with).
 * "Best" compares like with like: the metric the latest finished run was ranked by, over the
 * finished runs that have it, in that metric's direction (accuracy up, rmse down).
 */
export function summariseRuns(runs: readonly ModelRun[]): Map<string, RunSummary> {
  const byModel = new Map<string, ModelRun[]>();
  for (const run of runs) byModel.set(run.model_class, [...(byModel.get(run.model_class) ?? []), run]);
  const summaries = new Map<string, RunSummary>();
  for (const [model, modelRuns] of byModel) summaries.set(model, summarise(modelRuns));
  return summaries;
}

function summarise(runs: readonly ModelRun[]): RunSummary {
  const finished = runs.filter((run) => run.status === "finished");
  const latest = finished.reduce<ModelRun | undefined>((a, b) => (!a || b.start_time > a.start_time ? b : a), undefined);
  if (!latest) return { count: runs.length };
  const metric = latest.metric;
  const better = metricDirection(metric) === "max" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  let best: RunSummary["best"];
  for (const run of finished) {
    const value = run.metrics?.[metric];
    if (typeof value !== "number" || !Number.isFinite(value)) continue;
    if (!best || better(value, best.value)) best = { metric, value, runId: run.run_id };
  }
  return best ? { count: runs.length, best } : { count: runs.length };
}

/** "3 runs · best accuracy 0.9123", "1 run · no finished run yet", "no runs yet". */
export function describeRuns(summary: RunSummary | undefined): string {
  if (!summary || summary.count === 0) return "no runs yet";
  const count = `${summary.count} run${summary.count === 1 ? "" : "s"}`;
  if (!summary.best) return `${count} · no finished run with a metric yet`;
  return `${count} · best ${summary.best.metric} ${formatNumber(summary.best.value)}`;
}
