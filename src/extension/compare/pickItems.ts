import { metricValue } from "../../core/compare/compare";
import { formatFieldValue } from "../../shared/compare/format";
import type { ModelRun } from "../../core/store/runRecord";

export interface RunPickItem {
  label: string;
  description: string;
  detail: string;
  runId: string;
}

/** Quick-pick items for the runs not compared yet, newest first, each with its own metric. */
export function runPickItems(runs: readonly ModelRun[], compared: ReadonlySet<string>): RunPickItem[] {
  return runs
    .filter((run) => !compared.has(run.run_id))
    .sort((a, b) => b.start_time.localeCompare(a.start_time) || b.run_id.localeCompare(a.run_id))
    .map((run) => ({
      label: run.run_id,
      description: `${run.model_class}${metricText(run)}`,
      detail: `${run.status} · ${run.feature_generator_class} features of ${run.dataset_class} · started ${run.start_time.replace("T", " ").slice(0, 19)}`,
      runId: run.run_id,
    }));
}

function metricText(run: ModelRun): string {
  const value = metricValue(run, run.metric);
  return value === null ? "" : ` · ${run.metric} ${formatFieldValue(value)}`;
}
