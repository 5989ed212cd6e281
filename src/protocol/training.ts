/**
 * The contract between the VS Code extension host and a training process (dist/worker.js), the
 * only messages that cross that boundary. Both sides import this file, so a change to a message is
 * a compile error on whichever side forgot it.
 *
 * One process runs one job: the extension forks it, sends `start`, may send `cancel`, and receives
 * any number of `progress` and `log` messages followed by exactly one `result` or `error`, after
 * which the process exits. Types only, apart from the guards at the end: importing this file
 * never loads the library.
 */
import type { ComponentDescription } from "../core/workspace/describe";
import type { MlexpErrorCode } from "../core/util/errors";
import type { MetricComparison, Verdict } from "../core/reproduce/verdict";
import type { ModelRun } from "../core/store/runRecord";
import type { Progress } from "../core/training/progress";
import type { SearchOptions } from "../core/training/search";

export type JsonParams = Record<string, unknown>;

/** What to train: registered names and parameters as JSON (classes cannot cross a process boundary). */
export interface TrainRequestMessage {
  model: string;
  modelParams?: JsonParams;
  featureGenerator?: string;
  featureGeneratorParams?: JsonParams;
  dataset: string;
  datasetParams?: JsonParams;
  seed?: number;
  metric?: string;
  search?: SearchOptions;
  testFraction?: number;
}

export interface TrainJob {
  kind: "train";
  workspace: string;
  request: TrainRequestMessage;
}

export interface ReproduceJob {
  kind: "reproduce";
  workspace: string;
  runId: string;
  tolerance?: number;
  freshData?: boolean;
}

/** Lists the registered components; `loadUserCode: false` lists the built-ins only (untrusted workspaces). */
export interface DescribeJob {
  kind: "describe";
  workspace: string;
  loadUserCode: boolean;
}

/**
 * Scores trials of distributed searches from the queue until cancelled: one worker of the
 * extension's local pool (what `mlexp worker` does, bundled with BullMQ so the .vsix needs no
 * node_modules). Its trials run in processes of dist/worker.js started with TRIAL_PROCESS_ARG.
 */
export interface WorkJob {
  kind: "work";
  /** The folder the worker runs in (the window's workspace). */
  workspace: string;
  /** `mlexp.queue`: redis://HOST:PORT. */
  queue: string;
  /** The coordinators' run store: `mlexp.store`, or the workspace folder. */
  store: string;
  /** Where this worker keeps fetched code, installed dependencies and datasets. */
  cacheDir: string;
}

export type Job = TrainJob | ReproduceJob | DescribeJob | WorkJob;
export type JobKind = Job["kind"];

export interface DescribeResult {
  kind: "describe";
  components: ComponentDescription[];
  /** The config file that was loaded, absent when the workspace has none (or it was not loaded). */
  configPath?: string;
}

export interface TrainResult {
  kind: "train";
  run: ModelRun;
}

export interface ReproduceResult {
  kind: "reproduce";
  verdict: Verdict;
  tolerance: number;
  metrics: MetricComparison[];
  originalRunId: string;
  /** The reproduction's own run. */
  run: ModelRun;
  dataSource: "stored" | "fresh";
  dataChanged: boolean | null;
  /** When the verdict is `different`: what differs between the original and the reproduction, in one sentence. */
  explanation?: string;
}

/** A worker of the local pool stopped (cancelled): what it did. */
export interface WorkResult {
  kind: "work";
  finished: number;
  failed: number;
  /** Trials it was running when stopped, handed back to the queue for another worker. */
  handedBack: number;
}

export type JobResult = DescribeResult | TrainResult | ReproduceResult | WorkResult;

/** The result type that belongs to a job type. */
export type ResultOf<J extends Job> = Extract<JobResult, { kind: J["kind"] }>;

/** A progress event as the library reports it, with the run id once the run is recorded. */
export type ProgressMessage = Progress;

export type ErrorCode = MlexpErrorCode | "internal";

export interface ErrorMessage {
  /** The whole message for a person, hint included. */
  message: string;
  code: ErrorCode;
  /** Only for unexpected errors (code "internal"): where it happened, for the log. */
  stack?: string;
}

export type ToWorker = { type: "start"; job: Job } | { type: "cancel" };

/** What a `work` job says when it is ready and after each trial. */
export interface WorkerStatus {
  /** `host/pid`, as the queue and the runs' trials name it. */
  name: string;
  finished: number;
  failed: number;
}

export type FromWorker =
  | { type: "progress"; progress: ProgressMessage }
  | { type: "worker"; status: WorkerStatus }
  | { type: "log"; level: "info" | "warning"; line: string }
  | { type: "result"; result: JobResult }
  | { type: "error"; error: ErrorMessage };

const FROM_WORKER_TYPES = new Set<string>(["progress", "worker", "log", "result", "error"] satisfies FromWorker["type"][]);
const JOB_KINDS = new Set<string>(["train", "reproduce", "describe", "work"]);

/** dist/worker.js started with this argument is a trial process of a `work` job (see trialProcess.ts). */
export const TRIAL_PROCESS_ARG = "--mlexp-trial-process";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Each message type's check of its fields. */
const FROM_WORKER_CHECKS: Record<FromWorker["type"], (value: Record<string, unknown>) => boolean> = {
  progress: ({ progress }) => isRecord(progress) && typeof progress.phase === "string" && typeof progress.message === "string",
  worker: ({ status }) => isRecord(status) && typeof status.name === "string" && typeof status.finished === "number" && typeof status.failed === "number",
  log: ({ line, level }) => typeof line === "string" && (level === "info" || level === "warning"),
  result: ({ result }) => isRecord(result) && typeof result.kind === "string" && JOB_KINDS.has(result.kind),
  error: ({ error }) => isRecord(error) && typeof error.message === "string" && typeof error.code === "string",
};

/** Narrows an IPC message from a training process; anything else is a bug worth logging, not trusting. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (!isRecord(value) || typeof value.type !== "string" || !FROM_WORKER_TYPES.has(value.type)) return false;
  return FROM_WORKER_CHECKS[value.type as FromWorker["type"]](value);
}

/** Narrows an IPC message from the extension host. */
export function isToWorker(value: unknown): value is ToWorker {
  if (!isRecord(value)) return false;
  if (value.type === "cancel") return true;
  return value.type === "start" && isRecord(value.job) && typeof value.job.kind === "string" && JOB_KINDS.has(value.job.kind) && typeof value.job.workspace === "string";
}
