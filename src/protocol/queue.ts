/**
 * The contract between a coordinator (the CLI's or the extension's training process running a
 * distributed search) and the workers (`mlexp worker`) on any machine, through BullMQ on Redis:
 * the queue's name, a job's data, its progress, its return value, and the key that cancels a run.
 * Both sides import this file. Types and pure helpers only: importing it never loads BullMQ.
 *
 * Consistency: a job is one trial of one run, with the job id `<run_id>.t<trial>`, so adding it
 * twice is a no-op. A job is delivered at least once (a worker that dies loses its lock and the job
 * runs again elsewhere); the coordinator keeps the first result per trial and ignores the others,
 * so each trial's score is recorded exactly once. A trial that fails in the user's code completes
 * its job with `status: "failed"` (running it again would fail again); a job fails in BullMQ's
 * sense only when it was cancelled.
 */
import type { SearchSettings } from "../core/training/search";

export const TRIAL_QUEUE = "mlexp-trials";
export const PROTOCOL_VERSION = 1;

export type JsonParams = Record<string, unknown>;

/** Where the run's code is: a commit reachable from `ref` on the git remote `remote`. */
export interface TrialCode {
  /** The remote's URL, credentials removed (a worker uses its own). */
  remote: string;
  /** `refs/mlexp/runs/<run_id>`, pushed by the coordinator before the first job. */
  ref: string;
  commit: string;
  /** The workspace folder inside the repository ("" at its top). */
  workspacePath: string;
}

/** The run's request, exactly as the coordinator resolved it (names and JSON, no classes). */
export interface TrialRequest {
  model: string;
  modelParams: JsonParams;
  featureGenerator: string;
  featureGeneratorParams: JsonParams;
  dataset: string;
  datasetParams: JsonParams;
  seed: number;
  metric: string;
  search: SearchSettings;
  testFraction: number;
}

export interface TrialJobData {
  protocol: typeof PROTOCOL_VERSION;
  runId: string;
  /** The trial's index in the search's candidate order, and how many there are. */
  trial: number;
  trials: number;
  params: JsonParams;
  request: TrialRequest;
  code: TrialCode;
  /** The store holding the dataset, by its identity; a worker checks its own store is this one. */
  storeId: string;
  datasetHash: string;
}

/** What a worker says while a trial runs. */
export interface TrialJobProgress {
  worker: string;
  host: string;
  fold: number;
  folds: number;
}

export interface TrialJobResult {
  trial: number;
  status: "finished" | "failed";
  /** Mean of the fold scores (null when failed). */
  score: number | null;
  foldScores: (number | null)[];
  error?: string;
  worker: string;
  host: string;
  startTime: string;
  durationMs: number;
}

/** BullMQ job ids may not contain ":" and must not look like integers. */
export function trialJobId(runId: string, trial: number): string {
  return `${runId}.t${trial}`;
}

export function isTrialJobOf(runId: string, jobId: string | undefined): boolean {
  return typeof jobId === "string" && jobId.startsWith(`${runId}.t`);
}

/** Set (with a time to live) when a run is cancelled: workers check it while its trials run. */
export function cancelKey(runId: string): string {
  return `mlexp:cancelled:${runId}`;
}

export const CANCEL_KEY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Kept alive (with a time to live) by the coordinator while it waits for the run's trials. A
 * worker drops a trial whose coordinator has gone (killed, or failed on a queue that was
 * unreachable too long) instead of spending hours on a search nobody will record.
 */
export function coordinatorKey(runId: string): string {
  return `mlexp:coordinator:${runId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Narrows a job's data read from Redis: anything else (another version, another tool) is refused. */
export function isTrialJobData(value: unknown): value is TrialJobData {
  if (!isRecord(value) || value.protocol !== PROTOCOL_VERSION) return false;
  return (
    typeof value.runId === "string" &&
    Number.isInteger(value.trial) &&
    Number.isInteger(value.trials) &&
    isRecord(value.params) &&
    isRecord(value.request) &&
    isRecord(value.code) &&
    typeof value.code.commit === "string" &&
    typeof value.code.remote === "string" &&
    typeof value.storeId === "string" &&
    typeof value.datasetHash === "string"
  );
}

/** Narrows a job's return value. */
export function isTrialJobResult(value: unknown): value is TrialJobResult {
  return (
    isRecord(value) &&
    Number.isInteger(value.trial) &&
    (value.status === "finished" || value.status === "failed") &&
    Array.isArray(value.foldScores) &&
    typeof value.worker === "string"
  );
}

export function isTrialJobProgress(value: unknown): value is TrialJobProgress {
  return isRecord(value) && typeof value.worker === "string" && typeof value.fold === "number";
}
