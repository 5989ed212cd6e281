import { builtinRegistry } from "../core/registration";
import { reproduceRun } from "../core/reproduce/reproduce";
import type { ProgressListener } from "../core/training/progress";
import { trainModel } from "../core/training/trainModel";
import { isMlexpError } from "../core/util/errors";
import { describeComponents } from "../core/workspace/describe";
import { loadWorkspace } from "../core/workspace/loadWorkspace";
import { runWorker } from "../core/distributed/queueWorker";
import { TRIAL_PROCESS_ARG, type DescribeJob, type DescribeResult, type ErrorMessage, type Job, type JobResult, type ReproduceJob, type ReproduceResult, type TrainJob, type TrainResult, type WorkJob, type WorkResult, type WorkerStatus } from "../protocol/training";

/** What a job can tell the extension while it runs. */
export interface JobHooks {
  signal: AbortSignal;
  onProgress: ProgressListener;
  log: (line: string) => void;
  /** A `work` job's worker: ready, and after each trial. */
  onWorkerStatus?: (status: WorkerStatus) => void;
}

/** Runs one job of the training process with the library, in this process. */
export function runJob(job: Job, hooks: JobHooks): Promise<JobResult> {
  switch (job.kind) {
    case "describe":
      return describe(job);
    case "train":
      return train(job, hooks);
    case "reproduce":
      return reproduce(job, hooks);
    case "work":
      return work(job, hooks);
  }
}

async function describe(job: DescribeJob): Promise<DescribeResult> {
  if (!job.loadUserCode) return { kind: "describe", components: describeComponents(builtinRegistry()) };
  const loaded = await loadWorkspace(job.workspace);
  return { kind: "describe", components: describeComponents(loaded.registry), ...(loaded.configPath ? { configPath: loaded.configPath } : {}) };
}

async function train(job: TrainJob, hooks: JobHooks): Promise<TrainResult> {
  const { request } = job;
  const loaded = await loadWorkspace(job.workspace);
  const run = await trainModel({
    workspace: job.workspace,
    registry: loaded.registry,
    modelClass: request.model,
    modelParams: request.modelParams,
    featureGeneratorClass: request.featureGenerator,
    featureGeneratorParams: request.featureGeneratorParams,
    datasetClass: request.dataset,
    datasetParams: request.datasetParams,
    seed: request.seed,
    metric: request.metric,
    search: request.search,
    testFraction: request.testFraction,
    ...hooks,
  });
  return { kind: "train", run };
}

async function reproduce(job: ReproduceJob, hooks: JobHooks): Promise<ReproduceResult> {
  const report = await reproduceRun({ runId: job.runId, workspace: job.workspace, tolerance: job.tolerance, freshData: job.freshData, ...hooks });
  return {
    kind: "reproduce",
    verdict: report.verdict,
    tolerance: report.tolerance,
    metrics: report.metrics,
    originalRunId: report.original.run_id,
    run: report.run,
    dataSource: report.data.source,
    dataChanged: report.data.changed,
    ...(report.explanation ? { explanation: report.explanation.summary } : {}),
  };
}

/**
 * One worker of the extension's local pool: `mlexp worker` in this process until cancelled, with
 * trial processes that are this very script (dist/worker.js bundles BullMQ and everything a trial
 * needs, so the .vsix works without node_modules).
 */
async function work(job: WorkJob, hooks: JobHooks): Promise<WorkResult> {
  const summary = await runWorker(
    {
      queue: job.queue,
      store: job.store,
      concurrency: 1,
      cacheDir: job.cacheDir,
      trialScript: process.argv[1],
      trialArgs: [TRIAL_PROCESS_ARG],
      log: hooks.log,
      onStatus: hooks.onWorkerStatus,
    },
    hooks.signal,
  );
  return { kind: "work", ...summary };
}

/** An error as the extension shows it: the library's own message and code, or "internal" with a stack. */
export function toErrorMessage(error: unknown): ErrorMessage {
  if (isMlexpError(error)) return { message: error.message, code: error.code };
  if (error instanceof Error) return { message: error.message, code: "internal", ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error), code: "internal" };
}
