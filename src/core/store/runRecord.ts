import type { JsonObject } from "../util/json";
import type { SearchSettings } from "../training/search";

/** `crashed` is never written: it is what a `running` row becomes when its process is gone. */
export type RunStatus = "running" | "finished" | "failed" | "cancelled" | "crashed";
export type StoredStatus = Exclude<RunStatus, "crashed">;

/**
 * One row of `model_runs`, with JSON columns parsed. Field names are the table's columns: the
 * seed's ten first, then what reproduction, comparison and crash detection need.
 */
export interface ModelRun {
  run_id: string;
  model_class: string;
  /** The parameters the final model was fitted with (the best of a search), defaults included. */
  hyperparameters: JsonObject;
  /** The commit that reproduces the run: HEAD, or a snapshot of a dirty working tree. */
  githash: string | null;
  feature_generator_class: string;
  dataset_class: string;
  metrics: Record<string, number>;
  /** The run's artifact folder, relative to the workspace. */
  artifacts: string;
  start_time: string;
  end_time: string | null;
  status: RunStatus;
  /** The model parameters as given, search values included. */
  model_params: JsonObject;
  feature_generator_params: JsonObject;
  dataset_params: JsonObject;
  seed: number;
  /** The metric the search optimised and the run is ranked by. */
  metric: string;
  search: SearchSettings;
  task: string;
  test_fraction: number;
  /** The TensorFlow.js backend, when the model used it. */
  backend: string | null;
  base_commit: string | null;
  dirty: boolean | null;
  /** The workspace folder relative to the git repository's top, "" when they are the same. */
  workspace_path: string | null;
  dataset_hash: string | null;
  dataset_rows: number | null;
  reproduced_from: string | null;
  /** For a reproduction: the per-metric comparison with the original and the verdict. */
  reproduction: JsonObject | null;
  /** Recorded facts that are not metrics: averaging, classes, feature names, warnings. */
  details: JsonObject;
  error: string | null;
  pid: number | null;
  host: string | null;
  mlexp_version: string;
}

export interface MetricPoint {
  step: number;
  name: string;
  value: number;
}

export interface SearchTrial {
  trial: number;
  params: JsonObject;
  /** Mean cross-validated score of the run's metric (NaN when a trial failed). */
  score: number;
  fold_scores: number[];
  /** Only for trials run by workers of a distributed search (absent: scored in the run's own process). */
  status?: TrialStatus;
  /** Why a failed trial failed. */
  error?: string;
  /** The worker that scored it ("host/pid") and its host. */
  worker?: string;
  host?: string;
  start_time?: string;
  duration_ms?: number;
}

export type TrialStatus = "finished" | "failed";

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{8}$/;
