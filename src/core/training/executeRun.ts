import * as os from "node:os";
import { version as MLEXP_VERSION } from "../../../package.json";
import type { Dataset } from "../data/dataset";
import { summariseDataset } from "../diff/data/summarise";
import type { CodeSnapshot } from "../git/snapshot";
import { prepareDatasetStoring } from "../objects/datasetStoring";
import type { SourceIdentity } from "../objects/sourceIndex";
import { copyRunFiles } from "../objects/runFiles";
import { copyDataset } from "../objects/transfer";
import type { ModelRun, StoredStatus } from "../store/runRecord";
import { newRunId } from "../store/runId";
import type { Store } from "../store/store";
import { watchTfUse } from "../tfjs/backend";
import { explainWriteError } from "../util/diskErrors";
import { MlexpError, messageOf } from "../util/errors";
import { markPhase } from "../util/timeline";
import { keepInWorkspace, shareSnapshot, startHeartbeat } from "./teamRecording";
import type { JsonObject } from "../util/json";
import { saveFittedArtifacts, writeManifest, writePendingMark } from "./artifacts";
import { runPipeline, type FittedPipeline, type PipelineHooks, type PipelineSpec, type TrialRunner } from "./pipeline";
import { isCancellation, throwIfCancelled } from "./progress";
import { runFacts } from "./runFacts";
import type { ResolvedRequest } from "./resolveRequest";

/** Where a run's data comes from: its data access object, or a stored copy. */
export interface DatasetSource {
  load(signal?: AbortSignal): Promise<Dataset>;
  /** What a built-in loader's output depends on: data the store holds from the same inputs is not stored again. */
  identity?: SourceIdentity;
}

export interface RunContext {
  store: Store;
  hooks: PipelineHooks;
  /** The code the run uses: a fresh snapshot of the workspace, or (reproductions) the original's. */
  code: (runId: string) => Promise<CodeSnapshot | undefined>;
  source: DatasetSource;
  reproducedFrom?: string;
  /** Warnings found before the run started, recorded with it. */
  warnings?: string[];
  /** Scores the search's trials somewhere else than in this process (a distributed search). */
  trialRunner?: (setup: SearchSetup) => TrialRunner;
}

/** What a trial runner learns about the run once it has started. */
export interface SearchSetup {
  runId: string;
  code: CodeSnapshot | undefined;
  /** The stored dataset's hash (waits for it to be stored). */
  datasetHash: () => Promise<string>;
  store: Store;
}

/**
 * Records a run from start to end: a `running` row first (with pid and host, so a killed process
 * shows as crashed), then the dataset stored by content, the pipeline, the artifacts, and the final
 * row with metrics, learning curves and trials. A failure or a cancellation is recorded as such and
 * rethrown.
 */
