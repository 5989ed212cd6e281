/**
 * The contract between a worker (`mlexp worker`, which holds BullMQ's job locks) and its trial
 * process (dist/trial.js, which trains). Training runs there so that it can never starve the
 * worker's event loop and with it the renewal of the job's lock. One trial process serves one of
 * the worker's slots: it runs one trial at a time, keeps the loaded code and data for the next, and
 * is killed to cancel a trial. Both sides import this file.
 */
import type { ErrorMessage } from "./training";
import type { JsonParams, TrialRequest } from "./queue";

export interface TrialTask {
  /** The run's workspace folder inside the materialised snapshot of its commit. */
  codeDir: string;
  /** The worker's `--store`, where the dataset is read on a cache miss. */
  store: string;
  /** The worker's dataset cache (a content-addressed object store). */
  datasetCache: string;
  datasetHash: string;
  request: TrialRequest;
  trial: number;
  trials: number;
  params: JsonParams;
}

export type ToTrialProcess = { type: "run"; task: TrialTask };

export type FromTrialProcess =
  | { type: "progress"; fold: number; folds: number }
  | { type: "result"; trial: number; score: number; foldScores: number[] }
  | { type: "error"; error: ErrorMessage };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function isToTrialProcess(value: unknown): value is ToTrialProcess {
  return isRecord(value) && value.type === "run" && isRecord(value.task) && typeof value.task.codeDir === "string";
}

export function isFromTrialProcess(value: unknown): value is FromTrialProcess {
  if (!isRecord(value)) return false;
  if (value.type === "progress") return typeof value.fold === "number" && typeof value.folds === "number";
  if (value.type === "result") return typeof value.trial === "number" && Array.isArray(value.foldScores);
  return value.type === "error" && isRecord(value.error) && typeof value.error.message === "string";
}
