import * as path from "node:path";
import type { RawParams } from "../components/params";
import { locateRunCommit } from "../git/checkout";
import { materialiseCommit } from "../git/materialise";
import type { Dataset } from "../data/dataset";
import type { ObjectStore } from "../objects/objectStore";
import { copyDataset } from "../objects/transfer";
import type { ModelRun } from "../store/runRecord";
import { Store } from "../store/store";
import { executeRun, type DatasetSource } from "../training/executeRun";
import type { ProgressListener } from "../training/progress";
import { resolveRequest } from "../training/resolveRequest";
import { daoSource } from "../training/trainModel";
import { diffRuns } from "../diff/runDiff";
import type { DiffPart } from "../diff/types";
import { MlexpError } from "../util/errors";
import type { JsonObject } from "../util/json";
import { loadWorkspace } from "../workspace/loadWorkspace";
import { compareMetrics, DEFAULT_TOLERANCE, type MetricComparison, type Verdict } from "./verdict";

export interface ReproduceOptions {
  runId: string;
  workspace?: string;
  /** Largest absolute metric difference still called `within_tolerance` (default 1e-9). */
  tolerance?: number;
  /** Load the data through the data access object instead of the stored copy. */
  freshData?: boolean;
  /** Where runs are stored (default: `MLEXP_STORE`, else the workspace). */
  store?: string;
  onProgress?: ProgressListener;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface DataCheck {
  source: "stored" | "fresh";
  original_hash: string | null;
  /** With fresh data: the hash of what the data access object returns now. */
  current_hash: string | null;
  changed: boolean | null;
}

/** Why a reproduction came out `different`: which of code, data, parameters or environment differ. */
export interface ReproductionExplanation {
  differs: DiffPart[];
  summary: string;
}

export interface ReproductionReport {
  verdict: Verdict;
  /** Set when the verdict is `different`. */
  explanation?: ReproductionExplanation;
  tolerance: number;
  metrics: MetricComparison[];
  data: DataCheck;
  original: ModelRun;
  /** The reproduction, recorded as a run of its own with `reproduced_from` set. */
  run: ModelRun;
}

/**
 * Re-runs a past training from its run_id alone: the code of its githash (materialised in a
 * separate folder, never in the user's working tree), its parameters and seed, and its stored
 * dataset — then compares every metric with the original and gives a verdict.
 */
export async function reproduceRun(options: ReproduceOptions): Promise<ReproductionReport> {
  const workspace = path.resolve(options.workspace ?? process.cwd());
  const store = Store.open(workspace, { store: options.store });
  const original = await store.getRun(options.runId);
  checkReproducible(original, Boolean(options.freshData));
  const tolerance = checkTolerance(options.tolerance ?? DEFAULT_TOLERANCE);
  const { top, commit } = await locateRunCommit(workspace, original);
  // Read (and verify) the stored data before anything is written.
  const stored = options.freshData ? undefined : await readStoredDataset(store, original.dataset_hash as string);

  options.onProgress?.({ phase: "reproduce", message: `Restoring the code of ${commit.slice(0, 12)}` });
  const snapshot = await materialiseCommit(top, commit, path.join(store.dir, "snapshots"));
  const code = await loadWorkspace(path.join(snapshot, original.workspace_path ?? ""), { modulesRoot: workspace });
  const request = resolveRequest(recordedRequest(original), code.registry);
  const source: DatasetSource = stored
    ? { load: async () => stored }
    : daoSource(request.datasetClass, request.datasetName, request.datasetParams, workspace, request.seed);

  const run = await executeRun(request, {
    store,
    hooks: { onProgress: options.onProgress, log: options.log, signal: options.signal },
    code: async () => ({
      commit,
      baseCommit: original.base_commit,
      dirty: Boolean(original.dirty),
      workspacePath: original.workspace_path ?? "",
      skippedLargeFiles: [],
    }),
    source,
    reproducedFrom: original.run_id,
  });
  const data: DataCheck = {
    source: stored ? "stored" : "fresh",
    original_hash: original.dataset_hash,
    current_hash: stored ? null : run.dataset_hash,
    changed: stored ? null : run.dataset_hash !== (await comparableHash(store, original.dataset_hash)),
  };
  const comparison = compareMetrics(original.metrics, run.metrics, tolerance);
  const explanation = comparison.verdict === "different" ? await explainDifference(workspace, store.localObjects.store, original, run) : undefined;
  const reproduction = { original: original.run_id, verdict: comparison.verdict, tolerance, metrics: comparison.metrics, data, ...(explanation ? { explanation } : {}) };
  await store.updateRun(run.run_id, { reproduction: reproduction as unknown as JsonObject });
  return { ...comparison, ...(explanation ? { explanation } : {}), tolerance, data, original, run: { ...run, reproduction: reproduction as unknown as JsonObject } };
}

/**
 * The same comparison as `mlexp diff`, between the original and its reproduction: the code is the
 * original's snapshot and the parameters are the original's, so what differs is usually the data
 * (loaded fresh) or the environment (another Node, backend or package version).
 */
async function explainDifference(workspace: string, objects: ObjectStore, original: ModelRun, run: ModelRun): Promise<ReproductionExplanation> {
  const diff = await diffRuns(original, run, { workspace, objects, sampleSize: 0, names: { a: "the original", b: "The reproduction" } });
  const summary = diff.differs.length ? diff.summary : `${diff.summary}: the training itself is not deterministic (does a component use Math.random or an unseeded generator?)`;
  return { differs: diff.differs, summary };
}

/** The run's dataset from the local objects, fetched first from the team's backend when it is not there (checked by hash on read). */
async function readStoredDataset(store: Store, hash: string): Promise<Dataset> {
  if (store.objects !== store.localObjects && !(await store.localObjects.getManifest(hash))) {
    await copyDataset(hash, store.objects, store.localObjects);
  }
  return store.localObjects.store.readDataset(hash);
}

/**
 * The original's dataset hash as this version's storage format gives it: a run stored before the
 * format changed (issue 11) would otherwise look trained on other data than its fresh reload.
 */
async function comparableHash(store: Store, hash: string | null): Promise<string | null> {
  if (!hash) return hash;
  return (await store.localObjects.store.currentFormatHash(hash)) ?? hash;
}

function checkReproducible(run: ModelRun, freshData: boolean): void {
  if (run.status !== "finished") {
    throw new MlexpError(
      `Run ${run.run_id} is ${run.status}: only finished runs have metrics to reproduce.`,
      "invalid_argument",
      run.error ? `It ended with: ${run.error}` : undefined,
    );
  }
  if (!run.dataset_hash && !freshData) {
    throw new MlexpError(`Run ${run.run_id} has no stored dataset.`, "object_missing", "Reproduce it with --fresh-data.");
  }
}

function checkTolerance(tolerance: number): number {
  if (typeof tolerance === "number" && tolerance >= 0 && Number.isFinite(tolerance)) return tolerance;
  throw new MlexpError(`The tolerance must be a number ≥ 0, got ${tolerance}.`, "invalid_argument");
}

/** The original run's request, exactly as it was resolved then. */
function recordedRequest(run: ModelRun) {
  return {
    modelClass: run.model_class,
    modelParams: run.model_params as RawParams,
    featureGeneratorClass: run.feature_generator_class,
    featureGeneratorParams: run.feature_generator_params as RawParams,
    datasetClass: run.dataset_class,
    datasetParams: run.dataset_params as RawParams,
    seed: run.seed,
    metric: run.metric,
    search: run.search,
    testFraction: run.test_fraction,
  };
}
