/** A run's field as tables, filters, charts and CSV see it (flattened by the library's `flattenRun`). */
export type FieldValue = string | number | boolean | null;

export type FieldGroup = "run" | "model" | "features" | "dataset" | "code" | "metric";

export interface FieldInfo {
  key: string;
  label: string;
  group: FieldGroup;
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
