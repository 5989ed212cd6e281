import type { ProgressMessage, ReproduceJob, ResultOf, TrainJob } from "../../protocol/training";
import { Emitter, type Disposable } from "../util/emitter";
import type { ConcurrencyLimiter } from "./limiter";
import { JobError, JobProcess, type JobListeners, type LaunchWorker } from "./trainingProcess";

/** Jobs that count as trainings: limited in number, shown in the status bar, cancellable. */
export type TrainingJob = TrainJob | ReproduceJob;

export type TrainingState = "queued" | "running";

export interface TrainingInfo {
  readonly id: number;
  readonly job: TrainingJob;
  /** "ModelImpl1 on DataAccessObjectImpl1", for notifications. */
  readonly title: string;
  state: TrainingState;
  /** Known from the first progress event after the run is recorded. */
  runId?: string;
  pid?: number;
  lastProgress?: ProgressMessage;
}

export interface TrainingHandle<J extends TrainingJob> {
  readonly info: TrainingInfo;
  readonly result: Promise<ResultOf<J>>;
  cancel(): void;
}

export interface TrainingServiceDeps {
  limiter: ConcurrencyLimiter;
  launcher: (job: TrainingJob) => LaunchWorker;
  cancelTimeoutMs: () => number;
  /**
   * A killed process cannot record its own cancellation; this marks its run (found by run id, or
   * by the process id in the run row) as cancelled in the store.
   */
  markKilledRunCancelled: (pid: number | undefined, runId: string | undefined) => Promise<void>;
  onOutput?: (text: string) => void;
}

/**
 * Every training this window started: queued behind the concurrency limit, running in its own
 * process, cancellable. It knows nothing of VS Code; the UI listens to `onDidChange`.
 */
export class TrainingService implements Disposable {
  private readonly trainings = new Map<number, { info: TrainingInfo; cancel: () => void }>();
  private readonly changed = new Emitter<TrainingInfo | undefined>();
  /** Fires with the training that changed (progress, state), or undefined when one ended. */
  readonly onDidChange = this.changed.event;
  private nextId = 1;

  constructor(private readonly deps: TrainingServiceDeps) {}

  /** Queued and running trainings, oldest first. */
  list(): TrainingInfo[] {
    return [...this.trainings.values()].map((entry) => entry.info);
  }

  get runningCount(): number {
    return this.list().filter((info) => info.state === "running").length;
  }

  /** The latest progress of a run this window is training, if it is one. */
  progressOfRun(runId: string): ProgressMessage | undefined {
    return this.list().find((info) => info.runId === runId)?.lastProgress;
  }

  /** The training that is recording this run, if any. */
  trainingOfRun(runId: string): TrainingInfo | undefined {
    return this.list().find((info) => info.runId === runId);
  }

  start<J extends TrainingJob>(job: J, title: string, listeners: JobListeners = {}): TrainingHandle<J> {
    const info: TrainingInfo = { id: this.nextId++, job, title, state: "queued" };
    let cancelled = false;
    let resolveCancelled: () => void = () => undefined;
    const cancelledWhileQueued = new Promise<void>((resolve) => (resolveCancelled = resolve));
    let process: JobProcess<J> | undefined;
    const cancel = () => {
      cancelled = true;
      resolveCancelled();
      process?.cancel();
    };
    this.trainings.set(info.id, { info, cancel });
    this.changed.fire(info);
    const result = this.run(job, info, listeners, cancelledWhileQueued, () => cancelled, (started) => (process = started));
    return { info, result, cancel };
  }

  /** The mlexp.maxConcurrentTrainings setting changed: waiting trainings may start now. */
  setLimit(limit: number): void {
    this.deps.limiter.setLimit(limit);
  }

  cancel(id: number): void {
    this.trainings.get(id)?.cancel();
  }

  cancelAll(): void {
    for (const entry of this.trainings.values()) entry.cancel();
  }

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
  }

  private async run<J extends TrainingJob>(
    job: J,
    info: TrainingInfo,
    listeners: JobListeners,
    cancelledWhileQueued: Promise<void>,
    isCancelled: () => boolean,
    started: (process: JobProcess<J>) => void,
  ): Promise<ResultOf<J>> {
    const release = await this.deps.limiter.acquire(cancelledWhileQueued);
    try {
      if (!release || isCancelled()) throw new JobError("Training was cancelled before it started.", "cancelled");
      const process = new JobProcess(job, this.deps.launcher(job), {
        cancelTimeoutMs: this.deps.cancelTimeoutMs(),
        onProgress: (progress) => this.onProgress(info, progress, listeners),
        onLog: listeners.onLog,
        onOutput: (text) => (listeners.onOutput ?? this.deps.onOutput)?.(text),
      });
      started(process);
      info.state = "running";
      info.pid = process.pid;
      this.changed.fire(info);
      return await this.awaitProcess(process, info);
    } finally {
      release?.();
      this.trainings.delete(info.id);
      this.changed.fire(undefined);
    }
  }

  private async awaitProcess<J extends TrainingJob>(process: JobProcess<J>, info: TrainingInfo): Promise<ResultOf<J>> {
    try {
      return await process.result;
    } catch (error) {
      if (process.wasKilled) await this.deps.markKilledRunCancelled(process.pid, info.runId).catch(() => undefined);
      throw error;
    }
  }

  private onProgress(info: TrainingInfo, progress: ProgressMessage, listeners: JobListeners): void {
    info.lastProgress = progress;
    if (progress.runId) info.runId = progress.runId;
    listeners.onProgress?.(progress);
    this.changed.fire(info);
  }
}