export async function executeRun(request: ResolvedRequest, context: RunContext): Promise<ModelRun> {
  const { store, hooks } = context;
  const runId = newRunId();
  const progress = withRunId(hooks, runId);
  writePendingMark(store.runDir(runId));
  markPhase("run started");
  // The snapshot starts first (git is cheap to start while this process is small; spawning copies
  // the page tables) and goes on, on its own thread, while the data loads; the running row, which
  // holds the snapshot's commit, is written while the load goes on. A failed load is recorded below
  // like any failure; a failed snapshot or write stops the load.
  const snapshot = context.code(runId);
  snapshot.catch(() => undefined);
  // The storing thread starts up during the load (see startStoringThread), unless the source
  // index already knows the data is stored (prepareDatasetStoring).
  const storingPlan = prepareDatasetStoring(store.localObjects.dir, context.source.identity);
  const loading = loadDataset(context, progress, request.datasetName);
  // Stored on that thread from the moment it is loaded, while the running row is written and the
  // model trains on this one. A failure (a full disk) may come before anything awaits it: it is
  // awaited below, and must not end the process as unhandled.
  const storing = storingPlan.whenLoaded(loading.dataset, () => throwIfCancelled(hooks.signal));
  storing.catch(() => undefined);
  let run: ModelRun;
  let code: CodeSnapshot | undefined;
  try {
    code = await snapshot;
    markPhase("code snapshot");
    run = initialRun(request, runId, store, code, context.reproducedFrom, runWarnings(context, code));
    (run.details.warnings as string[] | undefined)?.forEach((warning) => hooks.log?.(`warning: ${warning}`));
    await store.insertRun(run);
    writeManifest(store.runDir(runId), { run, history: [], trials: [] });
    markPhase("running row and manifest");
  } catch (error) {
    loading.stop();
    await storing.catch(() => undefined);
    throw error;
  }
  const heartbeat = startHeartbeat(store, runId);
  const tfUse = watchTfUse();
  let fitted: FittedPipeline | undefined;
  try {
    const dataset = await loading.dataset;
    throwIfCancelled(hooks.signal);
    const datasetHash = async () => (await storing).manifest.hash;
    const runTrials = context.trialRunner?.({ runId, code, datasetHash, store });
    fitted = await runPipeline(dataset, pipelineSpec(request), { ...progress, runTrials });
    markPhase("pipeline (split, features, fit, evaluate)");
    progress.onProgress?.({ phase: "save", message: "Saving artifacts" });
    // What needs no dataset hash is done while the dataset may still be storing (the storing is
    // usually the longer chain: see startStoringThread).
    // Data the source index found stored comes with its summary (known long before the fit ends).
    const known = storingPlan.knownSummary();
    const dataSummary = known?.summary ?? summarise(dataset);
    markPhase("data summary");
    const unhashed = finishedRun(run, fitted, null, dataset.rowCount, await tfUse.backend(), dataSummary);
    await saveFittedArtifacts(store.runDir(runId), fitted, unhashed);
    markPhase("artifacts");
    const stored = await storing;
    const details = { ...unhashed.details, data_summary: summaryOfStored(dataset, stored.manifest.hash, known, dataSummary) };
    const finished: ModelRun = { ...unhashed, details, dataset_hash: stored.manifest.hash, end_time: new Date().toISOString() };
    markPhase("dataset stored (waited for the thread)");
    const bundle = { run: finished, history: fitted.history, trials: fitted.trials };
    writeManifest(store.runDir(runId), bundle);
    markPhase("final manifest");
    heartbeat.stop();
    try {
      await sendDataAndFiles(store, runId, finished.dataset_hash as string);
      await store.completeRun(runId, finished, fitted.history, fitted.trials);
      markPhase("final row");
    } catch (error) {
      throw await keepInWorkspace(store, bundle, error);
    }
    await storingPlan.remember(stored, dataSummary);
    // A reproduction reuses the original's snapshot, which is on the remote already.
    if (code && !context.reproducedFrom) await shareSnapshot(store, runId, hooks.log);
    markPhase("snapshot shared");
    return finished;
  } catch (caught) {
    await storing.catch(() => undefined);
    const error = explainWriteError(caught, store.runDir(runId), undefined, "saving the run's artifacts");
    if (!(error instanceof MlexpError && error.code === "store_unavailable")) await recordFailure(store, run, error);
    throw error;
  } finally {
    heartbeat.stop();
    fitted?.model.dispose?.();
  }
}

/**
 * The index's summary holds for the dataset it named only: data stored the full way after all
 * (damaged bytes) to another hash (never expected) is summarised again.
 */
function summaryOfStored(dataset: Dataset, storedHash: string, known: { hash: string } | undefined, sofar: JsonObject): JsonObject {
  return known && storedHash !== known.hash ? summarise(dataset) : sofar;
}

function summarise(dataset: Dataset): JsonObject {
  return summariseDataset(dataset) as unknown as JsonObject;
}

/** A team store gets the dataset and the run's files (model, run.json, …) before the row that says the run is finished. */
async function sendDataAndFiles(store: Store, runId: string, datasetHash: string): Promise<void> {
  if (store.objects !== store.localObjects) await copyDataset(datasetHash, store.localObjects, store.objects);
  if (store.files.kind === "index") await copyRunFiles(runId, store.localFiles, store.files);
}

/**
 * Starts loading the run's data; `stop()` aborts it (the run could not be recorded). A failure is
 * kept for whoever awaits `dataset`, never reported as unhandled.
 */
