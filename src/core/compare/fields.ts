import type { ModelRun } from "../store/runRecord";

export type FieldValue = string | number | boolean | null;

export type FieldGroup = "run" | "model" | "features" | "dataset" | "code" | "metric";

export interface FieldInfo {
  key: string;
  label: string;
  group: FieldGroup;
}

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

export function fieldGroup(key: string): FieldGroup {
  if (key.startsWith("params.") || key === "model_class") return "model";
  if (key.startsWith("features.") || key === "feature_generator_class") return "features";
  if (key.startsWith("dataset.") || key === "dataset_class" || key === "dataset_hash") return "dataset";
  if (key === "githash" || key === "dirty") return "code";
  if (key.startsWith("metrics.")) return "metric";
  return "run";
}

/** Every field any of the runs has, in a stable, readable order. */
export function allFieldKeys(rows: readonly Record<string, FieldValue>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  const order: FieldGroup[] = ["run", "model", "features", "dataset", "code", "metric"];
  const firstSeen = new Map([...seen].map((key, i) => [key, i]));
  const rank = (key: string) => order.indexOf(fieldGroup(key));
  return [...seen].sort((a, b) => rank(a) - rank(b) || (firstSeen.get(a) as number) - (firstSeen.get(b) as number));
}
