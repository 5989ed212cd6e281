import { fork } from "node:child_process";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { isFromWorker, type ErrorCode, type FromWorker, type Job, type ProgressMessage, type ResultOf, type ToWorker, type WorkerStatus } from "../../protocol/training";

/** The part of a ChildProcess a training job uses (a fake one in unit tests). */
export interface WorkerChild {
  readonly pid?: number;
  readonly stdout?: Readable | null;
  readonly stderr?: Readable | null;
  readonly connected: boolean;
  send(message: ToWorker): boolean;
  kill(signal?: NodeJS.Signals): boolean;
  on(event: "message", listener: (message: unknown) => void): this;
  on(event: "exit" | "close", listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: "error", listener: (error: Error) => void): this;
}

export type LaunchWorker = () => WorkerChild;

export interface WorkerLaunchOptions {
  /** dist/worker.js inside the installed extension. */
  workerPath: string;
  /** A system `node` for native backends; empty: the extension host's own runtime. */
  nodePath?: string;
  cwd: string;
  /** The `mlexp.store` setting, passed on as MLEXP_STORE. */
  store?: string;
  /** Extra environment, e.g. PGPASSWORD from SecretStorage (never logged). */
  env?: Record<string, string>;
}

/**
 * Forks the training process. On VS Code desktop `process.execPath` is Electron, which behaves as
 * Node with ELECTRON_RUN_AS_NODE; on code-server it is Node already. execArgv is cleared so that
 * the extension host's own flags (inspector ports…) are not inherited. NODE_PATH adds the
 * workspace's node_modules, where a native backend such as @tensorflow/tfjs-node can be installed
 * (for use with a system node, `mlexp.nodePath`, whose ABI it was built for).
 */
export function workerLauncher(options: WorkerLaunchOptions): LaunchWorker {
  return () =>
    fork(options.workerPath, [], {
      cwd: options.cwd,
      execPath: options.nodePath || process.execPath,
      execArgv: [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1", NODE_PATH: nodePath(options.cwd), ...(options.store ? { MLEXP_STORE: options.store } : {}), ...options.env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
}

/** A job that ended without a result: the worker's error, a crash, or a cancellation. */
export class JobError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    /** The worker's stack for unexpected errors. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = "JobError";
  }

  get cancelled(): boolean {
    return this.code === "cancelled";
  }
}

export interface JobListeners {
  onProgress?(progress: ProgressMessage): void;
  /** A `work` job's worker: ready, and after each trial. */
  onWorkerStatus?(status: WorkerStatus): void;
  onLog?(level: "info" | "warning", line: string): void;
  /** Whatever the process (or the user's code in it) prints on stdout/stderr. */
  onOutput?(text: string): void;
}

export interface JobProcessOptions extends JobListeners {
  /** How long a cancelled process gets to record the cancellation and exit before it is killed. */
  cancelTimeoutMs: number;
}

/**
 * One job in one training process: start it, follow it, cancel it. `result` settles exactly once:
 * with the worker's result, or with a JobError (the worker's error, "cancelled", or a crash).
 */
export class JobProcess<J extends Job> {
  readonly result: Promise<ResultOf<J>>;
  private readonly child: WorkerChild;
  private outcome: FromWorker | undefined;
  private cancelRequested = false;
  private killedAfterCancel = false;
  private exited = false;
  private killTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly job: J,
    launch: LaunchWorker,
    private readonly options: JobProcessOptions,
  ) {
    this.child = launch();
    this.result = new Promise<ResultOf<J>>((resolve, reject) => {
      this.child.on("message", (message) => this.onMessage(message));
      this.child.on("error", (error) => {
        if (this.exited) return;
        this.exited = true;
        this.clearKillTimer();
        reject(new JobError(`Could not start the training process: ${error.message}`, "internal"));
      });
      this.child.on("exit", () => {
        this.exited = true;
        this.clearKillTimer();
      });
      // "close" comes after "exit" once stdio and the IPC channel are drained: no message is lost.
      this.child.on("close", (code, signal) => {
        this.exited = true;
        this.clearKillTimer();
        this.settle(resolve, reject, code, signal);
      });
    });
    this.child.stdout?.on("data", (chunk: Buffer) => this.options.onOutput?.(chunk.toString("utf8")));
    this.child.stderr?.on("data", (chunk: Buffer) => this.options.onOutput?.(chunk.toString("utf8")));
    this.child.send({ type: "start", job });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True when the process had to be killed because it did not stop in time after a cancel. */
  get wasKilled(): boolean {
    return this.killedAfterCancel;
  }

  /** Asks the worker to stop (it records the run as cancelled), and kills it if it does not exit in time. */
  cancel(): void {
    if (this.cancelRequested || this.exited) return;
    this.cancelRequested = true;
    if (this.child.connected) this.child.send({ type: "cancel" });
    this.killTimer = setTimeout(() => {
      if (this.exited) return;
      this.killedAfterCancel = true;
      this.child.kill("SIGKILL");
    }, this.options.cancelTimeoutMs);
  }

  private onMessage(message: unknown): void {
    if (!isFromWorker(message)) {
      this.options.onLog?.("warning", `Ignored a malformed message from the training process: ${JSON.stringify(message)}`);
      return;
    }
    switch (message.type) {
      case "progress":
        this.options.onProgress?.(message.progress);
        return;
      case "worker":
        this.options.onWorkerStatus?.(message.status);
        return;
      case "log":
        this.options.onLog?.(message.level, message.line);
        return;
      default:
        this.outcome ??= message;
    }
  }

  private settle(resolve: (result: ResultOf<J>) => void, reject: (error: JobError) => void, code: number | null, signal: NodeJS.Signals | null): void {
    const outcome = this.outcome;
    if (outcome?.type === "result" && outcome.result.kind === this.job.kind) return resolve(outcome.result as ResultOf<J>);
    if (outcome?.type === "error") return reject(new JobError(outcome.error.message, outcome.error.code, outcome.error.stack));
    if (this.cancelRequested) return reject(new JobError("Training was cancelled (the process was stopped).", "cancelled"));
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    reject(new JobError(`The training process ${how} before it finished. See the mlexp output for what it printed.`, "internal"));
  }

  private clearKillTimer(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = undefined;
  }
}

function nodePath(workspace: string): string {
  return [path.join(workspace, "node_modules"), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
}