function loadDataset(context: RunContext, progress: PipelineHooks, datasetName: string): { dataset: Promise<Dataset>; stop(): void } {
  const controller = new AbortController();
  const signal = context.hooks.signal ? AbortSignal.any([context.hooks.signal, controller.signal]) : controller.signal;
  progress.onProgress?.({ phase: "load", message: `Loading data with ${datasetName}` });
  const dataset = context.source.load(signal);
  dataset.catch(() => undefined);
  return { dataset, stop: () => controller.abort() };
}

function runWarnings(context: RunContext, code: CodeSnapshot | undefined): string[] {
  const warnings = [...(context.warnings ?? [])];
  if (!code) warnings.push(`${context.store.workspace} is not in a git repository: the run has no githash and cannot be reproduced from its code.`);
  if (code?.skippedLargeFiles.length) {
    warnings.push(`Left out of the code snapshot (untracked and over the size limit): ${code.skippedLargeFiles.join(", ")}.`);
  }
  return warnings;
}

function finishedRun(run: ModelRun, fitted: FittedPipeline, datasetHash: string | null, rows: number, backend: string | null, dataSummary: JsonObject): ModelRun {
  const environment = { ...(run.details.environment as JsonObject), tfjsBackend: backend };
  return {
    ...run,
    status: "finished",
    hyperparameters: fitted.hyperparameters as JsonObject,
    metrics: fitted.metrics,
    dataset_hash: datasetHash,
    dataset_rows: rows,
    backend,
    details: { ...run.details, ...fitted.details, environment, data_summary: dataSummary },
    end_time: new Date().toISOString(),
  };
}

async function recordFailure(store: Store, run: ModelRun, error: unknown): Promise<void> {
  const status: StoredStatus = isCancellation(error) ? "cancelled" : "failed";
  const ended: ModelRun = { ...run, status, error: messageOf(error), end_time: new Date().toISOString() };
  writeManifest(store.runDir(run.run_id), { run: ended, history: [], trials: [] });
  await store.updateRun(run.run_id, { status, error: ended.error, end_time: ended.end_time }).catch(async (failure: unknown) => {
    throw await keepInWorkspace(store, { run: ended, history: [], trials: [] }, failure);
  });
}

function initialRun(
  request: ResolvedRequest,
  runId: string,
  store: Store,
  code: CodeSnapshot | undefined,
  reproducedFrom: string | undefined,
  warnings: string[],
): ModelRun {
  return {
    run_id: runId,
    model_class: request.modelName,
    hyperparameters: request.space.fixed as JsonObject,
    githash: code?.commit ?? null,
    feature_generator_class: request.featureGeneratorName,
    dataset_class: request.datasetName,
    metrics: {},
    artifacts: store.artifactsPathOf(runId),
    start_time: new Date().toISOString(),
    end_time: null,
    status: "running",
    model_params: request.modelParams as JsonObject,
    feature_generator_params: request.featureGeneratorParams as JsonObject,
    dataset_params: request.datasetParams as JsonObject,
    seed: request.seed,
    metric: request.metric,
    search: request.search,
    task: request.modelClass.task,
    test_fraction: request.testFraction,
    backend: null,
    base_commit: code?.baseCommit ?? null,
    dirty: code ? code.dirty : null,
    workspace_path: code?.workspacePath ?? null,
    dataset_hash: null,
    dataset_rows: null,
    reproduced_from: reproducedFrom ?? null,
    reproduction: null,
    details: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      ...runFacts(request, store.workspace),
      ...(warnings.length ? { warnings } : {}),
    },
    error: null,
    pid: process.pid,
    host: os.hostname(),
    mlexp_version: MLEXP_VERSION,
  };
}

export function pipelineSpec(request: ResolvedRequest): PipelineSpec {
  return {
    modelClass: request.modelClass,
    modelName: request.modelName,
    featureGeneratorName: request.featureGeneratorName,
    space: request.space,
    featureGeneratorClass: request.featureGeneratorClass,
    featureGeneratorParams: request.featureGeneratorParams,
    seed: request.seed,
    metric: request.metric,
    search: request.search,
    testFraction: request.testFraction,
  };
}

function withRunId(hooks: PipelineHooks, runId: string): PipelineHooks {
  return { ...hooks, onProgress: hooks.onProgress && ((progress) => hooks.onProgress?.({ ...progress, runId })) };
}
