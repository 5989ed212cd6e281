import type { ConnectionOptions, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { RawParams } from "../components/params";
import type { SearchTrial } from "../store/runRecord";
import type { TrialRunner } from "../training/pipeline";
import type { ProgressListener } from "../training/progress";
import { MlexpError, messageOf } from "../util/errors";
import {
  CANCEL_KEY_TTL_SECONDS,
  cancelKey,
  coordinatorKey,
  isTrialJobOf,
  isTrialJobProgress,
  isTrialJobResult,
  PROTOCOL_VERSION,
  TRIAL_QUEUE,
  trialJobId,
  type TrialCode,
  type TrialJobData,
  type TrialJobResult,
  type TrialRequest,
} from "../../protocol/queue";
import { removeJobs } from "./queueJobs";
import { ConnectionWatch, durableOptions, parseQueueUrl, unreachable, type QueueAddress } from "./redis";
import { TrialCollector } from "./trialCollector";

export interface DistributedSearch {
  queue: string;
  runId: string;
  code: TrialCode;
  storeId: string;
  datasetHash: string;
  request: TrialRequest;
  /** The search stops (and the run fails) once more trials than this have failed (default: no limit). */
  maxFailures?: number;
  /** The search fails once the queue has been unreachable this long (default 60 s). */
  unreachableLimitSeconds?: number;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  log?: (line: string) => void;
  /** Each trial as it is recorded, once. */
  onTrial?: (trial: SearchTrial) => Promise<void>;
}

const SWEEP_MS = 1000;
const STOP_DEADLINE_MS = 30_000;

/** Puts a search's trials on the queue and waits for the workers' results. */
export function distributedTrials(search: DistributedSearch): TrialRunner {
  return (candidates) => new SearchCoordinator(search, parseQueueUrl(search.queue)).run(candidates);
}

interface Connections {
  queue: Queue<TrialJobData, TrialJobResult>;
  events: QueueEvents;
  redis: Redis;
  watch: ConnectionWatch;
}

class SearchCoordinator {
  constructor(
    private readonly search: DistributedSearch,
    private readonly address: QueueAddress,
  ) {}

  async run(candidates: RawParams[]): Promise<SearchTrial[]> {
    const connections = await this.connect();
    const collector = new TrialCollector(candidates);
    const ids = candidates.map((_, trial) => trialJobId(this.search.runId, trial));
    try {
      await this.waitForTrials(connections, collector, candidates);
      this.search.log?.(`${collector.done} trials scored by ${collector.workers.size} worker(s): ${[...collector.workers].join(", ")}${collector.duplicates ? ` (${collector.duplicates} repeated result(s) ignored)` : ""}`);
      await connections.redis.del(coordinatorKey(this.search.runId));
      await removeJobs(connections.queue, ids, false);
      return collector.trials();
    } catch (error) {
      // Cancelled, too many failures or the queue is gone: no trial of this run may go on anywhere.
      // A queue that does not answer cannot be cleared: say so rather than wait for it.
      const stopping = connections.watch.downForSeconds() > 0 ? Promise.reject(new Error("the queue is unreachable")) : this.stopTrials(connections, ids);
      await stopping.catch((stopError: unknown) => this.search.log?.(`warning: could not clear the run's trials from the queue: ${messageOf(stopError)}`));
      throw error;
    } finally {
      await close(connections);
    }
  }

  private async connect(): Promise<Connections> {
    const { Queue, QueueEvents } = await import("bullmq");
    const { Redis } = await import("ioredis");
    const connection = durableOptions(this.address) as ConnectionOptions;
    const queue = new Queue<TrialJobData, TrialJobResult>(TRIAL_QUEUE, { connection });
    const events = new QueueEvents(TRIAL_QUEUE, { connection });
    const redis = new Redis(durableOptions(this.address));
    const watch = new ConnectionWatch(redis);
    queue.on("error", () => undefined);
    events.on("error", () => undefined);
    redis.on("error", () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return { queue, events, redis, watch };
  }

  private async waitForTrials(connections: Connections, collector: TrialCollector, candidates: RawParams[]): Promise<void> {
    const { queue, events } = connections;
    const { runId } = this.search;
    let settle: (error?: unknown) => void = () => undefined;
    let over = false;
    const finished = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        over = true;
        if (error === undefined) resolve();
        else reject(error);
      };
    });
    const record = (trial: SearchTrial | undefined) => {
      // Once the search is over (cancelled, failed), the trials its workers drop are not results.
      if (!trial || over) return;
      const message = trial.status === "failed" ? `Trial ${trial.trial + 1} failed on ${trial.worker}: ${trial.error}` : `Trial ${trial.trial + 1}: ${this.search.request.metric} ${trial.score.toFixed(4)} on ${trial.worker}`;
      // Reported once recorded: whoever shows the run's trials on this progress (the Runs view) reads it.
      void (this.search.onTrial?.(trial) ?? Promise.resolve()).then(
        () => this.report(collector, message),
        (error: unknown) => settle(error),
      );
      const limit = this.search.maxFailures;
      if (limit !== undefined && collector.failures > limit) settle(tooManyFailures(collector, limit));
      else if (collector.done === collector.total) settle(collector.failures === collector.total ? allFailed(collector) : undefined);
    };
    events.on("completed", ({ jobId, returnvalue }) => {
      if (!isTrialJobOf(runId, jobId)) return;
      const result = parseResult(returnvalue);
      if (result) record(collector.accept(result));
    });
    events.on("failed", ({ jobId, failedReason }) => {
      if (isTrialJobOf(runId, jobId)) record(collector.acceptQueueFailure(trialOf(jobId), failedReason));
    });
    events.on("progress", ({ jobId, data }) => {
      if (!isTrialJobOf(runId, jobId) || !isTrialJobProgress(data)) return;
      collector.workers.add(data.worker);
      this.report(collector, `Trial ${trialOf(jobId) + 1}, fold ${data.fold}/${data.folds} on ${data.worker}`);
    });

    await this.heartbeat(connections);
    await queue.addBulk(candidates.map((params, trial) => ({ name: "trial", data: this.jobData(trial, candidates.length, params), opts: jobOptions(runId, trial) })));
    this.report(collector, `${candidates.length} trials queued on ${this.address.label}`);

    const onAbort = () => settle(new MlexpError("Training was cancelled.", "cancelled"));
    if (this.search.signal?.aborted) onAbort();
    this.search.signal?.addEventListener("abort", onAbort, { once: true });
    // One sweep at a time: on a loaded machine a sweep can take longer than the interval.
    let sweepRunning = false;
    const sweeping = setInterval(() => {
      if (sweepRunning) return;
      sweepRunning = true;
      this.sweep(connections, collector, candidates, record)
        .then(
          (error) => error && settle(error),
          () => undefined,
        )
        .finally(() => (sweepRunning = false));
    }, SWEEP_MS);
    try {
      await finished;
    } finally {
      clearInterval(sweeping);
      this.search.signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Events can be missed (Redis restarted, a reconnect): every second, ask the queue about the
   * trials still missing, put back any job it lost, and fail the search once the queue has been
   * unreachable for too long.
   */
  private async sweep(
    connections: Connections,
    collector: TrialCollector,
    candidates: RawParams[],
    record: (trial: SearchTrial | undefined) => void,
  ): Promise<MlexpError | undefined> {
    const down = connections.watch.downForSeconds();
    if (down > (this.search.unreachableLimitSeconds ?? 60)) return unreachable(this.address, connections.watch.reason, down);
    if (down > 0) return undefined;
    await this.heartbeat(connections);
    const missing = collector.missing();
    const jobs = await jobStates(connections, missing.map((trial) => trialJobId(this.search.runId, trial)));
    for (const [i, trial] of missing.entries()) {
      const job = jobs[i];
      if (job === "unknown") continue;
      if (!job) {
        await connections.queue.add("trial", this.jobData(trial, candidates.length, candidates[trial]), jobOptions(this.search.runId, trial));
        continue;
      }
      if (job.finishedOn && job.returnvalue !== null) {
        const result = parseResult(job.returnvalue);
        if (result) record(collector.accept(result));
      } else if (job.finishedOn && job.failedReason) {
        record(collector.acceptQueueFailure(trial, job.failedReason));
      }
    }
    return undefined;
  }

  /** Outlives the time the search waits for an unreachable queue, so a restart never drops trials. */
  private async heartbeat(connections: Connections): Promise<void> {
    const seconds = Math.ceil((this.search.unreachableLimitSeconds ?? 60) + 15);
    await connections.redis.set(coordinatorKey(this.search.runId), String(process.pid), "EX", seconds);
  }

  private jobData(trial: number, trials: number, params: RawParams): TrialJobData {
    const { runId, request, code, storeId, datasetHash } = this.search;
    return { protocol: PROTOCOL_VERSION, runId, trial, trials, params: params as Record<string, unknown>, request, code, storeId, datasetHash };
  }

  private report(collector: TrialCollector, message: string): void {
    this.search.onProgress?.({
      phase: "search",
      message,
      trial: collector.done,
      trials: collector.total,
      workers: [...collector.workers],
    });
  }

  /**
   * Tells every worker to stop this run's trials (they check the cancel key twice a second), and
   * removes the run's jobs from the queue as each stops being active.
   */
  private async stopTrials(connections: Connections, ids: string[]): Promise<void> {
    const { redis, queue } = connections;
    await redis.set(cancelKey(this.search.runId), "1", "EX", CANCEL_KEY_TTL_SECONDS);
    await redis.del(coordinatorKey(this.search.runId));
    const deadline = Date.now() + STOP_DEADLINE_MS;
    let left = await removeJobs(queue, ids, true);
    while (left > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      left = await removeJobs(queue, ids, true);
    }
    if (left > 0) this.search.log?.(`warning: ${left} trial job(s) of ${this.search.runId} were still running on a worker; they stop at their next check.`);
  }
}

function jobOptions(runId: string, trial: number) {
  // Kept after they end so the coordinator can read results it missed; it removes them itself
  // (the age limits only clean up after a coordinator that died).
  return { jobId: trialJobId(runId, trial), attempts: 1, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };
}

interface JobState {
  finishedOn: string | null;
  returnvalue: string | null;
  failedReason: string | null;
}

/**
 * What the sweep needs of each job, in one round trip however many trials are missing (a job is
 * a hash under the queue's key; `timestamp` is set when it is added). Undefined: no such job;
 * "unknown": the read failed (tried again on the next sweep).
 */
async function jobStates(connections: Connections, ids: string[]): Promise<(JobState | undefined | "unknown")[]> {
  if (!ids.length) return [];
  const pipeline = connections.redis.pipeline();
  for (const id of ids) pipeline.hmget(connections.queue.toKey(id), "timestamp", "finishedOn", "returnvalue", "failedReason");
  const replies = (await pipeline.exec()) ?? [];
  return ids.map((_, i) => {
    const [error, fields] = replies[i] ?? [new Error("no reply")];
    if (error) return "unknown";
    const [timestamp, finishedOn, returnvalue, failedReason] = fields as (string | null)[];
    return timestamp === null ? undefined : { finishedOn, returnvalue, failedReason };
  });
}

function trialOf(jobId: string): number {
  return Number(jobId.slice(jobId.lastIndexOf(".t") + 2));
}

function parseResult(value: unknown): TrialJobResult | undefined {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return isTrialJobResult(parsed) ? parsed : undefined;
}

function tooManyFailures(collector: TrialCollector, limit: number): MlexpError {
  return new MlexpError(
    `The search stopped: ${collector.failures} trials failed, more than --max-failures ${limit}. The first failed with: ${collector.firstError()}`,
    "trial_failed",
  );
}

function allFailed(collector: TrialCollector): MlexpError {
  return new MlexpError(`All ${collector.total} search trials failed. The first failed with: ${collector.firstError()}`, "trial_failed");
}

/** Closes the connections, waiting at most a few seconds for a queue that may be gone. */
async function close(connections: Connections): Promise<void> {
  const closing = Promise.allSettled([connections.events.close(), connections.queue.close()]);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
  clearTimeout(timer);
  connections.redis.disconnect();
  // Still reconnecting to a queue that is gone: drop the connections so this process can exit.
  // Not awaited: against a dead server these promises never settle.
  for (const closable of [connections.queue, connections.events]) void closable.disconnect().catch(() => undefined);
}
