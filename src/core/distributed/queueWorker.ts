import * as os from "node:os";
import * as path from "node:path";
import type { ConnectionOptions, Job } from "bullmq";
import type { Redis } from "ioredis";
import { cancelKey, coordinatorKey, isTrialJobData, TRIAL_QUEUE, type TrialJobData, type TrialJobProgress, type TrialJobResult } from "../../protocol/queue";
import { MlexpError, messageOf } from "../util/errors";
import { CodeCache } from "./codeCache";
import { openDatasetStore, type DatasetStore } from "./datasetStore";
import { removeJobs, runJobIds } from "./queueJobs";
import { checkQueueReachable, durableOptions, parseQueueUrl } from "./redis";
import { TrialProcesses } from "./trialProcesses";

export interface WorkerOptions {
  queue: string;
  /** The run store the datasets come from (see openDatasetStore). */
  store: string;
  concurrency: number;
  /** Where fetched code and datasets are kept between trials. */
  cacheDir: string;
  /** Fetch code from this remote instead of the one each trial names. */
  remote?: string;
  /** The trial process: dist/trial.js (the CLI's), or dist/worker.js with `trialArgs` (the extension's). */
  trialScript: string;
  trialArgs?: string[];
  /** A job whose worker stops renewing its lock (killed, machine gone) runs again after about this long. */
  lockDurationMs?: number;
  /** How often workers look for such jobs. */
  stalledIntervalMs?: number;
  /** One line per trial, and what the worker does. */
  log: (line: string) => void;
  /** The worker's name once it takes trials, and its counts after each trial. */
  onStatus?: (status: { name: string; finished: number; failed: number }) => void;
}

export interface WorkerSummary {
  finished: number;
  failed: number;
  /** Trials handed back to the queue when the worker was stopped. */
  handedBack: number;
}

interface ActiveTrial {
  controller: AbortController;
  /** Why the trial is being stopped: its run was cancelled, or this worker is stopping. */
  stop?: "cancelled" | "shutdown";
  reason?: string;
}

const CANCEL_POLL_MS = 500;

/**
 * `mlexp worker`: takes trials from the queue until `signal` fires, then stops taking new ones,
 * stops the trials it is running and hands them back to the queue for another worker.
 */
export async function runWorker(options: WorkerOptions, signal: AbortSignal): Promise<WorkerSummary> {
  const address = parseQueueUrl(options.queue);
  await checkQueueReachable(address);
  const store = await openDatasetStore(options.store);
  const { Queue, Worker, UnrecoverableError, WaitingError } = await import("bullmq");
  const { Redis } = await import("ioredis");
  const name = `${os.hostname()}/${process.pid}`;
  const summary: WorkerSummary = { finished: 0, failed: 0, handedBack: 0 };
  const active = new Map<string, ActiveTrial>();
  const codeCache = new CodeCache(path.join(options.cacheDir, "git"), { remote: options.remote, log: options.log });
  const processes = new TrialProcesses(options.trialScript, options.trialArgs ?? [], (text) => process.stderr.write(text));
  const redis = new Redis(durableOptions(address));
  redis.on("error", () => undefined);
  const connection = durableOptions(address) as ConnectionOptions;
  // For removing the jobs of runs nobody waits for any more.
  const queue = new Queue(TRIAL_QUEUE, { connection });
  queue.on("error", () => undefined);
  const forgotten = new Set<string>();
  const context: TrialContext = { options, store, codeCache, processes, redis, name };

  const worker = new Worker<TrialJobData, TrialJobResult>(
    TRIAL_QUEUE,
    async (job, token) => {
      if (!isTrialJobData(job.data)) throw new UnrecoverableError("Not a trial of this version of mlexp: update mlexp on this worker or on the coordinator.");
      // Registered before the first await: a Ctrl-C from here on hands this trial back.
      const trial: ActiveTrial = { controller: new AbortController() };
      active.set(job.id as string, trial);
      try {
        const stopped = await runStopped(redis, job.data.runId);
        const result = stopped || trial.stop ? undefined : await runTrial(context, job, trial);
        if (trial.stop === "shutdown") {
          await job.moveToWait(token);
          summary.handedBack++;
          options.log(`handed back trial ${job.data.trial + 1}/${job.data.trials} of ${job.data.runId}`);
          throw new WaitingError();
        }
        if (stopped || trial.stop === "cancelled" || !result) {
          const reason = stopped ?? trial.reason ?? "The run was stopped.";
          options.log(`dropped trial ${job.data.trial + 1}/${job.data.trials} of ${job.data.runId}: ${reason}`);
          if (!forgotten.has(job.data.runId)) {
            // Its finished and waiting trials too: a coordinator killed with kill -9 never removes them.
            forgotten.add(job.data.runId);
            void removeJobs(queue, runJobIds(job.data.runId, job.data.trials), true).catch(() => undefined);
          }
          throw new UnrecoverableError(reason);
        }
        summary[result.status]++;
        options.log(trialLine(job.data, result));
        options.onStatus?.({ name, finished: summary.finished, failed: summary.failed });
        return result;
      } finally {
        active.delete(job.id as string);
      }
    },
    {
      connection,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 15_000,
      stalledInterval: options.stalledIntervalMs ?? 5_000,
      maxStalledCount: 3,
      autorun: false,
    },
  );
  worker.on("error", (error) => options.log(`queue error: ${messageOf(error)}`));
  // Nobody will read the jobs of a run that was cancelled or whose coordinator is gone (a
  // coordinator killed with kill -9 cannot remove them): the worker that ends one removes it.
  const removeIfStopped = (job: Job | undefined) => {
    if (!job?.id || !isTrialJobData(job.data)) return;
    void runStopped(redis, job.data.runId).then(async (stopped) => {
      if (stopped) await job.remove().catch(() => undefined);
    });
  };
  worker.on("completed", removeIfStopped);
  worker.on("failed", removeIfStopped);
  processes.warm(options.concurrency);
  const running = worker.run();
  await worker.waitUntilReady();
  options.onStatus?.({ name, finished: 0, failed: 0 });
  options.log(`worker ${name} takes trials from ${address.label} (${options.concurrency} at a time), data from ${store.label}`);

  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
  options.log(`stopping: handing back ${active.size} unfinished trial(s)`);
  // Closing first: no new trial is taken while the running ones are stopped.
  const closing = worker.close();
  for (const trial of active.values()) {
    trial.stop = "shutdown";
    trial.controller.abort();
  }
  await closing;
  await running.catch(() => undefined);
  processes.close();
  await queue.close().catch(() => undefined);
  redis.disconnect();
  await store.close();
  return summary;
}

