import * as path from "node:path";
import type { WorkJob } from "../../protocol/training";
import { Emitter, type Disposable } from "../util/emitter";
import { JobError, JobProcess, type LaunchWorker } from "../training/trainingProcess";

export interface PoolSettings {
  /** How many workers (each one trial at a time, in its own trial process). */
  count: number;
  queue: string;
  /** The coordinators' run store: `mlexp.store`, or the workspace folder. */
  store: string;
  workspace: string;
  /** Each worker gets `<cacheRoot>/<n>` (fetched code, installed dependencies, datasets). */
  cacheRoot: string;
}

export interface PoolWorker {
  /** 1, 2, …: how the output channel and the status bar name it. */
  readonly index: number;
  /** `host/pid`, as the queue and the runs' trials name it, once it said so. */
  name?: string;
  /** Trials it scored, and trials that failed in the user's code, since it started. */
  finished: number;
  failed: number;
  state: "starting" | "running" | "stopping";
}

export interface PoolDeps {
  launch: (workspace: string) => LaunchWorker;
  /** How long a stopping worker gets to hand its trial back before it is killed. */
  stopTimeoutMs: () => number;
  /** One line per worker event, prefixed with the worker's number. */
  log: (level: "info" | "warning" | "error", line: string) => void;
  /** A worker ended with an error (its queue was unreachable, its store could not be opened…). */
  onWorkerFailed: (message: string) => void;
}

/**
 * The extension's local workers: `count` processes of dist/worker.js running the `work` job, so
 * that a distributed search (`mlexp.queue`) can be tried on this one machine. It knows nothing
 * of VS Code; the UI listens to `onDidChange`.
 */
export class LocalWorkerPool implements Disposable {
  private readonly processes = new Map<PoolWorker, JobProcess<WorkJob>>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private settings?: PoolSettings;

  constructor(private readonly deps: PoolDeps) {}

  get workers(): PoolWorker[] {
    return [...this.processes.keys()];
  }

  get queue(): string | undefined {
    return this.processes.size ? this.settings?.queue : undefined;
  }

  /** Starts the pool (a running pool is stopped first: its trials go back to the queue). */
  async start(settings: PoolSettings): Promise<void> {
    if (this.processes.size) await this.stop();
    this.settings = settings;
    for (let index = 1; index <= settings.count; index++) this.startWorker(index, settings);
    this.changed.fire();
  }

  /** Stops every worker; each hands the trial it runs back to the queue. Resolves when all exited. */
  async stop(): Promise<void> {
    const stopping = [...this.processes].map(([worker, process]) => {
      worker.state = "stopping";
      process.cancel();
      return process.result.catch(() => undefined);
    });
    this.changed.fire();
    await Promise.all(stopping);
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }

  private startWorker(index: number, settings: PoolSettings): void {
    const worker: PoolWorker = { index, finished: 0, failed: 0, state: "starting" };
    const job: WorkJob = { kind: "work", workspace: settings.workspace, queue: settings.queue, store: settings.store, cacheDir: path.join(settings.cacheRoot, String(index)) };
    const process = new JobProcess(job, this.deps.launch(settings.workspace), {
      cancelTimeoutMs: this.deps.stopTimeoutMs(),
      onLog: (level, line) => this.deps.log(level, `[worker ${index}] ${line}`),
      onWorkerStatus: (status) => {
        Object.assign(worker, status);
        if (worker.state === "starting") worker.state = "running";
        this.changed.fire();
      },
      onOutput: (text) => {
        for (const line of text.split("\n").filter((l) => l.trim())) this.deps.log("info", `[worker ${index}] ${line}`);
      },
    });
    this.processes.set(worker, process);
    process.result.then(
      (summary) => this.deps.log("info", `[worker ${index}] stopped: ${summary.finished} trial(s) scored, ${summary.failed} failed, ${summary.handedBack} handed back`),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.deps.log("error", `[worker ${index}] ${message}`);
        if (!(error instanceof JobError && error.cancelled) && worker.state !== "stopping") this.deps.onWorkerFailed(message);
      },
    ).finally(() => {
      this.processes.delete(worker);
      this.changed.fire();
    });
  }
}
