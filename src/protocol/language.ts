/**
 * The contract between the mlexp language server (src/server) and the extension that starts it
 * (src/extension/language). Types, and each custom message as a typed `RequestType` /
 * `NotificationType` that both sides (and tests) pass to `sendRequest`/`onRequest`, so a payload
 * cannot drift from its method name. No `vscode`.
 */
import { NotificationType, RequestType0 } from "vscode-languageserver-protocol";
import type { ComponentKind } from "../core/components/component";
import type { ComponentDescription } from "../core/workspace/describe";

/** A zero-based LSP position: structurally the same as `vscode-languageserver`'s. */
export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface SourceLocation {
  uri: string;
  range: LspRange;
}

/**
 * A registered component as the server sees it in the workspace's source: what `mlexp list` would
 * print (same fields as `describeComponents`), plus where it lives, so the Components view can fill
 * and navigate before anything was trained or bundled.
 */
export interface IndexedComponent extends ComponentDescription {
  /** Absolute path of the mlexp workspace (the folder of its mlexp.config.*) it belongs to. */
  workspace: string;
  /** The class declaration's name (absent for built-ins). */
  location?: SourceLocation;
  /** The `registerModel(...)` / `register(...)` call (absent for built-ins). */
  registeredAt?: SourceLocation;
  /** Runs of this model recorded in the workspace's store (models only). */
  runs?: RunSummary;
}

export interface RunSummary {
  count: number;
  /** The best finished run by the metric the latest finished run was ranked by. */
  best?: { metric: string; value: number; runId: string };
}

export interface IndexedWorkspace {
  /** Absolute path of the folder that holds mlexp.config.* (or a workspace folder without one). */
  root: string;
  configPath?: string;
  /**
   * Some registrations or parameter lists are only known at run time (computed names, classes or
   * specs from outside the index): the listing may miss names or parameters that loading the
   * config would give.
   */
  incomplete?: boolean;
}

/** Server → client, whenever the set of components, their parameters or their run counts change. */
export interface ComponentsChangedParams {
  workspaces: IndexedWorkspace[];
  /** Built-ins first, then the workspace's components, per workspace. */
  components: IndexedComponent[];
}
export const ComponentsChangedNotification = new NotificationType<ComponentsChangedParams>("mlexp/componentsChanged");

/** Client → server request: the current index (same payload as the notification). */
export const GetComponentsRequest = new RequestType0<ComponentsChangedParams, void>("mlexp/components");

/**
 * Client → server notification: the run store changed (a training finished). The server also
 * watches `.mlexp/mlexp.db` and its journal; this makes the refresh immediate and independent of file watchers.
 */
export interface RunsChangedParams {
  /** The mlexp workspace whose store changed; all of them when absent. */
  workspace?: string;
}
export const RunsChangedNotification = new NotificationType<RunsChangedParams>("mlexp/runsChanged");

/** Client → server request: figures about the index, for benchmarks and troubleshooting. */
export interface IndexStats {
  files: number;
  /** Files parsed so far: files that cannot matter are only parsed when an import needs them. */
  parsedFiles: number;
  components: number;
  /** Milliseconds of the first full scan, parse and link. */
  initialIndexMs: number;
  /** Milliseconds of the latest incremental update (re-parse of changed files and re-link). */
  lastUpdateMs: number;
}
export const GetIndexStatsRequest = new RequestType0<IndexStats, void>("mlexp/indexStats");

/** Options the client may pass as `initializationOptions`. */
export interface LanguageServerOptions {
  /** Delay before re-linking after an edit, so that typing does not re-link on every key (default 150). */
  debounceMs?: number;
  /** The `mlexp.store` setting: where the run counts of the lenses come from (the server gets it as MLEXP_STORE). */
  store?: string;
}

/** Commands the CodeLenses invoke; the extension registers them. */
export const TRAIN_MODEL_COMMAND = "mlexp.trainModel";
export const COMPARE_RUNS_COMMAND = "mlexp.compareRuns";

/** Argument of `mlexp.trainModel`: what the lens knows; the extension asks for the rest. */
export interface TrainModelArgs {
  model?: string;
  featureGenerator?: string;
  dataset?: string;
  /** The mlexp workspace the component belongs to (several configs in one window). */
  workspace?: string;
  /**
   * "last": ask only for the missing components and train with the parameters of the last finished
   * run of that combination, or the defaults (▶ Train); "ask": a parameter box per component.
   */
  parameters?: "ask" | "last";
}

/** Argument of `mlexp.compareRuns`: every run of a model, or the given runs. */
export type CompareRunsArgs = { model: string; workspace?: string } | { runIds: string[]; workspace?: string };

/** Which argument of `mlexp.trainModel` a component of each kind fills. */
export const TRAIN_ARG_OF_KIND: Record<ComponentKind, keyof Omit<TrainModelArgs, "workspace" | "parameters">> = {
  model: "model",
  featureGenerator: "featureGenerator",
  dataAccessObject: "dataset",
};