interface TrialContext {
  options: WorkerOptions;
  store: DatasetStore;
  codeCache: CodeCache;
  processes: TrialProcesses;
  redis: Redis;
  name: string;
}

/** Scores one trial; what goes wrong in the trial is its result, not an exception. */
async function runTrial(context: TrialContext, job: Job<TrialJobData, TrialJobResult>, trial: ActiveTrial): Promise<TrialJobResult> {
  const { data } = job;
  const started = new Date();
  const base = { trial: data.trial, worker: context.name, host: os.hostname(), startTime: started.toISOString() };
  const watch = setInterval(() => {
    void runStopped(context.redis, data.runId).then((stopped) => {
      if (!stopped || trial.stop) return;
      trial.stop = "cancelled";
      trial.reason = stopped;
      trial.controller.abort();
    });
  }, CANCEL_POLL_MS);
  try {
    if (data.storeId !== context.store.id) {
      throw new MlexpError(
        `This worker's store ${context.store.label} (id ${context.store.id}) is not the run's store (id ${data.storeId}).`,
        "store_mismatch",
        "Start the worker with the coordinator's --store.",
      );
    }
    const codeDir = await context.codeCache.workspaceFor(data.runId, data.code);
    const outcome = await context.processes.run(
      {
        codeDir,
        store: context.options.store,
        datasetCache: path.join(context.options.cacheDir, "objects"),
        datasetHash: data.datasetHash,
        request: data.request,
        trial: data.trial,
        trials: data.trials,
        params: data.params,
      },
      trial.controller.signal,
      (fold, folds) => {
        const progress: TrialJobProgress = { worker: context.name, host: base.host, fold, folds };
        job.updateProgress(progress as unknown as object).catch(() => undefined);
      },
    );
    return { ...base, status: "finished", score: finiteOrNull(outcome.score), foldScores: outcome.foldScores.map(finiteOrNull), durationMs: Date.now() - started.getTime() };
  } catch (error) {
    return { ...base, status: "failed", score: null, foldScores: [], error: messageOf(error), durationMs: Date.now() - started.getTime() };
  } finally {
    clearInterval(watch);
  }
}

/** Why the run's trials must stop (cancelled, or its coordinator is gone), or undefined. */
async function runStopped(redis: Redis, runId: string): Promise<string | undefined> {
  try {
    const [cancelled, alive] = await Promise.all([redis.exists(cancelKey(runId)), redis.exists(coordinatorKey(runId))]);
    if (cancelled === 1) return "The run was cancelled.";
    if (alive === 0) return "The run's coordinator has stopped waiting for its trials.";
    return undefined;
  } catch {
    return undefined;
  }
}

function trialLine(data: TrialJobData, result: TrialJobResult): string {
  const what = `trial ${data.trial + 1}/${data.trials} of ${data.runId}`;
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (result.status === "failed") return `${what} failed after ${seconds} s: ${result.error}`;
  return `${what} ${data.request.metric}=${result.score ?? "NaN"} in ${seconds} s ${JSON.stringify(data.params)}`;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
