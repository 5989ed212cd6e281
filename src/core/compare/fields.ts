import type { ModelRun } from "../store/runRecord";
import type { FieldValue } from "../../shared/compare/fields";

export type { FieldValue };

/**
 * A run flattened into named fields, for tables, diffs and CSV: parameters become `params.<name>`,
 * feature generator and dataset parameters `features.<name>` and `dataset.<name>`, metrics
 * `metrics.<name>`. Values that are arrays or objects are shown as JSON text.
 */
export function flattenRun(run: ModelRun): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {
    run_id: run.run_id,
    status: run.status,
    model_class: run.model_class,
    feature_generator_class: run.feature_generator_class,
    dataset_class: run.dataset_class,
    dataset_hash: run.dataset_hash,
    githash: run.githash,
    dirty: run.dirty,
    seed: run.seed,
    start_time: run.start_time,
    duration_s: durationSeconds(run),
    backend: run.backend,
    reproduced_from: run.reproduced_from,
  };
  addPrefixed(fields, "params", run.hyperparameters);
  addPrefixed(fields, "features", run.feature_generator_params);
  addPrefixed(fields, "dataset", run.dataset_params);
  addPrefixed(fields, "metrics", run.metrics);
  return fields;
}

function addPrefixed(fields: Record<string, FieldValue>, prefix: string, values: Record<string, unknown> | null | undefined): void {
  for (const [key, value] of Object.entries(values ?? {})) fields[`${prefix}.${key}`] = toFieldValue(value);
}

function toFieldValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

export function durationSeconds(run: Pick<ModelRun, "start_time" | "end_time">): number | null {
  if (!run.end_time) return null;
  return Math.round((Date.parse(run.end_time) - Date.parse(run.start_time)) / 10) / 100;
}
