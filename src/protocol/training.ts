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

export type Job = TrainJob | ReproduceJob | DescribeJob;
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

export type JobResult = DescribeResult | TrainResult | ReproduceResult;

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

export type FromWorker =
  | { type: "progress"; progress: ProgressMessage }
  | { type: "log"; level: "info" | "warning"; line: string }
  | { type: "result"; result: JobResult }
  | { type: "error"; error: ErrorMessage };

const FROM_WORKER_TYPES = new Set<string>(["progress", "log", "result", "error"]);
const JOB_KINDS = new Set<string>(["train", "reproduce", "describe"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Narrows an IPC message from a training process; anything else is a bug worth logging, not trusting. */
export function isFromWorker(value: unknown): value is FromWorker {
  if (!isRecord(value) || typeof value.type !== "string" || !FROM_WORKER_TYPES.has(value.type)) return false;
  switch (value.type) {
    case "progress":
      return isRecord(value.progress) && typeof value.progress.phase === "string" && typeof value.progress.message === "string";
    case "log":
      return typeof value.line === "string" && (value.level === "info" || value.level === "warning");
    case "result":
      return isRecord(value.result) && typeof value.result.kind === "string" && JOB_KINDS.has(value.result.kind);
    default:
      return isRecord(value.error) && typeof value.error.message === "string" && typeof value.error.code === "string";
  }
}

/** Narrows an IPC message from the extension host. */
export function isToWorker(value: unknown): value is ToWorker {
  if (!isRecord(value)) return false;
  if (value.type === "cancel") return true;
  return value.type === "start" && isRecord(value.job) && typeof value.job.kind === "string" && JOB_KINDS.has(value.job.kind) && typeof value.job.workspace === "string";
}
