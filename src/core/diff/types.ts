import type { CellValue } from "../data/dataset";
import type { JsonValue } from "../util/json";

/**
 * What changed between two runs A and B, in four parts, with one sentence first. Every part says
 * `unknown` (and why) rather than guess when a run lacks what it needs (no snapshot, no stored data,
 * no recorded environment). Plain data: the CLI prints it, `--json` writes it, the panel shows it.
 */
export interface RunDiff {
  a: RunRef;
  b: RunRef;
  /** "B differs from A in 2 model parameters, 1 file (src/model.ts +12 −3) and 3% more rows; accuracy +0.012". */
  summary: string;
  /** The parts that differ, in the order code, data, parameters, environment. */
  differs: DiffPart[];
  code: CodeDiff;
  data: DataDiff;
  parameters: ParametersDiff;
  environment: EnvironmentDiff;
  metric: MetricChange | null;
}

export type DiffPart = "code" | "data" | "parameters" | "environment";

export interface RunRef {
  run_id: string;
  model_class: string;
  githash: string | null;
  dataset_hash: string | null;
}

export interface MetricChange {
  name: string;
  a: number | null;
  b: number | null;
  difference: number | null;
}

// ---- code ---------------------------------------------------------------------------------------

export type FileStatus = "added" | "removed" | "modified" | "renamed";

export interface FileChange {
  /** The path in B (in A for a removed file), relative to the repository's top. */
  path: string;
  /** The path in A when the file was renamed. */
  oldPath?: string;
  status: FileStatus;
  /** Lines added and removed; null for a binary file. */
  added: number | null;
  removed: number | null;
}

export type ComponentRole = "model" | "featureGenerator" | "dataAccessObject";

export interface ComponentChange {
  role: ComponentRole;
  /** The registered names in A and B (the same unless the run used another component). */
  a: string;
  b: string;
  /** "changed": its class's file changed; "same": it did not; "replaced": another component; "builtin": part of mlexp. */
  status: "changed" | "same" | "replaced" | "builtin";
  /** The file that declares the class in B's snapshot (A's when only A has it), when it changed. */
  file?: string;
}

export type CodeDiff =
  | { status: "identical"; commit: string; components: ComponentChange[] }
  | { status: "unknown"; reason: string }
  | {
      status: "changed";
      commitA: string;
      commitB: string;
      files: FileChange[];
      /** Total lines added and removed over the text files. */
      added: number;
      removed: number;
      components: ComponentChange[];
    };

// ---- data ---------------------------------------------------------------------------------------

export type ColumnKind = "number" | "string";

/** What training records about each column of its dataset (in `details.data_summary`). */
export interface ColumnSummary {
  name: string;
  kind: ColumnKind;
  /** Values present (rows minus missing). */
  count: number;
  missing: number;
  /** Numeric columns: mean and (population) standard deviation of the present values. */
  mean?: number | null;
  std?: number | null;
  min?: number | null;
  max?: number | null;
  /** Text columns: how many distinct values. */
  categories?: number;
}

export interface DataSummary {
  rows: number;
  target: string;
  columns: ColumnSummary[];
}

export interface ColumnShift {
  name: string;
  kind: ColumnKind;
  /** Each figure as [A, B] when it differs. */
  mean?: [number | null, number | null];
  std?: [number | null, number | null];
  missing?: [number, number];
  categories?: [number, number];
}

export interface RowSample {
  change: "changed" | "added" | "removed";
  /** The row's values in A (changed, removed) and in B (changed, added), by column name. */
  a?: Record<string, CellValue>;
  b?: Record<string, CellValue>;
  /** For a changed row: the columns whose value differs. */
  columns?: string[];
}

export type DataDiff =
  | { status: "identical"; hash: string; rows: number | null }
  | { status: "unknown"; reason: string }
  | {
      status: "changed";
      hashA: string;
      hashB: string;
      rowsA: number;
      rowsB: number;
      rowsAdded: number;
      rowsRemoved: number;
      rowsChanged: number;
      /** Rows compared on these columns: the ones both versions have with the same kind. */
      comparedColumns: string[];
      columnsAdded: string[];
      columnsRemoved: string[];
      columnsRetyped: { name: string; a: ColumnKind; b: ColumnKind }[];
      targetA: string;
      targetB: string;
      shifts: ColumnShift[];
      sample: RowSample[];
      /** How much stored data was read: chunks both versions share are not read. */
      chunks: { sharedChunks: number; readA: number; readB: number; totalA: number; totalB: number };
      /** Where rows were matched by content rather than aligned in order (very large differences). */
      approximate: boolean;
    };

// ---- parameters ---------------------------------------------------------------------------------

export interface ValueChange {
  name: string;
  a: JsonValue | undefined;
  b: JsonValue | undefined;
}

export interface ChosenTrial {
  trial: number;
  of: number;
  score: number | null;
}

export interface ParametersDiff {
  status: "identical" | "changed";
  /** The model, feature generator and data access object names when they differ. */
  components: ValueChange[];
  /** The values the model really used (defaults included, a search's pick). */
  model: ValueChange[];
  /** The model parameters as given (search values included). */
  modelGiven: ValueChange[];
  featureGenerator: ValueChange[];
  dataset: ValueChange[];
  /** seed, metric, test_fraction, search.strategy, search.trials, search.cv */
  settings: ValueChange[];
  chosenTrial: { a: ChosenTrial | null; b: ChosenTrial | null } | null;
}

// ---- environment --------------------------------------------------------------------------------

/** Captured when a run starts, in `details.environment`. */
export interface RunEnvironment {
  mlexp: string;
  node: string;
  electron: string | null;
  os: string;
  arch: string;
  tfjsBackend: string | null;
  /** The workspace's lockfile (package-lock.json, yarn.lock…) relative to the workspace, and its SHA-256. */
  lockfile: { path: string; sha256: string } | null;
  /** The workspace's direct dependencies with the version installed (null: declared, not installed). */
  dependencies: Record<string, string | null>;
}

export type EnvironmentDiff =
  /** `partial`: one run recorded no environment, so only what every run records was compared. */
  | { status: "identical"; partial?: string }
  | {
      status: "changed";
      /** mlexp, node, electron, os, arch, tfjsBackend, lockfile */
      fields: ValueChange[];
      dependencies: ValueChange[];
      /** Set when one run has no recorded environment: only what every run records was compared. */
      partial?: string;
    };
